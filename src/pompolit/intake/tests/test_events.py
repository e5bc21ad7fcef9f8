"""Protests and events: added by a hotline's operators, corrected by them while only their
hotline's detentions belong to the event; each write in the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.intake import services
from pompolit.intake.models import ProtestEvent, Reporter
from pompolit.intake.testing import entry, protest
from pompolit.members.roles import Role

DAY = datetime.date(2026, 12, 7)


def test_an_operator_adds_an_event_for_their_hotline(operator, hotline):
    event = services.create_event(
        operator, name="  Пикет  у Госдумы ", city="Москва", date=DAY, compartment=hotline
    )
    assert event.name == "Пикет у Госдумы"
    details = AuditEntry.objects.get(action="intake.event_created").details
    assert details == {"event": event.pk, "compartment": "moscow-hotline"}


def test_an_event_is_added_once(operator, hotline):
    services.create_event(operator, name="Пикет у Госдумы", city="Москва", date=DAY)
    with pytest.raises(ValidationError):
        services.create_event(
            operator, name="Пикет у Госдумы", city="Москва", date=DAY, compartment=hotline
        )
    assert ProtestEvent.objects.count() == 1


def test_an_operator_of_another_hotline_adds_nothing_to_this_one(spb_operator, hotline):
    with pytest.raises(PermissionDenied):
        services.create_event(
            spb_operator, name="Пикет у Госдумы", city="Москва", date=DAY, compartment=hotline
        )
    assert not ProtestEvent.objects.exists()


def test_a_hotlines_events_are_its_towns_and_those_its_detentions_name(
    operator, hotline, spb_hotline, pushkin_square
):
    nevsky = protest("Шествие по Невскому", "Санкт-Петербург", DAY)
    protest("Митинг на Марсовом поле", "Санкт-Петербург", DAY)
    services.record_report(operator, hotline, entry(event=nevsky), reporter=Reporter.RELATIVE)
    assert set(services.events_of(hotline)) == {pushkin_square, nevsky}
    assert not services.events_of(spb_hotline).filter(pk=pushkin_square.pk).exists()


def test_an_operator_corrects_a_typo_and_the_trail_says_what_changed(
    operator, hotline, pushkin_square
):
    services.update_event(
        operator,
        hotline,
        pushkin_square,
        name="Антивоенная акция на Пушкинской площади",
        city="Москва",
        date=datetime.date(2026, 3, 7),
    )
    pushkin_square.refresh_from_db()
    assert pushkin_square.date == datetime.date(2026, 3, 7)
    details = AuditEntry.objects.get(action="intake.event_changed").details
    assert details == {"event": pushkin_square.pk, "compartment": hotline.slug, "fields": ["date"]}


def test_nothing_changed_writes_nothing(operator, hotline, pushkin_square):
    services.update_event(
        operator,
        hotline,
        pushkin_square,
        name=pushkin_square.name,
        city=pushkin_square.city,
        date=pushkin_square.date,
    )
    assert not AuditEntry.objects.filter(action="intake.event_changed").exists()


def test_an_event_another_hotlines_detentions_belong_to_is_not_changed_from_here(
    operator, spb_operator, hotline, spb_hotline, pushkin_square
):
    services.record_report(
        spb_operator, spb_hotline, entry(event=pushkin_square), reporter=Reporter.RELATIVE
    )
    with pytest.raises(PermissionDenied, match="another hotline"):
        services.update_event(
            operator, hotline, pushkin_square, name="Акция", city="Москва", date=DAY
        )
    pushkin_square.refresh_from_db()
    assert pushkin_square.name == "Антивоенная акция на Пушкинской площади"


def test_an_event_of_another_town_is_not_this_hotlines(operator, hotline):
    nevsky = protest("Шествие по Невскому", "Санкт-Петербург", DAY)
    with pytest.raises(PermissionDenied):
        services.update_event(operator, hotline, nevsky, name="Шествие", city="Москва", date=DAY)


def test_a_case_worker_changes_no_event(make_member, hotline, pushkin_square, unsealed_vault):
    worker = make_member("Николай Морозов", Role.CASE_WORKER, compartments=[hotline])
    with pytest.raises(PermissionDenied):
        services.update_event(
            worker, hotline, pushkin_square, name="Акция", city="Москва", date=DAY
        )
