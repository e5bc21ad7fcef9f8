"""Batches for the post office: the approved parcels a case worker sees, per facility.

`Batch` is plain data (facilities, their address as the country's post writes it, the
parcels for each with recipient and contents), built from the approved parcels a member sees
(`batch_for`); the documents (`documents.py`: labels and content lists as a PDF, a CSV for
courier services) only read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pompolit.aid.models import AidItem, Status
from pompolit.aid.rules import PARCEL_KINDS
from pompolit.aid.services import visible_items
from pompolit.aid.vocabulary import CATEGORIES
from pompolit.audit.services import record
from pompolit.cases.facilities.addresses import facility_address, recipient_line
from pompolit.members.models import Member


@dataclass(frozen=True)
class Content:
    category: str  # a label, in the reader's language
    description: str
    quantity: int
    grams: int


@dataclass(frozen=True)
class Parcel:
    number: int  # the item's id: on the label, to match parcel and list
    kind: str
    recipient: str
    contents: tuple[Content, ...]

    @property
    def grams(self) -> int:
        return sum(c.grams for c in self.contents)


@dataclass(frozen=True)
class FacilityBatch:
    name: str
    country: str
    address: tuple[str, ...]  # without the recipient, as facility_address writes it
    parcels: tuple[Parcel, ...]


@dataclass(frozen=True)
class Batch:
    title: str
    facilities: tuple[FacilityBatch, ...]

    @property
    def count(self) -> int:
        return sum(len(f.parcels) for f in self.facilities)


# -- from the database ---------------------------------------------------------------------


def batch_items(member: Member) -> Iterable[AidItem]:
    """Approved parcels and books the member sees, whose person is in a known facility."""
    return (visible_items(member)
            .filter(status=Status.APPROVED, kind__in=PARCEL_KINDS,
                    case__current_facility__isnull=False)
            .select_related("case__person", "case__current_facility")
            .prefetch_related("contents").order_by("case__current_facility__name", "pk"))


def batch_for(items: Iterable[AidItem], title: str) -> Batch:
    by_facility: dict[int, tuple[Any, list[Parcel]]] = {}
    for item in items:
        facility = item.case.current_facility
        if facility is None:
            continue
        contents = tuple(
            Content(str(CATEGORIES[c.category].label) if c.category in CATEGORIES
                    else c.category, c.description, c.quantity, c.grams)
            for c in item.contents.all())
        parcel = Parcel(item.pk, item.get_kind_display(), recipient_line(item.case), contents)
        by_facility.setdefault(facility.pk, (facility, []))[1].append(parcel)
    return Batch(title, tuple(
        FacilityBatch(facility.name, facility.country.upper(),
                      tuple(facility_address(facility)), tuple(parcels))
        for facility, parcels in sorted(by_facility.values(), key=lambda fp: fp[0].name)))


def record_printed(member: Member, batch: Batch, what: str) -> None:
    record("aid.batch_printed", actor=member, details={
        "format": what, "parcels": batch.count, "facilities": len(batch.facilities)})
