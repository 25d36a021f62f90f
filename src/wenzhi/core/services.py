"""Writes of core rows, and the audit helpers every domain service uses."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from .choices import Level, Role
from .exceptions import StaleEdit
from .models import AccountEvent, DomainModel, Organisation, User
from .permissions import require

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


def user_create(*, username: str, password: str | None, roles: list[str], organisation: Organisation | None,
                display_name: str = "", email: str = "", is_demo: bool = False, actor: User | None = None,
                must_change_password: bool | None = None) -> User:
    """Create a user with roles; the password is hashed with Argon2 (settings.PASSWORD_HASHERS).

    With an ``actor`` (an official on the account pages or API) this is an audited write in the actor's
    scope: only roles the actor may grant, each in an organisation of its level, and the new account must set
    its own password at first login. Without one (demo data, fixtures, command line) it is a plain helper.
    """
    from .accounts.rules import check_assignment

    unknown = set(roles) - set(Role.values)
    if unknown and actor is None:
        raise ValueError(f"未知角色：{', '.join(sorted(unknown))}")
    if actor is not None:
        require(actor, "account.add")
        check_assignment(actor, list(roles), organisation)
    if must_change_password is None:
        must_change_password = actor is not None
    with transaction.atomic(durable=actor is not None):
        user = User(username=username, roles=list(roles), organisation=organisation, display_name=display_name,
                    email=email, is_demo=is_demo, must_change_password=must_change_password)
        if password:
            if actor is not None:
                password_validation.validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        if actor is not None:
            _account_event(user, actor=actor, kind=AccountEvent.Kind.CREATED,
                           changes=_account_changes({}, _account_state(user)))
    return user


# Fields of an account whose changes are audited, in the order the account page lists them.
ACCOUNT_FIELDS = ("display_name", "email", "organisation", "roles", "is_active")
_KEEP: Any = object()  # "leave this field as it is" in user_update


def _account_state(user: User) -> dict[str, Any]:
    org = user.organisation
    return {"display_name": user.display_name, "email": user.email,
            "organisation": {"id": org.pk, "name": org.name} if org else None,
            "roles": list(user.roles or []), "is_active": user.is_active}


def _account_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    # A new account (no ``before``) lists only the fields it was given.
    return [{"field": f, "old": before.get(f), "new": after[f]} for f in ACCOUNT_FIELDS
            if before.get(f) != after[f] and (before or (f != "is_active" and after[f] not in ("", None, [])))]


def account_version(user: User) -> str:
    """A short fingerprint of the account's audited fields: an edit form carries it, so a save over someone
    else's newer change is refused instead of silently undoing it."""
    import hashlib
    import json

    text = json.dumps(_account_state(user), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _account_event(user: User, *, actor: User | None, kind: str, changes: list | None = None,
                   reason: str = "") -> AccountEvent:
    return AccountEvent.objects.create(user=user, actor=actor, kind=kind, changes=changes or [], reason=reason[:200])


def user_update(*, actor: User, user: User, display_name: str = _KEEP, email: str = _KEEP,
                organisation: Organisation | None = _KEEP, roles: list[str] = _KEEP, reason: str = "",
                expected_version: str | None = None) -> User:
    """Change an account's name, e-mail, organisation or roles (only those given), audited field by field.

    Roles and organisation are checked together: the actor must be allowed to grant every role, in an
    organisation of the role's level inside the actor's scope. Saving the account unchanged writes nothing.
    ``expected_version`` (from :func:`account_version` when the form was opened) refuses a stale edit.
    """
    from .accounts.rules import check_assignment

    require(actor, "account.change", user)
    if expected_version and expected_version != account_version(User.objects.get(pk=user.pk)):
        raise StaleEdit(gettext("该账号在您打开编辑页之后已被他人修改，请刷新页面后重新修改。"))
    before = _account_state(user)
    new_roles = list(user.roles or []) if roles is _KEEP else list(roles)
    new_org = user.organisation if organisation is _KEEP else organisation
    if (new_roles != list(user.roles or []) or getattr(new_org, "pk", None) != user.organisation_id):
        if user.pk == actor.pk:
            raise ValidationError({"roles": [gettext("不能修改本人的角色或所属组织，请由其他管理员操作。")]})
        check_assignment(actor, new_roles, new_org)
    user.roles = new_roles
    user.organisation = new_org
    if display_name is not _KEEP:
        user.display_name = display_name
    if email is not _KEEP:
        user.email = email
    changes = _account_changes(before, _account_state(user))
    if not changes:
        return user
    user.full_clean(exclude=["password"])
    with transaction.atomic(durable=True):
        user.save(update_fields=["display_name", "email", "organisation", "roles"])
        _account_event(user, actor=actor, kind=AccountEvent.Kind.CHANGED, changes=changes, reason=reason)
    return user


def user_set_roles(*, actor: User, user: User, roles: list[str], organisation: Organisation | None = _KEEP,
                   reason: str = "") -> User:
    """Give ``user`` exactly ``roles`` (and move it to ``organisation`` when given), audited."""
    return user_update(actor=actor, user=user, roles=roles, organisation=organisation, reason=reason)


def user_deactivate(*, actor: User, user: User, reason: str = "") -> User:
    """Stop an account from signing in (pages and API token); the row and its history stay. Never a delete."""
    from rest_framework.authtoken.models import Token

    require(actor, "account.deactivate", user)
    if user.pk == actor.pk:
        raise ValidationError(gettext("不能停用本人的账号。"))
    if not user.is_active:
        return user
    with transaction.atomic(durable=True):
        user.is_active = False
        user.save(update_fields=["is_active"])
        Token.objects.filter(user=user).delete()
        _account_event(user, actor=actor, kind=AccountEvent.Kind.DEACTIVATED, reason=reason,
                       changes=[{"field": "is_active", "old": True, "new": False}])
    return user


def user_reactivate(*, actor: User, user: User, reason: str = "") -> User:
    """Let a deactivated account sign in again, audited."""
    require(actor, "account.deactivate", user)
    if user.is_active:
        return user
    with transaction.atomic(durable=True):
        user.is_active = True
        user.save(update_fields=["is_active"])
        _account_event(user, actor=actor, kind=AccountEvent.Kind.REACTIVATED, reason=reason,
                       changes=[{"field": "is_active", "old": False, "new": True}])
    return user


def user_reset_password(*, actor: User, user: User, temporary_password: str | None = None,
                        send_email: bool = False, site_url: str = "") -> User:
    """Reset another account's password; its owner must choose a new one at the next sign-in.

    Either sets ``temporary_password`` (which the official passes on) or, with ``send_email``, makes the old
    password unusable and mails a reset link (to ``site_url``) once the transaction has committed. Signed-in
    sessions and the API token of the account end.
    """
    from rest_framework.authtoken.models import Token

    require(actor, "account.reset_password", user)
    if user.pk == actor.pk:
        raise ValidationError(gettext("请在“我的账号”中修改本人的密码。"))
    if send_email and not user.email:
        raise ValidationError(gettext("该账号没有登记电子邮箱，无法发送重置邮件；请改用临时密码。"))
    if not send_email and not temporary_password:
        raise ValidationError(gettext("请提供临时密码，或选择发送重置邮件。"))
    with transaction.atomic(durable=True):
        if send_email:
            user.set_unusable_password()
        else:
            user.set_password(temporary_password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        Token.objects.filter(user=user).delete()
        _account_event(user, actor=actor, kind=AccountEvent.Kind.PASSWORD_RESET,
                       reason=gettext("已发送重置邮件") if send_email else gettext("已设置临时密码"))
        if send_email:
            from django.conf import settings

            from .accounts.mail import send_password_reset

            # The official's language is not necessarily the owner's: the platform's language for this mail.
            transaction.on_commit(lambda: send_password_reset(user_id=user.pk, site_url=site_url,
                                                              language=settings.LANGUAGE_CODE))
    return user


def user_change_password(*, actor: User, old_password: str, new_password: str) -> User:
    """The signed-in user changes their own password (checked against the password rules); clears must-change."""
    require(actor, "account.change_own_password")
    if not actor.check_password(old_password):
        raise ValidationError({"old_password": [gettext("原密码不正确，请重新输入。")]})
    if new_password == old_password:
        raise ValidationError({"new_password": [gettext("新密码不能与原密码相同。")]})
    try:
        password_validation.validate_password(new_password, actor)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    with transaction.atomic(durable=True):
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        _account_event(actor, actor=actor, kind=AccountEvent.Kind.PASSWORD_CHANGED)
    return actor


def user_password_reset_complete(*, user: User, new_password: str) -> User:
    """The owner of ``user`` set a new password through a mailed reset link (the form checked the link and
    the password rules); clears must-change, audited."""
    with transaction.atomic(durable=True):
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        _account_event(user, actor=user, kind=AccountEvent.Kind.PASSWORD_CHANGED, reason=gettext("通过重置邮件"))
    return user
