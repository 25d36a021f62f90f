"""Reads of bulletins for a user: the city sees every one, a district officer the issued ones."""

from __future__ import annotations

from django.db.models import QuerySet

from wenzhi.core.permissions import can
from wenzhi.core.scoping import scope_for

from .models import Bulletin, BulletinStatus


def bulletin_list(*, user) -> QuerySet[Bulletin]:
    if not can(user, "bulletin.view"):
        return Bulletin.objects.none()
    qs = Bulletin.objects.select_related("period")
    return qs if scope_for(user).is_city else qs.filter(status=BulletinStatus.ISSUED)


def bulletin_get(*, user, pk: int) -> Bulletin:
    """One bulletin the user may read (DoesNotExist otherwise, shown as 404)."""
    return bulletin_list(user=user).get(pk=pk)
