"""The timeline: a transfer moves the person and keeps the history; impossible stories are
refused with a message naming the event, and leave nothing behind."""

import pytest
from django.core.exceptions import ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.models import Event
from pompolit.cases.testing import P, event_type


def test_transfers_move_the_person_and_keep_the_history(exile, facilities):
    assert exile.current_facility == facilities["orenburg"]
    # Lubyanka → Solovki → Orenburg: in custody without a break since the arrest.
    assert str(exile.in_custody_since) == "1922-03-01"
    episodes = services.custody_of(exile).episodes
    assert [(e.facility_id, str(e.start)) for e in episodes] == [
        (facilities["lubyanka"].pk, "1922-03"), (facilities["solovki"].pk, "1922-09-14"),
        (facilities["orenburg"].pk, "1925")]
    assert exile.last_contact_on.isoformat() == "1925-11-02"
    assert AuditEntry.objects.filter(action="cases.event_added").count() == 4


def test_a_release_before_the_arrest_is_refused_and_nothing_is_saved(worker, exile):
    before = Event.objects.count()
    with pytest.raises(ValidationError, match=r"Release on 1921: the person is not in custody"):
        services.add_event(worker, exile, type=event_type("release"), date=P("1921"))
    assert Event.objects.count() == before
    exile.refresh_from_db()
    assert exile.current_facility is not None


def test_a_second_arrest_elsewhere_is_refused(worker, exile, facilities):
    with pytest.raises(ValidationError, match="already held in Оренбург since 1925; nobody is in "
                                              "two facilities at once"):
        services.add_event(worker, exile, type=event_type("arrest"), date=P("1926-01-10"),
                           facility=facilities["butyrka"])


def test_a_transfer_must_say_where_to(worker, exile):
    with pytest.raises(ValidationError) as refused:
        services.add_event(worker, exile, type=event_type("transfer"), date=P("1926"))
    assert "facility" in refused.value.error_dict


def test_release_and_death_set_the_status(worker, exile):
    services.add_event(worker, exile, type=event_type("release"), date=P("1928-03"))
    exile.refresh_from_db()
    assert exile.status.code == "released" and exile.current_facility is None
    services.add_event(worker, exile, type=event_type("arrest"), date=P("1937-08-02"))
    services.add_event(worker, exile, type=event_type("death"), date=P("1938-01-20"))
    exile.refresh_from_db()
    assert exile.status.code == "deceased"
    with pytest.raises(ValidationError, match="after the death on 20 Jan 1938"):
        services.add_event(worker, exile, type=event_type("letter"), date=P("1938-06"))
    services.add_event(worker, exile, type=event_type("rehabilitation"), date=P("1957"))


def test_removing_an_event_that_others_rest_on_is_refused(worker, exile):
    arrest = exile.events.get(type__code="arrest")
    with pytest.raises(ValidationError, match="not in custody then"):
        services.remove_event(worker, arrest)
    letter = exile.events.get(type__code="letter")
    services.remove_event(worker, letter)
    exile.refresh_from_db()
    assert exile.last_contact_on is None


def test_a_confidential_note_is_encrypted(unsealed_vault, worker, exile):
    event = services.add_event(worker, exile, type=event_type("visit"), date=P("1926-02-11"),
                               confidential_note="Свидание устроил знакомый надзиратель")
    stored = Event.objects.filter(pk=event.pk).values_list("confidential_note", flat=True).get()
    assert "надзиратель" not in stored
    assert Event.objects.get(pk=event.pk).confidential_note.endswith("надзиратель")
