"""Every write of statistics: the catalogue (indicators, forms in versions, rules) and the reporting cycle
(open a report, save values, explain warnings, submit, approve and lock, return, unlock with a reason).

Keyword-only, validated, atomic, audited (docs/STYLE.md). A report is the :class:`Submission` row of one form,
organisation and period; every value write goes through :func:`_check_editable`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.choices import Level
from wenzhi.core.exceptions import check_version
from wenzhi.core.models import Organisation, User
from wenzhi.core.permissions import can, require
from wenzhi.core.services import audited_save, history_context

from . import periods, validation
from .choices import ReporterKind, SubmissionEventKind, SubmissionStatus, ValueKind
from .models import (
    DataValue,
    FormIndicator,
    FormVersion,
    Indicator,
    Period,
    ReportingForm,
    Submission,
    SubmissionEvent,
    ValidationResult,
    ValidationRule,
)

MAX_VALUE = Decimal("1e15")


def today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------------------------------------ periods


def period_get(code: str) -> Period:
    """The Period row of a code, created on first use; a bad code raises ValidationError naming it."""
    try:
        spec = periods.parse(code)
    except periods.PeriodCodeError as exc:
        raise ValidationError({"period": str(exc)}) from None
    period, _ = Period.objects.get_or_create(code=spec.code, defaults=dict(type=spec.type, start=spec.start,
                                                                            end=spec.end))
    return period


# ---------------------------------------------------------------------------------------------- catalogue

INDICATOR_FIELDS = ("name", "unit", "kind", "aggregation", "decimals", "allow_negative", "category", "description",
                    "order", "active")


@transaction.atomic
def indicator_create(*, actor: User, code: str, **data: Any) -> Indicator:
    """The city administrator adds an indicator to the catalogue (always an entered one)."""
    require(actor, "statistics.manage")
    unknown = set(data) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationError(gettext("无法识别的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    indicator = Indicator(code=code.strip(), **data)
    return audited_save(indicator, actor=actor, reason=gettext("新增指标"))


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, data: dict[str, Any],
                     version: str | dt.datetime | None = None) -> Indicator:
    """Change an indicator's description fields (its code is the contract other modules read by: fixed)."""
    require(actor, "statistics.manage")
    unknown = set(data) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationError(gettext("无法修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    check_version(indicator, version, what=gettext("指标“%(name)s”") % {"name": indicator.display_name})
    changed = {k: v for k, v in data.items() if getattr(indicator, k) != v}
    if not changed:
        return indicator
    for key, value in changed.items():
        setattr(indicator, key, value)
    return audited_save(indicator, actor=actor, reason=gettext("修改指标"))


FORM_FIELDS = ("name", "period_type", "reporter_kind", "open_days", "on_time_days", "close_days", "description",
               "active")


def _indicators_by_code(codes: list[str]) -> list[Indicator]:
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise ValidationError({"indicators": gettext("报表至少要包含一个指标。")})
    if len(set(codes)) != len(codes):
        raise ValidationError({"indicators": gettext("同一指标不能在报表中出现两次。")})
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({"indicators": gettext("不存在的指标：%(codes)s") % {"codes": "、".join(missing)}})
    derived = [c for c in codes if found[c].is_derived]
    if derived:
        raise ValidationError({"indicators": gettext("指标 %(codes)s 由登记库自动计算，不能放入填报报表。")
                               % {"codes": "、".join(derived)}})
    return [found[c] for c in codes]


def _check_days(form: ReportingForm) -> None:
    if not form.open_days <= form.on_time_days <= form.close_days:
        raise ValidationError({"on_time_days": gettext("应满足：开放填报天数 ≤ 按时上报期限 ≤ 关闭填报天数。")})


def _new_version(form: ReportingForm, indicators: list[Indicator], actor: User | None, note: str) -> FormVersion:
    version = FormVersion.objects.create(form=form, number=form.version, created_by=actor, note=note)
    FormIndicator.objects.bulk_create(FormIndicator(version=version, indicator=ind, order=i)
                                      for i, ind in enumerate(indicators))
    return version


@transaction.atomic
def form_create(*, actor: User, code: str, indicator_codes: list[str], **data: Any) -> ReportingForm:
    """A new reporting form with its first version of indicators."""
    require(actor, "statistics.manage")
    indicators = _indicators_by_code(indicator_codes)
    unknown = set(data) - set(FORM_FIELDS)
    if unknown:
        raise ValidationError(gettext("无法识别的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    form = ReportingForm(code=code.strip(), version=1, **data)
    _check_days(form)
    audited_save(form, actor=actor, reason=gettext("新建报表"))
    _new_version(form, indicators, actor, gettext("初始版本"))
    return form


@transaction.atomic
def form_update(*, actor: User, form: ReportingForm, data: dict[str, Any], indicator_codes: list[str] | None = None,
                version: str | dt.datetime | None = None) -> ReportingForm:
    """Change a form; a changed indicator list (or order) makes a new version, so sheets and reports of the
    old version are recognised as such."""
    require(actor, "statistics.manage")
    unknown = set(data) - set(FORM_FIELDS)
    if unknown:
        raise ValidationError(gettext("无法修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    form = ReportingForm.objects.select_for_update().get(pk=form.pk)
    check_version(form, version, what=gettext("报表“%(name)s”") % {"name": form.name})
    changed = {k: v for k, v in data.items() if getattr(form, k) != v}
    new_list = None
    if indicator_codes is not None:
        indicators = _indicators_by_code(indicator_codes)
        if [i.code for i in indicators] != [i.code for i in form.indicators()]:
            new_list = indicators
    if not changed and new_list is None:
        return form
    for key, value in changed.items():
        setattr(form, key, value)
    _check_days(form)
    if new_list is not None:
        form.version += 1
    audited_save(form, actor=actor, reason=gettext("修改报表") if new_list is None else
                 gettext("修改报表指标，生成第 %(n)s 版") % {"n": form.version})
    if new_list is not None:
        _new_version(form, new_list, actor, gettext("修改指标"))
    return form


RULE_FIELDS = ("name", "left", "operator", "right", "importance", "message", "active")


def _save_rule(rule: ValidationRule, actor: User, reason: str) -> ValidationRule:
    rule.full_clean()
    validation.compile_rule(rule)  # an unknown indicator or bad syntax: ValidationError on left/right
    return audited_save(rule, actor=actor, reason=reason)


@transaction.atomic
def rule_create(*, actor: User, **data: Any) -> ValidationRule:
    """A new validation rule; both expressions must parse and name only catalogue indicators."""
    require(actor, "statistics.manage")
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(gettext("无法识别的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    return _save_rule(ValidationRule(**data), actor, gettext("新增校验规则"))


@transaction.atomic
def rule_update(*, actor: User, rule: ValidationRule, data: dict[str, Any],
                version: str | dt.datetime | None = None) -> ValidationRule:
    require(actor, "statistics.manage")
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(gettext("无法修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    rule = ValidationRule.objects.select_for_update().get(pk=rule.pk)
    check_version(rule, version, what=gettext("校验规则“%(name)s”") % {"name": rule.name})
    changed = {k: v for k, v in data.items() if getattr(rule, k) != v}
    if not changed:
        return rule
    for key, value in changed.items():
        setattr(rule, key, value)
    return _save_rule(rule, actor, gettext("修改校验规则"))


# ------------------------------------------------------------------------------------------------ reports


def _district_of(organisation: Organisation) -> Organisation:
    if organisation.level == Level.DISTRICT:
        return organisation
    if organisation.district_id is None:
        raise ValidationError({"organisation": gettext("“%(org)s”不属于任何区，不能填报。") % {"org": organisation}})
    return organisation.district  # type: ignore[return-value]


def _check_reporter(form: ReportingForm, organisation: Organisation) -> None:
    wanted = Level.DISTRICT if form.reporter_kind == ReporterKind.DISTRICT else Level.ENTERPRISE
    if organisation.level != wanted:
        raise ValidationError({"organisation": gettext("“%(form)s”由%(who)s填报，“%(org)s”不能填报此表。") % {
            "form": form.display_name, "who": form.get_reporter_kind_display(), "org": organisation}})


@transaction.atomic
def report_open(*, actor: User, form: ReportingForm, organisation: Organisation, period_code: str) -> Submission:
    """The report of ``organisation`` on ``form`` for a period, created as a draft on first opening.

    Refused: an organisation outside the actor's scope (a district opening another district's report), an
    organisation of the wrong kind for the form, a period of another type, a period not yet open."""
    period = period_get(period_code)
    if period.type != form.period_type:
        raise ValidationError({"period": gettext("“%(form)s”是%(type)s报表，报告期“%(code)s”不符。") % {
            "form": form.display_name, "type": form.get_period_type_display(), "code": period.code}})
    _check_reporter(form, organisation)
    district = _district_of(organisation)
    probe = Submission(form=form, organisation=organisation, district=district, period=period)
    require(actor, "statistics.enter", probe)
    if form.opens(period) > today():
        raise ValidationError({"period": gettext("报告期 %(code)s 的填报自 %(date)s 起开放。") % {
            "code": period.code, "date": form.opens(period).isoformat()}})
    submission, _ = Submission.objects.get_or_create(
        form=form, organisation=organisation, period=period,
        defaults=dict(district=district, form_version=form.version))
    return submission


def _check_editable(actor: User, submission: Submission) -> None:
    """Refuse a write to ``submission`` (read afresh and locked, so an approval that just happened counts)."""
    fresh = Submission.objects.select_for_update().filter(pk=submission.pk).values(
        "status", "locked", "form_version").first()
    if fresh is not None:
        submission.status, submission.locked = fresh["status"], fresh["locked"]
    require(actor, "statistics.enter", submission)
    if submission.locked:
        raise ValidationError(gettext("%(period)s 的“%(form)s”已审核并锁定，不能修改；如需更正，请市级管理员先解锁"
                                      "（须填写原因）。") % {"period": submission.period.code,
                                                      "form": submission.form.display_name})
    if submission.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(gettext("该报表已上报，正在等待审核，不能修改；如需更正请联系市级管理员退回。"))
    if form_closed(submission) and not can(actor, "statistics.approve", submission):
        raise ValidationError(gettext("%(period)s 的填报已于 %(date)s 关闭，逾期修改请联系市级管理员。") % {
            "period": submission.period.code, "date": submission.form.closes(submission.period).isoformat()})
    if submission.form_version != submission.form.version:
        submission.form_version = submission.form.version
        submission.save(update_fields=["form_version"])


def form_closed(submission: Submission) -> bool:
    return submission.form.closes(submission.period) < today()


def parse_cell(indicator: Indicator, text: Any) -> Decimal | None:
    """The value typed into a cell, or None for an empty cell; a ValidationError says exactly what is wrong."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    raw = str(text).strip().replace(",", "").replace("，", "").replace("\u3000", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(gettext("“%(name)s”应填数字，“%(text)s”不是数字。")
                              % {"name": indicator.display_name, "text": str(text)[:40]}) from None
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        raise ValidationError(gettext("“%(name)s”的数值“%(text)s”无效或过大。") % {"name": indicator.display_name,
                                                                           "text": str(text)[:40]})
    if value < 0 and not indicator.allow_negative:
        raise ValidationError(gettext("“%(name)s”不能为负数（填写了 %(value)s）。") % {"name": indicator.display_name,
                                                                               "value": value})
    if indicator.kind == ValueKind.COUNT and value != value.to_integral_value():
        raise ValidationError(gettext("“%(name)s”是计数，应为整数（填写了 %(value)s）。") % {"name": indicator.display_name,
                                                                                  "value": value})
    if -value.as_tuple().exponent > indicator.decimals and value != value.quantize(  # type: ignore[operator]
            Decimal(1).scaleb(-indicator.decimals)):
        raise ValidationError(gettext("“%(name)s”最多保留 %(n)s 位小数（填写了 %(value)s）。") % {
            "name": indicator.display_name, "n": indicator.decimals, "value": value})
    return value


def _form_indicator(submission: Submission, code: str) -> Indicator:
    for indicator in submission.form.indicators():
        if indicator.code == code:
            return indicator
    raise ValidationError(gettext("指标“%(code)s”不在“%(form)s”（第 %(v)s 版）中。") % {
        "code": code, "form": submission.form.display_name, "v": submission.form.version})


def _write_value(actor: User, submission: Submission, indicator: Indicator, value: Decimal | None,
                 comment: str | None = None) -> DataValue | None:
    existing = DataValue.objects.filter(indicator=indicator, organisation_id=submission.organisation_id,
                                        period_id=submission.period_id).first()
    if value is None:
        if existing is not None:
            history_context(existing, actor, gettext("清空数值"))
            existing.delete()
        return None
    if existing is not None and existing.value == value and (comment is None or comment == existing.comment):
        return existing
    row = existing or DataValue(indicator=indicator, organisation_id=submission.organisation_id,
                                district_id=submission.district_id, period_id=submission.period_id,
                                form=submission.form)
    row.value = value
    if comment is not None:
        row.comment = comment
    row.updated_by = actor
    row.updated_at = timezone.now()
    return audited_save(row, actor=actor, reason=gettext("填报"))


@dataclass
class CellOutcome:
    """What the grid shows for a cell after a save: the value, the cell's own error, the rules it breaks."""

    code: str
    value: Decimal | None = None
    error: str = ""
    results: list[ValidationResult] = field(default_factory=list)


def _touch(submission: Submission) -> None:
    submission.updated_at = timezone.now()
    submission.save(update_fields=["updated_at", "form_version"])


@transaction.atomic
def cell_save(*, actor: User, submission: Submission, code: str, text: Any) -> CellOutcome:
    """Save one typed value (empty clears it) and re-check the report; a bad value is not saved and the
    outcome carries the cell's message instead."""
    _check_editable(actor, submission)
    indicator = _form_indicator(submission, code)
    try:
        value = parse_cell(indicator, text)
    except ValidationError as exc:
        return CellOutcome(code=code, error=" ".join(exc.messages))
    _write_value(actor, submission, indicator, value)
    _touch(submission)
    results = validation.refresh(submission)
    return CellOutcome(code=code, value=value, results=[r for r in results if r.indicator_id == indicator.id])


@transaction.atomic
def values_save(*, actor: User, submission: Submission, values: dict[str, Any],
                comments: dict[str, str] | None = None) -> list[ValidationResult]:
    """Save many values at once (the xlsx upload, the API): every one valid or nothing written; the
    ValidationError maps each bad indicator code to its message. ``comments`` ({code: text}) go with them."""
    _check_editable(actor, submission)
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[Indicator, Decimal | None]] = []
    for code, text in values.items():
        try:
            indicator = _form_indicator(submission, code)
            parsed.append((indicator, parse_cell(indicator, text)))
        except ValidationError as exc:
            errors.setdefault(code, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    for indicator, value in parsed:
        _write_value(actor, submission, indicator, value, (comments or {}).get(indicator.code))
    _touch(submission)
    return validation.refresh(submission)


@transaction.atomic
def result_explain(*, actor: User, result: ValidationResult, comment: str) -> ValidationResult:
    """The reporter explains a warning (e.g. why a figure moved by more than half); errors must be fixed."""
    submission = Submission.objects.filter(organisation_id=result.organisation_id, period_id=result.period_id).first()
    if submission is None:
        raise ValidationError(gettext("找不到该校验结果所属的报表。"))
    _check_editable(actor, submission)
    if result.importance != "warning":
        raise ValidationError({"comment": gettext("“%(rule)s”是错误，须修改数据，不能以说明代替。")
                               % {"rule": result.rule.display_name}})
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": gettext("请填写说明。")})
    result.comment = comment[:500]
    result.commented_by = actor
    result.save(update_fields=["comment", "commented_by"])
    return result


# ---------------------------------------------------------------------------------------------- workflow


def _event(submission: Submission, kind: str, actor: User, comment: str = "") -> None:
    SubmissionEvent.objects.create(submission=submission, kind=kind, actor=actor, comment=comment[:500])
    submission.updated_at = timezone.now()


def missing_codes(submission: Submission) -> list[str]:
    """Indicators of the form with no value yet, in form order."""
    have = set(DataValue.objects.filter(organisation_id=submission.organisation_id, period_id=submission.period_id)
               .values_list("indicator__code", flat=True))
    return [i.code for i in submission.form.indicators() if i.code not in have]


def _locked_for_update(submission: Submission, version: str | dt.datetime | None) -> Submission:
    fresh = Submission.objects.select_for_update().select_related("form", "period", "organisation").get(
        pk=submission.pk)
    check_version(fresh, version, what=gettext("报表“%(form)s”（%(period)s）") % {"form": fresh.form.display_name,
                                                                            "period": fresh.period.code})
    return fresh


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission, version: str | dt.datetime | None = None) -> Submission:
    """The reporter submits: every indicator filled, no error, every warning explained; on time or late."""
    submission = _locked_for_update(submission, version)
    require(actor, "statistics.submit", submission)
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED) or submission.locked:
        raise ValidationError(gettext("该报表当前状态为“%(s)s”，不能上报。") % {"s": submission.get_status_display()})
    _check_editable(actor, submission)
    missing = missing_codes(submission)
    if missing:
        names = {i.code: i.display_name for i in Indicator.objects.filter(code__in=missing)}
        raise ValidationError(gettext("尚有 %(n)s 项指标未填报：%(names)s。") % {
            "n": len(missing), "names": "、".join(names[c] for c in missing)})
    blocking = validation.blocking(validation.refresh(submission))
    if blocking:
        raise ValidationError([gettext("校验未通过：%(rule)s（%(what)s）") % {
            "rule": r.rule.display_message, "what": r.get_importance_display()} for r in blocking])
    now = timezone.now()
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.submitted_by = actor
    submission.on_time = timezone.localdate(now) <= submission.form.deadline(submission.period)
    _event(submission, SubmissionEventKind.SUBMIT, actor)
    submission.save()
    return submission


@transaction.atomic
def submission_approve(*, actor: User, submission: Submission, comment: str = "",
                       version: str | dt.datetime | None = None) -> Submission:
    """The city approves a submitted report: approved and locked, its values frozen."""
    submission = _locked_for_update(submission, version)
    require(actor, "statistics.approve", submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(gettext("只能审核已上报的报表（当前：%(s)s）。") % {"s": submission.get_status_display()})
    submission.status = SubmissionStatus.APPROVED
    submission.approved_at = timezone.now()
    submission.approved_by = actor
    submission.locked = True
    _event(submission, SubmissionEventKind.APPROVE, actor, comment)
    submission.save()
    return submission


@transaction.atomic
def submission_return(*, actor: User, submission: Submission, reason: str,
                      version: str | dt.datetime | None = None) -> Submission:
    """The city sends a submitted report back for correction, saying why."""
    submission = _locked_for_update(submission, version)
    require(actor, "statistics.approve", submission)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(gettext("只能退回已上报的报表（当前：%(s)s）。") % {"s": submission.get_status_display()})
    if not (reason or "").strip():
        raise ValidationError({"reason": gettext("退回须填写原因。")})
    submission.status = SubmissionStatus.RETURNED
    _event(submission, SubmissionEventKind.RETURN, actor, reason.strip())
    submission.save()
    return submission


@transaction.atomic
def submission_unlock(*, actor: User, submission: Submission, reason: str,
                      version: str | dt.datetime | None = None) -> Submission:
    """The city unlocks an approved period for correction; the reason is required and kept in the audit."""
    submission = _locked_for_update(submission, version)
    require(actor, "statistics.unlock", submission)
    if not submission.locked:
        raise ValidationError(gettext("该报表未锁定，无需解锁。"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": gettext("解锁须写明原因（至少 4 个字）。")})
    submission.locked = False
    submission.status = SubmissionStatus.RETURNED
    _event(submission, SubmissionEventKind.UNLOCK, actor, reason)
    submission.save()
    return submission


def can_edit(user, submission: Submission) -> bool:
    """Whether the grid shows editable cells to ``user`` (the services decide again on every write)."""
    try:
        _check_editable_readonly(user, submission)
    except (ValidationError, PermissionDenied):
        return False
    return True


def _check_editable_readonly(user, submission: Submission) -> None:
    require(user, "statistics.enter", submission)
    if submission.locked or submission.status == SubmissionStatus.SUBMITTED:
        raise ValidationError("")
    if form_closed(submission) and not can(user, "statistics.approve", submission):
        raise ValidationError("")


# --------------------------------------------------------------------------------------------- reminders


def _reminder_text(form: ReportingForm, period: Period, organisation: Organisation) -> str:
    return gettext("%(org)s：%(period)s的“%(form)s”尚未上报（按时上报截止 %(deadline)s，填报关闭 %(closes)s），"
                   "请尽快填报并上报。") % {
        "org": organisation.name, "period": periods.label(period.code), "form": form.display_name,
        "deadline": form.deadline(period).isoformat(), "closes": form.closes(period).isoformat()}


def reminder_recipients(organisation: Organisation) -> list[User]:
    """The active users who report for ``organisation`` (district officers, or the enterprise's users)."""
    role = "district_officer" if organisation.level == Level.DISTRICT else "enterprise_user"
    return [u for u in User.objects.filter(organisation=organisation, is_active=True) if u.has_role(role)]


@transaction.atomic
def reminders_send(*, actor: User | None, form: ReportingForm, period_code: str, email: bool = True) -> dict:
    """Remind every late reporter of ``form`` for a period: an in-app reminder to each of its users and, for
    those with an address, an e-mail through Django's mail backend (sent after the transaction commits).

    ``actor`` None is the platform itself (the ``wenzhi statistics_remind`` command or its task).
    Returns {"organisations": n, "in_app": n, "email": n}."""
    from django.core.mail import EmailMessage, get_connection

    from .models import Reminder
    from .selectors import late_reporters

    if actor is not None:
        require(actor, "statistics.remind")
    period = period_get(period_code)
    late = late_reporters(form=form, period=period)
    rows, mails = [], []
    for organisation in late:
        text = _reminder_text(form, period, organisation)
        for user in reminder_recipients(organisation):
            base = dict(form=form, period=period, organisation=organisation,
                        district_id=organisation.district_id or organisation.id, recipient=user, sent_by=actor,
                        message=text)
            rows.append(Reminder(channel="in_app", **base))
            if email and user.email:
                rows.append(Reminder(channel="email", **base))
                mails.append(EmailMessage(subject=gettext("【文智】统计报表催报：%(form)s") % {"form": form.display_name},
                                          body=text, to=[user.email]))
    Reminder.objects.bulk_create(rows)
    if mails:
        transaction.on_commit(lambda: get_connection(fail_silently=True).send_messages(mails))
    return {"organisations": len(late), "in_app": sum(r.channel == "in_app" for r in rows), "email": len(mails)}


@transaction.atomic
def reminder_mark_read(*, actor: User, reminder) -> None:
    """The recipient marks a reminder read (only their own)."""
    if reminder.recipient_id != actor.pk:
        raise PermissionDenied(gettext("只能处理发给自己的提醒。"))
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
