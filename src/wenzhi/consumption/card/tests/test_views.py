"""The card's pages and API as people use them: a resident applies, tops up (a double submit counts once) and
reads the statement on a phone; an operator charges and refunds; exports escape formulas; the API answers 201
for money moved and 200 for a retry, and refuses a refund larger than what is left."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .. import services
from ..models import Card, LedgerEntry

pytestmark = pytest.mark.django_db


def test_resident_applies_tops_up_once_and_reads_the_statement(client_as, users, programme):
    c = client_as("public")
    assert "申领文化惠民卡" in c.get(reverse("card:mine")).content.decode()
    c.post(reverse("card:apply"), {"holder_name": "", "id_number": ""})
    card = Card.objects.get(holder=users["public"])
    page = c.get(reverse("card:mine")).content.decode()
    assert card.number in page and 'name="client_key"' in page
    for _ in range(2):  # the same form sent twice (a double tap, a retry)
        c.post(reverse("card:topup"), {"amount": "25.50", "client_key": "form-key-1"})
    card.refresh_from_db()
    assert card.balance_fen == 25_50 and card.entries.count() == 1
    page = c.get(reverse("card:mine")).content.decode()
    assert "25.50" in page
    response = c.get(reverse("card:statement") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[2]][3] == "25.50"


def test_topup_with_three_decimals_is_refused_with_the_field(client_as, users, card):
    c = client_as("public")
    response = c.post(reverse("card:topup"), {"amount": "1.234", "client_key": "k"}, follow=True)
    assert "充值金额" in response.content.decode()
    assert LedgerEntry.objects.count() == 0


def test_operator_charges_and_refunds_and_the_settlement_escapes_formulas(client_as, users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=200_00, client_key="t")
    c = client_as("venue_operator")
    merchant = programme["merchant"]
    c.post(reverse("card:merchant_charge", args=[merchant.pk]), {
        "card_number": card.number, "amount": "100", "item_category": "performance",
        "reference": "=HYPERLINK(\"http://x\")", "client_key": "c1"})
    redemption = card.redemptions.get()
    assert (redemption.card_fen, redemption.subsidy_fen) == (70_00, 30_00)
    response = c.post(reverse("card:redemption_refund", args=[redemption.pk]),
                      {"amount": "150", "client_key": "x"}, follow=True)
    assert "超过可退金额" in response.content.decode()
    c.post(reverse("card:redemption_refund", args=[redemption.pk]), {"amount": "100", "client_key": "y"})
    card.refresh_from_db()
    assert card.balance_fen == 200_00
    month = redemption.created_at.strftime("%Y-%m")
    response = c.get(reverse("card:merchant_settlement", args=[merchant.pk]) + f"?month={month}")
    book = load_workbook(io.BytesIO(response.content))
    refs = [row[3] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert refs and all(r.startswith("'=") for r in refs)
    notes: dict = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True)}
    assert notes["应结算合计（元）"] == "0.00" and notes["消费金额（元）"] == "100.00"


def test_officials_see_budget_rules_and_ledger_check(client_as, programme):
    page = client_as("city_admin").get(reverse("card:subsidy")).content.decode()
    assert "演出补贴" in page and 'data-testid="ledger-check"' in page
    assert client_as("district_officer").get(reverse("card:subsidy")).status_code == 200
    assert client_as("venue_operator").get(reverse("card:subsidy")).status_code == 403


def test_api_topup_retry_redemption_and_refund(client_as, users, card, programme):
    resident = client_as("public")
    url = "/api/v1/card/mine/topups/"
    first = resident.post(url, {"amount_fen": 100_00, "client_key": "net-1"}, content_type="application/json")
    retry = resident.post(url, {"amount_fen": 100_00, "client_key": "net-1"}, content_type="application/json")
    assert (first.status_code, retry.status_code) == (201, 200) and retry.json()["balance_fen"] == 100_00
    assert resident.get("/api/v1/card/mine/").json()["card"]["balance_fen"] == 100_00
    assert resident.get("/api/v1/card/mine/entries/").json()["count"] == 1
    operator = client_as("venue_operator")
    body = {"card_number": card.number, "merchant": programme["merchant"].pk, "amount_fen": 50_00,
            "client_key": "pos-1", "item_category": "performance"}
    sale = operator.post("/api/v1/card/redemptions/", body, content_type="application/json")
    assert sale.status_code == 201 and sale.json()["subsidy_fen"] == 15_00
    refund_url = f"/api/v1/card/redemptions/{sale.json()['id']}/refunds/"
    too_much = operator.post(refund_url, {"amount_fen": 50_01, "client_key": "r"}, content_type="application/json")
    assert too_much.status_code == 400 and "超过可退金额" in str(too_much.json())
    ok = operator.post(refund_url, {"amount_fen": 50_00, "client_key": "r"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["card_fen"] == 35_00
    extra = resident.post(url, {"amount_fen": 1, "client_key": "k", "balance_fen": 9}, content_type="application/json")
    assert extra.status_code == 400 and "balance_fen" in extra.json()["errors"]
