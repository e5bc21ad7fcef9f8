"""record(), sensitive reads and the bulk-reading alert."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from pompolit.audit import chain, services
from pompolit.audit.models import AuditEntry
from pompolit.members.roles import Role


def test_an_entry_on_a_whole_second_still_verifies_after_the_round_trip(founders):
    # isoformat() drops zero microseconds; the hash must not depend on that.
    with time_machine.travel(datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC), tick=False):
        entry = services.record("login", actor=founders[0])
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.at.microsecond == 0
    assert services.verify_chain().intact


def test_details_are_hashed_as_the_database_gives_them_back(founders):
    entry = services.record(
        "parcel.sent", actor=founders[0],
        details={"weight_kg": 4.5, "items": ("чай", "носки"), "sum": {"RUB": "1200.00"}},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.details["items"] == ["чай", "носки"]
    assert chain.digest(stored.details) == stored.details_digest
    assert services.verify_chain().intact


def test_details_json_cannot_hold_are_refused_before_writing(founders):
    count = AuditEntry.objects.count()
    with pytest.raises(ValueError, match="JSON"):
        services.record("broken", details={"amount": float("nan")})
    assert AuditEntry.objects.count() == count


def test_a_long_pseudonym_typed_at_login_is_cut_to_fit(db):
    entry = services.record("login.failed", actor_label="Я" * 200)
    assert len(entry.actor_label) == 64


def test_sensitive_read_is_marked(founders, compartment):
    entry = services.record_sensitive_read(founders[0], compartment, fields=["name", "address"])
    assert entry.sensitive_read and entry.action == "read.sensitive"
    assert entry.details == {"fields": ["address", "name"]}
    assert (entry.object_type, entry.object_id) == ("members.compartment", str(compartment.pk))


@pytest.fixture
def reader(make_member):
    return make_member("Сергей Дегаев", Role.CASE_WORKER)


def alerts_about(member):
    return AuditEntry.objects.filter(action=services.BULK_READ, object_id=str(member.pk))


def test_bulk_reading_raises_one_alert_per_hour(reader, compartment, settings):
    settings.POMPOLIT_BULK_READ_LIMIT = 3
    with time_machine.travel(datetime(2026, 5, 1, 10, 0, tzinfo=UTC)) as clock:
        for _ in range(3):
            services.record_sensitive_read(reader, compartment, fields=["name"])
        assert not alerts_about(reader).exists()
        services.record_sensitive_read(reader, compartment, fields=["name"])
        alert = alerts_about(reader).get()
        assert alert.details == {
            "member": "Сергей Дегаев", "reads": 4, "limit": 3, "window": "1h",
        }
        assert alert.actor_id is None  # the system raised it, not the reader
        for _ in range(5):
            services.record_sensitive_read(reader, compartment, fields=["name"])
        assert alerts_about(reader).count() == 1
        clock.shift(timedelta(minutes=61))
        for _ in range(4):
            services.record_sensitive_read(reader, compartment, fields=["name"])
        assert alerts_about(reader).count() == 2
    assert services.verify_chain().intact


def test_reads_of_other_members_do_not_add_up(reader, make_member, compartment, settings):
    settings.POMPOLIT_BULK_READ_LIMIT = 2
    other = make_member("Николай Клеточников", Role.CASE_WORKER)
    for member in (reader, other, reader, other):
        services.record_sensitive_read(member, compartment, fields=["name"])
    assert not AuditEntry.objects.filter(action=services.BULK_READ).exists()
