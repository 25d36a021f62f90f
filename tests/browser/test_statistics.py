"""Statistics as people click through it: a district officer opens the quarter's report, types the figures
(each saved as typed, a wrong one answered in its cell), submits; the city administrator approves and the
period locks."""

import pytest

from wenzhi.statistics.models import DataValue, Submission
from wenzhi.statistics.tests.conftest import GOOD

pytestmark = pytest.mark.django_db(transaction=True)


def _type(page, code: str, value: str, expected: str = "已保存") -> None:
    """Type into a cell as a person does (the grid saves it after a pause) and wait for the cell's answer."""
    from playwright.sync_api import expect

    page.locator(f"[data-testid=cell-{code}]").fill(value)
    expect(page.locator(f"[data-testid=status-{code}]")).to_contain_text(expected)


def test_district_enters_and_submits_city_approves(users, login, live_server):
    page = login(users["district_officer"].username)
    page.click("nav.sidenav a[data-nav=statistics_reports]")
    page.click("[data-testid=open-report] button")
    page.wait_for_load_state("networkidle")
    assert "区文化产业季度统计报表 · 和平区" in page.inner_text("h1")
    _type(page, "screens", "四十五", "影院银幕数”应填数字，“四十五”不是数字")
    _type(page, "units", "-3", "不能为负数")
    for code, value in GOOD.items():
        _type(page, code, value)
    assert DataValue.objects.filter(organisation=users["district_officer"].organisation).count() == len(GOOD)
    page.reload()
    assert page.input_value("[data-testid=cell-screens]") == "45"
    page.click("[data-testid=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=report-status]").startswith("已上报")
    assert page.locator("[data-testid=cell-screens]").count() == 0  # no editing while it awaits approval

    page.context.clear_cookies()
    page = login(users["city_admin"].username)
    report = Submission.objects.get()
    page.goto(f"{live_server.url}/statistics/completeness/?period={report.period.code}")
    page.click(f"text={report.organisation.name}")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=report-status]") == "已审核 · 已锁定"
    report.refresh_from_db()
    assert report.locked and report.approved_by == users["city_admin"]

    # The city drafts the quarter's bulletin from the approved figures, checks and approves it, and issues it.
    from wenzhi.core.documents import cjk_font_available
    from wenzhi.statistics.bulletin.models import Bulletin

    page.click("nav.sidenav a[data-nav=statistics_bulletins]")
    page.click("text=起草通报")
    page.fill("input[name=period]", report.period.code)
    page.click("button:has-text('生成草稿')")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-status]") == "草稿"
    assert page.locator(".bulletin .figure-ref").count() > 0  # every figure marked with the query it comes from
    page.click("[data-action=approve]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-status]") == "已审核"
    if not cjk_font_available():
        pytest.skip("the CJK font for the PDF is not installed (make assets): issue not clicked")
    page.click("[data-action=issue]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-status]") == "已印发"
    bulletin = Bulletin.objects.get()
    assert bulletin.document_number in page.inner_text("main") and bulletin.pdf and bulletin.docx
