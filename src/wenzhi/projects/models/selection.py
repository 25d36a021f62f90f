"""Selection and publication: decisions, the public notice (公示) with objections, the final list."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import NoticeStatus, Outcome
from .calls import Application, Call


class Decision(models.Model):
    """The decision on one application: city key, district key, reserve or rejected, with its reason."""

    application = models.OneToOneField(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                       related_name="decision")
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, db_index=True)
    reason = models.TextField(_("理由"))
    score = models.DecimalField(_("评审得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("入选决定")
        verbose_name_plural = _("入选决定")
        ordering = ["application__call", "rank"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_outcome_display()}"


class PublicNotice(models.Model):
    """A call's public notice (公示): the selected list with an objection period, then the final publication."""

    call = models.OneToOneField(Call, verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="notice")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("公示说明"), blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    opens_on = models.DateField(_("公示开始"))
    closes_on = models.DateField(_("公示结束"))
    status = models.CharField(_("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    published_at = models.DateTimeField(_("正式发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-opens_on"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("公示结束日期早于开始日期")})

    @property
    def objection_open(self) -> bool:
        today = timezone.localdate()
        return self.status == NoticeStatus.OPEN and self.opens_on <= today <= self.closes_on


class Objection(models.Model):
    """An objection (异议) to a notice, about one listed application, recorded and answered by the city."""

    notice = models.ForeignKey(PublicNotice, verbose_name=_("公示"), on_delete=models.CASCADE,
                               related_name="objections")
    application = models.ForeignKey(Application, verbose_name=_("涉及项目"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="objections")
    name = models.CharField(_("异议人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    answer = models.TextField(_("答复"), blank=True)
    upheld = models.BooleanField(_("异议成立"), default=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # An upheld objection about a listed project changes its decision in the same step: from what, to what.
    revised_from = models.CharField(_("原决定"), max_length=16, choices=Outcome.choices, blank=True)
    revised_to = models.CharField(_("改为"), max_length=16, choices=Outcome.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.notice} · {self.name}"
