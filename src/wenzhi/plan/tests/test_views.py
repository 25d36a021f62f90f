"""The plan pages and API as people use them: the dashboard shows live values and 暂无数据 with the source,
exports xlsx; the city edits a task (409 when stale); the API lists targets with progress and tasks."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from wenzhi.core.exceptions import version_of

from ..models import Target, Task

pytestmark = pytest.mark.django_db


def test_dashboard_shows_targets_baseline_and_no_data(client_as, reference_data):
    page = client_as("district_officer").get(reverse("plan:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "全市影院银幕数" in html and "≥ 500 块" in html and "暂无数据" in html
    assert "800 亿元 (2016)" in html and "22,640 家 (2016)" in html
    assert "加强智能科技应用" in html


def test_dashboard_exports_xlsx(client_as, reference_data):
    from openpyxl import load_workbook

    response = client_as("city_admin").get(reverse("plan:dashboard") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "全市影院银幕数" in names and len(names) == Target.objects.count()


def test_city_edits_a_task_and_a_stale_form_gets_409(client_as, reference_data):
    task = Task.objects.get(number=5)
    url = reverse("plan:task_edit", args=[task.pk])
    client = client_as("city_admin")
    old = version_of(task)
    data = {"lead_units": task.lead_units, "status": "in_progress", "progress_note": "已启动", "reason": "调度",
            "version": old}
    assert client.post(url, data).status_code == 302
    assert Task.objects.get(pk=task.pk).status == "in_progress"
    stale = client.post(url, {**data, "status": "delayed", "version": old})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert Task.objects.get(pk=task.pk).status == "in_progress"
    detail = client.get(reverse("plan:task_detail", args=[task.pk])).content.decode()
    assert "调度" in detail  # the reason, in the history


def test_evidence_form_refuses_bad_input_with_the_field(client_as, reference_data):
    task = Task.objects.get(number=2)
    client = client_as("district_officer")
    response = client.post(reverse("plan:evidence_add", args=[task.pk]), {"text": "x", "happened_on": "昨天"},
                           follow=True)
    assert "日期" in response.content.decode() and not task.evidence.exists()


def test_api_targets_and_tasks(client_as, reference_data):
    client = client_as("district_officer")
    targets = client.get("/api/v1/plan/targets/").json()
    rows = targets["results"] if isinstance(targets, dict) else targets
    screens = next(r for r in rows if r["code"] == "screens")
    assert screens["target_low"] == "500.00" and screens["value"] is None and screens["state"] == "no_data"
    tasks = client.get("/api/v1/plan/tasks/").json()
    rows = tasks["results"] if isinstance(tasks, dict) else tasks
    assert len(rows) == 10 and rows[0]["milestones"] and rows[0]["clause"] == "三(一)"
    assert client_as("enterprise_user").get("/api/v1/plan/targets/").status_code == 403
