"""Registering a detainee in one step: the person and their case, the arrest on the timeline
(at a facility chosen from the list or created here, explicitly), the charge and a relative —
one transaction, so either the whole detainee is registered or nothing is.

Each part is written by the service that writes it elsewhere (`cases.services.open_case`,
`add_event`, `add_charge`, `add_relative`, `facilities.services.create_facility`), with their
checks and audit entries; an error names the field of the new-detainee form it is about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from pompolit.cases import services
from pompolit.cases.facilities import services as facilities
from pompolit.cases.models import Case, CaseStatus, EventType, Facility, FacilityType
from pompolit.cases.partial import PartialDate
from pompolit.members.models import Compartment, Member
from pompolit.names import Name


@dataclass(frozen=True)
class NewFacility:
    """A facility not yet in the list, created with the detainee (only when asked for)."""

    name: str
    type: FacilityType
    region: str = ""


@dataclass(frozen=True)
class Arrest:
    date: PartialDate
    place: str = ""
    facility: Facility | NewFacility | None = None


@dataclass(frozen=True)
class Charge:
    article: str
    code: str = "УК РФ"
    text: str = ""
    jurisdiction: str = "RU"


@dataclass(frozen=True)
class Relative:
    relationship: str
    name: str
    phone: str = ""
    contact: str = ""


# Which field of the new-detainee form each part's errors are about.
FACILITY_FIELDS = {
    "name": "new_facility_name",
    "short_name": "new_facility_name",
    "region": "new_facility_region",
    "type": "new_facility_type",
}
ARREST_FIELDS = {"date": "arrest_date", "place": "arrest_place", "facility": "facility"}
CHARGE_FIELDS = {
    "code": "charge_code",
    "article": "charge_article",
    "text": "charge_text",
    "jurisdiction": "charge_code",
}
RELATIVE_FIELDS = {
    "relationship": "relative_relationship",
    "name": "relative_name",
    "phone": "relative_phone",
    "contact": "relative_contact",
}


@contextmanager
def _about(fields: Mapping[str, str], other: str) -> Iterator[None]:
    """Errors of one part, renamed to the form's fields (`other` for the rest)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ValidationError({other: error.messages}) from None
        raise ValidationError(
            {fields.get(name, other): messages for name, messages in error.message_dict.items()}
        ) from None


def register_detainee(
    actor: Member,
    *,
    compartment: Compartment,
    name: Name,
    birth_date: PartialDate | None = None,
    status: CaseStatus | None = None,
    arrest: Arrest | None = None,
    charge: Charge | None = None,
    relative: Relative | None = None,
    **case_fields: Any,
) -> Case:
    """The person, their case and what is known of the arrest, charge and family, at once."""
    services.check_compartment(actor, compartment)
    with transaction.atomic():
        case = services.open_case(
            actor,
            compartment=compartment,
            name=name,
            birth_date=birth_date,
            status=status,
            **case_fields,
        )
        if arrest is not None:
            facility = arrest.facility
            if isinstance(facility, NewFacility):
                with _about(FACILITY_FIELDS, "facility"):
                    facility = facilities.create_facility(
                        actor,
                        name=facility.name.strip(),
                        type=facility.type,
                        region=facility.region.strip(),
                    )
            with _about(ARREST_FIELDS, "arrest_date"):
                services.add_event(
                    actor,
                    case,
                    type=EventType.objects.get(code="arrest"),
                    date=arrest.date,
                    facility=facility,
                    place=arrest.place,
                )
        if charge is not None:
            with _about(CHARGE_FIELDS, "charge_article"):
                services.add_charge(
                    actor,
                    case,
                    code=charge.code,
                    article=charge.article,
                    text=charge.text,
                    jurisdiction=charge.jurisdiction,
                )
        if relative is not None:
            with _about(RELATIVE_FIELDS, "relative_name"):
                services.add_relative(
                    actor,
                    case,
                    relationship=relative.relationship,
                    name=relative.name,
                    phone=relative.phone,
                    contact=relative.contact,
                )
        case.refresh_from_db()
    return case
