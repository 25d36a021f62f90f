"""Seat maps: the row editor's text, spreadsheet import, and the rule that no sold seat is ever lost."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from ..models import Seat, SessionSeat
from ..seatmaps import parse_import, parse_layout, render_layout
from ..services.orders import order_create, order_pay
from ..services.venues import seat_map_apply
from . import factories as f

pytestmark = pytest.mark.django_db


def test_layout_text_reads_zones_aisles_accessible_and_blocked_seats():
    seats = parse_layout("池座 1 AA.aB#")
    assert [(s.number, s.x, s.zone, s.accessible, s.blocked) for s in seats] == [
        (1, 1, "A", False, False), (2, 2, "A", False, False), (3, 4, "A", True, False), (4, 5, "B", False, False),
        (5, 6, None, False, True)]


def test_bad_layout_lines_are_named():
    with pytest.raises(ValidationError) as exc:
        parse_layout("池座 1 AA?A\n只有两段 X")
    text = str(exc.value)
    assert "第 1 行第 3 格" in text and "第 2 行" in text


def test_the_editor_text_round_trips(reference_data):
    hall = f.hall(f.venue())
    text = render_layout(hall.seats.select_related("section", "zone"))
    assert text == f.SMALL_MAP
    assert len(parse_layout(text)) == hall.seats.count()


def test_a_map_change_that_loses_a_sold_seat_is_refused(reference_data, users):
    hall = f.hall(f.venue())
    show = f.session(hall)
    first = f.seat_ids(show, 8)[-1:]  # 池座 1排8座
    order_pay(actor=users["public"], order=order_create(buyer=users["public"], session=show, seat_ids=first),
              provider="test")
    before = Seat.objects.filter(hall=hall).count()
    for layout in ("池座 1 .AAA.AAA\n池座 2 AAa#.#aAA\n楼座 1 BBBBBBBBB",  # row 1 keeps 7 seats: no 8
                   "池座 1 AAAA.AAA#\n池座 2 AAa#.#aAA\n楼座 1 BBBBBBBBB"):  # blocks it
        with pytest.raises(ValidationError, match="已售出"):
            seat_map_apply(actor=users["city_admin"], hall=hall, seats=parse_layout(layout))
    assert Seat.objects.filter(hall=hall).count() == before
    assert SessionSeat.objects.get(session=show, seat_id=first[0]).status == "sold"
    # moving, re-zoning and adding seats keeps the sold one
    result = seat_map_apply(actor=users["city_admin"], hall=hall, seats=parse_layout(
        "池座 1 AAAA.AAAAA\n池座 2 AAa#.#aAA\n楼座 1 BBBBBBBBB\n楼座 2 BBBBBBBBB"))
    assert result["added"] == 10 and result["removed"] == 0
    assert SessionSeat.objects.filter(session=show).count() == Seat.objects.filter(hall=hall, blocked=False).count()


def test_removing_unsold_seats_takes_them_off_sale(reference_data, users):
    hall = f.hall(f.venue())
    show = f.session(hall)
    result = seat_map_apply(actor=users["city_admin"], hall=hall, seats=parse_layout("池座 1 AAAA.AAAA"))
    assert result["removed"] == 17
    assert SessionSeat.objects.filter(session=show).count() == 8


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_import_from_a_spreadsheet(reference_data, users):
    hall = f.hall(f.venue(), layout="池座 1 A")
    upload = _xlsx([["区域", "排", "座号", "横坐标", "纵坐标", "票档", "无障碍", "不可售"],
                    ["池座", "1", 1, 1, 1, "A", "", ""], ["池座", "1", 2, 2, 1, "A", "是", ""],
                    ["池座", "2", 1, 1, 2, "", "", "是"]])
    result = seat_map_apply(actor=users["city_admin"], hall=hall, seats=parse_import(upload, "map.xlsx"))
    assert result["seats"] == 3
    assert Seat.objects.get(hall=hall, row_label="1", number=2).accessible
    assert Seat.objects.get(hall=hall, row_label="2", number=1).blocked


def test_import_errors_name_the_row_and_column():
    upload = _xlsx([["区域", "排", "座号", "横坐标", "纵坐标", "票档"], ["池座", "1", "x", 1, 1, "A"],
                    ["池座", "1", 2, 2, 1, "AA"]])
    with pytest.raises(ValidationError) as exc:
        parse_import(upload, "map.xlsx")
    text = str(exc.value)
    assert "第 2 行" in text and "座号" in text and "第 3 行" in text and "票档" in text
    with pytest.raises(ValidationError, match="缺少“纵坐标”"):
        parse_import(io.BytesIO("区域,排,座号,横坐标\n".encode()), "map.csv")
