"""Tables of the quarterly bulletin: one row per bulletin of a period (draft → approved → issued, then frozen
with its DOCX and PDF archived), and its audited steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审核")
    ISSUED = "issued", _("已印发")


class BulletinEventKind(models.TextChoices):
    DRAFT = "draft", _("生成草稿")
    EDIT = "edit", _("修改")
    APPROVE = "approve", _("审核通过")
    REOPEN = "reopen", _("退回修改")
    CHECK_FAILED = "check_failed", _("核对未通过")
    ISSUE = "issue", _("印发")


class Bulletin(models.Model):
    """One quarterly bulletin (季度通报) of one period.

    ``paragraphs`` hold the text with placeholders ``{f3}``; ``figures`` hold, per placeholder, the named query,
    its parameters and the value it showed; ``rendered`` is the text as read (kept in step, and frozen at issue).
    An issued bulletin is never changed again: its DOCX and PDF are archived in ``docx`` and ``pdf``.
    """

    period = models.ForeignKey("statistics.Period", verbose_name=_("报告期"), on_delete=models.PROTECT,
                               related_name="bulletins")
    status = models.CharField(_("状态"), max_length=12, choices=BulletinStatus.choices,
                              default=BulletinStatus.DRAFT, db_index=True)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("文号序号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    paragraphs = models.JSONField(_("正文"), default=list)
    figures = models.JSONField(_("数据查询"), default=dict)
    charts = models.JSONField(_("图表"), default=list)
    rendered = models.JSONField(_("正文（显示）"), default=list)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("印发人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    docx = models.FileField(_("DOCX 存档"), upload_to="statistics/bulletins/", blank=True)
    pdf = models.FileField(_("PDF 存档"), upload_to="statistics/bulletins/", blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("统计通报")
        verbose_name_plural = _("统计通报")
        ordering = ["-year", "-period__start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], condition=models.Q(number__isnull=False),
                                    name="bulletin_unique_number"),
            models.UniqueConstraint(fields=["period"], condition=models.Q(status="issued"),
                                    name="bulletin_one_issued_per_period"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def frozen(self) -> bool:
        return self.status == BulletinStatus.ISSUED

    @property
    def document_number(self) -> str:
        """The 发文字号, e.g. 津文产统〔2018〕3号 (empty until issued)."""
        from .documents import number_text

        return number_text(self.year, self.number) if self.number else ""


class BulletinEvent(models.Model):
    """One audited step of a bulletin: drafted, edited, approved, reopened, a failed check (with the figures
    it named) or its issue."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("统计通报"), on_delete=models.CASCADE,
                                 related_name="events")
    kind = models.CharField(_("操作"), max_length=16, choices=BulletinEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("通报操作记录")
        verbose_name_plural = _("通报操作记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.bulletin} {self.get_kind_display()}"
