"""Pages: the grid saves a cell as typed (htmx) with a precise cell error; xlsx round trip; the workflow."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wenzhi.statistics import services
from wenzhi.statistics.models import DataValue, Submission

from .conftest import GOOD, LAST

pytestmark = pytest.mark.django_db


def _xlsx(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_pages_render_for_a_district(client_as, report):
    c = client_as("district_officer")
    for name in ("report_list", "completeness", "indicator_list", "form_list", "rule_list", "reminder_list"):
        assert c.get(reverse(f"statistics:{name}")).status_code == 200, name
    page = c.get(reverse("statistics:report_detail", args=[report.pk]))
    assert page.status_code == 200 and "文化产业增加值" in page.content.decode()


def test_open_report_from_the_list(client_as, district_form, heping):
    c = client_as("district_officer")
    r = c.post(reverse("statistics:report_open"), {"form": district_form.pk, "period": LAST, "organisation": heping.pk})
    sub = Submission.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("statistics:report_detail", args=[sub.pk])


def test_cell_answers_its_status_and_a_precise_error(client_as, report):
    c = client_as("district_officer")
    url = reverse("statistics:report_cell", args=[report.pk])
    ok = c.post(url, {"code": "screens", "value": "45"}, HTTP_HX_REQUEST="true").content.decode()
    assert "已保存" in ok and 'id="results"' in ok
    bad = c.post(url, {"code": "screens", "value": "四十五"}).content.decode()
    assert "影院银幕数" in bad and "不是数字" in bad
    neg = c.post(url, {"code": "units", "value": "-2"}).content.decode()
    assert "不能为负数" in neg
    assert DataValue.objects.get(indicator__code="screens").value == 45


def test_xlsx_round_trip_and_refusals(client_as, filled, city, district_form):
    c = client_as("district_officer")
    data = _xlsx(c.get(reverse("statistics:report_download", args=[filled.pk])))
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws["B1"].value == "district_quarterly" and ws["A6"].value == "指标代码"
    row = next(r for r in range(7, 30) if ws.cell(r, 1).value == "screens")
    ws.cell(row, 4).value = 50
    out = io.BytesIO()
    wb.save(out)
    url = reverse("statistics:report_upload", args=[filled.pk])
    r = c.post(url, {"file": _named(out.getvalue())})
    assert r.status_code == 302
    assert DataValue.objects.get(indicator__code="screens").value == 50
    # Text in a number cell: refused naming the cell, nothing written.
    ws.cell(row, 4).value = "很多"
    ws.cell(row - 1, 4).value = 1
    r = c.post(url, {"file": _named(_save(wb))})
    assert r.status_code == 400 and f"D{row} 单元格" in r.content.decode()
    assert DataValue.objects.get(indicator__code="screens").value == 50
    # Shifted columns.
    ws.cell(row, 4).value = 50
    ws.insert_cols(1)
    r = c.post(url, {"file": _named(_save(wb))})
    assert r.status_code == 400 and "列被移动" in r.content.decode()
    # An old form version.
    services.form_update(actor=city, form=district_form, data={},
                         indicator_codes=[i.code for i in district_form.indicators()][:-1])
    r = c.post(url, {"file": _named(data)})
    assert r.status_code == 400 and "第 1 版" in r.content.decode() and "当前为第 2 版" in r.content.decode()


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _named(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("报表.xlsx", data)


def test_upload_to_another_districts_report_is_refused(client_as, users, filled, district_form, binhai):
    other = users["other_district"]
    theirs = services.report_open(actor=other, form=district_form, organisation=binhai, period_code=LAST)
    data = _xlsx(client_as("district_officer").get(reverse("statistics:report_download", args=[filled.pk])))
    c = client_as("other_district")
    r = c.post(reverse("statistics:report_upload", args=[theirs.pk]), {"file": _named(data)})
    assert r.status_code == 400 and "不能上传到“滨海新区”的报表" in r.content.decode()
    # and the district cannot even reach the other district's report
    assert c.post(reverse("statistics:report_upload", args=[filled.pk]), {"file": _named(data)}).status_code == 404


def test_submit_then_approve_through_the_pages(client_as, filled):
    d, c = client_as("district_officer"), client_as("city_admin")
    assert d.post(reverse("statistics:report_submit", args=[filled.pk])).status_code == 302
    assert d.post(reverse("statistics:report_approve", args=[filled.pk])).status_code == 403
    assert c.post(reverse("statistics:report_approve", args=[filled.pk])).status_code == 302
    filled.refresh_from_db()
    assert filled.locked and filled.status == "approved"
    page = d.get(reverse("statistics:report_detail", args=[filled.pk])).content.decode()
    assert "data-testid=\"cell-" not in page  # no editable cells after the lock
    stale = c.post(reverse("statistics:report_unlock", args=[filled.pk]),
                   {"reason": "更正数据", "version": "2020-01-01T00:00:00+08:00"})
    assert stale.status_code == 409
    filled.refresh_from_db()
    assert filled.locked


def test_completeness_and_reminders(client_as, filled, city):
    services.submission_submit(actor=filled.submitted_by or filled.form and _officer(filled), submission=filled)
    page = client_as("city_admin").get(reverse("statistics:completeness") + f"?period={LAST}").content.decode()
    assert 'data-testid="reporting-rate">6.3%' in page
    r = client_as("city_admin").post(reverse("statistics:completeness_remind"),
                                     {"form": "district_quarterly", "period": LAST})
    assert r.status_code == 302
    district_page = client_as("district_officer").get(reverse("statistics:completeness")).content.decode()
    assert "滨海新区" not in district_page


def _officer(report):
    from wenzhi.core.models import User

    return User.objects.get(username="u_district_officer")


__all__ = ["GOOD"]


def test_upload_to_a_locked_period_is_refused(client_as, filled, city):
    data = _xlsx(client_as("district_officer").get(reverse("statistics:report_download", args=[filled.pk])))
    services.submission_submit(actor=_officer(filled), submission=filled)
    services.submission_approve(actor=city, submission=filled)
    r = client_as("city_admin").post(reverse("statistics:report_upload", args=[filled.pk]), {"file": _named(data)})
    assert r.status_code == 400 and "已审核并锁定" in r.content.decode()
