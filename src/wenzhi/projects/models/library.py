"""The project library (项目库): projects, their funding by source, milestones and stage steps."""

from __future__ import annotations

from decimal import Decimal

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
from wenzhi.registry.choices import Sector

from ..choices import FundingSource, ProjectLevel, Stage

_LIVE = models.Q(deleted_at__isnull=True)  # the condition of the partial list indexes

# The project list's sortable columns of the project row itself, each with a short name for its indexes.
LIST_SORTS = {"name": "name", "level": "level", "stage": "stage", "sector": "sector", "start_year": "syear",
              "planned_investment": "pinv", "completed_investment": "cinv", "intelligent": "intel",
              "intelligent_score": "iscore", "export_oriented": "export"}


def _list_sort_indexes() -> list[models.Index]:
    """One partial index over live projects per sortable column, city-wide (column, id) and in a district
    (district, column, id), as the registry's list indexes are: ORDER BY column, id LIMIT 25 then reads the page's
    first entries from the index, where without one SQLite sorted every live row (the district officer's
    ``?sort=-planned_investment`` sorted its ~3,000 wide rows per page; the city's ``?sort=name`` 50,000) and
    PostgreSQL did too. Each ends in deleted_at so that SQLite counts inside the index."""
    out = []
    for field, short in LIST_SORTS.items():
        out.append(models.Index(fields=[field, "id", "deleted_at"], condition=_LIVE, name=f"project_live_{short}"))
        out.append(models.Index(fields=["district", field, "id", "deleted_at"], condition=_LIVE,
                                name=f"project_live_d_{short}"))
    return out


def money_field(verbose_name, *, default: Decimal | None = None) -> models.DecimalField:
    """An amount in yuan with two places, never negative."""
    if default is None:
        return models.DecimalField(verbose_name, max_digits=16, decimal_places=2,
                                   validators=[MinValueValidator(Decimal("0"))])
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, default=default,
                               validators=[MinValueValidator(Decimal("0"))])


class Project(DomainModel):
    """One cultural-industry project known to the authority, owned by one registered enterprise."""

    name = models.CharField(_("项目名称"), max_length=200)
    owner = models.ForeignKey("registry.Enterprise", verbose_name=_("项目单位"), on_delete=models.PROTECT,
                              related_name="projects")
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.PROTECT,
                                 related_name="district_projects", limit_choices_to={"level": Level.DISTRICT},
                                 db_index=False)  # project_district_stage
    park = models.ForeignKey("core.Organisation", verbose_name=_("所在园区"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="park_projects",
                             limit_choices_to={"level": Level.PARK})
    sector = models.CharField(_("产业门类"), max_length=24, choices=Sector.choices, blank=True, db_index=True)
    culture_category = models.CharField(_("文化产业大类"), max_length=2, blank=True, db_index=True)
    description = models.TextField(_("项目简介"), blank=True)
    intelligent = models.BooleanField(_("智能文化创意项目"), default=False, db_index=True)
    intelligent_score = models.FloatField(_("智能化得分"), default=0.0)
    intelligent_evidence = models.JSONField(_("智能化证据"), default=list, blank=True)
    intelligent_override = models.BooleanField(_("智能化人工认定"), default=False)
    intelligent_override_reason = models.TextField(_("人工认定理由"), blank=True)
    level = models.CharField(_("项目级别"), max_length=16, choices=ProjectLevel.choices,
                             default=ProjectLevel.LIBRARY, db_index=True)
    stage = models.CharField(_("项目阶段"), max_length=24, choices=Stage.choices, default=Stage.RESERVE,
                             db_index=True)
    stage_changed_on = models.DateField(_("阶段变更日期"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("入库年度"), null=True, blank=True,
                                                  validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    planned_investment = money_field(_("计划总投资（元）"), default=Decimal("0"))
    completed_investment = money_field(_("已完成投资（元）"), default=Decimal("0"))
    export_oriented = models.BooleanField(_("文化出口项目"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-start_year", "name"]
        indexes = [
            models.Index(fields=["district", "deleted_at", "stage"], name="project_district_stage"),
            models.Index(fields=["deleted_at", "start_year", "name"], name="project_live_year_name"),
            # The list's default order (newest entry year first, then id): a backwards walk of this index (SQLite
            # keeps the row id as its last column), where the index above made it sort all 50,000 rows.
            models.Index(fields=["deleted_at", "start_year"], name="project_live_year"),
            models.Index(fields=["district", "deleted_at", "start_year"], name="project_district_year"),
            # A list filtered by stage, in the default order, for the city (the district's has its own index).
            models.Index(fields=["stage", "deleted_at", "start_year"], name="project_stage_year"),
            *_list_sort_indexes(),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.district_id and self.district.level != Level.DISTRICT:
            errors["district"] = _("所属区必须是区级组织")
        if self.park_id and self.park is not None:
            if self.park.level != Level.PARK:
                errors["park"] = _("所在园区必须是园区级组织")
            elif self.district_id and self.park.district_id != self.district_id:
                errors["park"] = _("园区不在所选的区内")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def history_text(field_name: str, value, row) -> str | None:
        """The intelligence evidence in the change history as ``group：words``."""
        if field_name == "intelligent_evidence" and isinstance(value, list):
            return gettext("；").join(f"{ev.get('group', '')}{gettext('：')}{gettext('、').join(ev.get('words', []))}"
                                     for ev in value if isinstance(ev, dict))
        return None


class ProjectTransition(models.Model):
    """One step of a project's stage life cycle: from → to, when, who and why."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="transitions")
    transition = models.CharField(_("操作"), max_length=32)
    from_stage = models.CharField(_("原阶段"), max_length=24, choices=Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=24, choices=Stage.choices)
    happened_on = models.DateField(_("日期"))
    reason = models.TextField(_("理由"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("项目阶段记录")
        verbose_name_plural = _("项目阶段记录")
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.project} {self.transition} {self.happened_on}"


class ProjectFunding(models.Model):
    """Money a project received in one year from one source (special fund, investment fund, loan, social)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("资金来源"), max_length=24, choices=FundingSource.choices, db_index=True)
    amount = money_field(_("金额（元）"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目资金")
        verbose_name_plural = _("项目资金")
        ordering = ["project", "-year", "source"]

    def __str__(self) -> str:
        return f"{self.project} {self.year} {self.get_source_display()}"


class Milestone(models.Model):
    """A dated step a project promises (开工, 主体完工, 上线 ...), with the evidence once it is done."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    evidence = models.TextField(_("完成佐证"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "due"]

    def __str__(self) -> str:
        return f"{self.project} {self.title}"

    def clean(self) -> None:
        if self.done_on and not (self.evidence or "").strip():
            raise ValidationError({"evidence": _("标记完成须填写完成佐证")})
