"""The story workflow as a declared table: state → transition → the permission action that allows it.

草稿 → 待审核 → 已审核 → 已发布, with 退回 (back to draft from review or approved) and 撤回 (a published story
taken down). Only these transitions exist; each is audited with actor, time and comment (``StoryEvent``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import EventKind, StoryStatus

S = StoryStatus


@dataclass(frozen=True)
class Transition:
    key: str
    label: object
    sources: tuple[str, ...]
    target: str
    action: str
    event: str
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {t.key: t for t in (
    Transition("submit", _("送审"), (S.DRAFT,), S.REVIEW, "story.submit", EventKind.SUBMIT),
    Transition("approve", _("审核通过"), (S.REVIEW,), S.APPROVED, "story.approve", EventKind.APPROVE),
    Transition("return", _("退回修改"), (S.REVIEW, S.APPROVED), S.DRAFT, "story.approve", EventKind.RETURN,
               needs_comment=True),
    Transition("publish", _("发布"), (S.APPROVED,), S.PUBLISHED, "story.publish", EventKind.PUBLISH),
    Transition("withdraw", _("撤回"), (S.PUBLISHED,), S.WITHDRAWN, "story.withdraw", EventKind.WITHDRAW,
               needs_comment=True),
)}


def available(status: str) -> list[Transition]:
    """The transitions out of ``status``, in the table's order."""
    return [t for t in TRANSITIONS.values() if status in t.sources]
