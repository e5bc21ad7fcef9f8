"""History tables keep their triggers after every migration.

SQLite rebuilds a table for most schema changes and the rebuilt table has no triggers, so a
later migration can silently make history editable. This test lists every protected table
and fails if any lacks its triggers once all migrations have run, on either database.
"""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

APPEND_ONLY = [
    "audit_auditentry",
    "tlog_signedcheckpoint",
    "ledger_currency",
    "ledger_entry",
    "ledger_posting",
    "ledger_donation",
]
EXTEND_ONLY = ["tlog_logtile", "tlog_entrybundle"]


def _triggers(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_append_only_tables_refuse_updates_and_deletes(table: str) -> None:
    triggers = _triggers(table)
    if connection.vendor == "sqlite":
        assert {f"{table}_no_update", f"{table}_no_delete"} <= triggers or {
            "audit_entry_no_update", "audit_entry_no_delete"
        } <= triggers
    else:
        assert any(name.endswith("no_update_delete") for name in triggers)
        assert any(name.endswith("no_truncate") for name in triggers)


@pytest.mark.parametrize("table", EXTEND_ONLY)
def test_extend_only_tables_refuse_rewrites_and_deletes(table: str) -> None:
    triggers = _triggers(table)
    assert {f"{table}_extend_only", f"{table}_no_delete"} <= triggers
    if connection.vendor == "postgresql":
        assert {f"{table}_keys_fixed", f"{table}_no_truncate"} <= triggers
