"""On a phone (390 × 844): the navigation folds into a menu button that opens it; lists scroll sideways, forms
stack, and the intelligence score bar fills."""

import os

import pytest

from wenzhi.registry.models import Enterprise, Park
from wenzhi.registry.tests.factories import EnterpriseFactory

from .test_shell import shot

pytestmark = pytest.mark.django_db(transaction=True)



def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-Test-12345")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_menu_opens_the_navigation_on_a_phone(users, phone, live_server):
    sign_in(phone, live_server, users["city_admin"].username)
    nav = phone.locator("nav.sidenav")
    toggle = phone.locator("[data-testid=menu-toggle]")
    assert toggle.is_visible() and not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    shot(phone, "phone-home")
    toggle.click()
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    shot(phone, "phone-menu-open")
    phone.click("nav.sidenav a[data-nav=organisations]")
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith("/core/organisations/")
    assert not phone.locator("nav.sidenav").is_visible()  # a new page starts with the menu closed
    # the page itself never scrolls sideways: wide lists scroll inside their own box
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-list")
    phone.locator("[data-testid=menu-toggle]").click()
    phone.keyboard.press("Escape")
    assert not phone.locator("nav.sidenav").is_visible()


def test_desktop_shows_the_navigation_without_a_menu_button(users, login):
    page = login(users["city_admin"].username)
    assert page.locator("nav.sidenav").is_visible()
    assert not page.locator("[data-testid=menu-toggle]").is_visible()


def test_enterprise_page_on_a_phone(users, orgs, phone, live_server):
    Park.objects.create(organisation=orgs["park_a"], name=orgs["park_a"].name, level="municipal",
                        kind="industrial_park", district=orgs["heping"])
    ent = EnterpriseFactory(name="天津和平智能动漫有限公司", district=orgs["heping"], park=orgs["park_a"],
                            business_scope="人工智能技术开发；虚拟现实；动漫设计；大数据服务")
    score = Enterprise.objects.get(pk=ent.pk).intelligent_score
    sign_in(phone, live_server, users["city_admin"].username)
    phone.goto(f"{live_server.url}/registry/enterprises/{ent.pk}/")
    fill = phone.locator(".scorebar-fill")
    bar = phone.locator(".scorebar").bounding_box()
    width = fill.bounding_box()["width"]
    assert score > 0 and abs(width - bar["width"] * min(score, 1.0)) <= 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-enterprise")
    phone.goto(f"{live_server.url}/registry/enterprises/new/")
    # forms stack: every field is as wide as the form
    widths = phone.eval_on_selector_all(".stack-form input[type=text], .stack-form select",
                                        "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and max(widths) - min(widths) <= 2
    # the required mark sits on its label's line
    label = phone.locator("label.required .field-label").first.bounding_box()
    mark = phone.locator("label.required .required-mark").first.bounding_box()
    assert abs(mark["y"] - label["y"]) <= label["height"]
    shot(phone, "phone-form")
    if os.environ.get("WENZHI_SCREENSHOTS"):
        phone.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        phone.goto(f"{live_server.url}/")
        shot(phone, "phone-home-en")
