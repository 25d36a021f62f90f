"""Cinema screens and box office flow from ticket sales into the statistics indicators (``cinema_screens``,
``cinema_box_office``, derived, yearly per district) and from there onto the plan's target page (screens toward
500, box office growth)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.plan import progress
from wenzhi.plan.models import Target
from wenzhi.statistics.selectors import indicator_series, indicator_values

from ..choices import EventKind
from ..models import Hall, Session
from ..services.orders import order_cancel, order_create, order_pay
from . import factories as f

pytestmark = pytest.mark.django_db


def _cinema(district: str, screens: int):
    venue = f.venue(name=f"{district}影城", district=district)
    halls = []
    for n in range(screens):
        hall = f.hall(venue, name=f"{n + 1} 号厅")
        Hall.objects.filter(pk=hall.pk).update(is_screen=True)
        halls.append(hall)
    return halls


def _screening(hall) -> Session:
    show = f.session(hall)
    show.event.kind = EventKind.CINEMA
    show.event.save(update_fields=["kind"])
    return show


def _sell(buyer, show: Session, n: int):
    order, _ = order_pay(actor=buyer, order=order_create(buyer=buyer, session=show, seat_ids=f.seat_ids(show, n)),
                         provider="test")
    return order


def test_screens_and_box_office_reach_the_indicators_and_the_plan(reference_data, users, client_as):
    buyer = users["public"]
    heping = _cinema("和平区", 2)
    hexi = _cinema("河西区", 1)
    this_year = timezone.localdate().year
    # last year: one screening in 和平区 sold 2 × 100 元
    old = _screening(heping[0])
    _sell(buyer, old, 2)
    Session.objects.filter(pk=old.pk).update(starts_at=old.starts_at.replace(year=this_year - 1))
    # this year: three screens with screenings; 3 × 100 元 + 1 × 100 元, and a cancelled order counts nothing
    for hall, seats in ((heping[0], 2), (heping[1], 1), (hexi[0], 1)):
        _sell(buyer, _screening(hall), seats)
    cancelled = _sell(buyer, _screening(heping[1]), 1)
    order_cancel(actor=buyer, order=cancelled)  # refunded in full by the default rule
    # a performance (not a cinema) and a held, unpaid cinema order count nothing
    _sell(buyer, f.session(f.hall(f.venue(name="剧场"))), 1)
    held = _screening(hexi[0])
    order_create(buyer=buyer, session=held, seat_ids=f.seat_ids(held, 1))

    year, last = str(this_year), str(this_year - 1)
    assert dict(indicator_series("cinema_screens")) == {last: Decimal(1), year: Decimal(3)}
    assert dict(indicator_series("cinema_box_office")) == {last: Decimal("0.02"), year: Decimal("0.04")}
    districts = {o.name: o.pk for o in Organisation.objects.filter(level=Level.DISTRICT)}
    assert indicator_values("cinema_screens", year) == {districts["和平区"]: 2, districts["河西区"]: 1}
    assert dict(indicator_series("cinema_box_office", district=districts["河西区"])) == {year: Decimal("0.01")}

    screens = progress.target_progress(Target.objects.get(code="platform_screens"))
    assert (screens.value, screens.period, screens.percent) == (Decimal(3), year, 0)
    growth = progress.target_progress(Target.objects.get(code="platform_box_office_growth"))
    assert (growth.value, growth.period) == (Decimal("100.0"), year)  # 0.02 → 0.04 万元

    page = client_as("district_officer").get(reverse("plan:dashboard")).content.decode()
    assert "文化消费平台实时" in page and "≥ 500 块" in page and "100 %" in page
