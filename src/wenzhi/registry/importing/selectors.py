"""Reads of import records, scoped to the caller."""

from __future__ import annotations

from wenzhi.core.models import ImportRecord
from wenzhi.core.permissions import can
from wenzhi.core.scoping import scope_for

from .schemas import KINDS

# ----------------------------------------------------------------------------------------- selectors


def import_records_for(user):
    """Import records the user may see: every registry import for the city, the district's own for a district
    officer (imports started by users of that district), none for anyone else."""
    qs = ImportRecord.objects.filter(kind__in=list(KINDS)).select_related("created_by")
    if not can(user, "import.run"):
        return qs.none()
    scope = scope_for(user)
    if scope.is_city:
        return qs
    if scope.kind == "district":
        return qs.filter(created_by__organisation_id=scope.organisation_id)
    return qs.none()




def import_record_for(user, pk: int) -> ImportRecord:
    """One import record of the user's scope; 404 for anything else."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(import_records_for(user), pk=pk)
