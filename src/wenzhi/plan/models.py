"""Tables of the plan tracker: the action plan's targets with their readings (the 2016 baseline and figures
officials record), and its ten key tasks with milestones and evidence."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.models import DomainModel

from .choices import Measure, TargetKind, TaskStatus

AMOUNT: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Target(DomainModel):
    """One target or monitored figure of the plan (e.g. 500 cinema screens by 2020), with where its live value
    comes from (``measure``, and ``indicator`` for statistics) and its baseline."""

    code = models.SlugField(_("代码"), max_length=48, unique=True)
    name = models.CharField(_("目标"), max_length=200)
    clause = models.CharField(_("计划条款"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=TargetKind.choices)
    measure = models.CharField(_("数据来源"), max_length=24, choices=Measure.choices)
    indicator = models.CharField(_("统计指标代码"), max_length=48, blank=True)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    horizon = models.PositiveSmallIntegerField(_("目标年份"))
    target_low = models.DecimalField(_("目标值（下限）"), null=True, blank=True, **AMOUNT)
    target_high = models.DecimalField(_("目标值（上限）"), null=True, blank=True, **AMOUNT)
    baseline_year = models.PositiveSmallIntegerField(_("基期年份"), null=True, blank=True)
    baseline_value = models.DecimalField(_("基期数值"), null=True, blank=True, **AMOUNT)
    note = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=100)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("规划目标")
        verbose_name_plural = _("规划目标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind in (TargetKind.COUNT, TargetKind.GROWTH) and self.target_low is None:
            errors["target_low"] = _("数量目标和增长目标须填写目标值")
        if self.target_low is not None and self.target_high is not None and self.target_high < self.target_low:
            errors["target_high"] = _("目标值上限不能小于下限")
        if self.measure.startswith("stat_") and not self.indicator:
            errors["indicator"] = _("统计来源须填写统计指标代码")
        if errors:
            raise ValidationError(errors)


class TargetReading(models.Model):
    """One recorded value of a target in a period: the plan's 2016 baseline (history) or a figure an official
    records where no live source exists (brands, qualitative targets: the value may be empty, the note says)."""

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="readings")
    period = models.CharField(_("期间"), max_length=8, help_text=_("年份如 2019，或季度如 2019Q3"))
    value = models.DecimalField(_("数值"), null=True, blank=True, **AMOUNT)
    note = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    is_baseline = models.BooleanField(_("基期数据"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("目标数据")
        verbose_name_plural = _("目标数据")
        ordering = ["target", "-period", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.target} {self.period}"


class Task(DomainModel):
    """One of the plan's ten key tasks (三(一)…(十)): who leads it, how far it is, and why."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    clause = models.CharField(_("计划条款"), max_length=20)
    title = models.CharField(_("任务"), max_length=200)
    lead_units = models.CharField(_("牵头单位"), max_length=300)
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED,
                              db_index=True)
    progress_note = models.TextField(_("进展情况"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.clause} {self.title}"


class Milestone(models.Model):
    """A dated step of a task; done when ``done_on`` is set."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任务节点")
        verbose_name_plural = _("任务节点")
        ordering = ["task", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class Evidence(models.Model):
    """What shows a task moving: a document, an event, a figure — recorded by an official with the date."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="evidence")
    happened_on = models.DateField(_("日期"))
    text = models.TextField(_("进展佐证"))
    link = models.CharField(_("文件或链接"), max_length=300, blank=True)
    district = models.ForeignKey("core.Organisation", verbose_name=_("填报区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("进展佐证")
        verbose_name_plural = _("进展佐证")
        ordering = ["task", "-happened_on", "-id"]

    def __str__(self) -> str:
        return self.text[:40]
