"""Tables of the registry: enterprises and their yearly figures, parks and bases with their evaluations and
designation life cycle, talents and training, directories (名录) and the shipped reference classifications."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.choices import Level
from wenzhi.core.models import DomainModel

from . import reference
from .choices import (
    ClassificationSource,
    DirectoryKind,
    EvaluationOutcome,
    Gender,
    Ownership,
    ParkKind,
    ParkLevel,
    ParkStatus,
    Sector,
    TalentCategory,
    TalentProgramme,
    TrainingTeam,
)
from .constants import ENTERPRISE_TAGS
from .validators import normalise_name, validate_industry_code, validate_uscc

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class IndustryCode(models.Model):
    """One code of GB/T 4754-2017 (门类, 大类, 中类 or 小类), with its place in the 2018 culture classification."""

    class Inclusion(models.TextChoices):
        FULL = "full", _("全部属于文化产业")
        PARTIAL = "partial", _("部分属于（依经营范围）")
        NONE = "", _("不属于")

    code = models.CharField(_("代码"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("层级"), db_index=True)
    level_name = models.CharField(_("层级名称"), max_length=8)
    name = models.CharField(_("名称"), max_length=200)
    section = models.CharField(_("门类"), max_length=1, db_index=True)
    division = models.CharField(_("大类"), max_length=2, blank=True)
    group = models.CharField(_("中类"), max_length=3, blank=True)
    description = models.TextField(_("说明"), blank=True)
    culture_inclusion = models.CharField(_("文化产业归属"), max_length=8, blank=True, choices=Inclusion.choices,
                                         db_index=True)
    culture_subcategory = models.CharField(_("文化产业中类"), max_length=3, blank=True, db_index=True)
    partial_keywords = models.CharField(_("经营范围关键词"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("国民经济行业分类代码")
        verbose_name_plural = _("国民经济行业分类代码")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CultureCategory(models.Model):
    """One 大类 (2-digit) or 中类 (3-digit) of the 2018 culture and related industries classification."""

    code = models.CharField(_("代码"), max_length=3, unique=True)
    level = models.CharField(_("层级"), max_length=4)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey("self", verbose_name=_("大类"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    domain = models.CharField(_("领域"), max_length=16)

    class Meta:
        verbose_name = _("文化及相关产业分类")
        verbose_name_plural = _("文化及相关产业分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def _org_level(level: str):
    return {"level": level}


_LIVE = models.Q(deleted_at__isnull=True)  # the condition of the partial list indexes


class Enterprise(DomainModel):
    """One cultural enterprise or unit (文化企业/单位) registered in Tianjin."""

    name = models.CharField(_("企业名称"), max_length=200)
    name_key = models.CharField(_("名称查重键"), max_length=200, db_index=True, editable=False, blank=True,
                                help_text=_("normalise_name(name)，用于查重"))
    former_names = models.JSONField(_("曾用名"), default=list, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.PROTECT,
                                 related_name="district_enterprises", limit_choices_to=_org_level(Level.DISTRICT),
                                 db_index=False)  # covered by enterprise_district_name
    park = models.ForeignKey("core.Organisation", verbose_name=_("所在园区"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="park_enterprises",
                             limit_choices_to=_org_level(Level.PARK), db_index=False)  # enterprise_park_name
    organisation = models.OneToOneField("core.Organisation", verbose_name=_("企业账号组织"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="enterprise",
                                        limit_choices_to=_org_level(Level.ENTERPRISE))
    address = models.CharField(_("注册地址"), max_length=300, blank=True)
    legal_form = models.CharField(_("企业类型"), max_length=100, blank=True, help_text=_("如 有限责任公司、股份有限公司"))
    ownership = models.CharField(_("所有制"), max_length=16, choices=Ownership.choices, blank=True, db_index=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    industry_code = models.CharField(_("行业代码"), max_length=4, blank=True, db_index=True,
                                     validators=[validate_industry_code], help_text=_("GB/T 4754-2017 小类，4 位"))
    culture_category = models.CharField(_("文化产业大类"), max_length=2, blank=True)  # enterprise_live_category_own
    culture_subcategory = models.CharField(_("文化产业中类"), max_length=3, blank=True, db_index=True)
    classification_source = models.CharField(_("归类依据"), max_length=24, choices=ClassificationSource.choices,
                                             blank=True)
    classification_evidence = models.JSONField(_("归类证据"), default=dict, blank=True)
    classification_override = models.BooleanField(_("人工认定"), default=False)
    classification_override_reason = models.TextField(_("人工认定理由"), blank=True)
    sector = models.CharField(_("产业门类"), max_length=24, choices=Sector.choices, blank=True)  # enterprise_live_sector*
    business_scope = models.TextField(_("经营范围"), blank=True)
    intelligent_score = models.FloatField(_("智能化得分"), default=0.0)
    intelligent_evidence = models.JSONField(_("智能化证据"), default=list, blank=True)

    above_scale = models.BooleanField(_("规模以上"), default=False)  # enterprise_live_above_revenue
    state_owned_group = models.BooleanField(_("国有文化企业集团"), default=False)
    listed = models.BooleanField(_("上市企业"), default=False)
    neeq = models.BooleanField(_("新三板"), default=False)
    srdi = models.BooleanField(_("专精特新"), default=False)
    tech_giant = models.BooleanField(_("科技小巨人"), default=False)
    leading = models.BooleanField(_("领军企业"), default=False)
    intelligent = models.BooleanField(_("智能文化创意企业"), default=False)  # enterprise_intelligent
    export_key = models.BooleanField(_("文化出口重点企业"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    # Figures of the latest reported year, copied from EnterpriseYearFigure for fast lists.
    latest_year = models.PositiveSmallIntegerField(_("最新年度"), null=True, blank=True)
    latest_revenue = models.DecimalField(_("营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    latest_employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["name_key", "updated_at"])

    class Meta:
        verbose_name = _("文化企业")
        verbose_name_plural = _("文化企业")
        ordering = ["name"]
        constraints = [
            # Among live enterprises only: a deleted enterprise keeps its code in its row and history, and the
            # same company may be registered again.
            models.UniqueConstraint(fields=["credit_code"],
                                    condition=~models.Q(credit_code="") & models.Q(deleted_at__isnull=True),
                                    name="enterprise_unique_live_credit_code"),
        ]
        # List pages filter on deleted_at IS NULL (and a district or park), count and order by name; at 25,000
        # wide rows that is a full scan without these indexes. The list orderings are partial indexes over live
        # rows ending in the id tie-breaker: PostgreSQL does not treat "deleted_at IS NULL" as fixing the column,
        # so (deleted_at, name) could not give it name order and it sorted every row; a partial index can. None
        # leads with deleted_at: without statistics SQLite took such an index for the equality on deleted_at and
        # sorted every row. Each ends in deleted_at so that SQLite counts inside the index. Single-column indexes
        # these lead with (sector, 文化产业大类, 规上, 智能) are left out: every import writes every index.
        indexes = [
            models.Index(fields=["name", "id", "deleted_at"], condition=_LIVE, name="enterprise_live_name"),
            models.Index(fields=["district", "name", "id", "deleted_at"], condition=_LIVE,
                         name="enterprise_live_district_name"),
            # These two also serve the park and district foreign keys (over every row, deleted or not).
            models.Index(fields=["park", "deleted_at", "name"], name="enterprise_park_name"),
            models.Index(fields=["district", "sector", "deleted_at"], name="enterprise_district_sector"),
            # Counts by category, city-wide and in a district (reference page, dashboard).
            models.Index(fields=["culture_subcategory", "deleted_at"], condition=_LIVE,
                         name="enterprise_live_subcategory"),
            models.Index(fields=["district", "culture_subcategory", "deleted_at"], condition=_LIVE,
                         name="enterprise_live_distr_subcat"),
            models.Index(fields=["intelligent", "deleted_at"], name="enterprise_intelligent"),
            models.Index(fields=["sector", "name", "id", "deleted_at"], condition=_LIVE,
                         name="enterprise_live_sector_name"),
            # The list filtered by 文化产业大类 and 所有制 (the two filters used together most): count and name
            # order from the index, where the category index alone fetched and sorted ~10,000 wide rows; the
            # district and park at the end let a district's or park's count and page stay inside the index.
            models.Index(fields=["culture_category", "ownership", "name", "id", "district", "park", "deleted_at"],
                         condition=_LIVE, name="enterprise_live_category_own"),
            # 规上 enterprises by revenue (the authority's most used view of the registry), city-wide and in a
            # district; a district's enterprises by intelligence score.
            models.Index(fields=["above_scale", "latest_revenue", "id", "deleted_at"], condition=_LIVE,
                         name="enterprise_live_above_revenue"),
            models.Index(fields=["district", "above_scale", "latest_revenue", "id", "deleted_at"], condition=_LIVE,
                         name="enterprise_live_district_above"),
            models.Index(fields=["district", "intelligent_score", "id", "deleted_at"], condition=_LIVE,
                         name="enterprise_live_district_score"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = (self.name or "").strip()
        self.credit_code = (self.credit_code or "").strip().upper()
        self.name_key = normalise_name(self.name)
        errors = {}
        if self.district is not None and self.district.level != Level.DISTRICT:
            errors["district"] = _("所属区必须是区级组织")
        if self.park is not None:
            if self.park.level != Level.PARK:
                errors["park"] = _("所在园区必须是园区级组织")
            elif self.district_id and self.park.district_id != self.district_id:
                errors["park"] = _("园区不在所选的区内")
        if self.organisation is not None and self.organisation.level != Level.ENTERPRISE:
            errors["organisation"] = _("企业账号组织必须是企业级组织")
        if self.culture_subcategory and self.culture_subcategory[:2] != self.culture_category:
            errors["culture_subcategory"] = _("文化产业中类与大类不一致")
        if not isinstance(self.former_names, list):
            errors["former_names"] = _("曾用名应为列表")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def history_text(field_name: str, value, row) -> str | None:
        """How the change history words the classification evidence (see ``core.services.history_diffs``)."""
        if field_name == "classification_evidence":
            return _evidence_text(value, row)
        if field_name == "intelligent_evidence" and isinstance(value, list):
            return gettext("；").join(f"{ev.get('group', '')}{gettext('：')}{gettext('、').join(ev.get('words', []))}"
                                     for ev in value if isinstance(ev, dict))
        return None

    @property
    def tags(self) -> list[tuple[str, StrOrPromise]]:
        return [(key, label) for key, label in ENTERPRISE_TAGS if getattr(self, key)]

    @property
    def industry_name(self) -> str:
        return reference.industry_names().get(self.industry_code, "")

    @property
    def culture_category_name(self) -> str:
        return reference.culture_names().get(self.culture_category, "")

    @property
    def culture_subcategory_name(self) -> str:
        return reference.culture_names().get(self.culture_subcategory, "")


def _evidence_text(evidence, row) -> str | None:
    """``行业代码 7259 → 032 创意设计服务；关键词：动漫、游戏``: what decided an enterprise's class, in words."""
    if not isinstance(evidence, dict):
        return None
    sub = row.culture_subcategory
    target = f"{sub} {reference.culture_names().get(sub, '')}".strip() if sub else gettext("未能归类")
    if "by" in evidence:
        head = gettext("人工认定 → %(target)s") % {"target": target}
    elif evidence.get("industry_code"):
        head = gettext("行业代码 %(code)s → %(target)s") % {"code": evidence["industry_code"], "target": target}
    else:
        head = gettext("经营范围 → %(target)s") % {"target": target}
    parts = [head]
    if evidence.get("words"):
        parts.append(gettext("关键词：%(words)s") % {"words": gettext("、").join(evidence["words"])})
    sector = evidence.get("sector") or {}
    if isinstance(sector, dict) and sector.get("words"):
        parts.append(gettext("门类关键词：%(words)s") % {"words": gettext("、").join(sector["words"])})
    return gettext("；").join(parts)


class EnterpriseYearFigure(models.Model):
    """An enterprise's figures for one year: revenue and value added in 万元, employees at year end."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="year_figures")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(1949), MaxValueValidator(2100)])
    revenue = models.DecimalField(_("营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(Decimal("0"))])
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    value_added = models.DecimalField(_("增加值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["enterprise", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="figure_unique_enterprise_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class Park(DomainModel):
    """One designated place: an industrial park, demonstration park or base, or maker base (园区/基地)."""

    organisation = models.OneToOneField("core.Organisation", verbose_name=_("园区组织"), on_delete=models.PROTECT,
                                        related_name="park_profile", limit_choices_to=_org_level(Level.PARK))
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=16, choices=ParkLevel.choices, db_index=True)
    kind = models.CharField(_("类型"), max_length=24, choices=ParkKind.choices, db_index=True)
    operator = models.CharField(_("运营主体"), max_length=200, blank=True)
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.PROTECT,
                                 related_name="district_parks", limit_choices_to=_org_level(Level.DISTRICT))
    address = models.CharField(_("地址"), max_length=300, blank=True)
    area_sqm = models.PositiveIntegerField(_("面积（平方米）"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ParkStatus.choices, default=ParkStatus.DESIGNATED,
                              db_index=True)
    designated_on = models.DateField(_("命名日期"), null=True, blank=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("园区/基地")
        verbose_name_plural = _("园区/基地")
        ordering = ["district__code", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.organisation_id and self.organisation.level != Level.PARK:
            errors["organisation"] = _("园区组织必须是园区级组织")
        if self.district_id and self.district.level != Level.DISTRICT:
            errors["district"] = _("所属区必须是区级组织")
        if errors:
            raise ValidationError(errors)


class ParkTransition(models.Model):
    """One step of a park's designation life cycle (动态管理): from → to, when, who and why."""

    park = models.ForeignKey(Park, verbose_name=_("园区/基地"), on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ParkStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ParkStatus.choices)
    from_level = models.CharField(_("原级别"), max_length=16, choices=ParkLevel.choices, blank=True)
    to_level = models.CharField(_("新级别"), max_length=16, choices=ParkLevel.choices, blank=True)
    happened_on = models.DateField(_("日期"))
    reason = models.TextField(_("理由"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("园区动态管理记录")
        verbose_name_plural = _("园区动态管理记录")
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.park} {self.transition_label} {self.happened_on}"

    @property
    def transition_label(self) -> str:
        from .workflows import PARK_TRANSITIONS

        step = PARK_TRANSITIONS.get(self.transition)
        return str(step.label) if step else self.transition


class ParkEvaluation(models.Model):
    """A park's annual evaluation: scores against the criteria, total, outcome and the evaluator's reasons."""

    park = models.ForeignKey(Park, verbose_name=_("园区/基地"), on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    scores = models.JSONField(_("各项得分"), default=dict)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    outcome = models.CharField(_("评价结果"), max_length=16, choices=EvaluationOutcome.choices)
    reason = models.TextField(_("评价意见"), blank=True)
    evaluated_on = models.DateField(_("评价日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("园区年度评价")
        verbose_name_plural = _("园区年度评价")
        ordering = ["park", "-year"]
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="park_evaluation_unique_year")]

    def __str__(self) -> str:
        return f"{self.park} {self.year}"

    @staticmethod
    def history_text(field_name: str, value, row) -> str | None:
        """Scores in the change history as ``criterion：score`` (see ``core.services.history_diffs``)."""
        if field_name != "scores" or not isinstance(value, dict):
            return None
        from .constants import PARK_CRITERIA

        return gettext("；").join(f"{PARK_CRITERIA[k][0] if k in PARK_CRITERIA else k}{gettext('：')}{v}"
                                 for k, v in value.items())


class Talent(DomainModel):
    """One recognised person: a high-end or leading talent of a programme such as 四个一批 or 131.

    Only what the programmes need is stored; gender, birth year and phone are shown to officials only.
    """

    name = models.CharField(_("姓名"), max_length=50)
    category = models.CharField(_("人才类别"), max_length=16, choices=TalentCategory.choices, db_index=True)
    field = models.CharField(_("专业领域"), max_length=100, blank=True)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    employer = models.ForeignKey(Enterprise, verbose_name=_("工作单位"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="talents")
    employer_name = models.CharField(_("工作单位名称"), max_length=200, blank=True)
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="district_talents",
                                 limit_choices_to=_org_level(Level.DISTRICT))
    programme = models.CharField(_("入选项目"), max_length=24, choices=TalentProgramme.choices, db_index=True)
    year_recognised = models.PositiveSmallIntegerField(_("入选年度"), null=True, blank=True)
    achievements = models.TextField(_("主要成就"), blank=True)
    # Personal fields: officials only.
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    PERSONAL_FIELDS = ("gender", "birth_year", "phone")

    class Meta:
        verbose_name = _("人才")
        verbose_name_plural = _("人才")
        ordering = ["-year_recognised", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.employer_name and self.employer is not None:
            self.employer_name = self.employer.name
        if not self.district_id and self.employer is not None:
            self.district_id = self.employer.district_id


class TrainingProgramme(DomainModel):
    """A training programme for one of the plan's four teams (创意策划、经营管理、专业技能、产业管理)."""

    name = models.CharField(_("培训项目"), max_length=200)
    team = models.CharField(_("队伍"), max_length=24, choices=TrainingTeam.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    organiser = models.CharField(_("主办单位"), max_length=200, blank=True)
    district = models.ForeignKey("core.Organisation", verbose_name=_("承办区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="district_trainings",
                                 limit_choices_to=_org_level(Level.DISTRICT),
                                 help_text=_("为空表示市级项目"))
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("学时"), null=True, blank=True)
    description = models.TextField(_("内容"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("人才培训项目")
        verbose_name_plural = _("人才培训项目")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期早于开始日期")})


class TrainingParticipant(models.Model):
    """One person trained in a programme."""

    programme = models.ForeignKey(TrainingProgramme, verbose_name=_("培训项目"), on_delete=models.CASCADE,
                                  related_name="participants")
    name = models.CharField(_("姓名"), max_length=50)
    employer = models.ForeignKey(Enterprise, verbose_name=_("工作单位"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="trainees")
    employer_name = models.CharField(_("工作单位名称"), max_length=200, blank=True)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    completed = models.BooleanField(_("已结业"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        ordering = ["programme", "name"]

    def __str__(self) -> str:
        return self.name


class Directory(DomainModel):
    """A named yearly list (名录), e.g. the 2019 key cultural-export enterprise and project directory."""

    kind = models.CharField(_("名录类型"), max_length=24, choices=DirectoryKind.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    published = models.BooleanField(_("已发布"), default=False, db_index=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("名录")
        verbose_name_plural = _("名录")
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "name"], name="directory_unique_name")]

    def __str__(self) -> str:
        return self.name


class DirectoryEntry(models.Model):
    """Membership of an enterprise, a park or a project in a directory; removal keeps the row (history)."""

    directory = models.ForeignKey(Directory, verbose_name=_("名录"), on_delete=models.CASCADE,
                                  related_name="entries")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="directory_entries")
    park = models.ForeignKey(Park, verbose_name=_("园区/基地"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="directory_entries")
    project_name = models.CharField(_("项目名称"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    added_on = models.DateField(_("列入日期"))
    added_reason = models.TextField(_("列入理由"), blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removed_reason = models.TextField(_("移出理由"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("名录条目")
        verbose_name_plural = _("名录条目")
        ordering = ["directory", "id"]
        constraints = [
            models.UniqueConstraint(fields=["directory", "enterprise"],
                                    condition=models.Q(enterprise__isnull=False, removed_on__isnull=True),
                                    name="directory_entry_unique_active_enterprise"),
            models.UniqueConstraint(fields=["directory", "park"],
                                    condition=models.Q(park__isnull=False, removed_on__isnull=True),
                                    name="directory_entry_unique_active_park"),
        ]

    def __str__(self) -> str:
        return self.subject_name

    @property
    def subject_name(self) -> str:
        if self.enterprise is not None:
            return self.enterprise.name
        if self.park is not None:
            return self.park.name
        return self.project_name

    @property
    def is_active(self) -> bool:
        return self.removed_on is None

    def clean(self) -> None:
        subjects = sum(bool(x) for x in (self.enterprise_id, self.park_id, self.project_name))
        if subjects != 1:
            raise ValidationError(_("每个条目须且只能指向一家企业、一个园区/基地或一个项目"))
        if self.removed_on and self.removed_on < self.added_on:
            raise ValidationError({"removed_on": _("移出日期早于列入日期")})
