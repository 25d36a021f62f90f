"""Reads of core rows, scoped to the caller."""

from django.db.models import QuerySet

from .choices import Level
from .models import Organisation
from .scoping import organisation_q


def city() -> Organisation:
    return Organisation.objects.get(level=Level.CITY)


def districts() -> QuerySet[Organisation]:
    """The 16 districts of Tianjin (every user may read the list of districts)."""
    # exclude(code="") lets SQLite use the partial (level, code) index instead of walking every organisation.
    return Organisation.objects.filter(level=Level.DISTRICT, is_active=True).exclude(code="").order_by("code")


def organisation_list(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(organisation_q(user)).select_related("parent", "district")


def user_list(*, user) -> QuerySet:
    """The accounts ``user`` may administer: every account for the city, a district's parks' and enterprises'
    users for a district officer, none for other roles (see ``core.accounts.rules``)."""
    from .accounts.rules import managed_q
    from .models import User
    from .permissions import can

    if not can(user, "account.view"):
        return User.objects.none()
    return User.objects.filter(managed_q(user)).select_related("organisation")
