"""Hot statements on PostgreSQL as server-side prepared statements, on the connection Django already holds.

Django sends every query with client-side binding and never prepares (``prepare_threshold`` is off so that
connection poolers keep working). A handful of statements run thousands of times a minute in a ticket rush —
each one a data-modifying CTE that does an order's or a payment's whole transaction in one round trip — and
PostgreSQL then spends more time parsing and planning them than running them. :func:`rows` sends such a
statement as a protocol-level prepared statement with server-side binding (libpq's prepare and execute): it is
parsed and planned once per database connection (a pooler in front of PostgreSQL must support protocol-level
prepared statements, as PgBouncer ≥ 1.21 does).

Planned once means the generic plan, from the first execution: the connection's ``plan_cache_mode`` is
``force_generic_plan`` (set on its first prepared statement, outside a transaction). Left to choose, PostgreSQL
plans a statement again on every execution whenever the custom plan looks cheaper by its estimate — as it does for
a claim, where the custom plan knows the seat array has two elements and the generic one guesses ten — and that
planning cost more than the statement's work. The setting touches nothing else Django sends: Django binds its
parameters on the client (no ``server_side_binding`` in ``OPTIONS``), so its statements carry none to plan for.

The statement runs in Django's transaction state (its own transaction in autocommit mode, a part of the
surrounding one inside ``atomic``), errors come back as Django's database exceptions, and it is logged in
``connection.queries`` like any other query (``CaptureQueriesContext`` counts it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

TIMESTAMPTZ = 1184  # the type's OID
IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction open
COMMAND_OK, TUPLES_OK, FATAL_ERROR = 1, 2, 7  # psycopg.pq.ExecStatus
SQLSTATE = ord("C")  # psycopg.pq.DiagnosticField.SQLSTATE
INVALID_STATEMENT_NAME = b"26000"  # no prepared statement of that name on the server


def is_postgresql() -> bool:
    """Whether the default database is PostgreSQL (its backend does not change while the process runs)."""
    global _postgresql
    if _postgresql is None:
        _postgresql = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
    return _postgresql


_postgresql: bool | None = None


def rows(sql: str, params: Mapping[str, Any] | Sequence[Any]) -> list[tuple]:
    """Run ``sql`` (``%(name)s`` or ``%s`` placeholders; it must return rows, e.g. ``INSERT ... RETURNING``)
    prepared on the default PostgreSQL connection; its rows.

    Sent through libpq's own prepare and execute (psycopg's ``pq`` layer; the GIL released while it waits), its
    parameters dumped and its rows loaded by the connection's adapters, as a psycopg cursor does: a cursor's
    Python side (building the query, its generators and waiting loop, the prepared-statement cache) cost more
    per statement than PostgreSQL's work. psycopg itself prepares nothing on the connection (Django turns that
    off), so its rollback, which sends DEALLOCATE ALL when it has prepared statements of its own, leaves these
    alone."""
    db = connections[DEFAULT_DB_ALIAS]  # the proxy ``connection`` looks the wrapper up on every attribute
    db.validate_no_broken_transaction()
    db.ensure_connection()
    held = _held(db)
    start = time.monotonic()
    with db.wrap_database_errors:
        found = held.run(sql, params)
    if db.queries_logged:
        db.queries_log.append({"sql": sql, "time": f"{time.monotonic() - start:.3f}"})
    return found


class _Held:
    """What :func:`rows` keeps per database connection: a transformer that dumps and loads with the adapters of
    ``cursor``, and its statements prepared on this connection (by text and parameter types: psycopg dumps an int
    as the smallest integer type that holds it)."""

    def __init__(self, conn, cursor):
        from psycopg.adapt import PyFormat, Transformer

        self.conn, self.generic = conn, False
        self.transformer = Transformer(cursor)
        self.auto = PyFormat.AUTO  # each value in the format its dumper prefers
        self.prepared: dict[tuple, bytes] = {}

    def run(self, sql: str, params) -> list[tuple]:
        query, names = _converted(sql)
        values = [params[name] for name in names] if names is not None else params
        tx = self.transformer
        dumped = tx.dump_sequence(values, [self.auto] * len(values))
        key, pgconn = (sql, tx.types), self.conn.pgconn
        idle = pgconn.transaction_status == IDLE
        if idle and not self.conn.autocommit:  # inside ``atomic``, before its first statement
            _check(self.conn, pgconn.exec_(_begin(self.conn)), COMMAND_OK)
            idle = False
        for _ in range(2):
            name = self.prepared.get(key)
            if name is None:
                name = f"wenzhi_{len(self.prepared) + 1}".encode()
                _check(self.conn, pgconn.prepare(name, query, tx.types), COMMAND_OK)
                self.prepared[key] = name
            result = pgconn.exec_prepared(name, dumped, tx.formats)
            if result.status != FATAL_ERROR or result.error_field(SQLSTATE) != INVALID_STATEMENT_NAME:
                break
            self.prepared.clear()  # gone from the server (DEALLOCATE ALL, DISCARD ALL): prepared again from now on
            if not idle:  # the error ended the transaction's usefulness: no second try inside it
                break
        _check(self.conn, result, TUPLES_OK)
        tx.set_pgresult(result)
        return tx.load_rows(0, result.ntuples, tuple)


def _begin(conn) -> bytes:
    """The BEGIN psycopg sends for ``conn`` when a statement needs a transaction and none is open."""
    parts = ["BEGIN"]
    if conn.isolation_level is not None:
        parts.append("ISOLATION LEVEL " + conn.isolation_level.name.replace("_", " "))
    if conn.read_only is not None:
        parts.append("READ ONLY" if conn.read_only else "READ WRITE")
    if conn.deferrable is not None:
        parts.append("DEFERRABLE" if conn.deferrable else "NOT DEFERRABLE")
    return " ".join(parts).encode()


def _check(conn, result, expected):
    """``result`` when its status is ``expected``; else the error psycopg raises for it."""
    from psycopg import errors

    if result.status != expected:
        if result.status == FATAL_ERROR:
            raise errors.error_from_result(result, encoding=conn.info.encoding)
        raise errors.ProgrammingError(f"the statement returned no rows (status {result.status})")
    return result


_converted_sql: dict[str, tuple[bytes, tuple[str, ...] | None]] = {}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


def _converted(sql: str) -> tuple[bytes, tuple[str, ...] | None]:
    """``sql`` with libpq's ``$n`` placeholders, and the parameters' names in their order (None for ``%s``)."""
    found = _converted_sql.get(sql)
    if found is None:
        names: list[str] = []
        positional = [False]

        def number(match):
            if match.group(0) == "%%":
                return "%"
            if match.group(1) is None:
                positional[0] = True
                names.append("")
                return f"${len(names)}"
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        text = _PLACEHOLDER.sub(number, sql)
        if positional[0] and any(names):
            raise ValueError("a statement takes %s or %(name)s placeholders, not both")
        found = _converted_sql[sql] = (text.encode(), None if positional[0] else tuple(names))
    return found


def _held(db) -> _Held:
    """What :func:`rows` keeps for the database connection (on Django's wrapper while it holds that connection;
    a new connection gets a new one): a cursor whose timestamps are read by psycopg's own
    loader, in C, where that gives what Django's gives: with ``USE_TZ`` Django reads a ``timestamptz`` with the
    loader of the connection's time zone and then sets that zone (``datetime.timezone.utc`` for UTC) on the
    value, which is what psycopg's loader returns by itself; Django's loader is Python and cost more per
    statement than the statement's parameters."""
    import psycopg
    from django.conf import settings

    conn = db.connection
    held = getattr(db, "_wenzhi_pgsql", None)
    if held is None or held.conn is not conn:
        cursor = psycopg.Cursor(conn)
        loader = psycopg.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)
        if loader is not None and settings.USE_TZ and db.timezone is not None and conn.info.timezone == db.timezone:
            cursor.adapters.register_loader("timestamptz", loader)
        held = db._wenzhi_pgsql = _Held(conn, cursor)
    if not held.generic and not db.in_atomic_block:  # a SET in a transaction goes with its rollback
        with db.wrap_database_errors:
            conn.execute("SET plan_cache_mode = force_generic_plan")
        held.generic = True
    return held


def columns(model, alias: str) -> str:
    """``alias.column, ...`` of every concrete field of ``model``, in the order :func:`load` reads them."""
    return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)


def load(model, row: Sequence[Any], start: int = 0):
    """The instance of ``model`` whose fields are ``row[start:]`` (as :func:`columns` selected them), as the ORM
    loads it (:func:`loaded`); the number of values read comes from the model."""
    names = _attnames.get(model)
    if names is None:
        names = _attnames[model] = tuple(f.attname for f in model._meta.concrete_fields)
    return loaded(model, names, row[start:start + len(names)])


def loaded(model, attnames: Sequence[str], values: Sequence[Any]):
    """The instance of ``model`` with ``values`` for the fields ``attnames`` (the others deferred), in the state
    ``Model.from_db`` leaves it: its dict set directly where nothing hooks into building one of this model
    (no ``pre_init``/``post_init`` receiver, no ``__init__`` or ``from_db`` of its own), which cost more per
    ticket order than the statements' Python side; else through ``from_db``."""
    if (model.__init__ is not Model.__init__ or getattr(model.from_db, "__func__", None) is not _FROM_DB or (
            (pre_init.receivers or post_init.receivers)  # no receiver at all is the common case, and cheaper to see
            and (pre_init.has_listeners(model) or post_init.has_listeners(model)))):
        return model.from_db(DEFAULT_DB_ALIAS, attnames, values)
    obj = model.__new__(model)
    state = ModelState()
    state.adding, state.db = False, DEFAULT_DB_ALIAS
    obj.__dict__.update(zip(attnames, values, strict=True))
    obj._state = state
    return obj


_attnames: dict[type, tuple[str, ...]] = {}
_FROM_DB = getattr(Model.from_db, "__func__", None)
