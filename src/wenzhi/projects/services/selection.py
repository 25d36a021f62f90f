"""Writes of the selection: decisions (one wins when two officials decide at once), the public notice with
its objections, and the final publication that enters the selected projects into the library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.models import User
from wenzhi.core.services import audited_save

from ..choices import ApplicationStatus, NoticeStatus, Outcome, ProjectLevel
from ..models import Application, Call, Decision, Objection, PublicNotice
from .library import enforce, project_create, today
from .review import check_application_version

DECIDABLE = {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.DISTRICT_RECOMMENDED, ApplicationStatus.DECIDED}
SELECTED = (Outcome.CITY_KEY, Outcome.DISTRICT_KEY, Outcome.RESERVE)


@transaction.atomic
def application_decide(*, actor: User | None, application: Application, outcome: str, reason: str,
                       version: int | str | None = None) -> Decision:
    """Decide an application (city key, district key, reserve or rejected) with a reason.

    ``version`` is the application's version the official read: when another official decided (or changed)
    it in the meantime, :class:`~wenzhi.core.exceptions.StaleEdit` says so (the page and API answer 409) and
    nothing is written. Refused once the call's list is published."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    enforce(actor, "application.decide", application)
    check_application_version(application, version)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": gettext("请选择结果")})
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": gettext("请填写决定理由")})
    if application.status not in DECIDABLE:
        raise ValidationError({"status": gettext("“%(s)s”的申报不能作出决定") % {
            "s": application.get_status_display()}})
    notice = PublicNotice.objects.filter(call_id=application.call_id).first()
    if notice is not None and notice.status == NoticeStatus.PUBLISHED:
        raise ValidationError({"outcome": gettext("本批次名单已正式发布，不能再更改决定")})
    if application.call.level == "district" and outcome == Outcome.CITY_KEY:
        raise ValidationError({"outcome": gettext("区级批次不能评为市级重点项目")})
    from ..selectors import CallRanking

    row = CallRanking(application.call).row_for(application.pk)
    decision = Decision.objects.filter(application=application).first() or Decision(application=application)
    decision.outcome, decision.reason, decision.decided_by = outcome, reason, actor
    decision.decided_at = timezone.now()
    if row is not None and row.trimmed_mean is not None:
        decision.score = Decimal(str(round(row.trimmed_mean, 2)))
        decision.rank = row.rank
    audited_save(decision, actor=actor, reason=gettext("入选决定：%(o)s") % {"o": decision.get_outcome_display()})
    application.status = ApplicationStatus.DECIDED
    application.version += 1
    audited_save(application, actor=actor, reason="作出决定")
    return decision


@transaction.atomic
def notice_open(*, actor: User | None, call: Call, title: str, opens_on: dt.date, closes_on: dt.date,
                body: str = "", document_number: str = "", is_demo: bool = False) -> PublicNotice:
    """Publish the call's selected list for objections (公示) from ``opens_on`` to ``closes_on``."""
    enforce(actor, "notice.manage", call)
    if PublicNotice.objects.filter(call=call).exists():
        raise ValidationError({"call": gettext("本批次已有公示")})
    if not Decision.objects.filter(application__call=call, outcome__in=SELECTED).exists():
        raise ValidationError({"call": gettext("本批次还没有入选决定，不能公示")})
    undecided = call.applications.filter(status__in=[ApplicationStatus.UNDER_REVIEW,
                                                      ApplicationStatus.DISTRICT_RECOMMENDED]).count()
    if undecided:
        raise ValidationError({"call": gettext("还有 %(n)s 个申报未作决定") % {"n": undecided}})
    notice = PublicNotice(call=call, title=title, body=body, document_number=document_number, opens_on=opens_on,
                          closes_on=closes_on, created_by=actor, is_demo=is_demo)
    return audited_save(notice, actor=actor, reason="发布公示")


@transaction.atomic
def objection_submit(*, notice: PublicNotice, name: str, contact: str, text: str,
                     application: Application | None = None) -> Objection:
    """Anyone records an objection while the notice is open; it must name who objects and how to reach them."""
    if not notice.objection_open:
        raise ValidationError({"notice": gettext("公示期（%(a)s 至 %(b)s）外不能提出异议") % {
            "a": notice.opens_on.isoformat(), "b": notice.closes_on.isoformat()}})
    if application is not None and application.call_id != notice.call_id:
        raise ValidationError({"application": gettext("该项目不在本次公示中")})
    errors = {}
    if not (name or "").strip():
        errors["name"] = gettext("请填写异议人姓名或单位")
    if not (contact or "").strip():
        errors["contact"] = gettext("请填写联系方式")
    if len((text or "").strip()) < 10:
        errors["text"] = gettext("请写明异议内容（至少 10 个字）")
    if errors:
        raise ValidationError(errors)
    objection = Objection(notice=notice, application=application, name=name.strip(), contact=contact.strip(),
                          text=text.strip())
    return audited_save(objection, actor=None, reason="提出异议")


@transaction.atomic
def objection_answer(*, actor: User | None, objection: Objection, answer: str, upheld: bool = False,
                     outcome: str = "") -> Objection:
    """The authority answers an objection (once). An upheld objection about a listed project changes that
    project's decision in the same transaction (``outcome``: another level, or rejected to withdraw it from the
    list), through :func:`application_decide` with the answer as its reason; both are audited, and the objection
    keeps what the decision was and became. Refused, with nothing written, when an upheld objection names no
    new outcome or the same one, or when an objection not upheld would change the decision."""
    objection = Objection.objects.select_for_update(of=("self",)).select_related("application").get(pk=objection.pk)
    enforce(actor, "objection.answer", objection)
    if objection.answered_at:
        raise ValidationError({"answer": gettext("该异议已答复")})
    answer = (answer or "").strip()
    if len(answer) < 4:
        raise ValidationError({"answer": gettext("请填写答复（至少 4 个字）")})
    decision = Decision.objects.filter(application_id=objection.application_id).first() \
        if objection.application_id else None
    if outcome and not (upheld and decision is not None):
        raise ValidationError({"outcome": gettext("只有成立且涉及公示项目的异议才改变入选决定")})
    if upheld and decision is not None:
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": gettext("异议成立：请选择该项目改为何种决定（撤销入选请选“不予入选”）")})
        if outcome == decision.outcome:
            raise ValidationError({"outcome": gettext("异议成立须改变决定：该项目已是“%(o)s”") % {
                "o": decision.get_outcome_display()}})
        objection.revised_from, objection.revised_to = decision.outcome, outcome
        assert objection.application is not None
        application_decide(actor=actor, application=objection.application, outcome=outcome,
                           reason=gettext("异议成立：%(a)s") % {"a": answer})
    objection.answer, objection.upheld = answer, upheld
    objection.answered_by, objection.answered_at = actor, timezone.now()
    return audited_save(objection, actor=actor, reason="答复异议（异议成立，改变入选决定）" if objection.revised_to
                        else "答复异议")


@transaction.atomic
def notice_publish(*, actor: User | None, notice: PublicNotice) -> PublicNotice:
    """Publish the final list after the objection period, all objections answered: the selected applications
    enter the project library at their level (a project already linked takes the level)."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    enforce(actor, "notice.manage", notice)
    if notice.status == NoticeStatus.PUBLISHED:
        raise ValidationError({"notice": gettext("名单已正式发布")})
    if today() <= notice.closes_on:
        raise ValidationError({"notice": gettext("公示期至 %(d)s 结束，结束后才能正式发布") % {
            "d": notice.closes_on.isoformat()}})
    open_objections = notice.objections.filter(answered_at__isnull=True).count()
    if open_objections:
        raise ValidationError({"notice": gettext("还有 %(n)s 条异议未答复") % {"n": open_objections}})
    levels: dict[str, str] = {Outcome.CITY_KEY: ProjectLevel.CITY_KEY, Outcome.DISTRICT_KEY: ProjectLevel.DISTRICT_KEY,
              Outcome.RESERVE: ProjectLevel.LIBRARY}
    decisions = (Decision.objects.filter(application__call=notice.call, outcome__in=SELECTED)
                 .select_related("application__enterprise", "application__project"))
    for decision in decisions:
        application = decision.application
        project = application.project
        if project is None:
            project = project_create(actor=None, name=application.title, owner=application.enterprise,
                                     description=application.summary, level=levels[decision.outcome],
                                     start_year=notice.call.year, planned_investment=application.planned_investment,
                                     is_demo=application.is_demo, reason="入选名单正式发布")
            application.project = project
            audited_save(application, actor=actor, reason="入选项目入库")
        elif project.level != levels[decision.outcome]:
            project.level = levels[decision.outcome]
            audited_save(project, actor=actor, reason="入选名单正式发布")
    notice.status, notice.published_at = NoticeStatus.PUBLISHED, timezone.now()
    return audited_save(notice, actor=actor, reason="正式发布入选名单")


def selected_decisions(call: Call):
    """The final list of a call: its selected decisions, best rank first."""
    return (Decision.objects.filter(application__call=call, outcome__in=SELECTED)
            .select_related("application__enterprise", "application__district", "application__project")
            .order_by("outcome", "rank", "application__title"))

