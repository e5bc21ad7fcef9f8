"""Hearings in the timeline: entered in the event form with their court, hall, time and
judge; a hearing needs its court and its day; the outcome comes later, never rewritten."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases import services
from pompolit.cases.models import EventType, Hearing, HearingOutcome
from pompolit.cases.testing import P, event_type


def _url(name, case, **extra):
    return reverse(name, kwargs={"compartment": case.compartment.slug, "pk": case.pk, **extra})


def _hearing_form(**changes):
    data = {
        "type": EventType.objects.get(code="hearing").pk, "date": "1926-02-11",
        "hearing_kind": "custody", "hearing_court": "Оренбургский губернский суд",
        "hearing_city": "Оренбург", "hearing_hall": "12", "hearing_time": "10:30",
        "hearing_judge": "Судья Пётр Иванов",
    }
    data.update(changes)
    return data


def test_a_hearing_is_entered_in_the_event_form(worker, exile, client_for):
    client = client_for(worker)
    response = client.post(_url("case_event_add", exile), _hearing_form(hearing_closed="on"))
    assert response.status_code == 302, response.content.decode()
    hearing = Hearing.objects.get(event__case=exile)
    assert (hearing.kind, hearing.court, hearing.city, hearing.hall, hearing.judge) == (
        "custody", "Оренбургский губернский суд", "Оренбург", "12", "Судья Пётр Иванов")
    assert hearing.starts_at == datetime.time(10, 30) and hearing.closed
    assert hearing.event.date == P("1926-02-11")
    assert len(hearing.public_token) == 16  # random: says nothing of how many there are
    page = client.get(_url("case_detail", exile)).content.decode()
    assert "Оренбургский губернский суд" in page and "10:30" in page
    assert "Record the outcome" in page


def test_a_hearing_without_its_court_or_day_is_refused_keeping_what_was_typed(
        worker, exile, client_for):
    client = client_for(worker)
    response = client.post(_url("case_event_add", exile),
                           _hearing_form(hearing_court="", date="1926-02"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "A hearing needs its court." in page
    assert "A hearing needs its day" in page
    assert "Судья Пётр Иванов" in page  # kept
    assert not Hearing.objects.exists()


def test_a_time_that_is_not_hh_mm_is_refused(worker, exile, client_for):
    response = client_for(worker).post(_url("case_event_add", exile),
                                       _hearing_form(hearing_time="в полдень"))
    assert "Expected a time as HH:MM, e.g. 10:30; found в полдень." in response.content.decode()
    assert not Hearing.objects.exists()


def test_other_events_get_no_hearing(worker, exile, client_for):
    response = client_for(worker).post(_url("case_event_add", exile), _hearing_form(
        type=EventType.objects.get(code="letter").pk))
    assert response.status_code == 302
    assert not Hearing.objects.exists()


def test_the_service_refuses_a_hearing_without_a_court(worker, exile):
    with pytest.raises(ValidationError) as refused:
        services.add_event(worker, exile, type=event_type("hearing"), date=P("1926-02-11"),
                           hearing={"court": " ", "hall": "3"})
    assert "hearing_court" in refused.value.error_dict


def test_a_hearing_known_only_by_its_date_stays_a_plain_event(worker, exile, client_for):
    response = client_for(worker).post(_url("case_event_add", exile), {
        "type": EventType.objects.get(code="hearing").pk, "date": "1926-02"})
    assert response.status_code == 302
    assert exile.events.filter(type__code="hearing").exists()
    assert not Hearing.objects.exists()


def test_a_verdict_is_a_hearing_of_the_verdict_kind(worker, exile, client_for):
    client_for(worker).post(_url("case_event_add", exile), _hearing_form(
        type=EventType.objects.get(code="verdict").pk, hearing_kind=""))
    assert Hearing.objects.get().kind == "verdict"


def test_the_outcome_comes_later_and_a_correction_keeps_the_history(
        worker, exile, client_for):
    event = services.add_event(worker, exile, type=event_type("hearing"), date=P("1926-02-11"),
                               hearing={"court": "Оренбургский губернский суд"})
    client = client_for(worker)
    url = _url("case_hearing_outcome", exile, event=event.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Стража продлена на 2 месяца"}).status_code == 302
    assert client.post(url, {"text": "Стража продлена на 3 месяца"}).status_code == 302
    hearing = event.hearing
    assert [o.text for o in HearingOutcome.objects.filter(hearing=hearing)] == [
        "Стража продлена на 2 месяца", "Стража продлена на 3 месяца"]
    assert hearing.outcome().text == "Стража продлена на 3 месяца"
    assert AuditEntry.objects.filter(action="cases.hearing_outcome").count() == 2
    page = client.get(_url("case_detail", exile)).content.decode()
    assert "Стража продлена на 3 месяца" in page and "Correct the outcome" in page


def test_an_empty_outcome_is_refused(worker, exile, client_for):
    event = services.add_event(worker, exile, type=event_type("hearing"), date=P("1926-02-11"),
                               hearing={"court": "Оренбургский губернский суд"})
    response = client_for(worker).post(_url("case_hearing_outcome", exile, event=event.pk),
                                       {"text": "   "})
    assert response.status_code == 200 and not HearingOutcome.objects.exists()


def test_the_outcome_of_an_event_that_is_not_a_hearing_is_404(worker, exile, client_for):
    event = exile.events.first()
    url = _url("case_hearing_outcome", exile, event=event.pk)
    assert client_for(worker).get(url).status_code == 404


def test_another_compartment_cannot_record_an_outcome(worker, outsider, exile, client_for):
    event = services.add_event(worker, exile, type=event_type("hearing"), date=P("1926-02-11"),
                               hearing={"court": "Оренбургский губернский суд"})
    url = _url("case_hearing_outcome", exile, event=event.pk)
    assert client_for(outsider).post(url, {"text": "Оправдан"}).status_code == 404
    assert not HearingOutcome.objects.exists()
