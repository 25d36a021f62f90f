"""Registers the benefit card's viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .views import CardViewSet, MerchantViewSet, MyCardViewSet, RedemptionViewSet

api_router.register("cards", CardViewSet, basename="card-card")
api_router.register("card/mine", MyCardViewSet, basename="card-mine")
api_router.register("card/merchants", MerchantViewSet, basename="card-merchant")
api_router.register("card/redemptions", RedemptionViewSet, basename="card-redemption")
