"""On a phone (390 × 844): a resident finds a show from the menu, searches and filters the listing, opens the
session, taps two seats on the SVG map, holds them, pays with the test provider and sees the e-tickets with their
QR codes. The page never scrolls sideways (a wide hall scrolls inside its own box) and the seats are big enough
to tap."""

from datetime import timedelta

import pytest

from wenzhi.consumption.choices import EventKind, OrderStatus, SeatStatus
from wenzhi.consumption.conftest import clear_order_caches
from wenzhi.consumption.models import Order, SessionSeat
from wenzhi.consumption.tests import factories as f

from .test_phone import sign_in
from .test_shell import shot

pytestmark = pytest.mark.django_db(transaction=True)
WIDE_HALL = "池座 1 " + "A" * 12 + "." + "A" * 12 + "\n池座 2 " + "A" * 25 + "\n楼座 1 " + "B" * 25


@pytest.fixture(autouse=True)
def _fresh_order_caches():
    clear_order_caches()
    yield
    clear_order_caches()


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_resident_buys_two_seats_on_a_phone(users, phone, live_server, reference_data):
    hall = f.hall(f.venue(name="天津大剧院"), layout=WIDE_HALL)
    wanted = f.session(hall, starts_in=timedelta(days=2))
    wanted.event.title = "雷雨"
    wanted.event.save(update_fields=["title"])
    other = f.session(f.hall(f.venue(name="河西影城", district="河西区")), starts_in=timedelta(days=1))
    other.event.title = "流浪地球"
    other.event.kind = EventKind.CINEMA
    other.event.save(update_fields=["title", "kind"])

    sign_in(phone, live_server, users["public"].username)
    phone.locator("[data-testid=menu-toggle]").click()
    phone.click("nav.sidenav a[data-nav=consumption]")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("[data-testid=session-list] li").count() == 2
    _no_sideways_scroll(phone)
    shot(phone, "phone-tickets-listing")

    phone.fill("[data-testid=listing-filters] input[name=q]", "雷雨")
    phone.select_option("[data-testid=listing-filters] select[name=kind]", EventKind.PERFORMANCE)
    phone.click("[data-testid=listing-filters] button")
    phone.wait_for_load_state("networkidle")
    cards = phone.locator("[data-testid=session-list] li")
    assert cards.count() == 1 and "雷雨" in cards.inner_text()
    _no_sideways_scroll(phone)
    cards.locator("a").click()
    phone.wait_for_load_state("networkidle")

    seat_map = phone.locator("[data-testid=seat-map]")
    assert seat_map.is_visible()
    _no_sideways_scroll(phone)  # the hall is wider than the phone: its box scrolls, not the page
    wrap = phone.locator(".cx-map-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth && el.clientWidth <= 390")
    seats = phone.locator(".cx-seat.cx-available")
    box, neighbour = seats.first.bounding_box(), seats.nth(1).bounding_box()
    # a fingertip's target (WCAG 2.5.8): at least 24 px between seat centres, the seat itself clearly visible
    assert box and neighbour and box["width"] >= 18 and neighbour["x"] - box["x"] >= 24, (box, neighbour)
    far = seats.nth(24)  # the end of the first row, off screen until the box scrolls
    far.scroll_into_view_if_needed()
    far.tap()
    seats.nth(23).tap()
    assert phone.locator(".cx-seat.cx-picked").count() == 2
    assert "、" in phone.locator("#seat-picked").inner_text()
    buy = phone.locator("[data-testid=order-seats]")
    assert buy.is_enabled() and buy.is_visible()
    shot(phone, "phone-tickets-seats")
    buy.click()
    phone.wait_for_load_state("networkidle")

    order = Order.objects.get(buyer=users["public"])
    assert order.status == OrderStatus.PENDING and order.seat_count == 2
    _no_sideways_scroll(phone)
    phone.select_option("select[name=provider]", "test")
    phone.click("[data-testid=pay]")
    phone.wait_for_load_state("networkidle")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert SessionSeat.objects.filter(order=order, status=SeatStatus.SOLD).count() == 2
    tickets = phone.locator("[data-testid=ticket]")
    assert tickets.count() == 2
    for i in range(2):
        qr = tickets.nth(i).locator(".cx-qr svg")
        assert qr.is_visible()
        qr_box = qr.bounding_box()
        assert qr_box and 120 <= qr_box["width"] <= 390  # scannable, and within the screen
    _no_sideways_scroll(phone)
    shot(phone, "phone-tickets-eticket")
