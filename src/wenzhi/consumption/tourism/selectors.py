"""Reads of rural tourism: what the public sees (published, active boards) and what an official keeps."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from wenzhi.core.permissions import can, restrict

from .models import Board, Place, Route


def boards() -> QuerySet[Board]:
    """The active themed boards with their published places counted."""
    return Board.objects.filter(is_active=True).annotate(
        place_count=Count("places", filter=Q(places__is_published=True, places__deleted_at=None))).order_by("order")


def public_places() -> QuerySet[Place]:
    return Place.objects.filter(is_published=True).select_related("district").prefetch_related("boards")


def public_routes() -> QuerySet[Route]:
    return Route.objects.filter(is_published=True).select_related("district")


def place_list(*, user) -> QuerySet[Place]:
    """Places an official keeps (every one in scope, published or not); others see the published ones."""
    if can(user, "tourism.change"):
        return restrict(Place.objects.select_related("district"), user, "tourism.change")
    return public_places()


def visible_places(*, user) -> QuerySet[Place]:
    """Published places, plus the unpublished ones the user keeps."""
    kept = place_list(user=user).values("pk") if can(user, "tourism.change") else Place.objects.none().values("pk")
    return Place.objects.filter(Q(is_published=True) | Q(pk__in=kept)).select_related("district", "village")


def visible_routes(*, user) -> QuerySet[Route]:
    kept = (restrict(Route.objects.all(), user, "tourism.change").values("pk") if can(user, "tourism.change")
            else Route.objects.none().values("pk"))
    return Route.objects.filter(Q(is_published=True) | Q(pk__in=kept)).select_related("district")


def route_list(*, user) -> QuerySet[Route]:
    if can(user, "tourism.change"):
        return restrict(Route.objects.select_related("district"), user, "tourism.change")
    return public_routes()


def district_counts() -> dict[str, int]:
    """Published places per district name (the map shades by it)."""
    rows = public_places().order_by().values("district__name").annotate(n=Count("id"))
    return {r["district__name"]: r["n"] for r in rows}
