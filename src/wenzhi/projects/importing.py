"""Import of existing project lists (项目清单) through core's import engine: .xlsx or CSV as officials keep them.

Columns: 项目名称, 项目单位 (the owner's name or credit code, looked up in the caller's scope), 计划总投资 and
已完成投资 (元, 万元 or 亿元 in the header), 项目阶段, 项目级别, 入库年度, 项目简介, 文化出口. A project already in
the library (same owner, same name) is updated (its stage changes only through the life cycle, so a different
stage in the file is reported, not written); new ones are created with one history row each. Every row passes
the permission table ("project.add" / "project.change") for the caller's scope, and nothing is written when a
row is wrong unless the caller skips invalid rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core.importing import (
    Field,
    Importer,
    ImportResult,
    ParsedRow,
    Schema,
    bool_parser,
    choice_parser,
    decimal_parser,
    int_parser,
    open_table,
    run_import,
    text_parser,
)
from wenzhi.core.importing.bulk import bulk_create_with_history, bulk_update_with_history
from wenzhi.core.permissions import can, require
from wenzhi.registry.classification import intelligent_score
from wenzhi.registry.constants import INTELLIGENT_THRESHOLD
from wenzhi.registry.selectors import enterprise_list

from .choices import ProjectLevel, Stage
from .models import Project


def _labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices.choices} | {value: value for value in choices.values}


SCHEMA = Schema(kind="project", label="项目清单", fields=(
    Field("name", "项目名称", synonyms=("项目", "名称"), required=True, parse=text_parser(200)),
    Field("owner", "项目单位", synonyms=("申报单位", "建设单位", "企业名称", "统一社会信用代码"), required=True,
          parse=text_parser(200)),
    Field("planned_investment", "计划总投资", synonyms=("总投资", "计划投资"), unit="元", parse=decimal_parser()),
    Field("completed_investment", "已完成投资", synonyms=("完成投资", "累计完成投资"), unit="元", parse=decimal_parser()),
    Field("stage", "项目阶段", synonyms=("阶段", "建设阶段"), parse=choice_parser(_labels(Stage)), repeats=True),
    Field("level", "项目级别", synonyms=("级别",), parse=choice_parser(_labels(ProjectLevel)), repeats=True),
    Field("start_year", "入库年度", synonyms=("年度", "入库年份"), parse=int_parser(minimum=2000, maximum=2100),
          repeats=True),
    Field("description", "项目简介", synonyms=("简介", "建设内容", "主要内容"),
          parse=text_parser(5000, strip_inner_newlines=False)),
    Field("export_oriented", "文化出口", synonyms=("文化出口项目",), parse=bool_parser(), repeats=True),
))


# The headers a file may use, for the import page: the English text keeps the Chinese headers the file must carry.
COLUMN_NOTES = (
    _("项目名称（必填；或写作：项目、名称）"),
    _("项目单位（必填；企业名称或统一社会信用代码；或写作：申报单位、建设单位、企业名称、统一社会信用代码）"),
    _("计划总投资（元、万元或亿元；或写作：总投资、计划投资）"),
    _("已完成投资（元、万元或亿元；或写作：完成投资、累计完成投资）"),
    _("项目阶段（储备、培育、在建、建成、终止；或写作：阶段、建设阶段）"),
    _("项目级别（市级重点项目、区级重点项目、入库项目；或写作：级别）"),
    _("入库年度（或写作：年度、入库年份）"),
    _("项目简介（或写作：简介、建设内容、主要内容）"),
    _("文化出口（是/否；或写作：文化出口项目）"),
)


class ProjectImporter(Importer):
    """Checks rows against the caller's scope and the library; writes new and changed projects in bulk."""

    schema = SCHEMA

    def __init__(self, actor) -> None:
        self.actor = actor
        self.seen: set[tuple[int, str]] = set()

    def prepare(self, table) -> None:
        owners = enterprise_list(user=self.actor) if self.actor is not None else enterprise_list_all()
        self.owners: dict[str, Any] = {}
        for e in owners.only("id", "name", "credit_code", "district_id", "park_id", "sector", "culture_category",
                             "organisation_id"):
            self.owners[e.name] = e
            if e.credit_code:
                self.owners[e.credit_code] = e
        self.by_pk = {e.pk: e for e in self.owners.values()}
        self.existing = {(p.owner_id, p.name): p for p in Project.objects.filter(
            owner_id__in={e.pk for e in self.owners.values()})}

    def check(self, row: ParsedRow) -> None:
        owner = self.owners.get(row.values.get("owner", ""))
        if owner is None:
            row.error("owner", gettext("找不到该项目单位，或它不在您的管辖范围内（请填写登记库中的企业名称或统一社会信用代码）"))
            return
        key = (owner.pk, row.values["name"])
        if key in self.seen:
            row.error("name", gettext("同一项目单位的同名项目在文件中重复"))
            return
        self.seen.add(key)
        existing = self.existing.get(key)
        action = "project.change" if existing else "project.add"
        probe = existing or Project(owner=owner, district_id=owner.district_id, park_id=owner.park_id)
        if self.actor is not None and not can(self.actor, action, probe):
            row.error("owner", gettext("您无权为该项目单位新建或修改项目"))
            return
        if existing and row.values.get("stage") and row.values["stage"] != existing.stage:
            row.error("stage", gettext("项目已在库中（%(stage)s）：阶段只能通过阶段管理变更") % {
                "stage": existing.get_stage_display()})
            return
        row.values["owner"] = owner.pk
        row.action, row.target, row.label = ("update", existing.pk, existing.name) if existing else \
            ("create", None, row.values["name"])

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        creates, updates = [], []
        for row in rows:
            v = dict(row.values)
            owner = self.by_pk[v.pop("owner")]
            if row.action == "update":
                project = self.existing[(owner.pk, v["name"])]
                for key, value in v.items():
                    setattr(project, key, value)
                updates.append(_scored(project))
            else:
                creates.append(_scored(Project(
                    owner_id=owner.pk, district_id=owner.district_id, park_id=owner.park_id, sector=owner.sector,
                    culture_category=owner.culture_category, stage_changed_on=timezone.localdate(),
                    start_year=v.pop("start_year", None) or timezone.localdate().year, **v)))
        if creates:
            bulk_create_with_history(creates, Project, default_user=self.actor, default_change_reason="导入项目清单")
        if updates:
            fields = [f.name for f in SCHEMA.fields if f.name not in ("owner", "stage")] + [
                "intelligent", "intelligent_score", "intelligent_evidence", "updated_at"]
            bulk_update_with_history(updates, Project, fields, default_user=self.actor,
                                     default_change_reason="导入项目清单")
        from wenzhi.core.search.service import index_rows_on_commit

        index_rows_on_commit(Project, [p.pk for p in creates + updates])
        return len(creates), len(updates)


def enterprise_list_all():
    from wenzhi.registry.models import Enterprise

    return Enterprise.objects.all()


def _scored(project: Project) -> Project:
    project.updated_at = timezone.now()  # bulk writes skip auto_now
    score, evidence = intelligent_score(f"{project.name} {project.description}")
    project.intelligent_score, project.intelligent_evidence = score, evidence
    if not project.intelligent_override:
        project.intelligent = score >= INTELLIGENT_THRESHOLD
    for field in ("planned_investment", "completed_investment"):
        if getattr(project, field) is None:
            setattr(project, field, Decimal("0"))
    return project


def project_import(*, actor, source: str | IO[bytes], filename: str = "", commit: bool = False,
                   skip_invalid: bool = False) -> ImportResult:
    """Check (and with ``commit``, write) a project list; the caller needs "project.import"."""
    if actor is not None:
        require(actor, "project.import")
    table = open_table(source, SCHEMA, filename=filename)
    try:
        return run_import(table, ProjectImporter(actor), commit=commit, skip_invalid=skip_invalid)
    finally:
        table.close()

