"""Row-level scope of a user: the city, one district, one park or one enterprise.

Selectors call :func:`scope_queryset` so that no page, API call, export or search returns another
organisation's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .choices import Level, Role


@dataclass(frozen=True)
class Scope:
    """What a user may see: ``kind`` is all, district, park, enterprise or none."""

    kind: str
    organisation_id: int | None = None
    district_id: int | None = None

    @property
    def is_city(self) -> bool:
        return self.kind == "all"


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope("none")
    if user.is_superuser or user.has_role(Role.CITY_ADMIN):
        return Scope("all")
    org = user.organisation
    if org is None:
        return Scope("none")
    if user.has_role(Role.DISTRICT_OFFICER) and org.level == Level.DISTRICT:
        return Scope("district", org.id, org.id)
    if user.has_role(Role.PARK_OPERATOR) and org.level == Level.PARK:
        return Scope("park", org.id, org.district_id)
    if user.has_role(Role.ENTERPRISE_USER) and org.level == Level.ENTERPRISE:
        return Scope("enterprise", org.id, org.district_id)
    return Scope("none")


def scope_queryset(qs: QuerySet, user, *, district: str | None = "district", park: str | None = "park",
                   enterprise: str | None = None, city_only_for_none: bool = True) -> QuerySet:
    """Filter ``qs`` to ``user``'s scope.

    ``district``, ``park`` and ``enterprise`` name the lookups (FKs to :class:`Organisation`) on the model
    that place a row in a district, a park or an enterprise; ``None`` means the model has no such link, so
    users scoped at that level see nothing of it.
    """
    scope = scope_for(user)
    if scope.kind == "all":
        return qs
    if scope.kind == "district" and district:
        return qs.filter(**{f"{district}_id": scope.organisation_id})
    if scope.kind == "park" and park:
        return qs.filter(**{f"{park}_id": scope.organisation_id})
    if scope.kind == "enterprise" and enterprise:
        return qs.filter(**{f"{enterprise}_id": scope.organisation_id})
    return qs.none()


def organisation_q(user, field: str = "") -> Q:
    """Q for :class:`Organisation` rows (or a FK to one at ``field``) inside the user's scope."""
    prefix = f"{field}__" if field else ""
    scope = scope_for(user)
    if scope.kind == "all":
        return Q()
    if scope.kind == "district":
        return Q(**{f"{prefix}district_id": scope.organisation_id})
    if scope.kind in ("park", "enterprise"):
        return Q(**{f"{prefix}id": scope.organisation_id}) | Q(**{f"{prefix}parent_id": scope.organisation_id})
    return Q(pk__in=[])
