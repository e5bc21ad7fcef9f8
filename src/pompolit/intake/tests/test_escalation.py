"""A detention that led to a criminal case becomes a case of the registry in one step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from pompolit.audit.models import AuditEntry
from pompolit.cases import services as cases
from pompolit.cases.models import Case, Person
from pompolit.intake import services
from pompolit.intake.models import Reporter, Status
from pompolit.intake.services import RelativeEntry, record_report
from pompolit.intake.testing import EVENING, entry
from pompolit.members.roles import Role

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def duty(make_member, hotline, compartment, unsealed_vault):
    """Вера on duty: a hotline operator who is also a case worker of the Orenburg registry."""
    return make_member(
        "Вера Засулич", Role.HOTLINE_OPERATOR, Role.CASE_WORKER, compartments=[hotline, compartment]
    )


@pytest.fixture
def charged(duty, hotline, stations, pushkin_square):
    report = record_report(
        duty,
        hotline,
        entry(
            "Лебедев Кирилл Андреевич",
            birth="14.05.1998",
            detained_at=EVENING,
            event=pushkin_square,
            facility=stations["tverskoy"],
            place="Пушкинская площадь",
            lawyer="Павлова М. И.",
            medicine="сальбутамол, ингалятор",
            relative=RelativeEntry("mother", "Лебедева Нина Ивановна", "+7 903 555-12-34"),
        ),
        reporter=Reporter.RELATIVE,
        received_at=EVENING + HOUR,
    )
    detention = report.detention
    services.change_status(duty, detention, Status.HELD_OVERNIGHT, at=EVENING + 5 * HOUR)
    services.change_status(duty, detention, Status.CRIMINAL_CASE, at=EVENING + 20 * HOUR)
    return detention


def test_the_case_carries_names_birth_date_events_relative_and_needs(
    duty, charged, compartment, stations
):
    record_report(
        duty,
        charged.compartment,
        entry("Lebedev Kirill", birth="1998"),
        reporter=Reporter.LAWYER,
        link_to=charged,
    )
    services.add_relative(duty, charged, RelativeEntry("sibling", "Лебедева Алина"))
    case = services.escalate(duty, charged, compartment)

    assert charged.case == case and case.compartment == compartment
    assert case.person.display_name == "Лебедев Кирилл Андреевич"
    assert str(case.person.birth_date) == "1998-05-14"
    assert case.lawyer == "Павлова М. И."
    assert [e.type.code for e in case.events.all()] == [
        "arrest",
        "hotline-at-station",
        "hotline-held-overnight",
        "charge",
    ]
    arrest = case.events.first()
    assert arrest.facility == stations["tverskoy"] and arrest.place == "Пушкинская площадь"
    private = cases.read_private(duty, case)
    assert private["needs"] == "сальбутамол, ингалятор"
    assert sorted(r["name"] for r in private["relatives"]) == [
        "Лебедева Алина",
        "Лебедева Нина Ивановна",
    ]
    assert cases.cases_with_phone(duty, "89035551234").get() == case
    details = AuditEntry.objects.filter(action="intake.escalated").get().details
    assert details == {"detention": charged.pk, "case": case.pk, "compartment": "orenburg-exiles"}


def test_a_detention_becomes_a_case_once(duty, charged, compartment):
    services.escalate(duty, charged, compartment)
    with pytest.raises(ValidationError, match="already a case"):
        services.escalate(duty, charged, compartment)
    assert Case.objects.count() == 1


def test_only_a_criminal_case_is_escalated(duty, hotline, compartment):
    detention = record_report(duty, hotline, entry(), reporter=Reporter.DETAINEE).detention
    services.change_status(duty, detention, Status.RELEASED_WITH_PROTOCOL)
    with pytest.raises(ValidationError, match="criminal case"):
        services.escalate(duty, detention, compartment)
    assert not Case.objects.exists()


def test_an_operator_who_is_no_case_worker_there_escalates_nothing(operator, charged, compartment):
    with pytest.raises(PermissionDenied):
        services.escalate(operator, charged, compartment)
    charged.refresh_from_db()
    assert charged.case is None and not Case.objects.exists()


def test_a_failure_half_way_leaves_no_half_made_case(duty, charged, compartment, monkeypatch):
    def broken(*args, **kwargs):
        raise ValidationError("the registry refused the relative")

    monkeypatch.setattr(cases, "add_relative", broken)
    with pytest.raises(ValidationError):
        services.escalate(duty, charged, compartment)
    charged.refresh_from_db()
    assert charged.case is None
    assert not Case.objects.exists() and not Person.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="cases.").exists()


def test_the_case_history_is_kept_as_codes_and_reads_in_each_readers_language(
    duty, hotline, compartment, stations, client_for
):
    """Escalated by someone reading in Russian, the case reads in English for an English
    reader, and in Russian for a Russian one: statuses are event types, the days a number, the
    source the hotline's name."""
    detention = record_report(
        duty,
        hotline,
        entry("Орлова Дарья Павловна", detained_at=EVENING, facility=stations["kitay"]),
        reporter=Reporter.DETAINEE,
        received_at=EVENING,
    ).detention
    for status, hours, days in (
        (Status.COURT_HEARING, 16, None),
        (Status.ADMINISTRATIVE_ARREST, 18, 15),
        (Status.CRIMINAL_CASE, 40, None),
    ):
        services.change_status(duty, detention, status, at=EVENING + hours * HOUR, arrest_days=days)
    with translation.override("ru"):
        case = services.escalate(duty, detention, compartment)

    events = list(case.events.all())
    assert [e.type.code for e in events] == [
        "arrest",
        "hotline-at-station",
        "hearing",
        "hotline-admin-arrest",
        "charge",
    ]
    assert events[3].summary == "15"
    assert {e.source for e in events} == {"Московская горячая линия"}
    url = reverse("case_detail", args=[compartment.slug, case.pk])
    english = client_for(duty).get(url).content.decode()
    assert "administrative arrest, days (hotline)" in english and "административный" not in english
    client = client_for(duty)
    client.cookies["django_language"] = "ru"
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "административный арест, суток (горячая линия)" in russian


def test_events_escalated_before_keep_their_words(duty, charged, compartment, client_for):
    """An event written by an earlier escalation (type "detention-update", a label as its
    summary) still reads as it was written."""
    case = services.escalate(duty, charged, compartment)
    old = case.events.get(type__code="hotline-held-overnight")
    old.type = type(old.type).objects.get(code="detention-update")
    old.summary = "оставлен(а) на ночь"
    old.save()
    page = client_for(duty).get(reverse("case_detail", args=[compartment.slug, case.pk]))
    assert "оставлен(а) на ночь" in page.content.decode()
