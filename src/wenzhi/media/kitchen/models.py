"""Tables of the central kitchen (中央厨房): the story library (one master story, its channel versions and its
audited steps), citizen submissions and the authority's sensitive-word list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.models import DomainModel

from .choices import Channel, EventKind, MachineKind, Origin, StoryStatus, SubmissionStatus, WordLevel


class Story(DomainModel):
    """One master story (母稿) of the library: written by an editor, adopted from a citizen submission or drafted
    by the machine from Wenzhi's own data; its channel versions are drafted from it.

    A machine-written story keeps ``figures``: for every number it prints, the named query, its parameters and the
    text it showed; approval re-computes each one and is refused on any difference (``machine/check.py``).
    ``revision`` counts edits of the master, so a channel version drafted from an older master is shown as stale.
    """

    title = models.CharField(_("标题"), max_length=120)
    summary = models.TextField(_("导语"), max_length=500, blank=True)
    body = models.TextField(_("正文"))
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices, default=Origin.PROFESSIONAL,
                              db_index=True)
    machine_kind = models.CharField(_("机器稿类型"), max_length=24, choices=MachineKind.choices, blank=True)
    machine_params = models.JSONField(_("生成参数"), default=dict, blank=True)
    figures = models.JSONField(_("数据核对项"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=StoryStatus.choices, default=StoryStatus.DRAFT,
                              db_index=True)
    revision = models.PositiveIntegerField(_("母稿修订次数"), default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作者"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("送审人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="kitchen_story_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_machine(self) -> bool:
        return self.origin == Origin.MACHINE

    @property
    def editable(self) -> bool:
        return self.status == StoryStatus.DRAFT


class ChannelVersion(models.Model):
    """One channel's version of a story (网站、微信、微博、客户端推送、广播): drafted from the master under the
    channel's length rules (``channels.py``), then edited by hand (``edited``)."""

    story = models.ForeignKey(Story, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="versions")
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    summary = models.TextField(_("摘要"), max_length=500, blank=True)
    body = models.TextField(_("正文"))
    drafted_revision = models.PositiveIntegerField(_("依据的母稿修订"), default=1)
    edited = models.BooleanField(_("人工修改过"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("渠道稿")
        verbose_name_plural = _("渠道稿")
        ordering = ["story", "channel"]
        constraints = [models.UniqueConstraint(fields=["story", "channel"], name="kitchen_one_version_per_channel")]

    def __str__(self) -> str:
        return f"{self.story} · {self.get_channel_display()}"

    @property
    def stale(self) -> bool:
        """Drafted from an older master than the story's current one."""
        return self.drafted_revision < self.story.revision


class StoryEvent(models.Model):
    """One audited step of a story: created, edited, versions drafted or edited, sent to review, approved,
    returned, published, withdrawn, or a failed number check (naming the numbers)."""

    story = models.ForeignKey(Story, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=16, choices=EventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=StoryStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=StoryStatus.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("稿件操作记录")
        verbose_name_plural = _("稿件操作记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.story} {self.get_kind_display()}"


class Submission(models.Model):
    """A citizen's submission (用户生产): checked against the sensitive-word list when sent (a prohibited word
    refuses it, a word to watch is marked for the moderator), then adopted as a story draft or declined."""

    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), max_length=5000)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("投稿人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("投稿时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=12, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.PENDING, db_index=True)
    hits = models.JSONField(_("敏感词命中"), default=list, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True)
    story = models.OneToOneField(Story, verbose_name=_("采用为稿件"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="submission")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("市民投稿")
        verbose_name_plural = _("市民投稿")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SensitiveWord(models.Model):
    """One entry of the authority's sensitive-word list: a prohibited word (a text containing it cannot be
    submitted or published) or a word to watch (the moderator sees it marked)."""

    word = models.CharField(_("词语"), max_length=50, unique=True)
    level = models.CharField(_("级别"), max_length=8, choices=WordLevel.choices, default=WordLevel.REVIEW)
    category = models.CharField(_("类别"), max_length=40, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
