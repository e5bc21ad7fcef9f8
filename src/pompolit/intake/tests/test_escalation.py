"""A detention that led to a criminal case becomes a case of the registry in one step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
        "detention-update",
        "detention-update",
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
