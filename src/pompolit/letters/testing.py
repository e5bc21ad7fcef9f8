"""Test builders for the letters: a colony with letter rules, prisoners who may and may not be
written to, a moderator. The fixtures are taken by `letters/conftest.py`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from pompolit.cases.models import Case, CaseStatus, Consent, Facility, FacilityType, Person
from pompolit.letters.models import LetterRules
from pompolit.letters.pick import Recipient, recipient
from pompolit.members.models import Compartment, Member
from pompolit.members.roles import Role

EVERYTHING = ["name", "facility", "birthday", "status"]


def facility(name: str, short: str, city: str, **fields: Any) -> Facility:
    return Facility.objects.create(name=name, short_name=short, city=city,
                                   type=FacilityType.objects.get(code="colony"),
                                   region=fields.pop("region", "Омская область"), **fields)


def prisoner(compartment: Compartment, name: str, where: Facility, *,
             scope: list[str] | None = None, status: str = "sentenced") -> Case:
    person = Person.objects.create(display_name=name)
    case = Case.objects.create(compartment=compartment, person=person,
                               status=CaseStatus.objects.get(code=status),
                               current_facility=where)
    if scope is not None:
        Consent.objects.create(case=case, given_by="prisoner",
                               given_on=datetime.date(2026, 1, 10), scope=scope)
    return case


@dataclass
class World:
    ik6: Facility
    ik2: Facility
    sizo: Facility
    writable: list[Case]
    hidden: list[Case]

    def recipient(self, case: Case) -> Recipient:
        found = recipient(case.public_id)
        assert found is not None, f"{case} cannot be written to"
        return found


def world(compartment: Compartment) -> World:
    ik6 = facility("ФКУ ИК-6 УФСИН России по Омской области", "ИК-6", "Омск",
                   street="ул. Семиреченская, д. 101", postal_code="644010",
                   letter_service="ФСИН-письмо")
    LetterRules.objects.create(facility=ik6, languages=["ru"], max_chars=2000,
                               topics_to_avoid=["case", "war"], images_accepted=True,
                               max_images=2)
    ik2 = facility("ФКУ ИК-2 УФСИН России по Мордовии", "ИК-2", "Явас", region="Мордовия")
    sizo = facility("ФКУ СИЗО-1 УФСИН России по Москве", "Матросская Тишина", "Москва",
                    region="Москва")
    LetterRules.objects.create(facility=sizo, relatives_only=True)
    writable = [
        prisoner(compartment, "Горинов Алексей Александрович", ik6, scope=EVERYTHING),
        prisoner(compartment, "Скочиленко Александра Юрьевна", ik2, scope=["name", "facility"]),
    ]
    hidden = [
        prisoner(compartment, "Без Согласия Иван", ik6),  # no consent
        prisoner(compartment, "Только Имя Пётр", ik6, scope=["name"]),  # no address published
        prisoner(compartment, "Родственникам Сергей", sizo, scope=EVERYTHING),
        prisoner(compartment, "Освобождённый Олег", ik2, scope=EVERYTHING, status="released"),
    ]
    return World(ik6, ik2, sizo, writable, hidden)


@pytest.fixture
def letters_world(compartment: Compartment, unsealed_vault: Any) -> World:
    return world(compartment)


@pytest.fixture
def moderator(make_member: Callable[..., Member], compartment: Compartment,
              unsealed_vault: Any) -> Member:
    return make_member("Ирина Каховская", Role.CASE_WORKER, compartments=[compartment])


def matrix_letter(world: Any) -> Any:
    """A letter for the access matrix, to the matrix's case (made once per world)."""
    from pompolit.cases.testing import matrix
    from pompolit.letters.models import Letter

    made = world.extra.get("letter")
    if made is None:
        objects = matrix(world)
        empty: dict[str, Any] = {"text": None}  # the matrix's vault is sealed
        made = world.extra["letter"] = Letter.objects.create(
            case=objects.case, facility=objects.facility, writer_hash="0" * 64, **empty)
    return made


def matrix_campaign(world: Any) -> Any:
    """A letter campaign for the access matrix (made once per world)."""
    from pompolit.letters.models import Campaign

    made = world.extra.get("letter_campaign")
    if made is None:
        made = world.extra["letter_campaign"] = Campaign.objects.create(
            name_en="New Year cards", name_ru="Новогодние открытки",
            starts_on=datetime.date(2026, 12, 15), ends_on=datetime.date(2027, 1, 10))
    return made
