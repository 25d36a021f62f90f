"""The designation life cycle of a park or base (动态管理) as an explicit table: state → transition → roles.

Only the transitions declared here are possible (``services.park_transition``); each is dated, reasoned and
recorded as a :class:`~wenzhi.registry.models.ParkTransition` plus the park's own change history.

Who may take a step is not written here: each step is the permission action ``park.<key>`` in the platform
table (declared in ``registry/permissions.py``), so pages, the API, the buttons and the service ask one gate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import ParkLevel, ParkStatus


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    sources: frozenset[str]
    target: str
    changes_level: bool = False
    style: str = ""  # button style on the page: "", "secondary" or "danger"

    @property
    def action(self) -> str:
        """The permission action of this step (``park.warn``, ...): its roles and scope live in the table."""
        return f"park.{self.key}"


S = ParkStatus
PARK_TRANSITIONS: dict[str, Transition] = {t.key: t for t in (
    Transition("designate", _("评选命名"), frozenset({S.CANDIDATE}), S.DESIGNATED),
    Transition("warn", _("警告并限期整改"), frozenset({S.DESIGNATED, S.UPGRADED}), S.WARNED, style="secondary"),
    Transition("submit_rectification", _("提交整改报告"), frozenset({S.WARNED}), S.RECTIFYING),
    Transition("accept_rectification", _("整改复核通过"), frozenset({S.RECTIFYING}), S.DESIGNATED),
    Transition("reject_rectification", _("整改复核不通过"), frozenset({S.RECTIFYING}), S.WARNED, style="secondary"),
    # The warned park put things right without a formal rectification round: the city lifts the warning.
    Transition("lift_warning", _("解除警告"), frozenset({S.WARNED}), S.DESIGNATED),
    Transition("upgrade", _("晋级"), frozenset({S.DESIGNATED, S.UPGRADED}), S.UPGRADED, changes_level=True),
    Transition("revoke", _("撤销命名"), frozenset({S.DESIGNATED, S.UPGRADED, S.WARNED, S.RECTIFYING}), S.REVOKED,
               style="danger"),
)}

# Upgrading moves a park one level up.
NEXT_LEVEL = {ParkLevel.DISTRICT: ParkLevel.MUNICIPAL, ParkLevel.MUNICIPAL: ParkLevel.NATIONAL}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in PARK_TRANSITIONS.values() if status in t.sources]


def allowed_transitions(park, user) -> list[Transition]:
    """Transitions ``user`` may take on ``park`` now: declared from its status, and allowed by the table."""
    from wenzhi.core.permissions import can

    out = []
    for t in transitions_from(park.status):
        if t.changes_level and park.level not in NEXT_LEVEL:
            continue
        if can(user, t.action, park):
            out.append(t)
    return out
