"""The yearly selection as people click it: the city opens a call → an enterprise applies (draft, attachments,
submit) → its district recommends → the city assigns an expert → the expert scores (running total) → the city
ranks and decides → opens the public notice → publishes the final list, which anyone can read and download.
(Fund allocation and disbursement continue this path once the funds module lands.)"""

import datetime as dt

import pytest
from django.utils import timezone

from wenzhi.registry.models import Park
from wenzhi.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n% plan\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture
def applicant(orgs, users):
    Park.objects.create(organisation=orgs["park_a"], name=orgs["park_a"].name, level="municipal",
                        kind="industrial_park", district=orgs["heping"])
    ent = EnterpriseFactory(name="天津和平甲数字文化有限公司", district=orgs["heping"], park=orgs["park_a"])
    users["enterprise_user"].organisation = ent.organisation
    users["enterprise_user"].save(update_fields=["organisation"])
    return ent


def _local(d: dt.datetime) -> str:
    return timezone.localtime(d).strftime("%Y-%m-%dT%H:%M")


def _open_call(page, live_server) -> str:
    now = timezone.now()
    page.click("nav.sidenav a[data-nav=projects_calls]")
    page.click("text=发布申报批次")
    page.fill("input[name=name]", "2026 年市级重点文化产业项目申报")
    page.fill("input[name=year]", "2026")
    page.fill("input[name=opens_at]", _local(now - dt.timedelta(hours=1)))
    page.fill("input[name=closes_at]", _local(now + dt.timedelta(days=10)))
    page.fill("input[name=review_deadline]", _local(now + dt.timedelta(days=20)))
    page.fill("input[name=budget]", "50000000")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert "2026 年市级重点文化产业项目申报" in page.inner_text("h1")
    return page.url


def _apply(page, call_url, tmp_path) -> str:
    page.goto(call_url)
    page.click("[data-testid=apply]")
    page.fill("input[name=title]", "津门数字文博沉浸式体验项目")
    page.fill("textarea[name=summary]", "运用虚拟现实和人工智能技术打造沉浸式数字文博体验空间，服务市民与游客。")
    page.fill("input[name=planned_investment]", "12000000")
    page.fill("input[name=requested_amount]", "2000000")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert "请上传附件" in page.inner_text("[data-testid=problems]")
    (tmp_path / "plan.pdf").write_bytes(PDF)
    (tmp_path / "licence.png").write_bytes(PNG)
    for kind, name in (("plan", "plan.pdf"), ("licence", "licence.png")):
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", str(tmp_path / name))
        page.click("[data-testid=upload]")
        page.wait_for_load_state("networkidle")
    assert "可以提交" in page.content()
    page.click("[data-testid=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=application-status]") == "已提交"
    return page.url


def test_call_to_published_list(users, applicant, login, live_server, browser, tmp_path):
    def as_user(key):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
        pg = context.new_page()
        pg.goto(f"{live_server.url}/login/")
        pg.fill("input[name=username]", users[key].username)
        pg.fill("input[name=password]", "pw-Test-12345")
        pg.click("button[type=submit]")
        pg.wait_for_load_state("networkidle")
        return pg

    admin = login(users["city_admin"].username)
    call_url = _open_call(admin, live_server)
    app_url = _apply(as_user("enterprise_user"), call_url, tmp_path)

    district = as_user("district_officer")
    district.goto(app_url)
    district.select_option("select[name=recommend]", "1")
    district.fill("textarea[name=opinion]", "项目成熟，同意推荐")
    district.click("[data-testid=district-review]")
    district.wait_for_load_state("networkidle")
    assert district.inner_text("[data-testid=application-status]") == "区级推荐"

    admin.goto(app_url)
    admin.select_option("[data-testid=expert-select]", str(users["expert_reviewer"].pk))
    admin.click("[data-testid=assign]")
    admin.wait_for_load_state("networkidle")
    assert admin.inner_text("[data-testid=application-status]") == "专家评审中"

    expert = as_user("expert_reviewer")
    expert.goto(app_url)
    expert.click("[data-testid=score]")
    for key, value in (("culture", "8"), ("intelligence", "9"), ("market", "7")):
        expert.fill(f"[data-testid=score-{key}]", value)
    from playwright.sync_api import expect

    expect(expert.locator("[data-testid=running-total]")).to_contain_text("3 / 4", timeout=15_000)  # htmx, typing
    assert "已评 3 / 4 项" in expert.inner_text("[data-testid=running-total]")
    expert.fill("[data-testid=score-feasibility]", "8")
    expert.click("[data-testid=submit-review]")
    expert.wait_for_load_state("networkidle")
    assert "加权总分 80.50" in expert.inner_text("[data-testid=review-submitted]")

    admin.goto(call_url)
    admin.click("[data-testid=ranking]")
    ranking = admin.inner_text("[data-testid=ranking]")
    assert "津门数字文博沉浸式体验项目" in ranking and "80.5" in ranking
    app_id = app_url.rstrip("/").rsplit("/", 1)[-1]
    admin.click(f"[data-testid=open-decide-{app_id}]")  # the form is loaded for the row being decided only
    admin.select_option(f"[data-testid=outcome-{app_id}]", "city_key")
    admin.fill(f"[data-testid=reason-{app_id}]", "评审排名第一，智能化水平高")
    admin.click(f"[data-testid=decide-{app_id}]")
    admin.wait_for_load_state("networkidle")
    assert admin.inner_text(f"[data-testid=decided-{app_id}]") == "市级重点项目"

    today = timezone.localdate()
    admin.goto(call_url)
    admin.click("text=发布公示")
    admin.fill("input[name=document_number]", "津文旅发〔2026〕12号")
    admin.fill("input[name=opens_on]", (today - dt.timedelta(days=7)).isoformat())
    admin.fill("input[name=closes_on]", (today - dt.timedelta(days=1)).isoformat())
    admin.click("[data-testid=save]")
    admin.wait_for_load_state("networkidle")
    assert "津门数字文博沉浸式体验项目" in admin.inner_text("[data-testid=notice-list]")
    admin.click("[data-testid=publish]")
    admin.wait_for_load_state("networkidle")
    assert "津门数字文博沉浸式体验项目" in admin.inner_text("[data-testid=final-table]")

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{live_server.url}/projects/public/notices/")
    visitor.click("text=正式入选名单")
    assert "市级重点项目" in visitor.inner_text("[data-testid=final-table]")
    with visitor.expect_download() as download:
        visitor.click("[data-testid=notice-docx]")
    assert download.value.suggested_filename.endswith(".docx")
