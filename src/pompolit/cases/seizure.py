"""Canaries for the vault's seizure test: one in each secret field of the case registry."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any


def seed(canary: Callable[..., str]) -> None:
    from pompolit.cases.models import (
        Case,
        CaseStatus,
        Event,
        EventType,
        Hearing,
        HearingOutcome,
        Person,
        Relative,
    )
    from pompolit.cases.partial import PartialDate
    from pompolit.members.models import Compartment, Member
    from pompolit.vault.fields.files import Upload

    member = Member.objects.create_user("Канарейка реестра", "correct horse battery staple")
    compartment = Compartment.objects.create(
        name="Канареечное отделение", slug="canary-cases", created_by=member
    )
    person = Person.objects.create(display_name="Канареев Кузьма", birth_date=PartialDate(1990))
    secret: dict[str, Any] = {
        "lawyer_contact": canary("cases.Case.lawyer_contact"),
        "needs": canary("cases.Case.needs"),
        "needs_structured": {"medicines": canary("cases.Case.needs_structured")},
        # The stored body, as photos.clean_photo would hand it over (a canary, not pixels).
        "photo": Upload("photo.jpg", canary("cases.Case.photo").encode(), "image/jpeg"),
    }
    case = Case.objects.create(
        compartment=compartment, person=person, status=CaseStatus.objects.get(code="detained"),
        **secret,
    )
    Event.objects.create(
        case=case, compartment=compartment, type=EventType.objects.get(code="letter"),
        date=PartialDate.from_date(datetime.date(2025, 3, 1)),
        confidential_note=canary("cases.Event.confidential_note"),
    )
    hearing = Hearing.objects.create(
        event=Event.objects.create(
            case=case, compartment=compartment, type=EventType.objects.get(code="hearing"),
            date=PartialDate.from_date(datetime.date(2025, 4, 2)),
        ),
        court="Ленинский районный суд", city="Оренбург",
    )
    HearingOutcome.objects.create(hearing=hearing, compartment=compartment,
                                  text=canary("cases.HearingOutcome.text"))
    Relative.objects.create(
        case=case, compartment=compartment, relationship="mother",
        name=canary("cases.Relative.name"), contact=canary("cases.Relative.contact"),
        phone=canary("cases.Relative.phone", "phone"), notes=canary("cases.Relative.notes"),
    )
