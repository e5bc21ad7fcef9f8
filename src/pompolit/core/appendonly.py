"""Database triggers that make a table append-only, on SQLite and PostgreSQL.

Used from migrations (`migrations.RunPython(*append_only("app_table"))`). The SQL here must
stay stable: changing it does not change tables that old migrations already created.

The statements are idempotent (IF NOT EXISTS / OR REPLACE) because SQLite rebuilds a table
for most AlterField operations and the rebuilt table has no triggers: a migration that
alters a protected table must run these again after it.
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
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
        ]
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE OR REPLACE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION pompolit_append_only()",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
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


_PG_EXTEND_FUNCTION = """CREATE OR REPLACE FUNCTION pompolit_extend_only() RETURNS trigger AS $$
    BEGIN
        IF NEW.id <> OLD.id OR length(NEW.data) < length(OLD.data)
           OR substring(NEW.data FROM 1 FOR length(OLD.data)) <> OLD.data THEN
            RAISE EXCEPTION '% rows may only be extended', TG_TABLE_NAME;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql"""


def _extend_statements(table: str, keys: tuple[str, ...], vendor: str) -> list[str]:
    if vendor == "sqlite":
        changed = " OR ".join(f'NEW."{key}" IS NOT OLD."{key}"' for key in ("id", *keys))
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_extend_only BEFORE UPDATE ON {table} "
            f"WHEN {changed} OR substr(NEW.data, 1, length(OLD.data)) IS NOT OLD.data "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows may only be extended'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows may only be extended'); END",
        ]
    if vendor == "postgresql":
        # Key columns other than id are checked by comparing them in the WHEN clause.
        changed = " OR ".join(f'NEW."{key}" IS DISTINCT FROM OLD."{key}"' for key in keys)
        return [
            _PG_FUNCTION,
            _PG_EXTEND_FUNCTION,
            f"CREATE OR REPLACE TRIGGER {table}_extend_only BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pompolit_extend_only()",
            f"CREATE OR REPLACE TRIGGER {table}_keys_fixed BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN ({changed}) EXECUTE FUNCTION pompolit_append_only()",
            f"CREATE OR REPLACE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pompolit_append_only()",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pompolit_append_only()",
        ]
    raise NotImplementedError(f"extend-only triggers for {vendor} are not written yet")


def extend_only(table: str, *keys: str) -> tuple[Operation, Operation]:
    """Rows whose `data` column may grow at its end but never change or disappear.

    `keys` are the other columns that must stay as they are (besides id).
    """

    def forward(apps: Any, schema_editor: Any) -> None:
        for sql in _extend_statements(table, keys, schema_editor.connection.vendor):
            schema_editor.execute(sql, None)

    def backward(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        suffixes = ["extend_only", "no_delete"]
        if vendor == "postgresql":
            suffixes += ["keys_fixed", "no_truncate"]
        for suffix in suffixes:
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}{on}", None)

    return forward, backward


def _fixed_statements(table: str, columns: tuple[str, ...], vendor: str) -> list[str]:
    if vendor == "sqlite":
        changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in ("id", *columns))
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_facts_fixed BEFORE UPDATE ON {table} "
            f"WHEN {changed} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
        ]
    if vendor == "postgresql":
        changed = " OR ".join(f'NEW."{c}" IS DISTINCT FROM OLD."{c}"' for c in ("id", *columns))
        return [
            _PG_FUNCTION,
            f"CREATE OR REPLACE TRIGGER {table}_facts_fixed BEFORE UPDATE ON {table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION pompolit_append_only()",
            f"CREATE OR REPLACE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pompolit_append_only()",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pompolit_append_only()",
        ]
    raise NotImplementedError(f"append-only triggers for {vendor} are not written yet")


def append_only_encrypted(table: str, *facts: str) -> tuple[Operation, Operation]:
    """Append-only rows that hold encrypted text: never deleted, and `facts` (with id) never
    change — but the other columns may be rewritten, because re-encryption (`pompolit vault
    rotate --data`, a case moving to another compartment) writes the same text under another
    key. What the text says is kept by the code that writes it (a correction is a new row)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for sql in _fixed_statements(table, facts, schema_editor.connection.vendor):
            schema_editor.execute(sql, None)

    def backward(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        suffixes = ["facts_fixed", "no_delete"] + (["no_truncate"] if vendor == "postgresql"
                                                   else [])
        on = f" ON {table}" if vendor == "postgresql" else ""
        for suffix in suffixes:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}{on}", None)

    return forward, backward
