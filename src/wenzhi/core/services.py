"""Writes of core rows, and the audit helpers every domain service uses."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

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
    """The row's change history, newest first: who, when, why and each changed field (before → after)."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(history.all().select_related("history_user")[: limit + 1])
    rows = []
    for i, record in enumerate(records[:limit]):
        changes = []
        previous = records[i + 1] if i + 1 < len(records) else None
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance._meta.get_field(change.field)
                changes.append({"field": str(getattr(field, "verbose_name", change.field)),
                                "old": change.old, "new": change.new})
        rows.append({
            "when": record.history_date,
            "who": record.history_user,
            "type": {"+": "创建", "~": "修改", "-": "删除"}.get(record.history_type, record.history_type),
            "reason": record.history_change_reason or "",
            "changes": changes,
        })
    return rows


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
