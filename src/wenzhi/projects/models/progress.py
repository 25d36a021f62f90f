"""Progress and checks: quarterly progress reports, in-app messages, and application fingerprints for the
near-duplicate check."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices_funds import MessageKind, Quarter
from .library import money_field


def evidence_path(instance: ProgressReport, filename: str) -> str:
    return f"progress/{instance.project_id}/{instance.year}q{instance.quarter}/{filename}"


class ProgressReport(models.Model):
    """One project's report for one quarter: investment completed in the quarter, progress, milestone evidence."""

    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="progress_reports")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=Quarter.choices)
    investment_completed = money_field(_("本季度完成投资（元）"), default=Decimal(0))
    progress = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    milestone = models.ForeignKey("projects.Milestone", verbose_name=_("完成节点"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="progress_reports")
    evidence = models.FileField(_("节点佐证材料"), upload_to=evidence_path, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("填报时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("项目进度报告")
        verbose_name_plural = _("项目进度报告")
        ordering = ["-year", "-quarter", "project"]
        constraints = [models.UniqueConstraint(fields=["project", "year", "quarter"],
                                               name="progress_report_one_per_quarter")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}Q{self.quarter}"


class InboxMessage(models.Model):
    """An in-app message to every user of one organisation (an enterprise, a district): reminders, warnings,
    investor interest. The same text goes out by e-mail through Django's mail backend."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("接收单位"), on_delete=models.CASCADE,
                                     related_name="project_messages")
    kind = models.CharField(_("类型"), max_length=16, choices=MessageKind.choices, db_index=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="messages")
    dedup_key = models.CharField(_("去重键"), max_length=80, blank=True, db_index=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class ApplicationFingerprint(models.Model):
    """What the near-duplicate check stores of one application (``wenzhi.projects.duplicates.Fingerprint``)."""

    application = models.OneToOneField("projects.Application", verbose_name=_("申报"), on_delete=models.CASCADE,
                                       related_name="fingerprint")
    canonical = models.TextField(_("规范化文本"))
    signature = models.BinaryField(_("MinHash 签名"))
    text_hash = models.CharField(_("文本摘要"), max_length=40, db_index=True)

    class Meta:
        verbose_name = _("申报文本指纹")
        verbose_name_plural = _("申报文本指纹")

    def __str__(self) -> str:
        return str(self.application_id)


class FingerprintBand(models.Model):
    """One LSH band key of an application's fingerprint: equal keys make two applications candidates."""

    fingerprint = models.ForeignKey(ApplicationFingerprint, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(_("分段键"), db_index=True)

    class Meta:
        verbose_name = _("指纹分段")
        verbose_name_plural = _("指纹分段")

    def __str__(self) -> str:
        return str(self.key)
