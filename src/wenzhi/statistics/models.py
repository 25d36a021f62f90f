"""Tables of statistics, after DHIS2: indicators (data elements), reporting forms (data sets) in versions,
periods, data values per organisation and period, submissions with their approval and lock, validation rules
and their results, and reminders to late reporters."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    Aggregation,
    Importance,
    IndicatorCategory,
    IndicatorSource,
    Operator,
    PeriodType,
    ReminderChannel,
    ReporterKind,
    SubmissionEventKind,
    SubmissionStatus,
    ValueKind,
)

code_validator = RegexValidator(r"^[a-z][a-z0-9_]{0,47}$", _("代码只能由小写字母、数字和下划线组成，且以字母开头。"))


class Indicator(models.Model):
    """One figure the authority collects or computes (DHIS2 data element): 增加值, screens, box office…"""

    code = models.CharField(_("代码"), max_length=48, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    kind = models.CharField(_("数值类型"), max_length=12, choices=ValueKind.choices, default=ValueKind.AMOUNT)
    aggregation = models.CharField(_("汇总方式"), max_length=12, choices=Aggregation.choices,
                                   default=Aggregation.SUM)
    decimals = models.PositiveSmallIntegerField(_("小数位数"), default=2, validators=[MaxValueValidator(4)])
    allow_negative = models.BooleanField(_("允许负值"), default=False)
    category = models.CharField(_("类别"), max_length=16, choices=IndicatorCategory.choices,
                                default=IndicatorCategory.ECONOMY)
    source = models.CharField(_("来源"), max_length=12, choices=IndicatorSource.choices,
                              default=IndicatorSource.ENTERED)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def display_name(self) -> str:
        """The name in the reader's language: the shipped catalogue's names have translations (an indicator an
        administrator adds shows as written)."""
        return gettext(self.name) if self.name else ""

    @property
    def display_unit(self) -> str:
        return gettext(self.unit) if self.unit else ""

    @property
    def label(self) -> str:
        if not self.unit:
            return self.display_name
        return gettext("%(name)s（%(unit)s）") % {"name": self.display_name, "unit": self.display_unit}

    @property
    def is_derived(self) -> bool:
        return self.source == IndicatorSource.DERIVED


class ReportingForm(models.Model):
    """One reporting form (DHIS2 data set): which indicators, how often, who reports, and its deadlines.

    Days count from the end of the period: the form opens ``open_days`` after it, a report is on time up to
    ``on_time_days`` and accepted up to ``close_days``. Changing the indicators makes a new :class:`FormVersion`;
    ``version`` is the current one's number.
    """

    code = models.CharField(_("代码"), max_length=48, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    period_type = models.CharField(_("报告期类型"), max_length=12, choices=PeriodType.choices,
                                   default=PeriodType.QUARTERLY)
    reporter_kind = models.CharField(_("填报单位"), max_length=12, choices=ReporterKind.choices,
                                     default=ReporterKind.DISTRICT)
    open_days = models.SmallIntegerField(_("开放填报（期末后天数）"), default=0,
                                         validators=[MinValueValidator(-31), MaxValueValidator(365)])
    on_time_days = models.PositiveSmallIntegerField(_("按时上报期限（期末后天数）"), default=15,
                                                    validators=[MaxValueValidator(365)])
    close_days = models.PositiveSmallIntegerField(_("关闭填报（期末后天数）"), default=45,
                                                  validators=[MaxValueValidator(730)])
    version = models.PositiveIntegerField(_("当前版本"), default=1)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报表")
        verbose_name_plural = _("报表")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return gettext(self.name) if self.name else ""

    def current_version(self) -> FormVersion:
        return self.versions.get(number=self.version)

    def indicators(self) -> list[Indicator]:
        """The current version's indicators in their order on the form."""
        return [fi.indicator for fi in FormIndicator.objects.filter(
            version__form=self, version__number=self.version).select_related("indicator").order_by("order", "id")]

    def deadline(self, period: Period) -> datetime.date:
        return period.end + datetime.timedelta(days=self.on_time_days)

    def opens(self, period: Period) -> datetime.date:
        return period.end + datetime.timedelta(days=self.open_days)

    def closes(self, period: Period) -> datetime.date:
        return period.end + datetime.timedelta(days=self.close_days)


class FormVersion(models.Model):
    """One version of a reporting form's indicator list; a sheet or submission names the version it used."""

    form = models.ForeignKey(ReportingForm, verbose_name=_("报表"), on_delete=models.CASCADE,
                             related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("修订说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报表版本")
        verbose_name_plural = _("报表版本")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class FormIndicator(models.Model):
    """One indicator's place on one version of a form."""

    version = models.ForeignKey(FormVersion, verbose_name=_("报表版本"), on_delete=models.CASCADE,
                                related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT,
                                  related_name="form_items")
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("报表指标")
        verbose_name_plural = _("报表指标")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "indicator"], name="form_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.version}: {self.indicator}"


class Period(models.Model):
    """One reporting period: a month (2018-07), a quarter (2018Q3) or a year (2018)."""

    code = models.CharField(_("代码"), max_length=8, unique=True)
    type = models.CharField(_("类型"), max_length=12, choices=PeriodType.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("报告期")
        verbose_name_plural = _("报告期")
        ordering = ["start", "type"]
        indexes = [models.Index(fields=["type", "start"], name="period_type_start")]

    def __str__(self) -> str:
        return self.code

    @property
    def year(self) -> int:
        return self.start.year


class DataValue(models.Model):
    """One figure: an indicator's value for one organisation (a district or an enterprise) in one period."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT,
                                  related_name="values")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("填报单位"), on_delete=models.PROTECT,
                                     related_name="+")
    # The district the organisation sits in (a district itself for district reports): what scoping uses.
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.PROTECT,
                                 related_name="+")
    period = models.ForeignKey(Period, verbose_name=_("报告期"), on_delete=models.PROTECT, related_name="values")
    form = models.ForeignKey(ReportingForm, verbose_name=_("报表"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    comment = models.CharField(_("说明"), max_length=500, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("数据值")
        verbose_name_plural = _("数据值")
        ordering = ["period__start", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["indicator", "organisation", "period"],
                                               name="datavalue_unique_cell")]
        indexes = [
            models.Index(fields=["indicator", "period"], name="datavalue_indicator_period"),
            models.Index(fields=["organisation", "period"], name="datavalue_org_period"),
            models.Index(fields=["district", "indicator"], name="datavalue_district_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.organisation} {self.period}: {self.value}"


class Submission(models.Model):
    """One organisation's report of one form for one period, and where it stands: draft → submitted →
    approved (and locked) or returned. Editing a locked period needs an unlock with a reason."""

    form = models.ForeignKey(ReportingForm, verbose_name=_("报表"), on_delete=models.PROTECT,
                             related_name="submissions")
    form_version = models.PositiveIntegerField(_("报表版本"), default=1)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("填报单位"), on_delete=models.PROTECT,
                                     related_name="+")
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.PROTECT,
                                 related_name="+")
    period = models.ForeignKey(Period, verbose_name=_("报告期"), on_delete=models.PROTECT,
                               related_name="submissions")
    status = models.CharField(_("状态"), max_length=12, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上报人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    on_time = models.BooleanField(_("按时上报"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    locked = models.BooleanField(_("已锁定"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报表上报")
        verbose_name_plural = _("报表上报")
        ordering = ["-period__start", "form", "district"]
        constraints = [models.UniqueConstraint(fields=["form", "organisation", "period"],
                                               name="submission_unique_report")]
        indexes = [models.Index(fields=["form", "period", "status"], name="submission_form_period")]

    def __str__(self) -> str:
        return f"{self.form} {self.organisation} {self.period}"


class SubmissionEvent(models.Model):
    """One audited step of a submission: submit, approve (which locks), return, or unlock with its reason."""

    submission = models.ForeignKey(Submission, verbose_name=_("报表上报"), on_delete=models.CASCADE,
                                   related_name="events")
    kind = models.CharField(_("操作"), max_length=12, choices=SubmissionEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.CharField(_("说明或原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("上报记录")
        verbose_name_plural = _("上报记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.submission} {self.get_kind_display()}"


class ValidationRule(models.Model):
    """A check over a report's figures (DHIS2 validation rule): ``left operator right``.

    Expressions are arithmetic over indicator codes, numbers and period offsets, e.g.
    ``above_scale_units <= units`` or ``abs(value_added - prev_quarter(value_added)) <= 0.5 *
    prev_quarter(value_added)``; they are parsed by :mod:`wenzhi.statistics.expressions`, never evaluated as
    Python. A rule applies to a report whose form holds every indicator its current-period terms name.
    """

    name = models.CharField(_("名称"), max_length=100)
    left = models.CharField(_("左侧表达式"), max_length=300)
    operator = models.CharField(_("比较"), max_length=2, choices=Operator.choices, default=Operator.LE)
    right = models.CharField(_("右侧表达式"), max_length=300)
    importance = models.CharField(_("重要程度"), max_length=8, choices=Importance.choices,
                                  default=Importance.ERROR)
    message = models.CharField(_("提示"), max_length=300)
    active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("校验规则")
        verbose_name_plural = _("校验规则")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_message(self) -> str:
        return gettext(self.message) if self.message else ""

    @property
    def display_name(self) -> str:
        return gettext(self.name) if self.name else ""


class ValidationResult(models.Model):
    """One rule a report breaks (kept until the figures satisfy it): the two sides' values, the indicator
    the cell error shows on, and for a warning the reporter's explanation."""

    rule = models.ForeignKey(ValidationRule, verbose_name=_("校验规则"), on_delete=models.CASCADE,
                             related_name="results")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("填报单位"), on_delete=models.CASCADE,
                                     related_name="+")
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.CASCADE,
                                 related_name="+")
    period = models.ForeignKey(Period, verbose_name=_("报告期"), on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    importance = models.CharField(_("重要程度"), max_length=8, choices=Importance.choices)
    left_value = models.DecimalField(_("左侧值"), max_digits=24, decimal_places=4, null=True, blank=True)
    right_value = models.DecimalField(_("右侧值"), max_digits=24, decimal_places=4, null=True, blank=True)
    comment = models.CharField(_("说明"), max_length=500, blank=True)
    commented_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("说明人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)

    class Meta:
        verbose_name = _("校验结果")
        verbose_name_plural = _("校验结果")
        ordering = ["period", "organisation", "rule"]
        constraints = [models.UniqueConstraint(fields=["rule", "organisation", "period"],
                                               name="validation_result_unique")]

    def __str__(self) -> str:
        return f"{self.rule} {self.organisation} {self.period}"

    @property
    def explained(self) -> bool:
        return bool(self.comment.strip())


class Reminder(models.Model):
    """One reminder sent to a late reporter about one form and period, in-app or by e-mail."""

    form = models.ForeignKey(ReportingForm, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, verbose_name=_("报告期"), on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("填报单位"), on_delete=models.CASCADE,
                                     related_name="+")
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.CASCADE,
                                 related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="statistics_reminders")
    channel = models.CharField(_("方式"), max_length=8, choices=ReminderChannel.choices)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发送人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(_("内容"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("催报提醒")
        verbose_name_plural = _("催报提醒")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="reminder_recipient_unread")]

    def __str__(self) -> str:
        return f"{self.form} {self.period} → {self.recipient}"


# The bulletin and the assessment keep their tables beside their code.
from .assessment.models import AssessmentItem, AssessmentScheme  # noqa: E402,F401
from .bulletin.models import Bulletin, BulletinEvent  # noqa: E402,F401
