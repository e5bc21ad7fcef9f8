"""Batches for the post office: address labels and content lists per facility (a PDF ready to
print) and a CSV for courier services.

`Batch` is plain data (facilities, their address as the country's post writes it, the
parcels for each with recipient and contents), built from the approved parcels a member sees
(`batch_for`); `render_pdf` and `courier_csv` only read it. The PDF is made by weasyprint
from our own HTML with the system's DejaVu fonts (Cyrillic); its URL fetcher refuses
everything, so a document can never reach the network. Every CSV cell goes through
`cases.exporting.safe_cell` (no spreadsheet formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pompolit.aid.models import AidItem, Status
from pompolit.aid.rules import PARCEL_KINDS
from pompolit.aid.vocabulary import CATEGORIES
from pompolit.audit.services import record
from pompolit.cases.facilities.addresses import facility_address, recipient_line
from pompolit.cases.io.exporting import safe_cell
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
    from pompolit.aid.services import visible_items

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


# -- the PDF ---------------------------------------------------------------------------------


class NetworkRefused(ValueError):
    pass


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise NetworkRefused(f"Batches fetch nothing ({url[:60]}).")


def no_fetcher() -> Any:
    """weasyprint's URL fetcher: nothing is fetched, from the network or anywhere else."""
    from weasyprint.urls import URLFetcher

    class Refuse(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return refuse_fetch(url)

    return Refuse(allowed_protocols=(), fail_on_errors=False)


def render_html(batch: Batch) -> str:
    return render_to_string("aid/batch_pdf.html", {"batch": batch})


def render_pdf(batch: Batch) -> bytes:
    import weasyprint  # a heavy import (pango): only when a PDF is asked for

    html = weasyprint.HTML(string=render_html(batch), url_fetcher=no_fetcher())
    pdf: bytes = html.write_pdf()
    return pdf


# -- the courier CSV -------------------------------------------------------------------------

CSV_COLUMNS = ("number", "facility", "recipient", "address", "postal_code", "country", "kind",
               "contents", "weight_kg")


def _postal_code(facility: FacilityBatch) -> str:
    from pompolit.cases.facilities.addresses import POST_SOVIET

    if facility.country in POST_SOVIET and facility.address:
        return facility.address[-1] if facility.address[-1].isdigit() else ""
    return ""


def courier_csv(batch: Batch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([
        _("Number"), _("Facility"), _("Recipient"), _("Address"), _("Postal code"),
        _("Country"), _("Kind"), _("Contents"), _("Weight, kg"),
    ])
    for facility in batch.facilities:
        for parcel in facility.parcels:
            row: Sequence[Any] = (
                parcel.number, facility.name, parcel.recipient, ", ".join(facility.address),
                _postal_code(facility), facility.country, parcel.kind,
                "; ".join(f"{c.category} {c.description} ×{c.quantity}".replace("  ", " ")
                          for c in parcel.contents),
                f"{parcel.grams / 1000:.3f}",
            )
            writer.writerow([safe_cell(v) for v in row])
    # A byte order mark, so that Excel reads the Cyrillic.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
