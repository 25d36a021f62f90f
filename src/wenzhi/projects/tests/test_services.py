"""The path through the services: apply → submit (refused with reasons) → district → experts → decide →
notice → objections → publish; and the stage life cycle of a project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wenzhi.core.exceptions import StaleEdit

from .. import eligibility, services
from ..choices import ApplicationStatus, FundingSource, NoticeStatus, Outcome, ProjectLevel, Stage
from ..models import Application, Decision, Project, ProjectTransition, Review
from ..services.selection import selected_decisions
from .conftest import draft, pdf, reviewed

pytestmark = pytest.mark.django_db


def test_project_scored_for_intelligence_with_evidence_and_override_audited(world):
    admin = world["users"]["city_admin"]
    project = services.project_create(actor=admin, name="智慧文旅大数据平台", owner=world["ent_a"],
                                      description="利用人工智能与大数据分析游客行为，建设虚拟现实导览。")
    assert project.intelligent and project.intelligent_score >= 0.5
    assert {ev["group"] for ev in project.intelligent_evidence} >= {"人工智能", "大数据"}
    assert project.district == world["orgs"]["heping"]
    services.project_override_intelligence(actor=admin, project=project, intelligent=False, reason="实际为传统展陈")
    project.refresh_from_db()
    assert not project.intelligent and project.intelligent_override
    assert project.history.first().history_change_reason.endswith("实际为传统展陈")
    with pytest.raises(ValidationError):
        services.project_override_intelligence(actor=admin, project=project, intelligent=True, reason="")


def test_stage_machine_allows_declared_steps_only(world):
    users = world["users"]
    project = services.project_create(actor=users["district_officer"], name="和平文创街区", owner=world["ent_a"])
    assert project.stage == Stage.RESERVE
    with pytest.raises(ValidationError) as err:
        services.project_transition(actor=users["city_admin"], project=project, transition="complete", reason="跳级")
    assert "储备" in str(err.value)
    services.project_transition(actor=users["district_officer"], project=project, transition="start_construction",
                                reason="已开工")
    project.refresh_from_db()
    assert project.stage == Stage.UNDER_CONSTRUCTION
    with pytest.raises(PermissionDenied):  # terminating is the city's
        services.project_transition(actor=users["district_officer"], project=project, transition="terminate",
                                    reason="资金断裂")
    with pytest.raises(PermissionDenied):  # another district's officer
        services.project_transition(actor=users["other_district"], project=project, transition="complete",
                                    reason="建成")
    assert ProjectTransition.objects.filter(project=project).count() == 1


def test_submission_refused_with_reasons_and_nothing_written(world):
    user = world["users"]["enterprise_user"]
    app = services.application_save(actor=user, call=world["call"], enterprise=world["ent_a"],
                                    data={"title": "小项目", "summary": "短"})
    with pytest.raises(ValidationError) as err:
        services.application_submit(actor=user, application=app)
    fields = err.value.message_dict
    assert {"summary", "planned_investment", "answer_jobs", "file_plan", "file_licence"} <= set(fields)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT and app.submitted_at is None


def test_ineligible_enterprise_refused(world):
    ent = world["ent_a"]
    ent.credit_code = "91110101MA00000010"  # Beijing's division code (valid check char is computed below)
    from wenzhi.registry.validators import uscc_check_char

    ent.credit_code = ent.credit_code[:17] + uscc_check_char(ent.credit_code[:17])
    ent.save(update_fields=["credit_code"])
    app = draft(world)
    with pytest.raises(ValidationError) as err:
        services.application_submit(actor=None, application=app)
    assert "天津" in "".join(err.value.message_dict["eligibility"])


def test_overdue_progress_report_hook_and_already_funded(world):
    app = draft(world)
    eligibility.register_overdue_check(lambda enterprise: enterprise.pk == world["ent_a"].pk)
    try:
        assert "逾期" in "".join(eligibility.eligibility_problems(app))
    finally:
        eligibility._overdue_checks.clear()
    project = services.project_create(actor=None, name=app.title, owner=world["ent_a"])
    services.project_funding_add(actor=None, project=project, source=FundingSource.SPECIAL_FUND,
                                 amount=Decimal("1000000"), year=2025)
    assert any("重复申报" in p for p in eligibility.eligibility_problems(app))


def test_attachment_type_and_size_checked(world):
    app = services.application_save(actor=None, call=world["call"], enterprise=world["ent_a"], data={"title": "甲"})
    with pytest.raises(ValidationError) as err:
        services.application_attach(actor=None, application=app, kind="plan", uploaded=pdf("plan.exe"))
    assert "pdf" in str(err.value)
    with pytest.raises(ValidationError) as err:  # renamed: not a PDF inside
        services.application_attach(actor=None, application=app, kind="plan", uploaded=pdf("plan.pdf", b"MZ\x90"))
    assert "内容不是" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.application_attach(actor=None, application=app, kind="licence",
                                    uploaded=pdf("big.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024 + 1)))
    assert "5 MB" in str(err.value)
    assert not app.files.exists()


def test_late_submission_refused(world):
    user = world["users"]["enterprise_user"]
    app = draft(world, actor=user)
    call = world["call"]
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.opens_at = call.closes_at - dt.timedelta(days=5)
    call.save(update_fields=["closes_at", "opens_at"])
    with pytest.raises(ValidationError) as err:
        services.application_submit(actor=user, application=app)
    assert "截止" in str(err.value)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.DRAFT


def test_enterprise_applies_only_for_itself(world):
    with pytest.raises(PermissionDenied):
        services.application_save(actor=world["users"]["enterprise_user"], call=world["call"],
                                  enterprise=world["ent_b"], data={"title": "冒名申报"})


def test_conflicts_of_interest_refused(world, users):
    users_ = world["users"]
    app = draft(world, actor=users_["enterprise_user"])
    services.application_submit(actor=users_["enterprise_user"], application=app)
    services.district_review(actor=users_["district_officer"], application=app, recommend=True, opinion="推荐")
    from wenzhi.core.services import user_create

    employed = user_create(username="u_expert_emp", password=None, roles=["expert_reviewer"],
                           organisation=world["ent_a"].organisation)
    with pytest.raises(ValidationError) as err:
        services.expert_assign(actor=users_["city_admin"], application=app, expert=employed)
    assert "任职于申报单位" in str(err.value)
    local = user_create(username="u_expert_hp", password=None, roles=["expert_reviewer"], organisation=world["orgs"]["heping"])
    with pytest.raises(ValidationError) as err:
        services.expert_assign(actor=users_["city_admin"], application=app, expert=local)
    assert "回避" in str(err.value)
    expert = world["experts"][2]
    services.conflict_declare(actor=expert, enterprise=world["ent_a"], reason="曾为其顾问")
    with pytest.raises(ValidationError):
        services.expert_assign(actor=users_["city_admin"], application=app, expert=expert)
    assert not app.assignments.exists()


def test_scores_checked_and_review_deadline_enforced(world):
    app = reviewed(world)
    users = world["users"]
    other = draft(world, title="另一个项目", actor=users["enterprise_user"])
    with pytest.raises(ValidationError) as err:  # not assigned
        services.review_save(actor=users["expert_reviewer"], application=other, scores={"culture": 5})
    assert "未分配" in str(err.value)
    from wenzhi.core.services import user_create

    fresh = user_create(username="u_expert_4", password=None, roles=["expert_reviewer"], organisation=None)
    services.expert_assign(actor=users["city_admin"], application=app, expert=fresh)
    with pytest.raises(ValidationError) as err:
        services.review_save(actor=fresh, application=app, scores={"culture": 11})
    assert "score_culture" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.review_save(actor=fresh, application=app, scores={"culture": 5},
                             now=world["call"].review_deadline + dt.timedelta(seconds=1))
    assert "截止" in str(err.value)
    assert not Review.objects.filter(expert=fresh).exists()


def test_ranking_decide_notice_publish(world):
    users = world["users"]
    app = reviewed(world)
    from ..selectors import call_ranking

    rows = call_ranking(call=world["call"])
    assert rows[0].application.pk == app.pk and rows[0].count == 3
    assert rows[0].trimmed_mean == float(Review.objects.get(application=app, expert=world["experts"][1]).total)
    decision = services.application_decide(actor=users["city_admin"], application=app, outcome=Outcome.CITY_KEY,
                                           reason="得分第一", version=app.version)
    assert decision.rank == 1 and decision.score is not None
    with pytest.raises(StaleEdit):  # a second official read the old version
        services.application_decide(actor=users["city_admin"], application=app, outcome=Outcome.REJECTED,
                                    reason="不同意", version=app.version)
    today = timezone.localdate()
    notice = services.notice_open(actor=users["city_admin"], call=world["call"], title="拟入选项目公示",
                                  opens_on=today, closes_on=today + dt.timedelta(days=5))
    objection = services.objection_submit(notice=notice, name="张三", contact="13800000000",
                                          text="该项目投资额与实际不符，请核实。", application=app)
    with pytest.raises(ValidationError):
        services.notice_publish(actor=users["city_admin"], notice=notice)  # period still open
    services.objection_answer(actor=users["city_admin"], objection=objection, answer="经核实，投资额属实。")
    notice.opens_on, notice.closes_on = today - dt.timedelta(days=8), today - dt.timedelta(days=1)
    notice.save(update_fields=["opens_on", "closes_on"])
    with pytest.raises(ValidationError):
        services.objection_submit(notice=notice, name="李四", contact="x", text="公示期后的异议内容内容内容")
    services.notice_publish(actor=users["city_admin"], notice=notice)
    notice.refresh_from_db()
    app.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert app.project is not None and app.project.level == ProjectLevel.CITY_KEY
    assert Project.objects.filter(owner=world["ent_a"]).count() == 1
    with pytest.raises(ValidationError):
        services.application_decide(actor=users["city_admin"], application=app, outcome=Outcome.REJECTED,
                                    reason="改变主意")


def test_upheld_objection_withdraws_the_decision(world):
    users = world["users"]
    admin = users["city_admin"]
    app, other = reviewed(world), reviewed(world, scores=(6, 6, 6, 6))
    services.application_decide(actor=admin, application=app, outcome=Outcome.CITY_KEY, reason="得分第一",
                                version=app.version)
    services.application_decide(actor=admin, application=other, outcome=Outcome.RESERVE, reason="储备",
                                version=other.version)
    today = timezone.localdate()
    notice = services.notice_open(actor=admin, call=world["call"], title="拟入选项目公示", opens_on=today,
                                  closes_on=today + dt.timedelta(days=5))
    objection = services.objection_submit(notice=notice, name="王五", contact="13900000000",
                                          text="该项目申报材料中的合同系伪造，请核查。", application=app)
    for bad in ({"upheld": True}, {"upheld": True, "outcome": Outcome.CITY_KEY}, {"outcome": Outcome.REJECTED}):
        with pytest.raises(ValidationError) as err:  # no new outcome, the same one, or a change without upholding
            services.objection_answer(actor=admin, objection=objection, answer="经核查情况属实。", **bad)
        assert "outcome" in err.value.message_dict
    objection.refresh_from_db()
    assert objection.answered_at is None and Decision.objects.get(application=app).outcome == Outcome.CITY_KEY
    services.objection_answer(actor=admin, objection=objection, answer="经核查情况属实，撤销入选。", upheld=True,
                              outcome=Outcome.REJECTED)
    decision = Decision.objects.get(application=app)
    objection.refresh_from_db()
    assert decision.outcome == Outcome.REJECTED and "异议成立" in decision.reason
    assert (objection.revised_from, objection.revised_to) == (Outcome.CITY_KEY, Outcome.REJECTED)
    assert decision.history.first().history_change_reason.startswith("入选决定")
    assert objection.history.first().history_user == admin
    assert app.pk not in [d.application_id for d in selected_decisions(world["call"])]  # off the list
    notice.opens_on, notice.closes_on = today - dt.timedelta(days=8), today - dt.timedelta(days=1)
    notice.save(update_fields=["opens_on", "closes_on"])
    services.notice_publish(actor=admin, notice=notice)
    app.refresh_from_db()
    assert app.project is None and Project.objects.filter(owner=world["ent_a"]).count() == 1  # only the reserve
