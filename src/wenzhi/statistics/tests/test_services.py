"""Reporting services: saving values, the workflow submit → approve (lock) → unlock with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.statistics import services
from wenzhi.statistics.models import DataValue, Reminder, SubmissionEvent, ValidationResult

from .conftest import GOOD, LAST

pytestmark = pytest.mark.django_db


def test_cell_save_keeps_the_value_and_reports_a_bad_one_without_saving(report, officer):
    out = services.cell_save(actor=officer, submission=report, code="value_added", text="12.50")
    assert out.error == "" and out.value == Decimal("12.50")
    out = services.cell_save(actor=officer, submission=report, code="value_added", text="十二")
    assert "不是数字" in out.error and "文化产业增加值" in out.error
    out = services.cell_save(actor=officer, submission=report, code="units", text="-3")
    assert "不能为负数" in out.error
    out = services.cell_save(actor=officer, submission=report, code="units", text="3.5")
    assert "整数" in out.error
    assert DataValue.objects.get(indicator__code="value_added").value == Decimal("12.5")
    assert not DataValue.objects.filter(indicator__code="units").exists()


def test_an_error_rule_blocks_submission_and_a_warning_needs_a_comment(filled, officer, city):
    services.cell_save(actor=officer, submission=filled, code="above_scale_units", text="2000")
    results = ValidationResult.objects.filter(period=filled.period)
    assert [r.rule.message for r in results if r.importance == "error"] == ["规模以上文化企业数不能多于文化产业法人单位数。"]
    with pytest.raises(ValidationError, match="规模以上文化企业数不能多于"):
        services.submission_submit(actor=officer, submission=filled)
    services.cell_save(actor=officer, submission=filled, code="above_scale_units", text="80")
    assert not ValidationResult.objects.filter(period=filled.period).exists()
    # A warning (change beyond ±50 % on the previous quarter) can be submitted once explained.
    prev = services.report_open(actor=city, form=filled.form, organisation=filled.organisation, period_code="2026Q2")
    services.values_save(actor=city, submission=prev, values={"value_added": "5"})
    services.cell_save(actor=officer, submission=filled, code="value_added", text="12.5")
    warning = ValidationResult.objects.get(period=filled.period, importance="warning")
    with pytest.raises(ValidationError, match="请说明原因"):
        services.submission_submit(actor=officer, submission=filled)
    with pytest.raises(ValidationError):
        services.result_explain(actor=officer, result=warning, comment="  ")
    services.result_explain(actor=officer, result=warning, comment="新影城开业带动")
    submitted = services.submission_submit(actor=officer, submission=filled)
    assert submitted.status == "submitted" and submitted.on_time is False  # 2026Q3 deadline was 2026-10-15


def test_submit_needs_every_indicator(report, officer):
    services.values_save(actor=officer, submission=report, values={"value_added": "1"})
    with pytest.raises(ValidationError, match="尚有 13 项指标未填报"):
        services.submission_submit(actor=officer, submission=report)


def test_approve_locks_and_unlock_needs_a_reason_and_is_audited(filled, officer, city):
    services.submission_submit(actor=officer, submission=filled)
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=officer, submission=filled)
    approved = services.submission_approve(actor=city, submission=filled)
    assert approved.locked and approved.status == "approved"
    with pytest.raises(ValidationError, match="锁定"):
        services.cell_save(actor=officer, submission=approved, code="value_added", text="13")
    with pytest.raises(ValidationError, match="锁定"):
        services.values_save(actor=city, submission=approved, values={"value_added": "13"})
    with pytest.raises(ValidationError, match="原因"):
        services.submission_unlock(actor=city, submission=approved, reason="")
    unlocked = services.submission_unlock(actor=city, submission=approved, reason="区统计局更正规上企业数")
    assert not unlocked.locked and unlocked.status == "returned"
    event = SubmissionEvent.objects.filter(submission=filled, kind="unlock").get()
    assert event.actor == city and event.comment == "区统计局更正规上企业数"
    services.cell_save(actor=officer, submission=unlocked, code="value_added", text="13")
    assert DataValue.objects.get(indicator__code="value_added", period=filled.period).value == Decimal(13)


def test_a_district_cannot_open_or_write_another_districts_report(users, district_form, binhai, filled):
    other = users["other_district"]
    with pytest.raises(PermissionDenied):
        services.report_open(actor=other, form=district_form, organisation=filled.organisation, period_code=LAST)
    with pytest.raises(PermissionDenied):
        services.cell_save(actor=other, submission=filled, code="value_added", text="1")
    with pytest.raises(PermissionDenied):
        services.values_save(actor=users["district_officer"], submission=services.report_open(
            actor=other, form=district_form, organisation=binhai, period_code=LAST), values=GOOD)


def test_wrong_period_type_and_future_period_are_refused(officer, district_form, heping):
    with pytest.raises(ValidationError, match="季度报表"):
        services.report_open(actor=officer, form=district_form, organisation=heping, period_code="2018")
    with pytest.raises(ValidationError, match="开放"):
        services.report_open(actor=officer, form=district_form, organisation=heping, period_code="2030Q1")
    with pytest.raises(ValidationError, match="不是有效的报告期"):
        services.report_open(actor=officer, form=district_form, organisation=heping, period_code="2018Q5")


def test_values_save_is_all_or_nothing(report, officer):
    with pytest.raises(ValidationError) as err:
        services.values_save(actor=officer, submission=report, values={**GOOD, "screens": "abc", "units": "-1"})
    assert set(err.value.message_dict) == {"screens", "units"}
    assert not DataValue.objects.exists()


def test_form_edit_makes_a_new_version_and_rules_refuse_unknown_indicators(city, district_form):
    codes = [i.code for i in district_form.indicators()]
    same = services.form_update(actor=city, form=district_form, data={}, indicator_codes=codes)
    assert same.version == 1
    changed = services.form_update(actor=city, form=district_form, data={}, indicator_codes=codes[:-1])
    assert changed.version == 2 and len(changed.indicators()) == len(codes) - 1
    with pytest.raises(ValidationError) as err:
        services.rule_create(actor=city, name="坏规则", left="screens_total", operator="<=", right="units",
                             importance="error", message="x")
    assert "screens_total" in err.value.message_dict["left"][0]
    with pytest.raises(ValidationError) as err:
        services.rule_create(actor=city, name="坏规则", left="__import__('os')", operator="<=", right="1",
                             importance="error", message="x")
    assert "left" in err.value.message_dict


def test_reminders_go_to_late_reporters_in_app_and_by_mail(city, users, district_form, mailoutbox, heping,
                                                          django_capture_on_commit_callbacks):
    officer = users["district_officer"]
    officer.email = "heping@example.org"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(actor=city, form=district_form, period_code=LAST)
    assert sent["organisations"] == 16 and sent["email"] == 1
    assert len(mailoutbox) == 1 and "区文化产业季度统计报表" in mailoutbox[0].subject
    assert Reminder.objects.filter(recipient=officer, channel="in_app", organisation=heping).count() == 1
    with pytest.raises(PermissionDenied):
        services.reminders_send(actor=officer, form=district_form, period_code=LAST)


def test_remind_command_reminds_late_reporters(users, district_form, capsys):
    from django.core.management import call_command

    from wenzhi.statistics.models import Reminder

    call_command("statistics_remind", "--period", LAST, "--no-email")
    assert "逾期单位 16 个" in capsys.readouterr().out
    assert Reminder.objects.filter(recipient=users["district_officer"]).count() == 1


def test_an_enterprise_reports_only_its_own_figures(users, orgs, reference_data):
    from wenzhi.statistics.models import ReportingForm

    ent_user = users["enterprise_user"]
    yearly = ReportingForm.objects.get(code="enterprise_yearly")
    own = services.report_open(actor=ent_user, form=yearly, organisation=orgs["ent_a"], period_code="2025")
    assert own.district == orgs["heping"]
    with pytest.raises(ValidationError, match="关闭"):  # the 2025 yearly report closed 120 days after the year
        services.cell_save(actor=ent_user, submission=own, code="revenue", text="3.2")
    with pytest.raises(PermissionDenied):
        services.report_open(actor=ent_user, form=yearly, organisation=orgs["ent_b"], period_code="2025")
    with pytest.raises(ValidationError, match="由各区填报"):
        services.report_open(actor=ent_user, form=ReportingForm.objects.get(code="district_quarterly"),
                             organisation=orgs["ent_a"], period_code=LAST)


def test_an_approval_between_opening_and_saving_is_respected(filled, officer, city):
    services.submission_submit(actor=officer, submission=filled)
    stale_copy = type(filled).objects.get(pk=filled.pk)
    services.submission_approve(actor=city, submission=filled)
    with pytest.raises(ValidationError, match="锁定"):
        services.values_save(actor=city, submission=stale_copy, values={"screens": "1"})
    assert DataValue.objects.get(indicator__code="screens", period=filled.period).value == 45
