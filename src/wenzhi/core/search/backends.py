"""The two full-text engines behind one interface: SQLite FTS5 and PostgreSQL full text (``simple``).

A query reaches a backend already reduced to words (each a prefix term, all required) and a boolean expression
over key tokens (type, scope and facets, see :class:`~wenzhi.core.search.models.SearchEntry`). Each backend turns
both into ONE full-text query, so the engine intersects the filters with the words inside the index.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

# What FTS5's unicode61 tokenizer takes as one token: a run of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
# A key expression: a token, or ("and" | "or", [expressions]).
KeyExpr = Any

TABLE = "core_search_entry"
FTS_TABLE = "core_search_fts"
# PostgreSQL: every word of the index once (a trigger adds the words of each entry written), for spelling out
# a prefix term; migration core/0006_search_word. At most PREFIX_WORDS words replace a prefix term.
WORD_TABLE = "core_search_word"
WORD_TRIGGER = "core_search_entry_words"
FILL_WORDS = (f"INSERT INTO {WORD_TABLE} (word) SELECT DISTINCT unnest(tsvector_to_array(document)) FROM {TABLE} "
              "ON CONFLICT DO NOTHING")
PREFIX_WORDS = 64  # 32 left a common stem (服务: 36 words) as a prefix term, 84 ms against 44 spelt out
COLUMNS = ("id", "type", "object_id", "title", "snippet", "district_id", "park_id", "enterprise_id", "sector",
           "category", "kind", "year")


def _render(expr: KeyExpr, token, and_: str, or_: str) -> str:
    """The expression in the engine's syntax; "" for an empty AND (no key condition at all)."""
    if isinstance(expr, str):
        return token(expr)
    op, parts = expr
    inner = [r for p in parts if (r := _render(p, token, and_, or_))]
    if len(inner) <= 1:
        return inner[0] if inner else ""
    return "(" + (and_ if op == "and" else or_).join(inner) + ")"


def _with_last(words: list[str]):
    """Each word with whether it is the last. Only the last word of a query is a prefix (the one still being
    typed): a prefix term merges the posting lists of every word it starts, which for common words (公司)
    cost more than the rest of the query."""
    return [(w, i == len(words) - 1) for i, w in enumerate(words)]


# A range over one column of the entries, (column, low, high), both ends included: e.g. documents' days.
Between = tuple[str, str, str] | None


class Backend(ABC):
    """What the search service needs from an engine (one subclass per database vendor). ``words`` is never empty.

    ``between`` narrows the matches by a column range checked on the entries the full-text match found. Where
    :attr:`ranges_as_keys` is true the engine intersects key tokens inside its index more cheaply, and callers
    give a range as key tokens instead (``media.search.date_tokens``)."""

    vendor = ""
    ranges_as_keys = True

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias

    @abstractmethod
    def match(self, words: list[str], keys: KeyExpr) -> tuple[str, list]:
        """SQL fragment ``FROM ... WHERE ...`` over the entries matching, with its parameters (alias ``e``)."""

    def _match(self, words: list[str], keys: KeyExpr, between: Between) -> tuple[str, list]:
        where, params = self.match(words, keys)
        if between is None:
            return where, params
        column, low, high = between
        if column not in COLUMNS:
            raise ValueError(column)
        return f"{where} AND e.{column} BETWEEN %s AND %s", [*params, low, high]

    @abstractmethod
    def order(self, params: list) -> tuple[str, list]:
        """SQL ordering the matches best first, with its parameters."""

    def search(self, words: list[str], keys: KeyExpr, *, limit: int, offset: int = 0,
               newest: int | None = None, between: Between = None) -> list[dict]:
        """The best matching entries, best first, as dicts of :data:`COLUMNS`. With ``newest``, only the
        ``newest`` most recently indexed matches are ranked (all of them when there are fewer): ranking costs
        a score per match, which over a million news documents a common pair of words matches by the tens of
        thousands cost more than the match itself."""
        if newest is not None:
            return self._search_newest(words, keys, limit=limit, offset=offset, newest=newest, between=between)
        where, params = self._match(words, keys, between)
        order, order_params = self.order(params)
        cols = ", ".join(f"e.{c}" for c in COLUMNS)
        sql = f"SELECT {cols} {where} ORDER BY {order}, e.id LIMIT %s OFFSET %s"  # noqa: S608 - fixed names
        return self._rows(sql, [*params, *order_params, limit, offset])

    def _rows(self, sql: str, params: list) -> list[dict]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]

    def _search_newest(self, words, keys, *, limit: int, offset: int, newest: int,
                       between: Between = None) -> list[dict]:
        # The newest matches first (the engine walks its index backwards and stops), then only those ranked.
        where, params = self._match(words, keys, between)
        order, order_params = self.order(params)
        cols = ", ".join(f"e.{c}" for c in COLUMNS)
        sql = (f"SELECT {cols} FROM (SELECT e.*, {order.removesuffix(' DESC')} AS score {where} "  # noqa: S608
               f"ORDER BY e.id DESC LIMIT %s) e ORDER BY e.score{' DESC' if order.endswith(' DESC') else ''}, "
               "e.id LIMIT %s OFFSET %s")
        return self._rows(sql, [*order_params, *params, newest, limit, offset])

    def counts(self, words: list[str], keys: KeyExpr, column: str) -> dict:
        """Number of matches by the values of ``column`` (``type``, ``district_id``, ...)."""
        if column not in COLUMNS:
            raise ValueError(column)
        where, params = self.match(words, keys)
        sql = f"SELECT e.{column}, COUNT(*) {where} GROUP BY e.{column}"  # noqa: S608 - column checked above
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Around writing many entries at once: the engine's index is built once at the end, not row by row."""
        yield

    @abstractmethod
    def id_set(self, ids: list[int]) -> tuple[str, list]:
        """``SELECT`` of the given ids as ONE parameter: Django compiles each item of ``pk__in=[...]`` on its
        own, which for a few thousand ids cost more than the search."""

    def object_ids(self, words: list[str], keys: KeyExpr, between: Between = None) -> tuple[str, list]:
        """``SELECT object_id ...`` of every match, for ``pk IN (...)`` inside another query."""
        where, params = self._match(words, keys, between)
        return f"SELECT e.object_id {where}", params


class SQLiteBackend(Backend):
    """FTS5 over ``title_tokens``, ``body`` and ``keys`` (external content: the entry table), ranked by bm25."""

    vendor = "sqlite"

    @staticmethod
    def _quote(word: str) -> str:
        return '"' + word.replace('"', '""') + '"'

    @classmethod
    def _term(cls, word: str, prefix: bool) -> str:
        # The table keeps no word positions (migration core/0008), so a word the tokenizer splits (covid-19, 3.5)
        # cannot be a phrase: its parts are each required instead.
        parts = _TOKEN.findall(word) or [word]
        terms = [cls._quote(p) + ("*" if prefix and i == len(parts) - 1 else "") for i, p in enumerate(parts)]
        return terms[0] if len(terms) == 1 else "(" + " AND ".join(terms) + ")"

    def expression(self, words: list[str], keys: KeyExpr, *, columns: str = "title_tokens body") -> str:
        text = "{" + columns + "} : (" + " AND ".join(
            self._term(w, last) for w, last in _with_last(words)) + ")"
        condition = _render(keys, self._quote, " AND ", " OR ")
        return f"{text} AND keys : {condition}" if condition else text

    def match(self, words, keys):
        # CROSS JOIN fixes the order: the full-text match first. Left to the planner, a condition on e could
        # make it walk the entries and run the match once per entry.
        where = f"FROM {FTS_TABLE} CROSS JOIN {TABLE} e ON e.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s"
        self._title_query = self.expression(words, keys, columns="title_tokens")
        return where, [self.expression(words, keys)]

    @contextmanager
    def bulk_load(self):
        # Without the triggers rows go in at the table's speed; FTS5's 'rebuild' then indexes the whole table
        # in one pass (several times faster than row-by-row inserts) and the triggers come back.
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{TABLE}'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            with connections[self.alias].cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
                for _name, sql in triggers:
                    cursor.execute(sql)
                # Statistics of the loaded table: with those of a near-empty one (a new database) the planner
                # scanned the whole entry table for each match instead of looking entries up by rowid.
                cursor.execute(f"ANALYZE {TABLE}")

    def _search_newest(self, words, keys, *, limit: int, offset: int, newest: int,
                       between: Between = None) -> list[dict]:
        if between is not None:  # checked on the entry table, outside FTS5's backward walk
            return super()._search_newest(words, keys, limit=limit, offset=offset, newest=newest, between=between)
        # FTS5 walks the match backwards by rowid and stops after ``newest``; only those are ordered.
        self._title_query = self.expression(words, keys, columns="title_tokens")
        order, order_params = self.order([])
        cols = ", ".join(f"e.{c}" for c in COLUMNS)
        sql = (f"SELECT {cols} FROM (SELECT rowid AS rid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
               f"ORDER BY rowid DESC LIMIT %s) m CROSS JOIN {TABLE} e ON e.id = m.rid "
               f"ORDER BY {order}, e.id LIMIT %s OFFSET %s")
        return self._rows(sql, [self.expression(words, keys), newest, *order_params, limit, offset])

    def id_set(self, ids):
        import json

        return "SELECT value FROM json_each(%s)", [json.dumps(ids)]

    def order(self, params):
        # Matches in the title first, the shorter title first (a name that is the query itself before one that
        # only contains it), as NetBox ranks by the field matched. Not bm25: its weights need each word's
        # document count, which FTS5 gets by reading the word's whole posting list on every query (90,000
        # entries for 公司 over a million), and that cost more than the rest of the search together.
        title = f"e.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        return f"({title}) DESC, length(e.title_tokens)", [self._title_query]


class PostgresBackend(Backend):
    """``document`` (a generated tsvector: title weight A, text B, keys D) with a GIN index, ranked by ts_rank.

    Ranges are column conditions: GIN checks a tsquery against each candidate entry, and with a month's 31 day
    tokens OR-ed into it that check cost 50-80 ms over a million documents; the same range checked on the few
    hundred entries the words match costs 1-5 ms."""

    vendor = "postgresql"
    ranges_as_keys = False

    @staticmethod
    def _quote(word: str) -> str:
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

    def expression(self, words: list[str], keys: KeyExpr, *, last: bool = True) -> str:
        """The tsquery (every word an AB term, the last one a prefix term, then the key condition); without
        ``last``, the same without the last word ("" when nothing is left)."""
        terms = [self._quote(w) + (":*AB" if is_last else ":AB") for w, is_last in _with_last(words)
                 if last or not is_last]
        condition = _render(keys, lambda k: self._quote(k) + ":D", " & ", " | ")
        parts = [f"({' & '.join(terms)})" if terms else "", condition]
        return " & ".join(p for p in parts if p)

    # The last word's prefix term spelt out, in SQL: the indexed words starting with it (``core_search_word``,
    # kept by a trigger) as exact terms, if there are 1 to PREFIX_WORDS of them, else the prefix term itself.
    # A prefix term makes GIN gather every entry holding any such word into a bitmap before the other words
    # narrow it (游戏 公司* in a district: 88,000 entries read for 628 matches); exact terms let it skip through
    # the posting lists of the rarest. Done inside the search's own statement: asked in a query of its own, the
    # word list cost a second round trip, which on a busy server took longer than the search.
    SPELT = (f"COALESCE((SELECT CASE WHEN count(*) <= {PREFIX_WORDS} THEN ('(' || string_agg("
             "chr(39) || replace(replace(w.word, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) "
             "|| chr(39) || ':AB', ' | ') || ')')::tsquery END "
             f"FROM (SELECT word FROM {WORD_TABLE} WHERE word >= %s AND word < %s ORDER BY word "
             f"LIMIT {PREFIX_WORDS + 1}) w), %s::tsquery)")

    def prefix_words(self, word: str) -> list[str] | None:
        """The indexed words starting with ``word`` if at most :data:`PREFIX_WORDS` (what :data:`SPELT` puts in
        the query; None: the prefix term stays)."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"SELECT word FROM {WORD_TABLE} WHERE word >= %s AND word < %s ORDER BY word LIMIT %s",
                           [word, word + "\U0010ffff", PREFIX_WORDS + 1])
            found = [row[0] for row in cursor.fetchall()]
        return found if 0 < len(found) <= PREFIX_WORDS else None

    def _lexemes(self, words: list[str]) -> list[str]:
        """The words as the index holds them: PostgreSQL's parser splits a word such as ``covid-19`` into
        ``covid`` and ``-19`` when it builds the tsvector, so the query asks for those parts (one round trip,
        only when a word has characters other than letters and digits)."""
        if all(w.isalnum() for w in words):
            return words
        out: list[str] = []
        with connections[self.alias].cursor() as cursor:
            for word in words:
                if word.isalnum():
                    out.append(word)
                    continue
                cursor.execute("SELECT lexeme FROM unnest(to_tsvector('simple', %s)) ORDER BY positions[1]", [word])
                out.extend(row[0] for row in cursor.fetchall())
        return out or words

    def match(self, words, keys):
        # A tsquery literal, not to_tsquery(): the words are already segmented and must not be parsed again.
        # Entries are matched by the spelt-out query and ranked by the prefix query, so both the matches and
        # their order are those of the prefix query.
        words = self._lexemes(words)
        self._rank_query = self.expression(words, keys)
        rest = self.expression(words, keys, last=False)
        prefix = words[-1]
        spelt = self.SPELT
        params = [prefix, prefix + "\U0010ffff", self._quote(prefix) + ":*AB"]
        if rest:
            return f"FROM {TABLE} e WHERE e.document @@ (%s::tsquery && {spelt})", [rest, *params]
        return f"FROM {TABLE} e WHERE e.document @@ {spelt}", params

    @contextmanager
    def bulk_load(self):
        # Building the GIN index once over the loaded table is much faster than maintaining it row by row; the
        # word list too is filled once at the end instead of by its trigger row by row.
        with connections[self.alias].cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS core_search_entry_document")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {WORD_TRIGGER}")
        try:
            yield
        finally:
            with connections[self.alias].cursor() as cursor:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {WORD_TRIGGER}")
                cursor.execute(FILL_WORDS)
                cursor.execute(f"CREATE INDEX IF NOT EXISTS core_search_entry_document ON {TABLE} USING gin (document)")
                cursor.execute(f"ANALYZE {TABLE}")

    def id_set(self, ids):
        return "SELECT unnest(%s::bigint[])", [ids]

    def order(self, params):
        # Weights of D, C, B, A: the title counts ten times the text, keys next to nothing.
        return "ts_rank('{0.01, 0.1, 0.1, 1.0}', e.document, %s::tsquery) DESC", [self._rank_query]


def backend(alias: str = "default") -> Backend:
    """The backend for the database ``alias`` (SQLite or PostgreSQL)."""
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return SQLiteBackend(alias)
    if vendor == "postgresql":
        return PostgresBackend(alias)
    raise ImproperlyConfigured(f"full-text search supports SQLite and PostgreSQL, not {vendor}")


def forget_fts_statistics(connection=None) -> int:
    """Remove the statistics ``ANALYZE`` took of SQLite's full-text shadow tables; the number of rows removed.

    A whole-database ``ANALYZE`` run while the index is small (registry/0009 ran one right after the table was
    created) records ``core_search_fts_data`` as a few rows; with that estimate SQLite plans FTS5's own
    ``DELETE ... WHERE id>=? AND id<=?`` after each segment merge as a scan of the whole index, and writing search
    entries gets slower the bigger the index is (bench/media_ingest.py). Without statistics the planner takes the
    rowid range. Migration core/0009 runs this once; ``wenzhi serve`` runs it at start and every few minutes, so
    an ``ANALYZE`` someone runs later cannot bring the slow plan back for long. No-op on PostgreSQL."""
    connection = connection or connections["default"]
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone():
            return 0
        cursor.execute(f"DELETE FROM sqlite_stat1 WHERE tbl LIKE '{FTS_TABLE}\\_%' ESCAPE '\\'")
        removed = cursor.rowcount
        if removed:
            # Connections opened from now on plan without them (an open one keeps the estimate it has loaded).
            cursor.execute("ANALYZE sqlite_schema")
    return removed
