"""Annual calls (申报批次) and the applications enterprises make to them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.choices import Level
from wenzhi.core.models import DomainModel

from ..choices import ApplicationStatus, CallLevel
from .library import money_field


class Call(DomainModel):
    """One yearly call for applications, at city level or for one district, with its rules and rubric.

    ``eligibility``: which checks an application must pass (``tianjin_credit_code``, ``no_overdue_report``,
    ``not_funded_same_project``: booleans). ``questions``: ``[{"key", "label", "required"}]``.
    ``attachments``: ``[{"key", "label", "types": ["pdf", ...], "max_mb", "required"}]``.
    ``rubric``: ``[{"key", "label", "weight", "max_score", "intelligence"}]`` (weights sum to 1).
    ``conflict_rules``: ``{"same_district": bool}`` — whether an expert of the applicant's district is refused.
    """

    name = models.CharField(_("批次名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    level = models.CharField(_("级别"), max_length=16, choices=CallLevel.choices, default=CallLevel.CITY)
    district = models.ForeignKey("core.Organisation", verbose_name=_("区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="district_calls",
                                 limit_choices_to={"level": Level.DISTRICT}, help_text=_("区级批次填写"))
    opens_at = models.DateTimeField(_("申报开始"))
    closes_at = models.DateTimeField(_("申报截止"))
    review_deadline = models.DateTimeField(_("评审截止"))
    description = models.TextField(_("申报指南"), blank=True)
    eligibility = models.JSONField(_("资格条件"), default=dict, blank=True)
    questions = models.JSONField(_("补充问题"), default=list, blank=True)
    attachments = models.JSONField(_("必交附件"), default=list, blank=True)
    rubric = models.JSONField(_("评分细则"), default=list)
    budget = money_field(_("预算（元）"), default=Decimal("0"))
    reviews_shared = models.BooleanField(_("专家间共享评审意见"), default=False)
    conflict_rules = models.JSONField(_("回避规则"), default=dict, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "-opens_at"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from ..rubric import rubric_errors

        errors: dict[str, object] = {}
        if self.level == CallLevel.DISTRICT and not self.district_id:
            errors["district"] = _("区级批次须选择区")
        if self.level == CallLevel.CITY and self.district_id:
            errors["district"] = _("市级批次不选区")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("申报截止须晚于申报开始")
        if self.closes_at and self.review_deadline and self.review_deadline < self.closes_at:
            errors["review_deadline"] = _("评审截止不能早于申报截止")
        problems = rubric_errors(self.rubric)
        if problems:
            errors["rubric"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.opens_at <= now <= self.closes_at


class Application(DomainModel):
    """One enterprise's application to a call for one project; a draft until submitted.

    ``version`` counts the decisive writes (submit, district review, decision): two officials acting on the
    same application at once — the second finds the version moved and is told (409).
    """

    call = models.ForeignKey(Call, verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("申报单位"), on_delete=models.PROTECT,
                                   related_name="applications")
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.PROTECT,
                                 related_name="district_applications", limit_choices_to={"level": Level.DISTRICT})
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="applications")
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("项目简介"), blank=True)
    planned_investment = money_field(_("计划总投资（元）"), default=Decimal("0"))
    requested_amount = money_field(_("申请资助金额（元）"), default=Decimal("0"))
    answers = models.JSONField(_("补充问题回答"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=24, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    district_opinion = models.TextField(_("区级初审意见"), blank=True)
    district_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("区级初审人"), null=True,
                                             blank=True, on_delete=models.SET_NULL, related_name="+")
    district_reviewed_at = models.DateTimeField(_("区级初审时间"), null=True, blank=True)
    intelligent_score = models.FloatField(_("智能化得分"), default=0.0)
    intelligent_evidence = models.JSONField(_("智能化证据"), default=list, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["call", "-submitted_at", "id"]
        indexes = [
            # deleted_at at the end: the ranking reads a call's ranked applications from the index alone.
            models.Index(fields=["call", "status", "deleted_at"], name="application_call_status_live"),
            models.Index(fields=["district", "call"], name="application_district_call"),
        ]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{filename}"


class ApplicationAttachment(models.Model):
    """One file attached to an application for one of the call's required attachment kinds."""

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                    related_name="files")
    kind = models.CharField(_("附件类型"), max_length=40)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["application", "kind"]

    def __str__(self) -> str:
        return self.original_name

    def clean(self) -> None:
        if not self.kind:
            raise ValidationError({"kind": _("请选择附件类型")})
