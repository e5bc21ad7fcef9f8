"""Hearing outcomes are history: the database refuses to delete them or to change what they
are about, on SQLite and PostgreSQL; a hearing with an outcome (and its event) cannot be
removed; re-encryption (a case moving to another compartment) still rewrites the ciphertext."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from pompolit.cases import services
from pompolit.cases.models import Event, Hearing, HearingOutcome
from pompolit.cases.moving import services as moving
from pompolit.cases.testing import P, event_type
from pompolit.members import approvals
from pompolit.vault.fields.cipher import key_id_of
from pompolit.vault.keys.keyring import ring

REFUSED = (DatabaseError, IntegrityError)


@pytest.fixture
def outcome(unsealed_vault, worker, exile):
    event = services.add_event(worker, exile, type=event_type("hearing"), date=P("1926-02-11"),
                               hearing={"court": "Оренбургский губернский суд"})
    return services.record_hearing_outcome(worker, event.hearing, "Стража продлена на 2 месяца")


def _refused(sql, params):
    with pytest.raises(REFUSED) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert "append-only" in str(refused.value)


def test_the_database_refuses_to_delete_an_outcome(outcome):
    _refused("DELETE FROM cases_hearingoutcome WHERE id = %s", [outcome.pk])
    with pytest.raises(REFUSED), transaction.atomic():
        HearingOutcome.objects.filter(pk=outcome.pk).delete()
    assert HearingOutcome.objects.filter(pk=outcome.pk).exists()


@pytest.mark.parametrize("column, value", [
    ("recorded_at", "2001-01-01 00:00:00"), ("hearing_id", None), ("recorded_by_id", None),
    ("vault_row_id", "00000000-0000-0000-0000-000000000000")])
def test_the_database_refuses_to_change_what_an_outcome_is_about(outcome, column, value):
    if column == "hearing_id":
        other = services.add_event(outcome.recorded_by, outcome.hearing.event.case,
                                   type=event_type("verdict"), date=P("1926-05-02"),
                                   hearing={"court": "Оренбургский губернский суд"})
        value = other.hearing.pk
    if column == "vault_row_id" and connection.vendor == "sqlite":
        value = value.replace("-", "")
    _refused(f'UPDATE cases_hearingoutcome SET "{column}" = %s WHERE id = %s',  # noqa: S608
             [value, outcome.pk])
    with pytest.raises(REFUSED), transaction.atomic():
        HearingOutcome.objects.filter(pk=outcome.pk).update(recorded_at=timezone.now())


@pytest.mark.django_db
def test_postgresql_refuses_to_truncate_too():
    # A TRUNCATE inside the test's transaction meets Django's deferred foreign keys first, so
    # the trigger itself is what is checked here.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = "
                       "'cases_hearingoutcome'::regclass AND NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert {"cases_hearingoutcome_no_truncate", "cases_hearingoutcome_no_delete",
            "cases_hearingoutcome_facts_fixed"} <= names


def test_a_hearing_with_an_outcome_stays(outcome, worker):
    hearing = outcome.hearing
    with pytest.raises(ProtectedError), transaction.atomic():
        Hearing.objects.filter(pk=hearing.pk).delete()
    with pytest.raises(ValidationError, match="recorded outcome"):
        services.remove_event(worker, hearing.event)
    assert Event.objects.filter(pk=hearing.event_id).exists()


def test_a_hearing_without_an_outcome_can_still_be_removed(unsealed_vault, worker, exile):
    event = services.add_event(worker, exile, type=event_type("hearing"), date=P("1926-03-01"),
                               hearing={"court": "Оренбургский губернский суд"})
    services.remove_event(worker, event)
    assert not Hearing.objects.filter(event_id=event.pk).exists()


def test_a_moved_case_takes_its_outcomes_re_encrypted(outcome, worker, outsider, moscow,
                                                       founders, tmp_path, monkeypatch):
    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path))
    case = outcome.hearing.event.case
    request = moving.request_move(worker, case, moscow, reason="Дело ведёт московская группа")
    approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    moved = HearingOutcome.objects.get(pk=outcome.pk)
    assert moved.compartment_id == moscow.pk
    assert ring.key(key_id_of(moved.__dict__["text"])).compartment_id == moscow.pk
    assert moved.text == "Стража продлена на 2 месяца"
    assert (moved.recorded_at, moved.hearing_id) == (outcome.recorded_at, outcome.hearing_id)
