"""Database triggers that make a table append-only, on SQLite and PostgreSQL.

Used from migrations (`migrations.RunPython(*append_only("app_table"))`). The SQL here must
stay stable: changing it does not change tables that old migrations already created.
"""

from collections.abc import Callable
from typing import Any

Operation = Callable[[Any, Any], None]

_PG_FUNCTION = """CREATE OR REPLACE FUNCTION pompolit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME; END;
    $$ LANGUAGE plpgsql"""


def _statements(table: str, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
        ]
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pompolit_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pompolit_append_only()",
        ]
    raise NotImplementedError(f"append-only triggers for {vendor} are not written yet")


def _reverse(table: str, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


def append_only(*tables: str) -> tuple[Operation, Operation]:
    """Forward and backward functions for migrations.RunPython."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in _statements(table, schema_editor.connection.vendor):
                schema_editor.execute(sql, None)

    def backward(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in _reverse(table, schema_editor.connection.vendor):
                schema_editor.execute(sql, None)

    return forward, backward
