"""The database itself refuses to change or remove audit entries, whoever asks."""

import pytest
from django.db import DatabaseError, connection, transaction

from pompolit.audit.models import AuditEntry

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only"
)


def refused():
    # The savepoint keeps the test's own transaction usable after the database says no.
    return pytest.raises(DatabaseError, match="append-only")


def test_orm_update_is_refused(trail):
    with refused(), transaction.atomic():
        AuditEntry.objects.filter(seq=3).update(actor_label="Дегаев")
    assert AuditEntry.objects.get(seq=3).actor_label != "Дегаев"


def test_orm_save_of_an_existing_entry_is_refused(trail):
    entry = AuditEntry.objects.get(seq=2)
    entry.details = {"подчищено": True}
    with refused(), transaction.atomic():
        entry.save()


def test_orm_delete_is_refused(trail):
    with refused(), transaction.atomic():
        AuditEntry.objects.filter(seq__gte=4).delete()
    with refused(), transaction.atomic():
        AuditEntry.objects.get(seq=1).delete()
    assert AuditEntry.objects.count() == len(trail)


def test_raw_sql_update_and_delete_are_refused(trail):
    with connection.cursor() as cursor:
        with refused(), transaction.atomic():
            cursor.execute("UPDATE audit_auditentry SET client = %s", ["127.0.0.1"])
        with refused(), transaction.atomic():
            cursor.execute("DELETE FROM audit_auditentry WHERE seq = %s", [len(trail)])
    assert AuditEntry.objects.count() == len(trail)


@pg_only
def test_truncate_is_refused_on_postgresql(trail):
    with connection.cursor() as cursor, refused(), transaction.atomic():
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == len(trail)


def test_tampering_in_a_test_is_undone_with_its_transaction(trail, tamper):
    # The way the other tests tamper must not leave the table unprotected afterwards.
    with transaction.atomic():
        tamper("DELETE FROM audit_auditentry WHERE seq = %s", [2])
        assert not AuditEntry.objects.filter(seq=2).exists()
        transaction.set_rollback(True)
    assert AuditEntry.objects.filter(seq=2).exists()
    with refused(), transaction.atomic():
        AuditEntry.objects.filter(seq=2).delete()
