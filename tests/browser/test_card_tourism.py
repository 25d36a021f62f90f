"""On a phone (390 × 844): a resident applies for a benefit card, tops it up (a double tap counts once) and sees
the balance and history; a visitor opens the tourism boards and the offline district map, which ECharts draws
from the shipped boundaries."""

import pytest

from wenzhi.consumption.card.models import Card
from wenzhi.consumption.tourism import services as tourism

from .test_phone import sign_in
from .test_shell import shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_card_on_a_phone(users, phone, live_server):
    sign_in(phone, live_server, users["public"].username)
    phone.goto(f"{live_server.url}/card/")
    phone.click("[data-testid=apply-submit]")
    phone.wait_for_load_state("networkidle")
    key = phone.input_value("input[name=client_key]")
    phone.fill("input[name=amount]", "30")
    phone.click("[data-testid=topup-submit]")
    phone.wait_for_load_state("networkidle")
    # the same form sent again (a retry after a lost answer): same request key
    phone.eval_on_selector("input[name=client_key]", "(el, key) => { el.value = key; }", key)
    phone.fill("input[name=amount]", "30")
    phone.click("[data-testid=topup-submit]")
    phone.wait_for_load_state("networkidle")
    assert "30.00" in phone.locator("[data-testid=card-balance]").inner_text()
    assert Card.objects.get(holder=users["public"]).balance_fen == 30_00
    assert phone.locator("[data-testid=card-history] li").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-card")


def test_tourism_map_on_a_phone(users, orgs, phone, live_server):
    from decimal import Decimal

    tourism.place_save(actor=users["city_admin"], place=None, data={
        "kind": "site", "name": "和平文化街", "district": orgs["heping"], "longitude": Decimal("117.2"),
        "latitude": Decimal("39.12")})
    phone.goto(f"{live_server.url}/tourism/")
    assert phone.locator("[data-testid=boards] li").count() == 12
    phone.goto(f"{live_server.url}/tourism/map/")
    phone.wait_for_selector("[data-testid=tourism-map][data-rendered='1']", timeout=15000)
    assert phone.locator("[data-testid=tourism-map] canvas").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "phone-tourism-map")
