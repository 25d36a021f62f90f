"""Writes of the project library: projects, their intelligence score, stage steps, funding and milestones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.exceptions import check_version
from wenzhi.core.models import Organisation, User
from wenzhi.core.permissions import require
from wenzhi.core.services import audited_save
from wenzhi.registry.classification import intelligent_score
from wenzhi.registry.constants import INTELLIGENT_THRESHOLD
from wenzhi.registry.models import Enterprise

from ..models import Milestone, Project, ProjectFunding, ProjectTransition
from ..workflows import PROJECT_TRANSITIONS


def enforce(actor: User | None, name: str, obj: Any = None) -> None:
    """The permission table's gate; ``actor`` None is the platform itself (demo data, commands, imports)."""
    if actor is not None:
        require(actor, name, obj)


def today() -> dt.date:
    return timezone.localdate()


def apply_intelligence(project: Project) -> None:
    """Score the description with the registry's intelligence classifier (not saved); an override is kept."""
    score, evidence = intelligent_score(f"{project.name} {project.description}")
    project.intelligent_score = score
    project.intelligent_evidence = evidence
    if not project.intelligent_override:
        project.intelligent = score >= INTELLIGENT_THRESHOLD


EDIT_FIELDS = ("name", "description", "sector", "culture_category", "park", "level", "start_year",
               "planned_investment", "completed_investment", "export_oriented")


@transaction.atomic
def project_create(*, actor: User | None, name: str, owner: Enterprise, description: str = "",
                   park: Organisation | None = None, sector: str = "", culture_category: str = "",
                   level: str = "library", stage: str = "reserve", start_year: int | None = None,
                   planned_investment: Decimal = Decimal("0"), completed_investment: Decimal = Decimal("0"),
                   export_oriented: bool = False, is_demo: bool = False, reason: str = "") -> Project:
    """Enter a project into the library for ``owner`` (its district is the owner's; its park the owner's
    unless given). Needs "project.add" for the project's district."""
    project = Project(name=name, owner=owner, district_id=owner.district_id,
                      park=park if park is not None else owner.park, description=description,
                      sector=sector or owner.sector, culture_category=culture_category or owner.culture_category,
                      level=level, stage=stage, start_year=start_year or today().year,
                      planned_investment=planned_investment, completed_investment=completed_investment,
                      export_oriented=export_oriented, is_demo=is_demo, stage_changed_on=today())
    enforce(actor, "project.add", project)
    apply_intelligence(project)
    return audited_save(project, actor=actor, reason=reason or "新建项目")


@transaction.atomic
def project_update(*, actor: User, project: Project, data: dict[str, Any], reason: str = "",
                   version: str | dt.datetime | None = None) -> Project:
    """Change a project's descriptive fields (stage only through :func:`project_transition`). A stale
    ``version`` raises :class:`~wenzhi.core.exceptions.StaleEdit`; an unchanged save writes nothing."""
    unknown = set(data) - set(EDIT_FIELDS)
    if unknown:
        raise PermissionDenied(gettext("不能通过修改项目更改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    project = Project.objects.select_for_update().get(pk=project.pk)
    enforce(actor, "project.change", project)
    check_version(project, version, what=gettext("项目“%(name)s”") % {"name": project.name})
    changed = {k: v for k, v in data.items() if getattr(project, _attname(k)) != getattr(v, "pk", v)}
    if not changed:
        return project
    for key, value in changed.items():
        setattr(project, key, value)
    if {"name", "description"} & set(changed):
        apply_intelligence(project)
    return audited_save(project, actor=actor, reason=reason or "修改项目")


def _attname(name: str) -> str:
    field = Project._meta.get_field(name)
    assert isinstance(field, models.Field)  # EDIT_FIELDS name the project's own columns
    return field.attname


@transaction.atomic
def project_override_intelligence(*, actor: User, project: Project, intelligent: bool | None,
                                  reason: str) -> Project:
    """An official decides whether the project counts as intelligent (``None``: back to the score), with a
    reason kept in the project's history."""
    enforce(actor, "project.override_intelligence", project)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": gettext("请填写人工认定的理由（至少 4 个字）")})
    if intelligent is None:
        project.intelligent_override = False
        project.intelligent_override_reason = ""
    else:
        project.intelligent_override = True
        project.intelligent = bool(intelligent)
        project.intelligent_override_reason = reason
    apply_intelligence(project)
    return audited_save(project, actor=actor, reason=gettext("人工认定智能化：%(r)s") % {"r": reason})


@transaction.atomic
def project_transition(*, actor: User | None, project: Project, transition: str, reason: str,
                       happened_on: dt.date | None = None) -> ProjectTransition:
    """Take one declared step of the stage life cycle (workflows.py); anything else is refused with why."""
    step = PROJECT_TRANSITIONS.get(transition)
    if step is None:
        raise ValidationError({"transition": gettext("未定义的操作：%(t)s") % {"t": transition}})
    project = Project.objects.select_for_update().get(pk=project.pk)
    enforce(actor, step.action, project)
    if project.stage not in step.sources:
        raise ValidationError({"transition": gettext("“%(stage)s”阶段不能执行“%(step)s”") % {
            "stage": project.get_stage_display(), "step": step.label}})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("请填写理由")})
    happened_on = happened_on or today()
    if happened_on > today():
        raise ValidationError({"happened_on": gettext("日期不能晚于今天")})
    if project.stage_changed_on and happened_on < project.stage_changed_on:
        raise ValidationError({"happened_on": gettext("日期 %(d)s 早于上一次阶段变更（%(p)s）") % {
            "d": happened_on.isoformat(), "p": project.stage_changed_on.isoformat()}})
    from_stage = project.stage
    project.stage = step.target
    project.stage_changed_on = happened_on
    audited_save(project, actor=actor, reason=f"{step.label}：{reason}")
    record = ProjectTransition(project=project, transition=step.key, from_stage=from_stage, to_stage=step.target,
                               happened_on=happened_on, reason=reason, actor=actor)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def project_funding_add(*, actor: User | None, project: Project, source: str, amount: Decimal, year: int,
                        note: str = "") -> ProjectFunding:
    """Record money a project received from one source in one year."""
    enforce(actor, "project.change", project)
    funding = ProjectFunding(project=project, source=source, amount=amount, year=year, note=note)
    return audited_save(funding, actor=actor, reason="登记项目资金")


@transaction.atomic
def milestone_add(*, actor: User | None, project: Project, title: str, due: dt.date) -> Milestone:
    enforce(actor, "project.change", project)
    return audited_save(Milestone(project=project, title=title, due=due), actor=actor, reason="新增项目节点")


@transaction.atomic
def milestone_complete(*, actor: User | None, milestone: Milestone, done_on: dt.date, evidence: str) -> Milestone:
    """Mark a milestone done with its evidence (the date cannot be in the future)."""
    enforce(actor, "project.change", milestone.project)
    if done_on > today():
        raise ValidationError({"done_on": gettext("完成日期不能晚于今天")})
    milestone.done_on, milestone.evidence = done_on, evidence
    return audited_save(milestone, actor=actor, reason="节点完成")
