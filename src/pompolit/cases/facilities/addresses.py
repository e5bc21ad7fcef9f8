"""Addresses for letters and parcels, written the way each country's post reads them.

Russia (and Belarus, Kazakhstan, which follow the same rules): the recipient, then the
facility's official name, the street, the town, the region, and the postal code last on its
own line, e.g.

    Иванову Ивану Ивановичу, 1980 г. р.
    ФКУ ИК-6 УФСИН России по Омской области
    ул. Ленина, д. 1
    г. Омск
    Омская область
    644000

Elsewhere: the recipient, the facility, the street, "postal code town", region, country.
"""

from __future__ import annotations

from pompolit.cases.models import Case, Facility

POST_SOVIET = {"RU", "BY", "KZ"}


def facility_address(facility: Facility) -> list[str]:
    if facility.country.upper() in POST_SOVIET:
        lines = [facility.name, facility.street, facility.city, facility.region,
                 facility.postal_code]
    else:
        town = " ".join(p for p in (facility.postal_code, facility.city) if p)
        lines = [facility.name, facility.street, town, facility.region, facility.country.upper()]
    return [line for line in lines if line]


def recipient_line(case: Case) -> str:
    """The prisoner as the post and the facility's office find them: name and year of birth."""
    person = case.person
    name = person.display_name
    if person.birth_date is not None and case.current_facility is not None and (
        case.current_facility.country.upper() in POST_SOVIET
    ):
        return f"{name}, {person.birth_date.year} г. р."
    if person.birth_date is not None:
        return f"{name} (b. {person.birth_date.year})"
    return name


def letter_address(case: Case) -> list[str]:
    """Where to write to the person now; empty when their facility is not known."""
    if case.current_facility is None:
        return []
    return [recipient_line(case), *facility_address(case.current_facility)]
