"""What every bulk export shares: cells a spreadsheet will not run as formulas, CSV that Excel
reads as UTF-8, and the approved export that is downloaded once.

Used by the cases export (cases/io/exporting.py) and the donor identities export
(ledger/donors/services.py). An approved sensitive export is a ticket row with a
`downloaded_at`: the file is generated when the ticket is taken — no decrypted file waits on
the server — and a ticket is taken once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """A text that a spreadsheet will not take for a formula; other values unchanged.

    One starting with = + - @ (or their full-width forms), a tab, a carriage return or a line
    feed gets an apostrophe in front, so that Excel or LibreOffice shows it as text."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def safe(value: Any) -> Any:
    """safe_cell through lists and dicts (JSON exports end up in spreadsheets too)."""
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, list):
        return [safe(v) for v in value]
    if isinstance(value, dict):
        return {k: safe(v) for k, v in value.items()}
    return value


def csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    """A CSV of already-safe rows; lists and dicts as JSON; with a BOM, so that Excel reads
    the Cyrillic as UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], list | dict)
             else row[c] for c in columns])
    return ("\ufeff" + out.getvalue()).encode()


def attachment(body: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def take_once(tickets: QuerySet[Any], ticket_id: int, *, missing: str, taken: str) -> Any:
    """Lock the approved export `ticket_id` among `tickets` (already filtered to the member
    who asked) and mark it downloaded now. Call inside the transaction that builds the file
    and audits it: if building fails, the ticket is not used up.

    Refuses with `missing` (PermissionDenied) an export that is not the member's, and with
    `taken` (ValidationError) one already downloaded."""
    ticket = tickets.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise PermissionDenied(missing)
    if ticket.downloaded_at is not None:
        raise ValidationError(taken)
    ticket.downloaded_at = timezone.now()
    ticket.save(update_fields=["downloaded_at"])
    return ticket


def refuse_own_export(payload: dict[str, Any], approver: Any) -> str | None:
    """`refuses_approver` of an export's approval: whoever asked may never approve it."""
    if approver.pk == payload.get("requested_by"):
        return _("You cannot approve your own export: a second person must.")
    return None
