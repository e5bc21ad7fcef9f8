"""Batch documents: address labels and content lists per facility (a PDF ready to print) and
a CSV for courier services.

The PDF is made by weasyprint from our own HTML with the system's DejaVu fonts (Cyrillic); its
URL fetcher refuses everything, so a document can never reach the network. Every CSV cell
goes through `cases.exporting.safe_cell` (no spreadsheet formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pompolit.aid.batches.services import Batch, FacilityBatch
from pompolit.cases.facilities.addresses import POST_SOVIET
from pompolit.cases.io.exporting import safe_cell

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
