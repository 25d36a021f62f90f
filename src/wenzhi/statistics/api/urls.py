"""Registers the statistics API on core's router (mounted at /api/v1/), under statistics/."""

from wenzhi.core.hooks import api_router

from .views import (
    CompletenessViewSet,
    IndicatorViewSet,
    ReportingFormViewSet,
    RuleViewSet,
    SeriesViewSet,
    SubmissionViewSet,
)

api_router.register("statistics/indicators", IndicatorViewSet, basename="statistics-indicator")
api_router.register("statistics/forms", ReportingFormViewSet, basename="statistics-form")
api_router.register("statistics/rules", RuleViewSet, basename="statistics-rule")
api_router.register("statistics/reports", SubmissionViewSet, basename="statistics-report")
api_router.register("statistics/completeness", CompletenessViewSet, basename="statistics-completeness")
api_router.register("statistics/series", SeriesViewSet, basename="statistics-series")
