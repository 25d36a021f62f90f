"""``pgsql.load``: a row a statement returned becomes the instance the ORM would load, built without
``Model.__init__`` only where nothing hooks into building one."""

from __future__ import annotations

from decimal import Decimal

from django.db.models.signals import post_init

from wenzhi.consumption.models import Order
from wenzhi.core import pgsql


def _row():
    values: dict[str, object] = {f.attname: None for f in Order._meta.concrete_fields}
    values.update(id=7, number="n-7", session_id=3, buyer_id=5, status="pending", total=Decimal("10.00"))
    return [values[f.attname] for f in Order._meta.concrete_fields]


def test_load_leaves_the_instance_as_from_db_does():
    row = _row()
    built = pgsql.load(Order, [0, 0, *row], 2)
    orm = Order.from_db("default", [f.attname for f in Order._meta.concrete_fields], row)
    assert {k: v for k, v in vars(built).items() if k != "_state"} == \
        {k: v for k, v in vars(orm).items() if k != "_state"}
    assert (built._state.adding, built._state.db) == (orm._state.adding, orm._state.db) == (False, "default")
    assert built.pk == 7 and built.total == Decimal("10.00") and built.get_status_display()


def test_load_goes_through_from_db_where_a_receiver_listens():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Order)
    try:
        built = pgsql.load(Order, _row())
    finally:
        post_init.disconnect(receiver, sender=Order)
    assert seen == [built]


def test_an_instance_built_for_a_written_row_is_the_one_model_init_makes_stored():
    from datetime import UTC, datetime

    from wenzhi.consumption.models import Session
    from wenzhi.consumption.services.orders import _built
    from wenzhi.core.models import User

    session, buyer = Session(pk=3, hall_id=2, event_id=1), User(pk=5, username="b")
    at = datetime(2026, 12, 3, tzinfo=UTC)
    values = {"number": "n-7", "total": Decimal("10.00"), "seat_count": 2, "held_until": at, "created_at": at}
    built = _built(Order, dict(values), session=session, buyer=buyer)
    orm = Order(**values, session=session, buyer=buyer)
    assert {k: v for k, v in vars(built).items() if k != "_state"} == \
        {k: v for k, v in vars(orm).items() if k != "_state"}
    assert built.session is session and built.buyer is buyer and built.session_id == 3 and built.buyer_id == 5
    assert (built._state.adding, built._state.db) == (False, "default")
    assert built.status == "pending" and built.refunded == Decimal("0.00") and built.note == "" and built.pk is None


def test_rows_reads_timestamps_as_django_does(db):
    """``rows`` reads timestamptz with psycopg's C loader: the same aware values, in the same zone, as Django's."""
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    sql = "SELECT %s::timestamptz, now(), '2026-12-03 13:30:01.5+08'::timestamptz"
    from datetime import UTC, datetime

    when = datetime(2026, 12, 3, 5, 30, 1, 123456, tzinfo=UTC)
    mine = pgsql.rows(sql, [when])[0]
    with connection.cursor() as cursor:
        cursor.execute(sql, [when])
        theirs = cursor.fetchone()
    assert mine[0] == when and [v.tzinfo for v in mine] == [v.tzinfo for v in theirs]
    assert (mine[0], mine[2]) == (theirs[0], theirs[2]) and mine[2].isoformat() == theirs[2].isoformat()
