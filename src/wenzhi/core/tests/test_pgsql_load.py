"""``pgsql.load``: a row a statement returned becomes the instance the ORM would load, built without
``Model.__init__`` only where nothing hooks into building one."""

from __future__ import annotations

from decimal import Decimal

import pytest
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


def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def test_rows_takes_named_and_positional_placeholders_and_literal_percents(db):
    _postgresql_only()
    assert pgsql.rows("SELECT %(a)s::int + %(b)s::int, %(a)s::int, '5%%'", {"a": 2, "b": 40}) == [(42, 2, "5%")]
    assert pgsql.rows("SELECT %s::text || %s::text", ["文", "智"]) == [("文智",)]
    # an int too large for the type the first call prepared with: prepared again for its own types
    assert pgsql.rows("SELECT %s::bigint", [1]) == [(1,)] and pgsql.rows("SELECT %s::bigint", [2**40]) == [(2**40,)]


def test_rows_raises_djangos_errors_and_leaves_the_transaction_to_atomic(db):
    from django.db import IntegrityError, transaction

    _postgresql_only()
    from wenzhi.core.models import User

    user = User.objects.create(username="pgsql-rows")
    with pytest.raises(IntegrityError), transaction.atomic():
        pgsql.rows("INSERT INTO core_user SELECT * FROM core_user WHERE id = %s RETURNING id", [user.pk])
    assert User.objects.filter(username="pgsql-rows").count() == 1


@pytest.mark.django_db(transaction=True)
def test_rows_begins_the_transaction_of_an_atomic_block_and_its_rollback_undoes_the_statement():
    from django.db import connection, transaction

    _postgresql_only()
    from wenzhi.core.models import User

    user = User.objects.create(username="pgsql-rows-tx")
    with transaction.atomic():
        pgsql.rows("UPDATE core_user SET first_name = 'a' WHERE id = %s RETURNING id", [user.pk])  # sends BEGIN
        pgsql.rows("UPDATE core_user SET last_name = 'b' WHERE id = %s RETURNING id", [user.pk])
        assert connection.connection.pgconn.transaction_status != 0
        transaction.set_rollback(True)
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("", "")
    assert pgsql.rows("UPDATE core_user SET last_name = 'c' WHERE id = %s RETURNING id", [user.pk]) == [(user.pk,)]
    user.refresh_from_db()
    assert user.last_name == "c"  # autocommit: committed by itself


@pytest.mark.django_db(transaction=True)
def test_rows_prepares_again_what_the_server_no_longer_has():
    """DEALLOCATE ALL (a pooler's reset, psycopg's own rollback when it has prepared statements) empties the
    server's statements: outside a transaction the statement is prepared again and runs."""
    from django.db import connection

    _postgresql_only()
    sql = "SELECT %s::int * 2"
    assert pgsql.rows(sql, [21]) == [(42,)]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert pgsql.rows(sql, [4]) == [(8,)]
