"""Objects of the case registry for other apps' tests (the URL × role access matrix)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from pompolit.cases.models import (
    Case,
    CaseStatus,
    Event,
    EventType,
    Facility,
    FacilityType,
    Person,
)
from pompolit.cases.partial import PartialDate


@dataclass
class MatrixObjects:
    facility: Facility
    case: Case
    event: Event


def matrix(world: Any) -> MatrixObjects:
    """A facility, and a case with one event in the world's compartment; made once per world."""
    made: MatrixObjects | None = world.extra.get("cases")
    if made is None:
        facility = Facility.objects.create(
            name="Бутырская тюрьма", type=FacilityType.objects.get(code="prison"),
            region="Москва", city="Москва",
        )
        person = Person.objects.create(display_name="Гоц Абрам Рафаилович")
        case = Case.objects.create(
            compartment=world.compartment, person=person,
            status=CaseStatus.objects.get(code="detained"), current_facility=facility,
        )
        event = Event.objects.create(
            case=case, compartment=world.compartment, type=EventType.objects.get(code="arrest"),
            date=PartialDate.from_date(datetime.date(1922, 2, 28)), facility=facility,
        )
        made = world.extra["cases"] = MatrixObjects(facility, case, event)
    return made
