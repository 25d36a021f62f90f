"""The coverage tab on enterprise, park and project pages (through core's ``detail_section`` hook): the
entity's volume over the last 30 days, its sentiment, its latest documents and its open alerts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from wenzhi.core.permissions import can

from .analytics import LINK_MODELS, period_of_days, sentiment_totals, volume_series
from .charts import chart_context
from .choices import AlertState

DAYS = 30
KINDS = {"registry.Enterprise": "enterprise", "registry.Park": "park", "projects.Project": "project"}


def entity_documents(user, kind: str, pk: int):
    """The documents ``user`` may see that mention the entity (or lie in the district)."""
    from wenzhi.media.selectors import documents_for

    qs = documents_for(user)
    if kind == "district":
        return qs.filter(district_id=pk)
    model, column = LINK_MODELS[kind]
    return qs.filter(pk__in=model.objects.filter(**{column: pk}).values("document_id"))


def drill_url(**params) -> str:
    return f"{reverse('watch:documents')}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def render(request, obj) -> dict | None:
    kind = KINDS[obj._meta.label]
    user = request.user
    docs = entity_documents(user, kind, obj.pk)
    period = period_of_days(DAYS)
    volume = volume_series(docs, period)
    entity = f"{kind}:{obj.pk}"
    option = {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 36, "right": 12, "top": 16, "bottom": 28},
        "xAxis": {"type": "category", "data": [v["t"][5:10] for v in volume]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "name": _("报道量"), "itemStyle": {"color": "#b3262d"},
                    "data": [{"value": v["count"], "url": drill_url(entity=entity, start=v["start"], end=v["end"])}
                             for v in volume]}],
    }
    alerts = []
    if can(user, "alert.view"):
        from .selectors import alerts_for

        alerts = list(alerts_for(user).filter(entity_kind=kind, entity_id=obj.pk)
                      .exclude(state=AlertState.CLOSED)[:5])
    return {
        "entity": entity, "total": docs.count(), "recent": sum(v["count"] for v in volume),
        "sentiment": sentiment_totals(docs, period), "latest": docs.select_related("source").order_by(
            "-published_at", "-id")[:8],
        "chart": chart_context(f"coverage-{kind}-{obj.pk}", option), "alerts": alerts,
        "all_url": drill_url(entity=entity), "negative_url": drill_url(entity=entity, sentiment="negative"),
        "days": DAYS,
    }


def register() -> None:
    from wenzhi.core import hooks

    hooks.detail_section(hooks.DetailSection(
        key="media_coverage", models=tuple(KINDS), template="watch/coverage.html", render=render,
        action="coverage.view", order=50))


