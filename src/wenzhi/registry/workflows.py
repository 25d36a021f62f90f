"""The designation life cycle of a park or base (动态管理) as an explicit table: state → transition → roles.

Only the transitions declared here are possible (``services.park_transition``); each is dated, reasoned and
recorded as a :class:`~wenzhi.registry.models.ParkTransition` plus the park's own change history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role

from .choices import ParkLevel, ParkStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Transition:
    key: str
    label: StrOrPromise
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    changes_level: bool = False
    style: str = ""  # button style on the page: "", "secondary" or "danger"


S = ParkStatus
CITY = frozenset({Role.CITY_ADMIN})
PARK_TRANSITIONS: dict[str, Transition] = {t.key: t for t in (
    Transition("designate", _("评选命名"), frozenset({S.CANDIDATE}), S.DESIGNATED, CITY),
    Transition("warn", _("警告并限期整改"), frozenset({S.DESIGNATED, S.UPGRADED}), S.WARNED, CITY, style="secondary"),
    Transition("submit_rectification", _("提交整改报告"), frozenset({S.WARNED}), S.RECTIFYING,
               frozenset({Role.PARK_OPERATOR, Role.DISTRICT_OFFICER})),
    Transition("accept_rectification", _("整改复核通过"), frozenset({S.RECTIFYING}), S.DESIGNATED, CITY),
    Transition("reject_rectification", _("整改复核不通过"), frozenset({S.RECTIFYING}), S.WARNED, CITY,
               style="secondary"),
    Transition("upgrade", _("晋级"), frozenset({S.DESIGNATED, S.UPGRADED}), S.UPGRADED, CITY, changes_level=True),
    Transition("revoke", _("撤销命名"), frozenset({S.DESIGNATED, S.UPGRADED, S.WARNED, S.RECTIFYING}), S.REVOKED,
               CITY, style="danger"),
)}

# Upgrading moves a park one level up.
NEXT_LEVEL: dict[str, str] = {ParkLevel.DISTRICT: ParkLevel.MUNICIPAL, ParkLevel.MUNICIPAL: ParkLevel.NATIONAL}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in PARK_TRANSITIONS.values() if status in t.sources]


def allowed_transitions(park, user) -> list[Transition]:
    """Transitions ``user`` may take on ``park`` now (the caller has already checked the park is in scope)."""
    out = []
    for t in transitions_from(park.status):
        if t.changes_level and park.level not in NEXT_LEVEL:
            continue
        if user.is_superuser or user.has_role(*t.roles):
            out.append(t)
    return out
