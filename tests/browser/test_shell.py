"""What a person sees: each role's navigation and pages, the dashboard charts, the language switch."""

import os

import pytest

from wenzhi.core.choices import Role

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("WENZHI_SCREENSHOTS")  # a folder: save screenshots there to look at them


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def nav_keys(page):
    return set(page.eval_on_selector_all("nav.sidenav a", "els => els.map(e => e.dataset.nav)"))


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_sees_only_its_navigation(role, users, login, live_server):
    page = login(users[role].username)
    assert page.url.rstrip("/") == live_server.url, f"{role} did not land on the dashboard"
    keys = nav_keys(page)
    assert "home" in keys
    officials = {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.PARK_OPERATOR}
    assert ("organisations" in keys) == (role in officials)
    shot(page, f"home-{role}")
    if role not in officials:
        resp = page.goto(f"{live_server.url}/core/organisations/")
        assert resp.status == 403
        assert "无权访问" in page.content()


def test_district_officer_cannot_open_other_district_rows(users, orgs, login, live_server):
    page = login(users["district_officer"].username)
    page.goto(f"{live_server.url}/core/organisations/")
    assert "测试园区甲" in page.content() and "测试园区乙" not in page.content()
    resp = page.goto(f"{live_server.url}/core/organisations/{orgs['park_b'].id}/")
    assert resp.status == 404


def test_dashboard_renders_charts(users, login, live_server):
    page = login(users["city_admin"].username)
    page.wait_for_selector("[data-echarts][data-rendered='1']", timeout=10000)
    charts = page.locator("[data-echarts]")
    assert charts.count() >= 1
    for i in range(charts.count()):
        # ECharts draws into a canvas inside the container once it has rendered.
        assert charts.nth(i).locator("canvas").count() >= 1
    shot(page, "dashboard-admin")


def test_language_switch(users, login, live_server):
    page = login(users["city_admin"].username)
    assert "工作台" in page.content()
    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state("networkidle")
    assert "Dashboard" in page.content()
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "dashboard-en")
    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state("networkidle")
    assert "工作台" in page.content()


def test_login_failure_shows_message(users, page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "u_public")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.content()
