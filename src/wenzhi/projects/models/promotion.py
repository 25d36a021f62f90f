"""Export directory and promotion: the yearly key cultural-export project directory, the public showcase for
investors with their interest, and promotion fairs (推介会)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.models import DomainModel

from ..choices_funds import FairStatus
from .library import money_field


class ExportDirectory(DomainModel):
    """One year's key cultural-export project directory (文化出口重点项目目录)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("文化出口重点项目目录")
        verbose_name_plural = _("文化出口重点项目目录")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name


class ExportDirectoryEntry(models.Model):
    """A project listed in a year's export directory, with its target markets."""

    directory = models.ForeignKey(ExportDirectory, verbose_name=_("目录"), on_delete=models.CASCADE,
                                  related_name="entries")
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT,
                                related_name="export_entries")
    markets = models.CharField(_("目标市场"), max_length=200, blank=True)
    reason = models.TextField(_("列入理由"), blank=True)
    added_on = models.DateField(_("列入日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("出口目录项目")
        verbose_name_plural = _("出口目录项目")
        ordering = ["directory", "project__name"]
        constraints = [models.UniqueConstraint(fields=["directory", "project"], name="export_entry_unique")]

    def __str__(self) -> str:
        return f"{self.directory} {self.project}"


class ShowcaseEntry(models.Model):
    """A project presented to investors on the public showcase: pitch, money sought, whether it is shown."""

    project = models.OneToOneField("projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                   related_name="showcase")
    pitch = models.TextField(_("项目推介"))
    seeking = money_field(_("拟融资额（元）"), default=Decimal(0))
    published = models.BooleanField(_("公开展示"), default=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目展示")
        verbose_name_plural = _("项目展示")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.project)


class Fair(models.Model):
    """A promotion fair (推介会), e.g. the 京津冀 cultural-industry project fair, with its projects."""

    name = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    venue = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=FairStatus.choices, default=FairStatus.PLANNED)
    projects = models.ManyToManyField("projects.Project", verbose_name=_("推介项目"), blank=True,
                                      related_name="fairs")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        verbose_name = _("项目推介会")
        verbose_name_plural = _("项目推介会")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.name


class InvestorInterest(models.Model):
    """An investor's interest in a project, from the public showcase or at a fair; reaches owner and district."""

    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="interests")
    fair = models.ForeignKey(Fair, verbose_name=_("推介会"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="interests")
    investor_name = models.CharField(_("联系人"), max_length=100)
    organisation = models.CharField(_("投资机构"), max_length=200)
    email = models.EmailField(_("电子邮箱"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    amount = models.DecimalField(_("意向投资额（元）"), null=True, blank=True, max_digits=16, decimal_places=2,
                                 validators=[MinValueValidator(Decimal(0))])
    message = models.TextField(_("留言"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("投资意向")
        verbose_name_plural = _("投资意向")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.project}"
