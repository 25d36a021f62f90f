"""Writes of core rows, and the audit helpers every domain service uses."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from .choices import Level, Role
from .models import DomainModel, Organisation, User

M = TypeVar("M", bound=models.Model)
D = TypeVar("D", bound=DomainModel)


def history_context(obj: models.Model, actor: User | None, reason: str | None) -> None:
    """Who and why, for the history row simple_history writes on the next save: it reads these two instance
    attributes, which are not model fields (hence setattr)."""
    setattr(obj, "_history_user", actor)  # noqa: B010
    setattr(obj, "_change_reason", reason)  # noqa: B010


def audited_save(obj: M, *, actor: User | None, reason: str = "", update_fields: list[str] | None = None) -> M:
    """Validate and save ``obj``, recording ``actor`` and ``reason`` in its history (django-simple-history)."""
    obj.full_clean()
    history_context(obj, actor, reason or None)
    obj.save(update_fields=update_fields)
    return obj


def soft_delete(obj: D, *, actor: User | None, reason: str = "") -> D:
    """Mark a domain row deleted (kept in the database and in its history); never a hard delete."""
    obj.deleted_at = timezone.now()
    obj.deleted_by = actor
    history_context(obj, actor, reason or "删除")
    obj.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    return obj


def history_diffs(obj: models.Model, limit: int = 50) -> list[dict[str, Any]]:
    """The row's change history, newest first: who, when, why and each changed field (before → after).

    Values are shown as a person reads them, in the active language, from the model's field metadata: a
    choice's label, a related row's name, 是/否, a date, JSON as text. A model words a field its own way by
    defining ``history_text(field_name, value, row)`` (``row``: the version the value belongs to; return None to
    fall back to the generic text).
    """
    history = getattr(obj, "history", None)
    if history is None:
        return []
    meta = (obj._meta.concrete_model or type(obj))._meta
    order = {f.name: i for i, f in enumerate(meta.get_fields())}
    records = list(history.all().select_related("history_user")[: limit + 1])
    pending = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = record.diff_against(previous).changes if previous is not None else []
        pending.append((record, previous, sorted(changes, key=lambda c: order.get(c.field, 0))))
    names = _related_names(meta, [c for _r, _p, changes in pending for c in changes])
    kinds = {"+": gettext("创建"), "~": gettext("修改"), "-": gettext("删除")}
    rows = []
    for record, previous, changes in pending:
        shown = []
        for change in changes:
            field = meta.get_field(change.field)
            shown.append({"field": str(getattr(field, "verbose_name", change.field)),
                          "old": history_value(field, change.old, previous, names),
                          "new": history_value(field, change.new, record, names)})
        reason = record.history_change_reason or ""
        rows.append({
            "when": record.history_date,
            "who": record.history_user,
            "type": kinds.get(record.history_type, record.history_type),
            # Services record their fixed reasons as Chinese source text: shown in the page's language.
            "reason": gettext(reason) if reason else "",
            "changes": shown,
        })
    return rows


def _related_names(meta, changes) -> dict[tuple[type, Any], str]:
    """Names of the rows the changed foreign keys point to, one query per related model."""
    wanted: dict[Any, set] = {}  # related model -> the ids to name
    for change in changes:
        field = meta.get_field(change.field)
        if field.is_relation and (field.many_to_one or field.one_to_one):
            wanted.setdefault(field.related_model, set()).update(v for v in (change.old, change.new) if v)
    names = {}
    for model, pks in wanted.items():
        for row in model._base_manager.filter(pk__in=pks):
            names[(model, row.pk)] = str(row)
    return names


def history_value(field, value: Any, row: Any = None, names: dict | None = None) -> str:
    """One field's value in human terms ('' for empty): label, name, 是/否, date or readable JSON."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    own = getattr(field.model, "history_text", None)
    if own is not None and row is not None:
        text = own(field.name, value, row.instance if hasattr(row, "instance") else row)
        if text is not None:
            return text
    if field.is_relation:
        return (names or {}).get((field.related_model, value)) or gettext("已删除的记录（%(id)s）") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("是") if value else gettext("否")
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(field, models.DateField):
        return date_format(value, "Y-m-d")
    if isinstance(field, models.JSONField):
        return json_text(value)
    return str(value)


def json_text(value: Any) -> str:
    """JSON as plain text: ``a、b`` for a list of words, ``key：value；…`` for an object."""
    if isinstance(value, dict):
        return gettext("；").join(f"{k}{gettext('：')}{json_text(v)}" for k, v in value.items()
                                 if v not in (None, "", [], {}))
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return gettext("、").join(str(v) for v in value)
        return gettext("；").join(json_text(v) for v in value)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    return str(value)


@transaction.atomic
def organisation_create(*, name: str, level: str, parent: Organisation | None = None, code: str = "",
                        district: Organisation | None = None) -> Organisation:
    """Create an organisation below ``parent``; its district is derived from the parent chain."""
    if district is None and parent is not None:
        district = parent if parent.level == Level.DISTRICT else parent.district
    org = Organisation(name=name, level=level, parent=parent, code=code, district=district)
    org.full_clean()
    org.save()
    if level == Level.DISTRICT and org.district_id is None:
        org.district = org
        org.save(update_fields=["district"])
    return org


@transaction.atomic
def user_create(*, username: str, password: str | None, roles: list[str], organisation: Organisation | None,
                display_name: str = "", email: str = "", is_demo: bool = False) -> User:
    """Create a user with roles; the password is hashed with Argon2 (settings.PASSWORD_HASHERS)."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"未知角色：{', '.join(sorted(unknown))}")
    user = User(username=username, roles=list(roles), organisation=organisation, display_name=display_name,
                email=email, is_demo=is_demo)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user
