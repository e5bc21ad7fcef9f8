"""Builders for the hotline's tests, and for other apps' (the URL × role access matrix): police
stations in Moscow, a protest, a hotline compartment with an operator, and an entry as an
operator would type it."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from pompolit.cases.models import Facility, FacilityType
from pompolit.cases.partial import PartialDate
from pompolit.intake.models import (
    STATION_TYPE,
    Detainee,
    Detention,
    Hotline,
    ProtestEvent,
    Status,
)
from pompolit.intake.services import Entry
from pompolit.names import Name

# The evening of a protest, Moscow time (the tests' TIME_ZONE is the project's).
EVENING = datetime.datetime(2026, 3, 6, 19, 30, tzinfo=datetime.UTC)


def station(name: str, city: str = "Москва", **fields: Any) -> Facility:
    return Facility.objects.create(
        name=fields.pop("full_name", f"Отдел МВД России по району {name}"),
        short_name=name,
        type=FacilityType.objects.get(code=STATION_TYPE),
        region=city,
        city=city,
        **fields,
    )


def protest(
    name: str = "Антивоенная акция на Пушкинской площади",
    city: str = "Москва",
    date: datetime.date = datetime.date(2026, 3, 6),
) -> ProtestEvent:
    return ProtestEvent.objects.create(name=name, city=city, date=date)


def entry(name: str = "Смирнова Анна Сергеевна", **fields: Any) -> Entry:
    surname, given, patronymic = ([*name.split(), "", ""])[:3]
    birth = fields.pop("birth", None)
    return Entry(
        name=Name(surname, given, patronymic),
        birth_date=PartialDate.parse(birth) if birth else None,
        **fields,
    )


def matrix_detention(world: Any) -> Detention:
    """One detention in the world's compartment, for the access matrix; made once per world."""
    made: Detention | None = world.extra.get("intake")
    if made is None:
        Hotline.objects.get_or_create(compartment=world.compartment, defaults={"city": "Москва"})
        person = Detainee.objects.create(display_name="Смирнова Анна Сергеевна")
        made = world.extra["intake"] = Detention.objects.create(
            compartment=world.compartment,
            detainee=person,
            detained_at=timezone.now(),
            status=Status.CRIMINAL_CASE,
        )
    return made


def matrix_event(world: Any) -> ProtestEvent:
    """A protest in the town of the world's hotline, for the access matrix; made once."""
    made: ProtestEvent | None = world.extra.get("intake_event")
    if made is None:
        Hotline.objects.get_or_create(compartment=world.compartment, defaults={"city": "Москва"})
        made = world.extra["intake_event"] = protest()
    return made


def matrix_report(world: Any) -> Any:
    """One public report waiting in the world's compartment's quarantine, for the access
    matrix; made once per world."""
    from pompolit.intake.models import Channel, Report, Reporter

    made = world.extra.get("intake_report")
    if made is None:
        Hotline.objects.get_or_create(compartment=world.compartment, defaults={"city": "Москва"})
        made = world.extra["intake_report"] = Report.objects.create(
            compartment=world.compartment, channel=Channel.WEB_FORM, reporter=Reporter.RELATIVE
        )
    return made


def matrix_photo(world: Any) -> Any:
    """A photo with the world's public report, for the access matrix (no body: the world's
    vault is sealed, and the view finds nothing to show); made once per world."""
    from pompolit.intake.public.models import ReportPhoto

    made = world.extra.get("intake_photo")
    if made is None:
        report = matrix_report(world)
        made = world.extra["intake_photo"] = ReportPhoto.objects.create(
            compartment=world.compartment, report=report)
    return made
