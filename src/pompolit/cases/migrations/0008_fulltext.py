"""Full-text search over notes, event summaries and places (see cases/fulltext.py).

SQLite: FTS5 tables with external content and triggers. PostgreSQL: pg_trgm, and GIN indexes
on tsvector ('simple' and 'russian') and trigram expressions. The SQL is written out here (a
migration must not change when the app's code does).
"""

from typing import Any

from django.db import migrations

SOURCES = (("cases_case", "cases_case_fts", ("notes",)),
           ("cases_event", "cases_event_fts", ("place", "summary")))


def _e(expr: str) -> str:
    return f"replace(replace({expr}, 'ё', 'е'), 'Ё', 'Е')"


def _sqlite(table: str, fts: str, columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(_e(f"new.{c}") for c in columns)
    old = ", ".join(_e(f"old.{c}") for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
    head = "CREATE TRIGGER IF NOT EXISTS"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{table}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3 5')",
        f"{head} {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"{head} {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"{head} {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}(rowid, {names}) SELECT id, "  # noqa: S608
        f"{', '.join(_e(c) for c in columns)} FROM {table}",
    ]


SQLITE = [sql for source in SOURCES for sql in _sqlite(*source)]
SQLITE_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS cases_{t}_fts_{op}" for t in ("case", "event")
      for op in ("ai", "ad", "au")),
    "DROP TABLE IF EXISTS cases_case_fts",
    "DROP TABLE IF EXISTS cases_event_fts",
]

EVENT_TEXT = "(place || ' ' || summary)"
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX cases_case_notes_fts ON cases_case USING gin "
    "((to_tsvector('simple'::regconfig, notes) || to_tsvector('russian'::regconfig, notes)))",
    "CREATE INDEX cases_case_notes_trgm ON cases_case USING gin (notes gin_trgm_ops)",
    f"CREATE INDEX cases_event_text_fts ON cases_event USING gin "
    f"((to_tsvector('simple'::regconfig, {EVENT_TEXT}) || "
    f"to_tsvector('russian'::regconfig, {EVENT_TEXT})))",
    f"CREATE INDEX cases_event_text_trgm ON cases_event USING gin ({EVENT_TEXT} gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS cases_case_notes_fts",
    "DROP INDEX IF EXISTS cases_case_notes_trgm",
    "DROP INDEX IF EXISTS cases_event_text_fts",
    "DROP INDEX IF EXISTS cases_event_text_trgm",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_case_public_id_unique"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
