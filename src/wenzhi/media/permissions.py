"""Opinion monitoring's rows in the platform permission table, declared once.

City officials and media editors (融媒体编辑) see every document and source and run the sources; a district
officer sees the documents placed in their district (by the entities they mention or their source) and their
district's sources. The nested apps (watch, kitchen) declare their own actions with these role sets.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role
from wenzhi.core.permissions import declare

MEDIA_DESK = frozenset({Role.CITY_ADMIN, Role.MEDIA_EDITOR})
MEDIA_READERS = MEDIA_DESK | {Role.DISTRICT_OFFICER}


def document_visible(user, obj) -> bool:
    """A document (or a row holding one) inside ``user``'s media scope (:func:`selectors.documents_for`)."""
    from wenzhi.core.scoping import scope_for

    from .selectors import sees_all_media

    if sees_all_media(user):
        return True
    doc = getattr(obj, "document", obj)
    scope = scope_for(user)
    return scope.kind == "district" and doc.district_id is not None and doc.district_id == scope.organisation_id


def source_visible(user, obj) -> bool:
    from wenzhi.core.scoping import scope_for

    from .selectors import sees_all_media

    if sees_all_media(user):
        return True
    scope = scope_for(user)
    return scope.kind == "district" and obj.district_id is not None and obj.district_id == scope.organisation_id


def desk_only(user, obj) -> bool:
    from .selectors import sees_all_media

    return sees_all_media(user)


def register() -> None:
    declare("media_document.view", label=_("查看舆情文档"), roles=MEDIA_READERS, object_check=document_visible)
    declare("media_source.view", label=_("查看信息源"), roles=MEDIA_READERS, object_check=source_visible)
    declare("media_source.manage", label=_("管理信息源"), roles=MEDIA_DESK, object_check=desk_only)
    declare("media_document.ingest", label=_("导入舆情文档"), roles=MEDIA_DESK, object_check=desk_only)
