"""Test builders of the audit trail: a small realistic trail, a signing key, a way to tamper.
A conftest takes them by importing them."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from pompolit.audit import signing
from pompolit.audit.models import AuditEntry
from pompolit.audit.services import record


@pytest.fixture
def trail(founders: tuple[Any, Any]) -> list[AuditEntry]:
    """Founding entries plus a handful of everyday ones, in seq order."""
    vera, sofya = founders
    record("login", actor=vera, client="10.0.0.0/24")
    record("login.failed", actor_label="Гольденберг", client="203.0.113.0/24")
    record("invitation.created", actor=sofya, details={"note": "через Фигнер", "n": [1, 2]})
    record("compartment.created", actor=vera, details={"name": "Шлиссельбург"})
    record("logout", actor=vera)
    return list(AuditEntry.objects.order_by("seq"))


@pytest.fixture
def audit_key(settings: Any, tmp_path: Path) -> signing.SigningKey:
    settings.POMPOLIT_AUDIT_KEY_FILE = tmp_path / "audit-signing.key"
    return signing.generate_key()


@pytest.fixture
def tamper(db: Any) -> Callable[[str, list[Any]], None]:
    """tamper(sql, params): run SQL with the append-only triggers out of the way.

    Only inside the test's transaction: SQLite's DDL is transactional (the dropped triggers
    come back with the rollback) and PostgreSQL's DISABLE TRIGGER is rolled back too.
    """

    def run(sql: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
                cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
            else:
                cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)

    return run
