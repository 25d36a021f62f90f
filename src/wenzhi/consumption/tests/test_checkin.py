"""E-tickets and the door: signed QR codes, forged and reused codes, the offline list and its sync."""

from __future__ import annotations

import pytest
from django.core import signing

from ..models import CheckIn, Ticket
from ..services.checkin import (
    SALT,
    offline_key,
    offline_list,
    offline_sync,
    ticket_check_in,
    ticket_qr_svg,
    ticket_token,
)
from ..services.orders import order_cancel, order_create, order_pay
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(reference_data, users):
    show = f.session(f.hall(f.venue(managers=[users["venue_operator"]])))
    order, _ = order_pay(actor=users["public"], order=order_create(buyer=users["public"], session=show,
                                                                      seat_ids=f.seat_ids(show, 2)), provider="test")
    return show, order, list(Ticket.objects.filter(order=order).order_by("pk"))


def test_a_valid_ticket_enters_once(paid, users):
    show, _, tickets = paid
    gate = users["venue_operator"]
    first = ticket_check_in(actor=gate, token=ticket_token(tickets[0]), session=show)
    assert first.ok and "验票通过" in first.message
    again = ticket_check_in(actor=gate, token=ticket_token(tickets[0]), session=show)
    assert not again.ok and again.duplicate and "重复入场" in again.message
    assert CheckIn.objects.count() == 1


def test_forged_codes_are_refused(paid, users):
    _, _, tickets = paid
    gate = users["venue_operator"]
    forged = signing.dumps({"t": tickets[0].pk, "s": tickets[0].secret}, salt=SALT, key="not-our-key")
    guessed = signing.dumps({"t": tickets[0].pk, "s": "0" * 24}, salt=SALT, compress=True)
    for token in (forged, guessed, "garbage", ticket_token(tickets[0])[:-3] + "abc"):
        result = ticket_check_in(actor=gate, token=token)
        assert not result.ok and "无效票码" in result.message
    assert not CheckIn.objects.exists()


def test_a_refunded_ticket_and_another_venue_are_refused(paid, users):
    show, order, tickets = paid
    token = ticket_token(tickets[0])
    order_cancel(actor=users["public"], order=order)
    assert "已退票" in ticket_check_in(actor=users["venue_operator"], token=token).message
    other = f.venue(name="别家剧场", managers=[users["venue_operator"]])
    other_show = f.session(f.hall(other))
    assert "另一场次" in ticket_check_in(actor=users["venue_operator"], token=token, session=other_show).message


def test_an_operator_cannot_admit_at_a_venue_it_does_not_keep(reference_data, users):
    from wenzhi.core.services import user_create

    show = f.session(f.hall(f.venue()))
    order, _ = order_pay(actor=users["public"], order=order_create(buyer=users["public"], session=show,
                                                                      seat_ids=f.seat_ids(show, 1)), provider="test")
    stranger = user_create(username="other_gate", password=None, roles=["venue_operator"], organisation=None)
    result = ticket_check_in(actor=stranger, token=ticket_token(order.tickets.get()))
    assert not result.ok and "不属于您管理的场馆" in result.message


def test_offline_list_and_sync_count_each_entry_once(paid, users):
    show, _, tickets = paid
    gate = users["venue_operator"]
    listing = offline_list(actor=gate, session=show)
    assert {row["key"] for row in listing} == {offline_key(t) for t in tickets}
    assert not any(row["checked_in"] for row in listing)
    ticket_check_in(actor=gate, token=ticket_token(tickets[0]), session=show)  # admitted online meanwhile
    scans = [{"token": ticket_token(t), "scanned_at": "2026-12-02T19:05:00+08:00"} for t in tickets]
    first = offline_sync(actor=gate, session=show, device="gate-2", scans=scans + [{"token": "forged"}])
    assert [r["status"] for r in first] == ["duplicate", "accepted", "refused"]
    again = offline_sync(actor=gate, session=show, device="gate-2", scans=scans)  # the same batch synced twice
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert CheckIn.objects.count() == 2
    assert CheckIn.objects.get(ticket=tickets[1]).source == "offline"


def test_the_ticket_page_shows_a_qr_code(paid, client_as):
    _, order, tickets = paid
    assert ticket_qr_svg(tickets[0]).startswith("<svg")
    page = client_as("public").get(f"/consumption/orders/{order.pk}/")
    assert page.status_code == 200 and page.content.decode().count("<svg") >= 2
