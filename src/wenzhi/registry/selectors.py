"""Every read of registry rows for a user, scoped by wenzhi.core.scoping.

City administrators see the whole city; a district officer their district's rows; a park operator their
park's; an enterprise user their own enterprise. Expert reviewers, media editors and the public see no
registry rows, only published directories.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from wenzhi.core.permissions import can
from wenzhi.core.scoping import scope_for, scope_queryset

from .models import Directory, DirectoryEntry, Enterprise, IndustryCode, Park, Talent, TrainingProgramme


def sees_personal_fields(user) -> bool:
    """Gender, birth year and phone of talents: whoever the table allows "talent.view_personal"."""
    return can(user, "talent.view_personal")


def enterprise_list(*, user) -> QuerySet[Enterprise]:
    """Enterprises the user may see."""
    qs = Enterprise.objects.select_related("district", "park")
    return scope_queryset(qs, user, district="district", park="park", enterprise="organisation")


def enterprise_for_user(user) -> Enterprise | None:
    """The enterprise an enterprise user acts for, if any."""
    scope = scope_for(user)
    if scope.kind != "enterprise" or scope.organisation_id is None:
        return None
    return Enterprise.objects.filter(organisation_id=scope.organisation_id).first()


def park_list(*, user) -> QuerySet[Park]:
    """Parks and bases the user may see; an enterprise user sees the park their enterprise is in."""
    qs = Park.objects.select_related("district", "organisation")
    scope = scope_for(user)
    if scope.kind == "enterprise":
        ent = enterprise_for_user(user)
        return qs.filter(organisation_id=ent.park_id) if ent and ent.park_id else qs.none()
    return scope_queryset(qs, user, district="district", park="organisation")


def park_with_counts(*, user) -> QuerySet[Park]:
    """Parks with the number of live enterprises in each (a correlated count: cheap for one page of parks)."""
    live = (Enterprise.objects.filter(park_id=OuterRef("organisation_id")).order_by()
            .values("park_id").annotate(n=Count("*")).values("n"))
    return park_list(user=user).annotate(enterprise_count=Coalesce(Subquery(live), 0))


def talent_list(*, user) -> QuerySet[Talent]:
    """Talents: whoever may "talent.view", scoped by the employer's district, park or enterprise."""
    if not can(user, "talent.view"):
        return Talent.objects.none()
    qs = Talent.objects.select_related("district")
    return scope_queryset(qs, user, district="district", park="employer__park")


def training_list(*, user) -> QuerySet[TrainingProgramme]:
    """Training programmes: city-wide ones and those of the user's district, for whoever may "training.view"."""
    if not can(user, "training.view"):
        return TrainingProgramme.objects.none()
    qs = TrainingProgramme.objects.select_related("district").annotate(participant_count=Count("participants"))
    scope = scope_for(user)
    if scope.kind == "all":
        return qs
    return qs.filter(Q(district__isnull=True) | Q(district_id=scope.district_id))


def directory_list(*, user) -> QuerySet[Directory]:
    """Directories: all for the city administrator; published ones for everyone else (also anonymous)."""
    qs = Directory.objects.annotate(entry_count=Count("entries", filter=Q(entries__removed_on__isnull=True)))
    if getattr(user, "is_authenticated", False) and scope_for(user).is_city:
        return qs
    return qs.filter(published=True)


def directory_entries(*, directory: Directory, include_removed: bool = False) -> QuerySet[DirectoryEntry]:
    qs = directory.entries.select_related("enterprise", "enterprise__district", "park", "park__district")
    return qs if include_removed else qs.filter(removed_on__isnull=True)


def industry_codes() -> QuerySet[IndustryCode]:
    """GB/T 4754-2017 codes (reference data, readable by every signed-in user)."""
    return IndustryCode.objects.all()
