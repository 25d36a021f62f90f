"""Tables of the district performance assessment: one scheme per year and its weighted indicators."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """What of an indicator's yearly figure is scored: its level, or its growth on the year before."""

    LEVEL = "level", _("总量")
    GROWTH = "growth", _("同比增速")


class AssessmentScheme(models.Model):
    """One year's assessment of the districts' cultural industry: which indicators count, with which weights."""

    year = models.PositiveIntegerField(_("考核年度"), unique=True,
                                       validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("绩效考核方案")
        verbose_name_plural = _("绩效考核方案")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name


class AssessmentItem(models.Model):
    """One indicator of a scheme with its measure and weight (the weights of a scheme add up to 100)."""

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE,
                               related_name="items")
    indicator = models.ForeignKey("statistics.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT,
                                  related_name="+")
    measure = models.CharField(_("考核内容"), max_length=8, choices=Measure.choices, default=Measure.LEVEL)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "indicator", "measure"],
                                               name="assessment_item_unique")]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.indicator} {self.get_measure_display()}"
