"""Full-text search over the registry's free text: case notes, event summaries and places.

Only clear (internal) fields are indexed, never an encrypted one.

- SQLite: two FTS5 tables with external content, `cases_case_fts` (notes) and
  `cases_event_fts` (place, summary), kept in step by triggers on the tables themselves, so
  every write — a service, the admin, a bulk load — keeps the index right. Django rebuilds a
  SQLite table (and drops its triggers) when a later migration alters it: `ensure_sqlite_index`
  runs after every `migrate` and puts missing triggers back, rebuilding the index then.
- PostgreSQL: expression GIN indexes on the tables (no copy to keep in step): a tsvector in the
  'simple' and the 'russian' configurations, and pg_trgm trigrams for pieces of words.

A query word matches a word of the text that starts with its stem (`stem`: a few Russian
endings cut off, so "голодовку" finds "голодовка"); on PostgreSQL the Russian stemmer and
trigrams ("олодов") find more. Visibility is applied in the same query: the caller passes the
compartments the member may see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection

# Cut longest first; the stem keeps at least MIN_STEM letters.
_ENDINGS = sorted(
    ("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "иях", "ией", "ов", "ев", "ей",
     "ой", "ий", "ый", "ая", "яя", "ое", "ее", "ом", "ем", "ам", "ям", "ах", "ях", "ую", "юю",
     "ие", "ые", "ию", "ия", "ии", "а", "я", "о", "е", "у", "ю", "ы", "и", "ь", "й"),
    key=len, reverse=True,
)
MIN_STEM = 4
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-яё]")


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold().replace("ё", "е")) if len(w) >= 2][:8]


def stem(word: str) -> str:
    """A prefix to look for: a Russian word without its case ending ("голодовку" → "голодовк")."""
    if _CYRILLIC.search(word):
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
    elif len(word) >= 5 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]  # strikes → strike
    return word


# -- SQLite ------------------------------------------------------------------------------------

def _e(expr: str) -> str:
    # ё is е to a searcher (and FTS5 does not fold it): indexed as е.
    return f"replace(replace({expr}, 'ё', 'е'), 'Ё', 'Е')"


SQLITE_TABLES = {
    "cases_case_fts": (
        "CREATE VIRTUAL TABLE IF NOT EXISTS cases_case_fts USING fts5(notes, "
        "content='cases_case', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='3 5')"
    ),
    "cases_event_fts": (
        "CREATE VIRTUAL TABLE IF NOT EXISTS cases_event_fts USING fts5(place, summary, "
        "content='cases_event', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='3 5')"
    ),
}
# (source table, its FTS table, indexed columns)
_SOURCES = (("cases_case", "cases_case_fts", ("notes",)),
            ("cases_event", "cases_event_fts", ("place", "summary")))


def _triggers(table: str, fts: str, columns: tuple[str, ...]) -> dict[str, str]:
    names = ", ".join(columns)
    new = ", ".join(_e(f"new.{c}") for c in columns)
    old = ", ".join(_e(f"old.{c}") for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
    head = "CREATE TRIGGER IF NOT EXISTS"
    return {
        f"{fts}_ai": f"{head} {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_ad": f"{head} {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"{fts}_au": (f"{head} {fts}_au AFTER UPDATE OF {names} ON {table} "
                      f"BEGIN {delete} {insert} END"),
    }


SQLITE_TRIGGERS = {k: v for source in _SOURCES for k, v in _triggers(*source).items()}


def rebuild_sqlite_index(cursor: Any) -> None:
    """Index every row again (after a bulk load without triggers, or lost triggers)."""
    for table, fts, columns in _SOURCES:
        names = ", ".join(columns)
        values = ", ".join(_e(c) for c in columns)
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")  # noqa: S608
        cursor.execute(f"INSERT INTO {fts}(rowid, {names}) "  # noqa: S608
                       f"SELECT id, {values} FROM {table}")


# The case list's orderings and filters (migrations 0010–0012). Not in the models' Meta: a SQLite
# table rebuild drops them with the triggers, and `ensure_sqlite_index` makes them again.
LIST_INDEXES = {
    "cases_case_priority": "cases_case (priority, compartment_id)",
    "cases_case_status_priority": "cases_case (status_id, priority)",
    "cases_case_opened_on": "cases_case (opened_on, id)",
    "cases_case_last_contact_on": "cases_case (last_contact_on, id)",
    "cases_person_display_name": "cases_person (display_name)",
    "cases_case_status_opened_on": "cases_case (status_id, opened_on, id)",
    "cases_case_status_last_contact_on": "cases_case (status_id, last_contact_on, id)",
}


def ensure_sqlite_index(using: str = "default", **_kwargs: Any) -> None:
    """After `migrate`: the FTS tables, triggers and list indexes exist; missing ones are made
    and the index rebuilt from the tables (a migration that rebuilt cases_case dropped them)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        indexes = {row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        for name, columns in LIST_INDEXES.items():
            if name not in indexes and columns.split()[0] in {
                    row[0] for row in cursor.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'")}:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")
                cursor.execute(f"ANALYZE {name}")  # without statistics the planner ignores it
        tables = {row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        if "cases_case" not in tables or "cases_event" not in tables:
            return
        missing = [name for name in (*SQLITE_TABLES, *SQLITE_TRIGGERS) if name not in tables]
        if not missing:
            return
        for sql in (*SQLITE_TABLES.values(), *SQLITE_TRIGGERS.values()):
            cursor.execute(sql)
        rebuild_sqlite_index(cursor)


def _sqlite_match(text: str) -> str:
    return " ".join(f'"{stem(w)}"*' for w in words(text))


# -- PostgreSQL --------------------------------------------------------------------------------

PG_CASE_VECTOR = ("(to_tsvector('simple'::regconfig, notes) || "
                  "to_tsvector('russian'::regconfig, notes))")
PG_EVENT_TEXT = "(place || ' ' || summary)"
PG_EVENT_VECTOR = (f"(to_tsvector('simple'::regconfig, {PG_EVENT_TEXT}) || "
                   f"to_tsvector('russian'::regconfig, {PG_EVENT_TEXT}))")


def _pg_query(text: str) -> tuple[str, list[str]]:
    """A tsquery (prefixes in 'simple' or the Russian stems) and ILIKE patterns per word."""
    prefixes = " & ".join(f"{stem(w)}:*" for w in words(text))
    return prefixes, [f"%{_like_escape(w)}%" for w in words(text) if len(w) >= 3]


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- the search --------------------------------------------------------------------------------


def case_ids(text: str, compartment_ids: Iterable[int], limit: int) -> list[int]:
    """Up to `limit` cases of these compartments whose notes, or an event's summary or place,
    contain every word of the text."""
    compartments = sorted(set(compartment_ids))
    if not words(text) or not compartments:
        return []
    marks = ", ".join(["%s"] * len(compartments))
    if connection.vendor == "postgresql":
        queries = _pg_sql(text, marks, compartments, limit)
    else:
        match = _sqlite_match(text)
        queries = [
            (f"SELECT c.id FROM cases_case_fts f JOIN cases_case c ON c.id = f.rowid "  # noqa: S608
             f"WHERE cases_case_fts MATCH %s AND c.compartment_id IN ({marks}) LIMIT %s",
             [match, *compartments, limit]),
            # DISTINCT streams here: SQLite stops after `limit` different cases.
            (f"SELECT DISTINCT e.case_id FROM cases_event_fts f "  # noqa: S608
             f"JOIN cases_event e ON e.id = f.rowid JOIN cases_case c ON c.id = e.case_id "
             f"WHERE cases_event_fts MATCH %s AND c.compartment_id IN ({marks}) LIMIT %s",
             [match, *compartments, limit]),
        ]
    found: dict[int, None] = {}
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            for (pk,) in cursor.fetchall():
                found.setdefault(pk)
                if len(found) >= limit:
                    return list(found)
    return list(found)


def _pg_sql(text: str, marks: str, compartments: list[int], limit: int
            ) -> list[tuple[str, list[Any]]]:
    """Full text first; trigrams (a piece of a word) only while fewer than `limit` are found:
    a trigram match is rechecked row by row, full text is exact in the index."""
    prefixes, patterns = _pg_query(text)
    tsquery = ("(to_tsquery('simple'::regconfig, %s) || "
               "plainto_tsquery('russian'::regconfig, %s))")
    visible = f"c.compartment_id IN ({marks}) LIMIT %s"
    # cases_event unaliased: the expressions must read exactly as the indexes do.
    event_from = "SELECT case_id FROM cases_event JOIN cases_case c ON c.id = case_id WHERE"
    queries: list[tuple[str, list[Any]]] = [
        (f"SELECT c.id FROM cases_case c WHERE {PG_CASE_VECTOR} @@ {tsquery} AND {visible}",  # noqa: S608
         [prefixes, text, *compartments, limit]),
        (f"{event_from} {PG_EVENT_VECTOR} @@ {tsquery} AND {visible}",
         [prefixes, text, *compartments, limit]),
    ]
    if patterns:
        case_like = " AND ".join(["c.notes ILIKE %s"] * len(patterns))
        event_like = " AND ".join([f"{PG_EVENT_TEXT} ILIKE %s"] * len(patterns))
        queries += [
            (f"SELECT c.id FROM cases_case c WHERE {case_like} AND {visible}",  # noqa: S608
             [*patterns, *compartments, limit]),
            (f"{event_from} {event_like} AND {visible}", [*patterns, *compartments, limit]),
        ]
    return queries
