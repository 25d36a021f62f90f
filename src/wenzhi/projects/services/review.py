"""Writes of the review: the district's preliminary review, expert assignment (refusing conflicts of
interest), declarations of conflict, and an expert's scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.choices import Role
from wenzhi.core.exceptions import StaleEdit
from wenzhi.core.models import User
from wenzhi.core.services import audited_save
from wenzhi.registry.models import Enterprise

from ..choices import ApplicationStatus, CallLevel, ReviewStatus
from ..models import Application, Call, ConflictDeclaration, ExpertAssignment, Review, ReviewScore
from ..rubric import weighted_total
from .library import enforce


def check_application_version(application: Application, expected: int | str | None) -> None:
    """Refuse a decisive write made on an application someone else moved since the caller read it (409)."""
    if expected in (None, ""):
        return
    try:
        expected_int = int(expected)
    except (TypeError, ValueError):
        raise StaleEdit(gettext("版本标记无法识别，请刷新后重试。")) from None
    if application.version != expected_int:
        raise StaleEdit(gettext("申报“%(t)s”在您打开后已被他人处理（现为“%(s)s”），本次操作未保存。请刷新后查看。") % {
            "t": application.title, "s": application.get_status_display()})


@transaction.atomic
def district_review(*, actor: User | None, application: Application, recommend: bool, opinion: str,
                    version: int | str | None = None) -> Application:
    """The district's preliminary review of a submitted application: recommend it to the city, or not."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    enforce(actor, "application.district_review", application)
    check_application_version(application, version)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError({"status": gettext("只有已提交、待初审的申报可以初审（现为“%(s)s”）") % {
            "s": application.get_status_display()}})
    opinion = (opinion or "").strip()
    if len(opinion) < 2:
        raise ValidationError({"opinion": gettext("请填写初审意见")})
    application.status = (ApplicationStatus.DISTRICT_RECOMMENDED if recommend
                          else ApplicationStatus.DISTRICT_REJECTED)
    application.district_opinion = opinion
    application.district_reviewed_by = actor
    application.district_reviewed_at = timezone.now()
    application.version += 1
    return audited_save(application, actor=actor, reason="区级推荐" if recommend else "区级未推荐")


def conflict_reasons(expert: User, application: Application) -> list[str]:
    """Why ``expert`` may not review ``application`` (empty: no conflict) under the call's rules."""
    reasons = []
    enterprise = application.enterprise
    org = expert.organisation
    if org is not None and enterprise.organisation_id and org.pk == enterprise.organisation_id:
        reasons.append(gettext("专家任职于申报单位"))
    rules = application.call.conflict_rules or {}
    if rules.get("same_district") and org is not None and org.district_id == application.district_id:
        reasons.append(gettext("专家与申报单位同属%(d)s，本批次要求回避") % {"d": application.district})
    declared = ConflictDeclaration.objects.filter(expert=expert, enterprise_id=enterprise.pk)
    declared = declared.filter(call__isnull=True) | declared.filter(call_id=application.call_id)
    if declared.exists():
        reasons.append(gettext("专家已申报与申报单位存在利益冲突"))
    return reasons


@transaction.atomic
def expert_assign(*, actor: User | None, application: Application, expert: User) -> ExpertAssignment:
    """Assign an expert to an application the review stage has reached; a conflict of interest is refused
    with its reason."""
    application = Application.objects.select_for_update().select_related("call", "enterprise").get(pk=application.pk)
    enforce(actor, "application.assign", application)
    ready = {ApplicationStatus.DISTRICT_RECOMMENDED, ApplicationStatus.UNDER_REVIEW}
    if application.call.level == CallLevel.DISTRICT:
        ready.add(ApplicationStatus.SUBMITTED)
    if application.status not in ready:
        raise ValidationError({"application": gettext("“%(s)s”的申报不能分配专家") % {
            "s": application.get_status_display()}})
    if not expert.is_active or not expert.has_role(Role.EXPERT_REVIEWER):
        raise ValidationError({"expert": gettext("“%(e)s”不是评审专家") % {"e": expert}})
    reasons = conflict_reasons(expert, application)
    if reasons:
        raise ValidationError({"expert": gettext("专家“%(e)s”须回避：%(why)s") % {
            "e": expert, "why": "；".join(reasons)}})
    if application.assignments.filter(expert=expert).exists():
        raise ValidationError({"expert": gettext("专家“%(e)s”已分配到此申报") % {"e": expert}})
    assignment = ExpertAssignment(application=application, expert=expert, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    if application.status != ApplicationStatus.UNDER_REVIEW:
        application.status = ApplicationStatus.UNDER_REVIEW
        application.version += 1
        audited_save(application, actor=actor, reason="进入专家评审")
    return assignment


@transaction.atomic
def expert_unassign(*, actor: User | None, assignment: ExpertAssignment) -> None:
    """Withdraw an assignment whose review was not yet submitted."""
    enforce(actor, "application.assign", assignment.application)
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise ValidationError({"assignment": gettext("专家已提交评分，不能撤回分配")})
    assignment.delete()


@transaction.atomic
def conflict_declare(*, actor: User, enterprise: Enterprise, reason: str, call: Call | None = None
                     ) -> ConflictDeclaration:
    """An expert declares a conflict of interest with an enterprise; an existing unsubmitted assignment to
    that enterprise's applications is withdrawn."""
    enforce(actor, "review.declare_conflict")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": gettext("请填写回避理由")})
    declaration = ConflictDeclaration(expert=actor, enterprise=enterprise, call=call, reason=reason)
    declaration.full_clean()
    declaration.save()
    pending = ExpertAssignment.objects.filter(expert=actor, application__enterprise=enterprise)
    if call is not None:
        pending = pending.filter(application__call=call)
    pending.exclude(review__status=ReviewStatus.SUBMITTED).delete()
    return declaration


def _clean_scores(rubric: list[dict], scores: dict[str, Any], *, complete: bool) -> dict[str, Decimal]:
    errors: dict[str, str] = {}
    out: dict[str, Decimal] = {}
    keys = {c["key"] for c in rubric}
    for key in set(scores) - keys:
        errors[f"score_{key}"] = gettext("评分细则中没有“%(k)s”") % {"k": key}
    for c in rubric:
        raw = scores.get(c["key"])
        if raw in (None, ""):
            if complete:
                errors[f"score_{c['key']}"] = gettext("“%(l)s”：请评分") % {"l": gettext(c["label"])}
            continue
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            errors[f"score_{c['key']}"] = gettext("“%(l)s”：请填写数字") % {"l": gettext(c["label"])}
            continue
        if not Decimal(0) <= value <= Decimal(str(c["max_score"])):
            errors[f"score_{c['key']}"] = gettext("“%(l)s”：得分应在 0 到 %(m)s 之间") % {
                "l": gettext(c["label"]), "m": c["max_score"]}
            continue
        out[c["key"]] = value
    if errors:
        raise ValidationError(errors)
    return out


def _unchanged(review: Review, clean: dict[str, Decimal], comments: dict[str, str], comment: str) -> bool:
    stored = {s.criterion: (s.score, s.comment) for s in review.scores.all()}
    wanted = {k: (v, comments.get(k, "")) for k, v in clean.items()}
    return stored == wanted and review.comment == comment


@transaction.atomic
def review_save(*, actor: User, application: Application, scores: dict[str, Any], comments: dict[str, str] | None = None,
                comment: str = "", submit: bool = False, now: dt.datetime | None = None) -> Review:
    """An assigned expert scores each criterion 0 … its maximum, with comments; ``submit`` makes it final.

    Refused: an unassigned application, a score out of range or not a number, a change after submitting, and
    anything after the call's review deadline — each with the field named, and nothing written."""
    assignment = (ExpertAssignment.objects.select_for_update().select_related("application__call")
                  .filter(application=application, expert=actor).first())
    if assignment is None:
        raise ValidationError({"application": gettext("此申报未分配给您评审")})
    enforce(actor, "review.score", assignment.application)
    call = assignment.application.call
    if (now or timezone.now()) > call.review_deadline:
        raise ValidationError({"review": gettext("评审已于 %(t)s 截止，不能再评分") % {
            "t": timezone.localtime(call.review_deadline).strftime("%Y-%m-%d %H:%M")}})
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise ValidationError({"review": gettext("您已提交评分，不能再修改")})
    clean = _clean_scores(call.rubric, scores, complete=submit)
    comments = comments or {}
    if review is not None and not submit and _unchanged(review, clean, comments, comment):
        return review  # a draft saved back as it was: nothing written
    review = review or Review(assignment=assignment, application=assignment.application, expert=actor)
    review.total = weighted_total(call.rubric, clean)
    review.comment = comment
    if submit:
        review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    audited_save(review, actor=actor, reason="提交评分" if submit else "保存评分")
    review.scores.exclude(criterion__in=list(clean)).delete()
    for key, value in clean.items():
        ReviewScore.objects.update_or_create(review=review, criterion=key,
                                             defaults={"score": value, "comment": comments.get(key, "")})
    return review
