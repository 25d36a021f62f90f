"""The registry's search provider for core's unified search: scoped like every other read."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from . import selectors
from .validators import normalise_name


def registry_search(user, query: str, limit: int) -> list[dict]:
    """Enterprises (name, former name key, credit code), parks, talents and published directories."""
    out: list[dict] = []
    key = normalise_name(query) or query
    enterprises = selectors.enterprise_list(user=user).filter(
        Q(name__icontains=query) | Q(name_key__icontains=key) | Q(credit_code=query.upper()))[:limit]
    for e in enterprises:
        out.append({"title": e.name, "url": reverse("registry:enterprise_detail", args=[e.pk]),
                    "kind": gettext("企业"), "snippet": f"{e.credit_code} · {e.district.name} · {e.get_sector_display()}"})
    for p in selectors.park_list(user=user).filter(name__icontains=query)[:limit]:
        out.append({"title": p.name, "url": reverse("registry:park_detail", args=[p.pk]), "kind": gettext("园区/基地"),
                    "snippet": f"{p.get_level_display()} · {p.get_kind_display()} · {p.district.name}"})
    for t in selectors.talent_list(user=user).filter(name__icontains=query)[:limit]:
        out.append({"title": t.name, "url": reverse("registry:talent_detail", args=[t.pk]), "kind": gettext("人才"),
                    "snippet": f"{t.get_programme_display()} · {t.employer_name}"})
    for d in selectors.directory_list(user=user).filter(name__icontains=query)[:limit]:
        out.append({"title": d.name, "url": reverse("registry:directory_detail", args=[d.pk]), "kind": gettext("名录"),
                    "snippet": f"{d.year} · {d.get_kind_display()}"})
    return out
