"""Every write to the registry. Keyword-only, validated, atomic and audited (see docs/STYLE.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.choices import Level
from wenzhi.core.exceptions import check_version
from wenzhi.core.models import Organisation, User
from wenzhi.core.permissions import can, denial_message, require
from wenzhi.core.services import audited_save, history_context, organisation_create, soft_delete

from . import reference
from .choices import ClassificationSource, DirectoryKind, EvaluationOutcome, ParkStatus, Sector
from .classification import classify
from .constants import ENTERPRISE_TAGS, INTELLIGENT_THRESHOLD, PARK_CRITERIA, PARK_OUTCOME_THRESHOLDS
from .models import (
    Directory,
    DirectoryEntry,
    Enterprise,
    EnterpriseYearFigure,
    Park,
    ParkEvaluation,
    ParkTransition,
    Talent,
    TrainingParticipant,
    TrainingProgramme,
)
from .workflows import NEXT_LEVEL, PARK_TRANSITIONS

# Profile fields: "enterprise.change_profile" (the enterprise itself and the officials above it).
PROFILE_FIELDS = ("address", "legal_form", "founded_on", "business_scope", "industry_code", "former_names")
# Identity fields: "enterprise.change" (city and district officials), inside their scope, also after a move.
IDENTITY_FIELDS = ("name", "credit_code", "ownership", "district", "park")
OFFICIAL_FIELDS = PROFILE_FIELDS + IDENTITY_FIELDS


def field_action(field: str) -> str:
    """The permission action that changing enterprise ``field`` needs (the page and the API ask the same)."""
    return "enterprise.change" if field in IDENTITY_FIELDS else "enterprise.change_profile"


def _enforce(actor: User | None, name: str, obj: Any = None) -> None:
    """The permission table's gate for a service; ``actor`` None is the system itself (demo data, commands)."""
    if actor is not None:
        require(actor, name, obj)
TAG_FIELDS = tuple(key for key, _ in ENTERPRISE_TAGS)
# Directory kinds whose membership is mirrored on an enterprise tag.
DIRECTORY_TAGS: dict[str, str] = {DirectoryKind.EXPORT_KEY: "export_key", DirectoryKind.LEADING: "leading",
                  DirectoryKind.SRDI: "srdi", DirectoryKind.TECH_GIANT: "tech_giant",
                  DirectoryKind.INTELLIGENT: "intelligent"}


def _today() -> dt.date:
    return timezone.localdate()


def apply_classification(enterprise: Enterprise) -> None:
    """Copy the rule-based classification onto ``enterprise`` (not saved); an official override is kept."""
    result = classify(name=enterprise.name, industry_code=enterprise.industry_code,
                      business_scope=enterprise.business_scope)
    if not enterprise.classification_override:
        enterprise.culture_category = result.culture_category
        enterprise.culture_subcategory = result.culture_subcategory
        enterprise.classification_source = result.source
        enterprise.classification_evidence = result.evidence
        enterprise.sector = result.sector
    enterprise.intelligent_score = result.intelligent_score
    enterprise.intelligent_evidence = result.intelligent_evidence


def _enterprise_parent(district: Organisation, park: Organisation | None) -> Organisation:
    return park or district


@transaction.atomic
def enterprise_create(*, actor: User | None, name: str, district: Organisation, park: Organisation | None = None,
                      credit_code: str = "", address: str = "", legal_form: str = "", ownership: str = "",
                      founded_on: dt.date | None = None, industry_code: str = "", business_scope: str = "",
                      former_names: list[str] | None = None, tags: dict[str, bool] | None = None,
                      is_demo: bool = False, reason: str = "") -> Enterprise:
    """Register an enterprise, classify it, and create the organisation its users will belong to.

    The actor needs "enterprise.add" for the new row's district and park (a district officer registers in
    their own district only).
    """
    enterprise = Enterprise(name=name, district=district, park=park, credit_code=credit_code, address=address,
                            legal_form=legal_form, ownership=ownership, founded_on=founded_on,
                            industry_code=industry_code, business_scope=business_scope,
                            former_names=list(former_names or []), is_demo=is_demo)
    for key, value in (tags or {}).items():
        if key not in TAG_FIELDS:
            raise ValidationError({key: f"未知标签：{key}"})
        setattr(enterprise, key, bool(value))
    _enforce(actor, "enterprise.add", enterprise)
    apply_classification(enterprise)
    enterprise.full_clean()  # before the organisation exists, so a bad row leaves nothing behind
    enterprise.organisation = organisation_create(
        name=enterprise.name, level=Level.ENTERPRISE, parent=_enterprise_parent(district, park),
        code=enterprise.credit_code)
    return audited_save(enterprise, actor=actor, reason=reason or "新建企业")


def _enterprise_field(name: str) -> models.Field:
    field = Enterprise._meta.get_field(name)
    assert isinstance(field, models.Field)  # enterprise data names its own columns, never a reverse relation
    return field


def _changed(enterprise: Enterprise, data: dict[str, Any]) -> dict[str, Any]:
    """The items of ``data`` that differ from the row (a foreign key compares by id)."""
    out = {}
    for key, value in data.items():
        field = _enterprise_field(key)
        current = getattr(enterprise, field.attname)
        new = getattr(value, "pk", value) if field.is_relation else value
        if current != new:
            out[key] = value
    return out


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, data: dict[str, Any], reason: str = "",
                      version: str | dt.datetime | None = None) -> Enterprise:
    """Change an enterprise's fields: profile fields need "enterprise.change_profile", identity fields (name,
    credit code, ownership, district, park) "enterprise.change" — and a move must land inside the actor's scope.

    ``version`` is the ``updated_at`` the caller read; if the row changed since, :class:`StaleEdit` is raised
    and nothing is written. Fields equal to the stored values are not changes: when nothing changes, nothing
    (no history row either) is written. A change of name, industry code or business scope re-runs the
    classification (an override stays).
    """
    unknown = set(data) - set(OFFICIAL_FIELDS)
    if unknown:
        raise ValidationError({key: gettext("不能通过修改企业信息更改此字段") for key in sorted(unknown)})
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _enforce(actor, "enterprise.change_profile", enterprise)
    check_version(enterprise, version, what=gettext("企业“%(name)s”") % {"name": enterprise.name})
    data = _changed(enterprise, data)
    if not data:
        return enterprise
    refused = sorted(f for f in data if actor is not None and not can(actor, field_action(f), enterprise))
    if refused:
        raise PermissionDenied(gettext("无权修改字段：%(fields)s（%(why)s）") % {
            "fields": "、".join(str(_enterprise_field(f).verbose_name) for f in refused),
            "why": denial_message("enterprise.change")})
    if "name" in data and data["name"] != enterprise.name and enterprise.name not in enterprise.former_names:
        if "former_names" not in data:
            enterprise.former_names = [*enterprise.former_names, enterprise.name]
    for key, value in data.items():
        setattr(enterprise, key, value)
    if enterprise.park is not None and "district" in data and "park" not in data \
            and enterprise.park.district_id != enterprise.district_id:
        enterprise.park = None  # moving district leaves the old district's park
    if ({"district", "park"} & set(data)) and actor is not None and not can(actor, "enterprise.change", enterprise):
        raise PermissionDenied(gettext("只能把企业迁到您管辖范围内的区或园区。"))
    if {"name", "industry_code", "business_scope"} & set(data):
        apply_classification(enterprise)
    audited_save(enterprise, actor=actor, reason=reason or "修改企业信息")
    org = enterprise.organisation
    if org is not None and ({"name", "district", "park", "credit_code"} & set(data)):
        org.name = enterprise.name
        org.code = enterprise.credit_code
        org.parent = _enterprise_parent(enterprise.district, enterprise.park)
        org.district = enterprise.district
        org.full_clean()
        org.save(update_fields=["name", "code", "parent", "district"])
    return enterprise


@transaction.atomic
def enterprise_classify(*, actor: User | None, enterprise: Enterprise, reason: str = "") -> Enterprise:
    """Re-run the rule-based classification and intelligent score (after the rules or reference data changed)."""
    _enforce(actor, "enterprise.classify", enterprise)
    apply_classification(enterprise)
    return audited_save(enterprise, actor=actor, reason=reason or "重新归类")


@transaction.atomic
def enterprise_override_classification(*, actor: User, enterprise: Enterprise, culture_subcategory: str,
                                       sector: str, reason: str) -> Enterprise:
    """An official sets the culture 中类 and sector by hand, with a reason (kept in the audit trail)."""
    _enforce(actor, "enterprise.classify", enterprise)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写人工认定的理由（至少 4 个字）"})
    if culture_subcategory and culture_subcategory not in dict(reference.culture_subcategory_choices()):
        raise ValidationError({"culture_subcategory": f"未知的文化产业中类：{culture_subcategory}"})
    if sector and sector not in Sector.values:
        raise ValidationError({"sector": f"未知的产业门类：{sector}"})
    previous = {"culture_subcategory": enterprise.culture_subcategory, "sector": enterprise.sector,
                "source": enterprise.classification_source}
    enterprise.culture_subcategory = culture_subcategory
    enterprise.culture_category = culture_subcategory[:2]
    enterprise.sector = sector
    enterprise.classification_override = True
    enterprise.classification_override_reason = reason
    enterprise.classification_source = ClassificationSource.OVERRIDE
    enterprise.classification_evidence = {
        "rule": f"人工认定：{reason}", "by": str(actor), "on": _today().isoformat(), "previous": previous}
    return audited_save(enterprise, actor=actor, reason=f"人工认定分类：{reason}")


@transaction.atomic
def enterprise_clear_override(*, actor: User, enterprise: Enterprise, reason: str) -> Enterprise:
    """Drop a manual classification and go back to the rules."""
    _enforce(actor, "enterprise.classify", enterprise)
    enterprise.classification_override = False
    enterprise.classification_override_reason = ""
    apply_classification(enterprise)
    return audited_save(enterprise, actor=actor, reason=reason or "取消人工认定，恢复规则归类")


@transaction.atomic
def enterprise_set_tags(*, actor: User, enterprise: Enterprise, tags: dict[str, bool], reason: str = "") -> Enterprise:
    """Set designation tags (规上, 专精特新, ...); "enterprise.tag" (city and district officials)."""
    _enforce(actor, "enterprise.tag", enterprise)
    for key, value in tags.items():
        if key not in TAG_FIELDS:
            raise ValidationError({key: f"未知标签：{key}"})
        setattr(enterprise, key, bool(value))
    return audited_save(enterprise, actor=actor, reason=reason or "修改企业标签")


@transaction.atomic
def enterprise_delete(*, actor: User, enterprise: Enterprise, reason: str) -> Enterprise:
    """Soft-delete an enterprise (kept with its history; its organisation is deactivated).

    The organisation gives up its code (the credit code), which is unique among organisations, so that the
    company can be registered again; the deleted enterprise row keeps the credit code.
    """
    _enforce(actor, "enterprise.delete", enterprise)
    if enterprise.organisation_id:
        Organisation.objects.filter(pk=enterprise.organisation_id).update(is_active=False, code="")
    return soft_delete(enterprise, actor=actor, reason=reason)


def _refresh_latest(enterprise: Enterprise, *, actor: User | None = None, reason: str = "") -> None:
    latest = enterprise.year_figures.order_by("-year").first()
    history_context(enterprise, actor, reason or None)
    enterprise.latest_year = latest.year if latest else None
    enterprise.latest_revenue = latest.revenue if latest else None
    enterprise.latest_employees = latest.employees if latest else None
    enterprise.save(update_fields=["latest_year", "latest_revenue", "latest_employees"])


@transaction.atomic
def enterprise_figure_set(*, actor: User | None, enterprise: Enterprise, year: int, revenue: Decimal | None,
                          employees: int | None, value_added: Decimal | None = None,
                          reason: str = "") -> EnterpriseYearFigure:
    """Create or replace an enterprise's figures for ``year`` and refresh the latest-year columns."""
    _enforce(actor, "enterprise.report_figures", enterprise)
    figure = EnterpriseYearFigure.objects.filter(enterprise=enterprise, year=year).first()
    figure = figure or EnterpriseYearFigure(enterprise=enterprise, year=year)
    figure.revenue, figure.employees, figure.value_added = revenue, employees, value_added
    audited_save(figure, actor=actor, reason=reason or f"{year} 年度数据")
    _refresh_latest(enterprise, actor=actor, reason=reason or f"填报 {year} 年度数据")
    return figure


# Parks -------------------------------------------------------------------------------------------------------


@transaction.atomic
def park_create(*, actor: User | None, name: str, district: Organisation, level: str, kind: str,
                operator: str = "", address: str = "", status: str = ParkStatus.DESIGNATED,
                designated_on: dt.date | None = None, description: str = "", area_sqm: int | None = None,
                is_demo: bool = False) -> Park:
    """Register a park or base and the organisation its operator's users belong to."""
    park = Park(name=name, district=district, level=level, kind=kind, operator=operator, address=address,
                status=status, designated_on=designated_on, description=description, area_sqm=area_sqm,
                is_demo=is_demo, status_changed_on=designated_on)
    _enforce(actor, "park.add", park)
    park.full_clean(exclude=["organisation"])
    park.organisation = organisation_create(name=name, level=Level.PARK, parent=district)
    return audited_save(park, actor=actor, reason="新建园区/基地")


PARK_EDIT_FIELDS = ("name", "operator", "address", "kind", "description", "area_sqm")


@transaction.atomic(durable=True)
def park_update(*, actor: User, park: Park, data: dict[str, Any], reason: str = "",
                version: str | dt.datetime | None = None) -> Park:
    """An official changes a park's descriptive fields (audited); status and level change only through
    :func:`park_transition`.

    Needs "park.change" on the park; ``version`` (the ``updated_at`` the caller read) refuses a stale edit.
    Unchanged values are dropped, and a save with no change writes nothing (no history row).
    """
    _enforce(actor, "park.change", park)
    refused = set(data) - set(PARK_EDIT_FIELDS)
    if refused:
        raise PermissionDenied(gettext("无权修改字段：%(fields)s") % {"fields": "、".join(sorted(refused))})
    park = Park.objects.select_for_update().get(pk=park.pk)
    check_version(park, version, what=gettext("园区“%(name)s”") % {"name": park.name})
    data = {key: value for key, value in data.items() if getattr(park, key) != value}
    if not data:
        return park
    for key, value in data.items():
        setattr(park, key, value)
    audited_save(park, actor=actor, reason=reason or gettext("修改园区信息"))
    if "name" in data:
        # Saved (not update()): the search index follows organisation names (the park's enterprises show it).
        organisation = Organisation.objects.get(pk=park.organisation_id)
        organisation.name = park.name
        organisation.save(update_fields=["name"])
    return park


@transaction.atomic
def park_transition(*, actor: User, park: Park, transition: str, reason: str,
                    happened_on: dt.date | None = None) -> ParkTransition:
    """Take one declared step of the designation life cycle; anything else is refused.

    The park row is locked, the step is checked against the table in ``workflows.py`` (current state and the
    actor's roles and scope), and recorded with its date and reason.
    """
    step = PARK_TRANSITIONS.get(transition)
    if step is None:
        raise ValidationError({"transition": f"未定义的操作：{transition}"})
    park = Park.objects.select_for_update().get(pk=park.pk)
    _enforce(actor, step.action, park)
    if park.status not in step.sources:
        raise ValidationError({"transition": f"“{park.get_status_display()}”状态下不能执行“{step.label}”"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写理由"})
    happened_on = happened_on or _today()
    if happened_on > _today():
        raise ValidationError({"happened_on": "日期不能晚于今天"})
    _check_after_previous(park, happened_on)
    from_status, from_level = park.status, park.level
    if step.changes_level:
        if park.level not in NEXT_LEVEL:
            raise ValidationError({"transition": "国家级园区/基地无法再晋级"})
        park.level = NEXT_LEVEL[park.level]
    park.status = step.target
    park.status_changed_on = happened_on
    if step.key == "designate":
        park.designated_on = happened_on
    audited_save(park, actor=actor, reason=f"{step.label}：{reason}")
    record = ParkTransition(park=park, transition=step.key, from_status=from_status, to_status=park.status,
                            from_level=from_level, to_level=park.level, happened_on=happened_on, reason=reason,
                            actor=actor)
    record.full_clean()
    record.save()
    return record


def _check_after_previous(park: Park, happened_on: dt.date) -> None:
    """A step cannot be dated before the park's last change of state: the life cycle is read in date order."""
    last = park.transitions.order_by("-happened_on", "-created_at").first()
    dates = [d for d in (park.status_changed_on, last.happened_on if last else None) if d]
    if not dates or happened_on >= max(dates):
        return
    previous = max(dates)
    if last is not None and last.happened_on == previous:
        what = gettext("上一次操作“%(step)s”") % {"step": last.transition_label}
    else:
        what = gettext("上一次状态变更")
    raise ValidationError({"happened_on": gettext(
        "日期 %(date)s 早于%(what)s的日期 %(previous)s；动态管理按日期先后记录，请核对日期。") % {
            "date": happened_on.isoformat(), "what": what, "previous": previous.isoformat()}})


def evaluation_outcome(total: Decimal) -> str:
    for threshold, outcome in PARK_OUTCOME_THRESHOLDS:
        if total >= threshold:
            return outcome
    return EvaluationOutcome.FAIL


@transaction.atomic
def park_evaluate(*, actor: User, park: Park, year: int, scores: dict[str, Any], reason: str = "",
                  evaluated_on: dt.date | None = None, correction_reason: str = "") -> ParkEvaluation:
    """Record a park's annual evaluation; the outcome follows from the total score.

    A second evaluation of the same year is a correction: it needs ``correction_reason``, and the scores it
    replaces stay in the evaluation's change history. The outcome does not change the park's state by itself:
    warning, revocation or upgrading is a separate, reasoned :func:`park_transition` by the city.
    """
    _enforce(actor, "park.evaluate", park)
    if park.status in (ParkStatus.REVOKED, ParkStatus.CANDIDATE):
        raise ValidationError({"park": "未命名或已撤销命名的园区/基地不参加年度评价"})
    clean_scores: dict[str, float] = {}
    errors = {}
    for key, (label, maximum) in PARK_CRITERIA.items():
        try:
            value = Decimal(str(scores.get(key, "")).strip())
        except ArithmeticError:
            errors[key] = f"{label}：请填写数字"
            continue
        if not Decimal(0) <= value <= maximum:
            errors[key] = f"{label}：应在 0 到 {maximum} 之间"
            continue
        clean_scores[key] = float(value)
    if errors:
        raise ValidationError(errors)
    total = Decimal(str(sum(clean_scores.values()))).quantize(Decimal("0.1"))
    evaluation = ParkEvaluation.objects.select_for_update().filter(park=park, year=year).first()
    # Fixed source text, shown in the reader's language; a correction records the official's own reason (the
    # replaced and new scores are the row's history itself).
    history_reason = "年度评价"
    if evaluation is not None:
        correction_reason = (correction_reason or "").strip()
        if len(correction_reason) < 4:
            raise ValidationError({"correction_reason": gettext(
                "%(year)s 年度已有评价（%(total)s 分）：更正须填写更正理由（至少 4 个字）") % {
                    "year": year, "total": evaluation.total}})
        history_reason = correction_reason
    evaluation = evaluation or ParkEvaluation(park=park, year=year)
    evaluation.scores = clean_scores
    evaluation.total = total
    evaluation.outcome = evaluation_outcome(total)
    evaluation.reason = reason
    evaluation.evaluated_on = evaluated_on or _today()
    evaluation.actor = actor
    return audited_save(evaluation, actor=actor, reason=history_reason)


# Talents and training -----------------------------------------------------------------------------------------


@transaction.atomic
def talent_create(*, actor: User | None, name: str, category: str, programme: str, field: str = "",
                  title: str = "", employer: Enterprise | None = None, employer_name: str = "",
                  district: Organisation | None = None, year_recognised: int | None = None,
                  achievements: str = "", gender: str = "", birth_year: int | None = None, phone: str = "",
                  is_demo: bool = False) -> Talent:
    """Record a recognised talent."""
    talent = Talent(name=name, category=category, programme=programme, field=field, title=title,
                    employer=employer, employer_name=employer_name, district=district,
                    year_recognised=year_recognised, achievements=achievements, gender=gender,
                    birth_year=birth_year, phone=phone, is_demo=is_demo)
    return audited_save(talent, actor=actor, reason="新增人才")


@transaction.atomic
def training_programme_create(*, actor: User | None, name: str, team: str, year: int, organiser: str = "",
                              district: Organisation | None = None, starts_on: dt.date | None = None,
                              ends_on: dt.date | None = None, hours: int | None = None, description: str = "",
                              is_demo: bool = False) -> TrainingProgramme:
    """Create a training programme for one of the four teams."""
    programme = TrainingProgramme(name=name, team=team, year=year, organiser=organiser, district=district,
                                  starts_on=starts_on, ends_on=ends_on, hours=hours, description=description,
                                  is_demo=is_demo)
    return audited_save(programme, actor=actor, reason="新建培训项目")


@transaction.atomic
def training_participant_add(*, actor: User | None, programme: TrainingProgramme, name: str,
                             employer: Enterprise | None = None, employer_name: str = "", position: str = "",
                             completed: bool = False) -> TrainingParticipant:
    participant = TrainingParticipant(programme=programme, name=name, employer=employer,
                                      employer_name=employer_name or (employer.name if employer else ""),
                                      position=position, completed=completed)
    return audited_save(participant, actor=actor, reason="添加学员")


# Directories -------------------------------------------------------------------------------------------------


@transaction.atomic
def directory_create(*, actor: User, kind: str, year: int, name: str, description: str = "",
                     is_demo: bool = False) -> Directory:
    """Create an unpublished directory."""
    _enforce(actor, "directory.manage")
    directory = Directory(kind=kind, year=year, name=name, description=description, is_demo=is_demo)
    return audited_save(directory, actor=actor, reason="新建名录")


def _sync_tag(entry: DirectoryEntry, actor: User, value: bool) -> None:
    tag = DIRECTORY_TAGS.get(entry.directory.kind)
    if not tag or not entry.enterprise_id:
        return
    latest = Directory.objects.filter(kind=entry.directory.kind).aggregate(y=Max("year"))["y"]
    if entry.directory.year != latest:
        return  # only the newest directory of a kind decides the tag
    enterprise = entry.enterprise
    assert enterprise is not None  # entry.enterprise_id was checked above
    if getattr(enterprise, tag) != value:
        setattr(enterprise, tag, value)
        audited_save(enterprise, actor=actor, reason=f"{'列入' if value else '移出'}{entry.directory.name}")


@transaction.atomic
def directory_entry_add(*, actor: User, directory: Directory, enterprise: Enterprise | None = None,
                        park: Park | None = None, project_name: str = "", note: str = "", reason: str = "",
                        added_on: dt.date | None = None) -> DirectoryEntry:
    """Add an enterprise, a park or a project to a directory (and set the matching enterprise tag)."""
    _enforce(actor, "directory.manage", directory)
    entry = DirectoryEntry(directory=directory, enterprise=enterprise, park=park, project_name=project_name,
                           note=note, added_reason=reason, added_on=added_on or _today())
    if enterprise and directory.entries.filter(enterprise=enterprise, removed_on__isnull=True).exists():
        raise ValidationError({"enterprise": "该企业已在名录中"})
    if park and directory.entries.filter(park=park, removed_on__isnull=True).exists():
        raise ValidationError({"park": "该园区/基地已在名录中"})
    audited_save(entry, actor=actor, reason=reason or "列入名录")
    _sync_tag(entry, actor, True)
    return entry


@transaction.atomic
def directory_entry_remove(*, actor: User, entry: DirectoryEntry, reason: str,
                           removed_on: dt.date | None = None) -> DirectoryEntry:
    """Take an entry out of its directory; the row stays as membership history."""
    _enforce(actor, "directory.manage", entry.directory)
    if entry.removed_on:
        raise ValidationError({"entry": "该条目已移出"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写移出理由"})
    entry.removed_on = removed_on or _today()
    entry.removed_reason = reason
    audited_save(entry, actor=actor, reason=f"移出名录：{reason}")
    _sync_tag(entry, actor, False)
    return entry


@transaction.atomic
def directory_publish(*, actor: User, directory: Directory, published_on: dt.date | None = None) -> Directory:
    """Publish a directory: it appears on the public page (no login) and as an xlsx download."""
    _enforce(actor, "directory.publish", directory)
    if not directory.entries.filter(removed_on__isnull=True).exists():
        raise ValidationError({"directory": "名录没有条目，不能发布"})
    directory.published = True
    directory.published_on = published_on or _today()
    return audited_save(directory, actor=actor, reason="发布名录")


@transaction.atomic(durable=True)
def directory_unpublish(*, actor: User, directory: Directory, reason: str) -> Directory:
    """Withdraw a published directory (audited, with its reason): its public page and download disappear."""
    _enforce(actor, "directory.unpublish", directory)
    directory = Directory.objects.select_for_update().get(pk=directory.pk)
    if not directory.published:
        raise ValidationError({"directory": gettext("该名录未发布，无需撤回")})
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": gettext("请填写撤回发布的理由（至少 4 个字）")})
    directory.published = False
    directory.published_on = None  # the date it had stays in the history
    return audited_save(directory, actor=actor, reason=gettext("撤回发布：%(reason)s") % {"reason": reason})


def intelligent_suggested(enterprise: Enterprise) -> bool:
    """Whether the rules suggest the 智能文化创意企业 tag (shown to officials; setting the tag is their call)."""
    return enterprise.intelligent_score >= INTELLIGENT_THRESHOLD
