"""Expert review: assignments (refusing conflicts of interest), reviews with per-criterion scores, declarations."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ReviewStatus
from .calls import Application, Call


class ExpertAssignment(models.Model):
    """An expert assigned to review one application (checked against the conflict rules when made)."""

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                    related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT,
                               related_name="project_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("分配人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("分配时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专家分配")
        verbose_name_plural = _("专家分配")
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="assignment_unique_expert")]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}"


class Review(models.Model):
    """One expert's review of one assigned application: a score per rubric criterion, a total, comments."""

    assignment = models.OneToOneField(ExpertAssignment, verbose_name=_("专家分配"), on_delete=models.CASCADE,
                                      related_name="review")
    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                    related_name="reviews")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT,
                               related_name="project_reviews")
    status = models.CharField(_("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    total = models.DecimalField(_("加权总分"), max_digits=6, decimal_places=2, default=Decimal("0"))
    comment = models.TextField(_("总体意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["application", "expert"]
        # total at the end: the ranking reads every submitted review's id and total from the index alone.
        indexes = [models.Index(fields=["application", "status", "total"], name="review_application_total")]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}"


class ReviewScore(models.Model):
    """The score one review gives one criterion of the call's rubric (0 … the criterion's maximum)."""

    review = models.ForeignKey(Review, verbose_name=_("专家评审"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("评分项"), max_length=40)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("评语"), blank=True)

    class Meta:
        verbose_name = _("评分项得分")
        verbose_name_plural = _("评分项得分")
        ordering = ["review", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ConflictDeclaration(models.Model):
    """An expert's declared conflict of interest with an enterprise (for one call, or every call when blank)."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.CASCADE,
                               related_name="project_conflicts")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="expert_conflicts")
    call = models.ForeignKey(Call, verbose_name=_("申报批次"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="conflicts")
    reason = models.TextField(_("回避理由"))
    declared_at = models.DateTimeField(_("申报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("利益冲突声明")
        verbose_name_plural = _("利益冲突声明")
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.expert} · {self.enterprise}"
