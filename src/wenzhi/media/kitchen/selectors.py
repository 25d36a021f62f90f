"""Reads of the central kitchen for a user: stories and versions for editors, the published website articles for
everyone, a citizen's own submissions, the moderation queue and the sensitive-word list."""

from __future__ import annotations

from django.db.models import QuerySet

from wenzhi.core.permissions import can

from .choices import Channel, StoryStatus, SubmissionStatus
from .machine.compose import writers
from .models import ChannelVersion, SensitiveWord, Story, StoryEvent, Submission


def story_list(*, user) -> QuerySet[Story]:
    """Every story for editors (the newsroom is city-wide); nothing for anyone else."""
    if not can(user, "story.view"):
        return Story.objects.none()
    return Story.objects.select_related("author", "approved_by")


def published_articles(*, user=None) -> QuerySet[ChannelVersion]:
    """The website articles of published stories, newest first (anyone may read them)."""
    return (ChannelVersion.objects.filter(channel=Channel.WEBSITE, story__status=StoryStatus.PUBLISHED,
                                          story__deleted_at__isnull=True)
            .select_related("story").order_by("-story__published_at", "-id"))


def story_events(story: Story) -> QuerySet[StoryEvent]:
    return story.events.select_related("actor")


def version_list(*, user) -> QuerySet[ChannelVersion]:
    if not can(user, "story.view"):
        return ChannelVersion.objects.none()
    return ChannelVersion.objects.select_related("story").filter(story__deleted_at__isnull=True)


def submission_list(*, user) -> QuerySet[Submission]:
    """Moderators: every submission; a citizen: their own; others: none."""
    qs = Submission.objects.select_related("submitted_by", "moderated_by", "story")
    if can(user, "submission.moderate"):
        return qs
    if can(user, "submission.view_own"):
        return qs.filter(submitted_by=user)
    return qs.none()


def pending_submissions(*, user) -> QuerySet[Submission]:
    return submission_list(user=user).filter(status=SubmissionStatus.PENDING)


def word_list(*, user) -> QuerySet[SensitiveWord]:
    if not can(user, "sensitive_word.view"):
        return SensitiveWord.objects.none()
    return SensitiveWord.objects.all()


def machine_kinds() -> list[dict]:
    """Each machine-written kind with its default parameters and whether the data it needs is here."""
    from .choices import MachineKind

    out = []
    for kind, writer in writers().items():
        ok, reason = writer.available()
        out.append({"kind": kind, "label": MachineKind(kind).label, "available": ok, "reason": reason,
                    "default": writer.default() if ok else {}})
    order = list(MachineKind.values)
    return sorted(out, key=lambda k: order.index(k["kind"]))
