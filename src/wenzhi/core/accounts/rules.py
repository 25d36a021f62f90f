"""Who may manage which accounts, which roles they may grant, and which organisation each role belongs to.

This is the one place the account scope rule is written; the permission table (``core/apps.py``) uses
:func:`manages` as the object check of every ``account.*`` action, the selector uses :func:`managed_q`,
and services call :func:`check_assignment` before writing roles or an organisation.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext

from ..choices import Level, Role
from ..scoping import scope_for

# The roles each kind of scope may grant: the city grants every role; a district grants only the roles of the
# parks and enterprises in it (never a district or city role).
GRANTABLE = {
    "all": frozenset(Role.values),
    "district": frozenset({Role.PARK_OPERATOR, Role.ENTERPRISE_USER}),
}
# Organisation levels whose users a district manages.
DISTRICT_MANAGED_LEVELS = (Level.PARK, Level.ENTERPRISE)
# The organisation level a role belongs to; roles not listed (expert, media editor, public) fit any organisation
# or none.
ROLE_LEVEL: dict[str, str] = {
    Role.CITY_ADMIN: Level.CITY,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.PARK_OPERATOR: Level.PARK,
    Role.ENTERPRISE_USER: Level.ENTERPRISE,
}


def grantable_roles(actor) -> frozenset[str]:
    """The roles ``actor`` may give to an account (none for roles that manage no accounts)."""
    return GRANTABLE.get(scope_for(actor).kind, frozenset())


def role_choices(actor) -> list[tuple[str, Any]]:
    """``(code, label)`` of the roles ``actor`` may grant, in the order of :class:`Role`."""
    allowed = grantable_roles(actor)
    return [(value, label) for value, label in Role.choices if value in allowed]


def managed_q(actor) -> Q:
    """Q over :class:`User` rows ``actor`` may manage (nothing for roles that manage no accounts)."""
    scope = scope_for(actor)
    if scope.kind == "all":
        return Q()
    if scope.kind == "district":
        return Q(organisation__district_id=scope.organisation_id,
                 organisation__level__in=DISTRICT_MANAGED_LEVELS, is_superuser=False)
    return Q(pk__in=[])


def manages(actor, target) -> bool:
    """Whether ``actor`` may view and administer the account ``target`` (the object check of ``account.*``)."""
    scope = scope_for(actor)
    if scope.kind == "all":
        return True
    if scope.kind != "district" or target.is_superuser:
        return False
    org = target.organisation
    # An account holding a city or district role is never a district's to manage, wherever it is placed.
    return (org is not None and org.level in DISTRICT_MANAGED_LEVELS and org.district_id == scope.organisation_id
            and not any(ROLE_LEVEL.get(r) in (Level.CITY, Level.DISTRICT) for r in target.roles or []))


def assignable_organisation_q(actor) -> Q:
    """Q over :class:`Organisation` rows ``actor`` may place an account in."""
    scope = scope_for(actor)
    if scope.kind == "all":
        return Q(is_active=True)
    if scope.kind == "district":
        return Q(is_active=True, district_id=scope.organisation_id, level__in=DISTRICT_MANAGED_LEVELS)
    return Q(pk__in=[])


def _role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def check_assignment(actor, roles: list[str], organisation) -> None:
    """Raise ValidationError (by field, in Chinese) unless ``actor`` may give ``roles`` in ``organisation``."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        errors.setdefault("roles", []).append(gettext("未知角色：%(codes)s。") % {"codes": "、".join(unknown)})
    if not roles:
        errors.setdefault("roles", []).append(gettext("请至少选择一个角色。"))
    refused = [r for r in roles if r in Role.values and r not in grantable_roles(actor)]
    if refused:
        errors.setdefault("roles", []).append(
            gettext("您不能授予“%(roles)s”角色。") % {"roles": "、".join(_role_label(r) for r in refused)})
    if organisation is not None:
        from ..models import Organisation

        if not Organisation.objects.filter(assignable_organisation_q(actor), pk=organisation.pk).exists():
            errors.setdefault("organisation", []).append(
                gettext("组织“%(name)s”不在您的管辖范围内。") % {"name": organisation.name})
    for role in roles:
        level = ROLE_LEVEL.get(role)
        if level is None:
            continue
        if organisation is None or organisation.level != level:
            errors.setdefault("organisation", []).append(
                gettext("“%(role)s”角色须属于%(level)s组织，%(got)s。") % {
                    "role": _role_label(role), "level": Level(level).label,
                    "got": (gettext("所选组织“%(name)s”是%(level)s") % {
                        "name": organisation.name, "level": Level(organisation.level).label})
                    if organisation is not None else gettext("但未选择组织")})
    if errors:
        raise ValidationError(errors)


def temporary_password() -> str:
    """A random temporary password an official passes on to the account's owner (changed at first login)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))
