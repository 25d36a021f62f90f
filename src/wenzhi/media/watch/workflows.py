"""An alert's handling as an explicit table: state → step → target (新预警 → 已分派 → 已签收 → 已答复 → 已办结).

Only the steps declared here are possible (``services.alert_step``); each is timed and recorded as an
:class:`~wenzhi.media.watch.models.AlertStep` with its actor and comment. Who may take a step is the permission
action ``alert.<key>`` in the platform table (``permissions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .choices import AlertState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Step:
    key: str
    label: StrOrPromise
    sources: frozenset[str]
    target: str
    stamp: str = ""  # the alert's time field this step sets
    style: str = ""

    @property
    def action(self) -> str:
        """The permission action of this step (``alert.assign``, ...)."""
        return f"alert.{self.key}"


S = AlertState
OPEN = frozenset({S.NEW, S.ASSIGNED, S.ACKNOWLEDGED, S.ANSWERED})
ALERT_STEPS: dict[str, Step] = {s.key: s for s in (
    Step("assign", _("分派"), frozenset({S.NEW, S.ASSIGNED, S.ACKNOWLEDGED}), S.ASSIGNED, "assigned_at"),
    Step("acknowledge", _("签收"), frozenset({S.ASSIGNED}), S.ACKNOWLEDGED, "acknowledged_at"),
    Step("answer", _("答复"), frozenset({S.ACKNOWLEDGED, S.ANSWERED}), S.ANSWERED, "answered_at"),
    Step("close", _("办结"), frozenset({S.ANSWERED}), S.CLOSED, "closed_at"),
    Step("dismiss", _("排除（误报）"), frozenset({S.NEW, S.ASSIGNED, S.ACKNOWLEDGED}), S.CLOSED, "closed_at",
         style="secondary"),
    Step("reopen", _("重新打开"), frozenset({S.CLOSED}), S.NEW, style="secondary"),
)}


def steps_from(state: str) -> list[Step]:
    return [s for s in ALERT_STEPS.values() if state in s.sources]


def allowed_steps(alert, user) -> list[Step]:
    """Steps ``user`` may take on ``alert`` now: declared from its state, and allowed by the table."""
    from wenzhi.core.permissions import can

    return [s for s in steps_from(alert.state) if can(user, s.action, alert)]
