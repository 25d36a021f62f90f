"""Progress and checks: quarterly reports with milestone evidence, reminders and overdue notices (in-app and
e-mail), the eligibility check for overdue reports, stalled projects, near-duplicates, double funding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .. import services
from ..eligibility import has_overdue_progress_report
from ..models import Application, InboxMessage, ProgressReport
from ..selectors_progress import (
    double_funding_flags,
    duplicate_matches,
    overdue_projects,
    stalled_projects,
    visible_duplicates,
)
from ..services import funds as fund_services
from ..services import progress as svc
from .funds_world import fund, selected

pytestmark = pytest.mark.django_db


def _project(world, stage="under_construction", since=dt.date(2025, 1, 1)):
    p = services.project_create(actor=None, name="津门数字文博项目", owner=world["ent_a"], stage=stage,
                                description="数字文博")
    p.stage_changed_on = since
    p.save(update_fields=["stage_changed_on"])
    return p


def test_quarter_arithmetic():
    assert svc.quarter_end(2026, 1) == dt.date(2026, 3, 31)
    assert svc.quarter_due(2026, 4) == dt.date(2027, 1, 15)
    assert svc.last_due_quarter(dt.date(2026, 4, 15)) == (2025, 4)
    assert svc.last_due_quarter(dt.date(2026, 4, 16)) == (2026, 1)


def test_owner_reports_with_evidence_marks_milestone_done(world):
    p = _project(world)
    m = services.milestone_add(actor=None, project=p, title="主体完工", due=dt.date(2025, 6, 30))
    user = world["users"]["enterprise_user"]
    report = svc.progress_report_submit(actor=user, project=p, year=2025, quarter=2,
                                        investment_completed=Decimal("3000000"), progress="主体结构完工，进入装修阶段。",
                                        milestone=m, evidence=SimpleUploadedFile("验收.pdf", b"%PDF-1.4"))
    m.refresh_from_db()
    p.refresh_from_db()
    assert m.done_on is not None and "验收" in m.evidence
    assert p.completed_investment == Decimal("3000000")
    assert report.evidence.name.endswith(".pdf")
    with pytest.raises(ValidationError) as exc:  # same quarter twice
        svc.progress_report_submit(actor=user, project=p, year=2025, quarter=2, investment_completed=Decimal(0),
                                   progress="再报一次，看看会不会被拒绝。")
    assert "quarter" in exc.value.message_dict


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"quarter": 5}, "quarter"),
    ({"year": 2099}, "quarter"),
    ({"progress": "太短"}, "progress"),
    ({"evidence": SimpleUploadedFile("x.exe", b"MZ")}, "evidence"),
])
def test_bad_report_refused_nothing_written(world, kwargs, field):
    p = _project(world)
    args: dict = {"year": 2025, "quarter": 3, "investment_completed": Decimal(1), "progress": "正常推进，完成设备采购。"}
    args.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        svc.progress_report_submit(actor=world["users"]["enterprise_user"], project=p, **args)
    assert field in exc.value.message_dict
    assert ProgressReport.objects.count() == 0


def test_other_enterprise_cannot_report(world):
    p = services.project_create(actor=None, name="别人的项目", owner=world["ent_b"], stage="incubating")
    with pytest.raises(PermissionDenied):
        svc.progress_report_submit(actor=world["users"]["enterprise_user"], project=p, year=2025, quarter=1,
                                   investment_completed=Decimal(0), progress="不是自己的项目也想填报。")


def test_overdue_list_eligibility_and_messages(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = world["users"]["enterprise_user"]
    user.email = "owner@example.com"
    user.save(update_fields=["email"])
    p = _project(world)
    today = timezone.localdate()
    y, q = svc.last_due_quarter(today)
    assert p in overdue_projects(today=today)
    assert has_overdue_progress_report(world["ent_a"])
    assert not has_overdue_progress_report(world["ent_b"])
    with pytest.raises(PermissionDenied):
        svc.reminders_send(actor=world["users"]["enterprise_user"])
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = svc.reminders_send(actor=world["users"]["city_admin"], today=today)
    assert sent["overdue"] == 2  # owner and district
    assert InboxMessage.objects.filter(organisation=world["ent_a"].organisation, kind="overdue").count() == 1
    assert any("逾期" in m.subject for m in mail.outbox)
    assert svc.reminders_send(actor=world["users"]["city_admin"], today=today)["overdue"] == 0  # sent once
    svc.progress_report_submit(actor=user, project=p, year=y, quarter=q, investment_completed=Decimal(0),
                               progress="本季度完成内容策划和设备招标。")
    assert p not in overdue_projects(today=today)
    assert not has_overdue_progress_report(world["ent_a"])


def test_stalled_projects(world):
    old = _project(world, stage="incubating", since=timezone.localdate() - dt.timedelta(days=400))
    _project(world, stage="incubating", since=timezone.localdate() - dt.timedelta(days=30))
    rows = stalled_projects()
    assert [r.project for r in rows] == [old]
    assert rows[0].days >= 400
    assert stalled_projects(user=world["users"]["other_district"]) == []


TEXT = ("项目依托人工智能开展非遗数字化采集与展示。项目建设数字内容制作中心和沉浸式展演空间,引入虚拟制作技术服务本地影视企业。"
        "建成后预计年营业收入4000万元,带动就业300人。")


def test_near_duplicate_across_calls_with_passages(world):
    a = Application.objects.create(call=world["call"], enterprise=world["ent_a"], district=world["ent_a"].district,
                                   title="津门数字文化产业园", summary=TEXT)
    b = Application.objects.create(call=world["call"], enterprise=world["ent_b"], district=world["ent_b"].district,
                                   title="海河智慧文创园", summary="建成后预计年营业收入4500万元,带动就业320人。" + TEXT[:-24])
    c = Application.objects.create(call=world["call"], enterprise=world["ent_b"], district=world["ent_b"].district,
                                   title="杨柳青年画工坊", summary="建设木版年画展示馆和体验教室,开发年画衍生品和研学课程。")
    for app in (a, b, c):
        svc.application_fingerprint(application=app)
    matches = duplicate_matches(b)
    assert [m.application for m in matches] == [a]
    assert any("虚拟制作" in p.new and "虚拟制作" in p.old for p in matches[0].passages)
    assert duplicate_matches(c) == []
    assert visible_duplicates(user=world["users"]["enterprise_user"], application=b) == []
    assert [m.application for m in visible_duplicates(user=world["users"]["city_admin"], application=b)] == [a]


def test_same_enterprise_funded_twice_flagged(world):
    apps = selected(world, 2)
    admin = world["users"]["city_admin"]
    f = fund(world)
    alloc = fund_services.allocation_propose(actor=admin, fund=f, call=world["call"], amount=Decimal(2000000))
    fund_services.allocation_approve(actor=admin, allocation=alloc)
    assert double_funding_flags(user=admin) == []
    # the same project funded again from another allocation
    alloc2 = fund_services.allocation_propose(actor=admin, fund=f, call=world["call"], amount=Decimal(2000000))
    fund_services.allocation_approve(actor=admin, allocation=alloc2)
    flags = double_funding_flags(user=admin)
    assert {f.project_name for f in flags} == {a.project.name for a in apps}
    assert all(f.why == "same_project" for f in flags)


def test_reminder_command_and_task(world):
    from django.core.management import call_command

    _project(world)
    from io import StringIO

    out = StringIO()
    call_command("progress_reminders", stdout=out)
    assert "overdue=2" in out.getvalue()
    from ..tasks_funds import progress_reminders_task

    assert progress_reminders_task.call()["overdue"] == 0  # each notice once
