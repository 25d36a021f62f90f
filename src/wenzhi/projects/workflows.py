"""A project's stage life cycle (储备 → 培育 → 在建 → 建成, or 终止) as an explicit table: stage → step → target.

Only the steps declared here are possible (``services.project_transition``); each is dated, reasoned and
recorded as a :class:`~wenzhi.projects.models.ProjectTransition` plus the project's change history. Who may
take a step is the permission action ``project.<key>`` in the platform table (``projects/permissions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .choices import Stage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Transition:
    key: str
    label: StrOrPromise
    sources: frozenset[str]
    target: str
    style: str = ""  # button style: "", "secondary" or "danger"

    @property
    def action(self) -> str:
        """The permission action of this step (``project.start_construction``, ...)."""
        return f"project.{self.key}"


S = Stage
LIVE = frozenset({S.RESERVE, S.INCUBATING, S.UNDER_CONSTRUCTION})
PROJECT_TRANSITIONS: dict[str, Transition] = {t.key: t for t in (
    Transition("incubate", _("转入培育"), frozenset({S.RESERVE}), S.INCUBATING),
    Transition("start_construction", _("开工建设"), frozenset({S.RESERVE, S.INCUBATING}), S.UNDER_CONSTRUCTION),
    Transition("complete", _("建成"), frozenset({S.UNDER_CONSTRUCTION}), S.COMPLETED),
    Transition("back_to_reserve", _("退回储备"), frozenset({S.INCUBATING}), S.RESERVE, style="secondary"),
    Transition("terminate", _("终止项目"), LIVE, S.TERMINATED, style="danger"),
)}


def transitions_from(stage: str) -> list[Transition]:
    return [t for t in PROJECT_TRANSITIONS.values() if stage in t.sources]


def allowed_transitions(project, user) -> list[Transition]:
    """Steps ``user`` may take on ``project`` now: declared from its stage, and allowed by the table."""
    from wenzhi.core.permissions import can

    return [t for t in transitions_from(project.stage) if can(user, t.action, project)]
