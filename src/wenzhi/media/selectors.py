"""Read side of the media app. ``documents_for`` is the one scope rule every media page, API, chart and alert
reader goes through."""

from __future__ import annotations

from django.db.models import QuerySet

from wenzhi.core.choices import Role
from wenzhi.core.scoping import scope_for

from .models import Document, Source


def sees_all_media(user) -> bool:
    """City officials and media editors see every document; others at most their district's."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.has_role(Role.CITY_ADMIN, Role.MEDIA_EDITOR))


def documents_for(user) -> QuerySet[Document]:
    """The documents ``user`` may see: everything for city officials and media editors, a district officer's
    own district's documents (those placed in that district by entity linking or by their source), nothing
    for anyone else."""
    qs = Document.objects.all()
    if sees_all_media(user):
        return qs
    scope = scope_for(user)
    if scope.kind == "district" and scope.organisation_id is not None:
        return qs.filter(district_id=scope.organisation_id)
    return qs.none()


def sources_for(user) -> QuerySet[Source]:
    """Sources are configured centrally: city officials and media editors see them all, district officers the
    sources of their district."""
    qs = Source.objects.all()
    if sees_all_media(user):
        return qs
    scope = scope_for(user)
    if scope.kind == "district" and scope.organisation_id is not None:
        return qs.filter(district_id=scope.organisation_id)
    return qs.none()


def document_list(*, user) -> QuerySet[Document]:
    """Documents for list pages and the API: scoped, with what the columns read joined in; the long text
    columns are left out (a list shows titles)."""
    return (documents_for(user).select_related("source", "district")
            .defer("text", "clean_text", "url_normalised", "source__selectors", "source__last_error"))


def source_list(*, user) -> QuerySet[Source]:
    return sources_for(user)
