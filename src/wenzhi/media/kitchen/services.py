"""Every write of the central kitchen: keyword-only, permission-checked, validated, one transaction, audited.

Stories: create (professional), draft from a citizen submission or by the machine, edit the master (a draft
only), draft and edit channel versions (length rules), move through the workflow (``workflows.py``). Approval
of a machine-written story re-computes every number first and is refused, naming each, on any difference.
Submissions: a prohibited word refuses one when sent; moderators adopt or decline. The sensitive-word list is
the city's to keep.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core.exceptions import check_version
from wenzhi.core.permissions import require
from wenzhi.core.services import audited_save

from . import channels, moderation
from .choices import Channel, EventKind, Origin, StoryStatus, SubmissionStatus, WordLevel
from .machine.check import check_story
from .machine.compose import writers
from .machine.figures import NoData
from .models import ChannelVersion, SensitiveWord, Story, StoryEvent, Submission
from .workflows import TRANSITIONS

STORY_FIELDS = ("title", "summary", "body")
LABELS = {"title": _("标题"), "summary": _("导语"), "body": _("正文")}
WORD_FIELDS = ("word", "level", "category", "note", "is_active")


def _event(story: Story, *, kind: str, actor, comment: str = "", from_status: str = "", to_status: str = "") -> None:
    StoryEvent.objects.create(story=story, kind=kind, actor=actor, comment=comment, from_status=from_status,
                              to_status=to_status)


def _blocked(texts: list[str], where: str) -> None:
    words = moderation.blocking(moderation.scan(*texts))
    if words:
        raise ValidationError({where: gettext("含有禁用词：%(words)s。请修改后再提交。") % {"words": "、".join(words)}})


def _draft_versions(story: Story, *, actor, overwrite_edited: bool) -> list[str]:
    """(Re)draft each channel's version from the master; an edited version is kept unless ``overwrite_edited``."""
    existing = {v.channel: v for v in story.versions.all()}
    drafted = []
    for channel in Channel.values:
        version = existing.get(channel)
        if version is not None and version.edited and not overwrite_edited:
            continue
        fields = channels.draft(channel, title=story.title, summary=story.summary, body=story.body)
        version = version or ChannelVersion(story=story, channel=channel)
        version.title, version.summary, version.body = fields["title"], fields["summary"], fields["body"]
        version.drafted_revision, version.edited, version.updated_by = story.revision, False, actor
        audited_save(version, actor=actor, reason=gettext("由母稿生成"))
        drafted.append(str(Channel(channel).label))
    return drafted


def _new_story(*, actor, title: str, summary: str, body: str, origin: str, is_demo: bool = False, **extra) -> Story:
    story = Story(title=title.strip(), summary=summary.strip(), body=body.strip(), origin=origin, author=actor,
                  is_demo=is_demo, **extra)
    audited_save(story, actor=actor, reason=gettext("新建稿件"))
    _event(story, kind=EventKind.CREATE, actor=actor, to_status=story.status,
           comment=str(Origin(origin).label))
    _draft_versions(story, actor=actor, overwrite_edited=False)
    return story


def story_create(*, actor, title: str, summary: str = "", body: str, is_demo: bool = False) -> Story:
    """A professional master story (draft) with every channel's version drafted from it."""
    require(actor, "story.add")
    with transaction.atomic(durable=True):
        return _new_story(actor=actor, title=title, summary=summary, body=body, origin=Origin.PROFESSIONAL,
                          is_demo=is_demo)


def story_update(*, actor, story: Story, data: dict, version: str = "") -> Story:
    """Edit the master of a draft; any change counts a new revision (channel versions then show as stale)."""
    require(actor, "story.change", story)
    unknown = sorted(set(data) - set(STORY_FIELDS))
    if unknown:
        raise ValidationError({key: gettext("此字段不能在这里修改。") for key in unknown})
    with transaction.atomic(durable=True):
        locked = Story.objects.select_for_update().get(pk=story.pk)
        check_version(locked, version, what=gettext("稿件“%(title)s”") % {"title": locked.title})
        if locked.status != StoryStatus.DRAFT:
            raise ValidationError({"status": gettext("只有草稿可以修改；请先退回修改。")})
        changed = [k for k, v in data.items() if getattr(locked, k) != (v.strip() if isinstance(v, str) else v)]
        if not changed:
            return locked
        for key in changed:
            setattr(locked, key, data[key].strip())
        locked.revision += 1
        audited_save(locked, actor=actor, reason=gettext("修改母稿"))
        _event(locked, kind=EventKind.EDIT, actor=actor, comment="、".join(str(LABELS[k]) for k in changed))
    return locked


def versions_redraft(*, actor, story: Story, overwrite_edited: bool = False) -> list[str]:
    """Draft the channel versions again from the current master (a draft only); returns the channels drafted."""
    require(actor, "story.change", story)
    with transaction.atomic(durable=True):
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.DRAFT:
            raise ValidationError({"status": gettext("只有草稿可以重新生成渠道稿。")})
        drafted = _draft_versions(locked, actor=actor, overwrite_edited=overwrite_edited)
        _event(locked, kind=EventKind.VERSIONS, actor=actor, comment="、".join(drafted))
    return drafted


def version_update(*, actor, version: ChannelVersion, title: str, summary: str, body: str,
                   token: str = "") -> ChannelVersion:
    """Edit one channel's version of a draft story, within the channel's length rules (refused naming the rule)."""
    require(actor, "story.change", version.story)
    title, summary, body = title.strip(), summary.strip(), body.strip()
    with transaction.atomic(durable=True):
        locked = ChannelVersion.objects.select_for_update().select_related("story").get(pk=version.pk)
        check_version(locked, token, what=gettext("渠道稿“%(v)s”") % {"v": locked})
        if locked.story.status != StoryStatus.DRAFT:
            raise ValidationError({"status": gettext("只有草稿可以修改；请先退回修改。")})
        rule = channels.rule(locked.channel)
        if not rule.has_title:
            title = ""
        if not rule.has_summary:
            summary = ""
        problems = channels.length_problems(locked.channel, title=title, summary=summary, body=body)
        if problems:
            raise ValidationError(problems)
        if (locked.title, locked.summary, locked.body) == (title, summary, body):
            return locked
        locked.title, locked.summary, locked.body = title, summary, body
        locked.edited, locked.updated_by = True, actor
        audited_save(locked, actor=actor, reason=gettext("修改渠道稿"))
        _event(locked.story, kind=EventKind.VERSION_EDIT, actor=actor, comment=locked.get_channel_display())
    return locked


def _ready_to_leave_draft(story: Story) -> None:
    """Every channel version within its rules and drafted from the current master."""
    problems: dict[str, list[str]] = {}
    for v in story.versions.all():
        for message in channels.length_problems(v.channel, title=v.title, summary=v.summary, body=v.body).values():
            problems.setdefault("versions", []).append(message)
        if v.stale:
            problems.setdefault("versions", []).append(
                gettext("%(channel)s依据的是旧版母稿，请重新生成或核对后保存。") % {"channel": v.get_channel_display()})
    if problems:
        raise ValidationError(problems)


def _approve_checks(actor, story: Story) -> None:
    if story.submitted_by_id is not None and actor is not None and story.submitted_by_id == actor.pk \
            and not story.is_machine:
        raise ValidationError({"status": gettext("送审人不能审核自己送审的稿件，请由另一位编辑审核。")})
    if story.is_machine:
        problems = check_story(story)
        if problems:
            text = "；".join(p.message for p in problems)
            with transaction.atomic():
                _event(story, kind=EventKind.CHECK_FAILED, actor=actor, comment=text)
            raise ValidationError({"figures": [p.message for p in problems]})


def story_transition(*, actor, story: Story, transition: str, comment: str = "") -> Story:
    """Take one declared workflow step (send to review, approve, return, publish, withdraw), audited.

    Leaving a draft needs every channel version within its rules; approving a machine-written story needs every
    number to agree with the data (a failed check is recorded and names each number); publishing needs no
    prohibited word in any version; approving is for an editor other than the one who sent it to review."""
    step = TRANSITIONS.get(transition)
    if step is None:
        raise ValidationError({"transition": gettext("没有“%(t)s”这一步骤。") % {"t": transition}})
    require(actor, step.action, story)
    if step.needs_comment and not comment.strip():
        raise ValidationError({"comment": gettext("%(step)s需要写明理由。") % {"step": step.label}})
    current = Story.objects.get(pk=story.pk)
    if current.status not in step.sources:
        raise ValidationError({"status": gettext("稿件当前为“%(s)s”，不能%(step)s。") % {
            "s": current.get_status_display(), "step": step.label}})
    if transition == "submit":
        _ready_to_leave_draft(current)
    if transition == "approve":
        _approve_checks(actor, current)
    if transition == "publish":
        _blocked([t for v in current.versions.all() for t in (v.title, v.summary, v.body)], "versions")
    with transaction.atomic(durable=True):
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status != current.status:
            raise ValidationError({"status": gettext("稿件状态已被他人改变，请刷新后重试。")})
        before, locked.status = locked.status, step.target
        now = timezone.now()
        if transition == "submit":
            locked.submitted_by = actor
        elif transition == "approve":
            locked.approved_by, locked.approved_at = actor, now
        elif transition == "publish":
            locked.published_at = now
        elif transition == "return":
            locked.approved_by, locked.approved_at = None, None
        audited_save(locked, actor=actor, reason=str(step.label))
        _event(locked, kind=step.event, actor=actor, comment=comment.strip(), from_status=before,
               to_status=locked.status)
    return locked


def machine_story_draft(*, actor, kind: str, params: dict, is_demo: bool = False) -> Story:
    """Draft a machine-written story (机器生成) of ``kind`` from the data now; it then needs an editor's approval.

    Refused, with the reason, for a kind whose data is not there (e.g. the cinema report before cinema data)."""
    require(actor, "story.machine_draft")
    writer = writers().get(kind)
    if writer is None:
        raise ValidationError({"kind": gettext("没有“%(k)s”这类机器稿。") % {"k": kind}})
    ok, reason = writer.available()
    if not ok:
        raise ValidationError({"kind": reason})
    raw = {**writer.default(), **{k: v for k, v in params.items() if v not in (None, "")}}
    if kind == "opinion_digest":
        raw["reader"] = getattr(actor, "pk", None)
    parsed = writer.parse(raw)
    try:
        draft = writer.compose(parsed)
    except NoData as exc:
        raise ValidationError({"kind": str(exc)}) from exc
    with transaction.atomic(durable=True):
        return _new_story(actor=actor, title=draft.title, summary=draft.summary, body=draft.body,
                          origin=Origin.MACHINE, machine_kind=kind, machine_params=draft.params,
                          figures=[f.as_dict() for f in draft.figures], is_demo=is_demo)


def submission_create(*, actor, title: str, body: str, contact: str = "", is_demo: bool = False) -> Submission:
    """A citizen's submission, checked against the sensitive-word list in one pass (Aho-Corasick): a prohibited
    word refuses it naming the word; words to watch are kept with it for the moderator."""
    require(actor, "submission.create")
    title, body = title.strip(), body.strip()
    words = moderation.current_list()
    hits = [dict(h.as_dict(), field="title") for h in words.find(title)]
    hits += [dict(h.as_dict(), field="body") for h in words.find(body)]
    blocked = list(dict.fromkeys(h["word"] for h in hits if h["level"] == WordLevel.BLOCK))
    if blocked:
        raise ValidationError({"body": gettext("投稿含有禁用词：%(words)s。请修改后再提交。") % {
            "words": "、".join(blocked)}})
    submission = Submission(title=title, body=body, contact=contact.strip(), submitted_by=actor, hits=hits,
                            is_demo=is_demo)
    with transaction.atomic(durable=True):
        submission.full_clean()
        submission.save()
    return submission


def submission_moderate(*, actor, submission: Submission, accept: bool, reason: str = "") -> Submission:
    """Adopt a pending submission as a story draft (用户生产) or decline it with a reason; audited on the row."""
    require(actor, "submission.moderate", submission)
    if not accept and not reason.strip():
        raise ValidationError({"reason": gettext("不采用时请写明理由。")})
    with transaction.atomic(durable=True):
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != SubmissionStatus.PENDING:
            raise ValidationError({"status": gettext("该投稿已审核（%(s)s）。") % {"s": locked.get_status_display()}})
        locked.moderated_by, locked.moderated_at, locked.reason = actor, timezone.now(), reason.strip()
        if accept:
            locked.status = SubmissionStatus.ACCEPTED
            locked.story = _new_story(actor=actor, title=locked.title, summary="", body=locked.body,
                                      origin=Origin.USER, is_demo=locked.is_demo)
        else:
            locked.status = SubmissionStatus.REJECTED
        locked.save()
    return locked


def sensitive_word_save(*, actor, word: SensitiveWord | None = None, data: dict) -> SensitiveWord:
    """Add a word to the list or change one (city only); the change is kept in the word's history."""
    require(actor, "sensitive_word.manage", word)
    unknown = sorted(set(data) - set(WORD_FIELDS))
    if unknown:
        raise ValidationError({key: gettext("此字段不能在这里修改。") for key in unknown})
    with transaction.atomic(durable=True):
        row = SensitiveWord.objects.select_for_update().get(pk=word.pk) if word else SensitiveWord()
        data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        changed = [k for k, v in data.items() if getattr(row, k) != v]
        if row.pk and not changed:
            return row
        for key in changed:
            setattr(row, key, data[key])
        if not moderation.fold(row.word)[0]:
            raise ValidationError({"word": gettext("词语不能只有空格或标点。")})
        audited_save(row, actor=actor, reason=gettext("维护敏感词表"))
    return row


def sensitive_words_add(*, actor, text: str, level: str, category: str = "") -> int:
    """Add many words at once (one a line, or separated by commas); words already listed are left as they are."""
    require(actor, "sensitive_word.manage")
    if level not in WordLevel.values:
        raise ValidationError({"level": gettext("级别不存在。")})
    words = [w.strip() for line in text.splitlines() for w in line.replace("，", ",").split(",") if w.strip()]
    if not words:
        raise ValidationError({"text": gettext("请至少填写一个词语。")})
    too_long = [w for w in words if len(w) > 50]
    if too_long:
        raise ValidationError({"text": gettext("词语过长（最多 50 字）：%(w)s") % {"w": "、".join(too_long[:5])}})
    with transaction.atomic(durable=True):
        have = set(SensitiveWord.objects.filter(word__in=words).values_list("word", flat=True))
        new = [SensitiveWord(word=w, level=level, category=category.strip()) for w in dict.fromkeys(words)
               if w not in have and moderation.fold(w)[0]]
        for row in new:
            audited_save(row, actor=actor, reason=gettext("批量添加敏感词"))
    return len(new)
