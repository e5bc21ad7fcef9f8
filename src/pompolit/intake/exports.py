"""A hotline's list of detentions, written by the worker for the member who asked.

In a surge the people on duty hand lists to the lawyers going to the police stations, to a
partner group that publishes counts, or keep a copy for when the server must be shut down.
From the surge board's *Export the list*, a member picks the filters (event, police station,
held now or all, the days) and a format; `queue` keeps the request on a `DetentionExport` row
and queues `export_detentions` (django.tasks, docs/tasks.md) with the row's id. The worker
writes the list — CSV with a BOM, so that Excel reads the Cyrillic, or an .xlsx workbook —
counting the rows done for the page to show, and keeps the file on the row encrypted under the
hotline compartment's key until the member downloads it (once: `take` deletes the row) or
POMPOLIT_INTAKE_EXPORT_HOURS pass.

What the list holds depends on the member's roles (members/policy.py): the board's readers
get what the board shows; those who send lawyers out get the lawyer's columns (the place, the
van, the lawyer, which medicine, injuries and devices). Such a list is written at once. The
relatives' and reporters' contacts are a bulk export of what could do great harm: only the
hotline's operators may ask for them, and only a second person's approval queues that list
(intake/export_contacts.py, `queue_approved`); the worker writes contacts for nothing else
(`approved_contacts`). The roles are looked at again when the worker writes the list.

The task takes the row's id only and returns nothing; a failure is kept as a code
(`ExportFailure`), never an exception's text, which could quote a name. The trail records
who asked for what filters and, at the download, how many rows left the server — never what
was in them.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from pompolit.audit.models import AuditEntry
from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.models import Facility
from pompolit.core.exports import safe_cell
from pompolit.intake.export_models import (
    DetentionExport,
    ExportFailure,
    ExportFormat,
    ExportState,
)
from pompolit.intake.models import (
    HELD,
    Detention,
    DetentionRelative,
    Hotline,
    ProtestEvent,
    Quarantine,
    Report,
)
from pompolit.members import policy
from pompolit.members.approvals import was_carried_out
from pompolit.members.models import ApprovalRequest, Compartment, Member
from pompolit.vault.errors import VaultSealed
from pompolit.vault.keys.keyring import ring

logger = logging.getLogger(__name__)

# A row queued or being written with no news for this long: the worker was stopped.
STALLED = datetime.timedelta(minutes=30)
IN_PROGRESS = (ExportState.QUEUED, ExportState.RUNNING)
# Rows read and written between two progress updates.
CHUNK = 250
# The approval action of a list with contacts (intake/export_contacts.py).
CONTACTS_ACTION = "intake.export_contacts"
# What an approval of contacts fixes of the list: the row must match it (`approved_contacts`).
APPROVED_KEYS = ("compartment", "event", "station", "held_only", "from", "to", "format")


class Tier(IntEnum):
    """How much of the list a member may take, by role (members/policy.py)."""

    BOARD = 1  # what the board shows
    DETAILS = 2  # and the lawyer's columns
    CONTACTS = 3  # and relatives' and reporters' contacts


@dataclass(frozen=True)
class Filters:
    event: ProtestEvent | None = None
    facility: Facility | None = None
    held_only: bool = True
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "POMPOLIT_INTAKE_EXPORT_HOURS", 4)))


def refusal() -> str:
    return _("You may not export this hotline's list.")


def check(actor: Member, compartment: Compartment) -> None:
    """A reader of the hotline's board, granted its compartment; PermissionDenied otherwise."""
    policy.require(actor, policy.DETENTION_EXPORTERS, refusal())
    if compartment.pk not in actor.compartment_ids():
        raise PermissionDenied(refusal())
    if not Hotline.objects.filter(compartment=compartment).exists():
        raise PermissionDenied(_("This compartment is not a hotline."))


def tier_of(actor: Member) -> Tier:
    """The most the member's roles allow (contacts still need a second person's approval)."""
    if policy.has_roles(actor, policy.DETENTION_EXPORT_CONTACTS):
        return Tier.CONTACTS
    if policy.has_roles(actor, policy.DETENTION_EXPORT_DETAILS):
        return Tier.DETAILS
    return Tier.BOARD


def may_export_contacts(actor: Member) -> bool:
    return tier_of(actor) >= Tier.CONTACTS


# -- what the form offers ---------------------------------------------------------------------


def events_of(compartment: Compartment) -> QuerySet[ProtestEvent]:
    """The events the hotline's detentions belong to."""
    used = Detention.objects.filter(compartment=compartment, event__isnull=False)
    return ProtestEvent.objects.filter(pk__in=used.values("event")).order_by("-date", "name")


def stations_of(compartment: Compartment) -> QuerySet[Facility]:
    """The police stations the hotline's detentions were taken to."""
    used = Detention.objects.filter(compartment=compartment, facility__isnull=False)
    return Facility.objects.filter(pk__in=used.values("facility")).order_by("short_name", "name")


# -- the member's export ----------------------------------------------------------------------


def purge_expired(now: datetime.datetime | None = None) -> int:
    deleted, _by_model = DetentionExport.objects.filter(
        expires_at__lte=now or timezone.now()
    ).delete()
    return deleted


def stalled(row: DetentionExport, now: datetime.datetime | None = None) -> bool:
    return row.state in IN_PROGRESS and row.updated_at <= (now or timezone.now()) - STALLED


def failure(row: DetentionExport) -> str:
    """What the page says about a failed (or stalled) export; "" while all is well."""
    if stalled(row):
        return str(ExportFailure.STALLED.label)
    if row.state == ExportState.FAILED:
        return str(ExportFailure(row.failure or ExportFailure.BUILD).label)
    return ""


def mine(actor: Member, compartment: Compartment) -> DetentionExport | None:
    """The member's export of the hotline, without its file."""
    purge_expired()
    return (
        DetentionExport.objects.filter(owner=actor, compartment=compartment)
        .select_related("event", "facility")
        .defer("body")
        .first()
    )


def details(row: DetentionExport) -> dict[str, Any]:
    """The filters as the trail keeps them: ids, a switch and days (and the approval of a
    list with contacts)."""
    found = {
        "compartment": row.compartment.slug,
        "event": row.event_id,
        "station": row.facility_id,
        "held_only": row.held_only,
        "from": row.date_from.isoformat() if row.date_from else None,
        "to": row.date_to.isoformat() if row.date_to else None,
        "format": row.format,
        "contacts": row.contacts,
    }
    if row.approval_id is not None:
        found["approval"] = row.approval_id
    return found


def approval_payload(
    actor: Member, compartment: Compartment, filters: Filters, fmt: str, language: str
) -> dict[str, Any]:
    """What a request for the list with contacts asks for, as `details` names the filters."""
    return {
        "compartment": compartment.slug,
        "event": filters.event.pk if filters.event else None,
        "station": filters.facility.pk if filters.facility else None,
        "held_only": filters.held_only,
        "from": filters.date_from.isoformat() if filters.date_from else None,
        "to": filters.date_to.isoformat() if filters.date_to else None,
        "format": ExportFormat(fmt).value,
        "requested_by": actor.pk,
        "language": language,
    }


def _create(
    owner: Member,
    compartment: Compartment,
    filters: Filters,
    fmt: str,
    language: str,
    now: datetime.datetime,
    approval: ApprovalRequest | None = None,
) -> DetentionExport:
    return DetentionExport.objects.create(
        owner=owner,
        compartment=compartment,
        event=filters.event,
        facility=filters.facility,
        held_only=filters.held_only,
        date_from=filters.date_from,
        date_to=filters.date_to,
        contacts=approval is not None,
        approval=approval,
        format=ExportFormat(fmt),
        language=language,
        created_at=now,
        updated_at=now,
        expires_at=now + lifetime(),
    )


def queue(actor: Member, compartment: Compartment, filters: Filters, fmt: str) -> DetentionExport:
    """Have the worker write the list without contacts for `actor`, at once; one already under
    way is kept, a finished, failed or stalled one is replaced. (With contacts it is asked for
    in export_contacts.py, and queued by the approval.)"""
    check(actor, compartment)
    fmt = ExportFormat(fmt)
    now = timezone.now()
    with transaction.atomic():
        purge_expired(now)
        earlier = (
            DetentionExport.objects.select_for_update()
            .defer("body")
            .filter(owner=actor, compartment=compartment)
            .first()
        )
        if earlier is not None and earlier.state in IN_PROGRESS and not stalled(earlier, now):
            return earlier
        if earlier is not None:
            earlier.delete()
        language = translation.get_language() or settings.LANGUAGE_CODE
        try:
            with transaction.atomic():
                row = _create(actor, compartment, filters, fmt, language, now)
        except IntegrityError:  # asked twice at once (a double click): the first one stands
            return DetentionExport.objects.defer("body").get(owner=actor, compartment=compartment)
        record("intake.export_queued", actor=actor, obj=compartment, details=details(row))
        # In the same transaction: the worker sees the task only with its row.
        export_detentions.enqueue(row.pk)
    return row


def queue_approved(
    approval: ApprovalRequest,
    owner: Member,
    compartment: Compartment,
    filters: Filters,
    fmt: str,
    language: str,
) -> DetentionExport:
    """Queue the list with contacts that `approval` let out, for the member who asked; it
    replaces whatever list they had. Called by the approval's execution, in its transaction."""
    now = timezone.now()
    purge_expired(now)
    DetentionExport.objects.filter(owner=owner, compartment=compartment).delete()
    row = _create(owner, compartment, filters, fmt, language, now, approval=approval)
    # Once the approval is carried out (committed): the worker checks that it was.
    transaction.on_commit(lambda: export_detentions.enqueue(row.pk))
    return row


def approved_contacts(row: DetentionExport) -> bool:
    """Whether the row's contacts were let out by a second person: an approval of exactly
    this list, for its owner, carried out with its stamped record in the trail, and not yet
    downloaded. A row written into the database by hand gets no contacts."""
    approval = row.approval
    if (
        approval is None
        or approval.action != CONTACTS_ACTION
        or approval.requested_by_id != row.owner_id
    ):
        return False
    asked = details(row)
    if any(approval.payload.get(key) != asked[key] for key in APPROVED_KEYS):
        return False
    downloaded = AuditEntry.objects.filter(action="intake.exported", details__approval=approval.pk)
    return not downloaded.exists() and was_carried_out(approval)


def take(actor: Member, compartment: Compartment) -> tuple[bytes, str, str] | None:
    """The member's finished list — its bytes, file name and content type — once: the row, and
    the encrypted file with it, is deleted as it is handed over, and the trail records it."""
    check(actor, compartment)
    with transaction.atomic():
        row = (
            DetentionExport.objects.select_for_update()
            .filter(
                owner=actor,
                compartment=compartment,
                state=ExportState.READY,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if row is None:
            return None
        body = row.body
        assert isinstance(body, bytes)
        record(
            "intake.exported",
            actor=actor,
            obj=compartment,
            details={**details(row), "rows": row.rows},
        )
        fields = SECRETS[_tier(row)]
        if fields:
            record_sensitive_read(actor, compartment, fields=fields)
        name, content_type = filename(compartment, row.format), CONTENT_TYPES[row.format]
        row.delete()
    return body, name, content_type


def filename(compartment: Compartment, fmt: str) -> str:
    return f"detentions-{compartment.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"


CONTENT_TYPES: dict[str, str] = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# -- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation, named in the member's language when the list is written
    tier: Tier
    value: Callable[[Detention, Tier], Any]


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _station(d: Detention) -> str:
    return (d.facility.short_name or d.facility.name) if d.facility else ""


def _lawyer(d: Detention, tier: Tier) -> str:
    return d.lawyer if tier >= Tier.DETAILS else _yes(d.has_lawyer)


def _told(flag: bool, text: str, tier: Tier) -> str:
    """A flag the board shows; what it is, for those who may read it."""
    if tier >= Tier.DETAILS and text:
        return text
    return _yes(flag or bool(text))


def _relatives(d: Detention, tier: Tier) -> str:
    return "; ".join(
        ", ".join(p for p in (r.get_relationship_display(), r.name, r.phone, r.contact) if p)
        for r in d.relatives.all()
    )


def _reporters(d: Detention, tier: Tier) -> str:
    return "; ".join(
        f"{r.get_reporter_display()}: {r.reporter_contact}"
        for r in d.reports.all()
        if r.reporter_contact
    )


COLUMNS = (
    Column("number", pgettext_lazy("a row's number", "No."), Tier.BOARD, lambda d, t: d.pk),
    Column(
        "name",
        pgettext_lazy("of a person", "name"),
        Tier.BOARD,
        lambda d, t: d.detainee.display_name,
    ),
    Column(
        "birth_year",
        gettext_lazy("year of birth"),
        Tier.BOARD,
        lambda d, t: d.detainee.birth_date.year if d.detainee.birth_date else "",
    ),
    Column("minor", gettext_lazy("minor"), Tier.BOARD, lambda d, t: _yes(d.is_minor)),
    Column(
        "detained_at", gettext_lazy("detained at"), Tier.BOARD, lambda d, t: _when(d.detained_at)
    ),
    Column("place", gettext_lazy("where detained"), Tier.DETAILS, lambda d, t: d.place),
    Column(
        "event", gettext_lazy("event"), Tier.BOARD, lambda d, t: d.event.name if d.event else ""
    ),
    Column("station", gettext_lazy("police station"), Tier.BOARD, lambda d, t: _station(d)),
    Column(
        "where_now", gettext_lazy("where now"), Tier.BOARD, lambda d, t: d.get_location_display()
    ),
    Column("status", gettext_lazy("status"), Tier.BOARD, lambda d, t: d.get_status_display()),
    Column("status_since", gettext_lazy("since"), Tier.BOARD, lambda d, t: _when(d.status_since)),
    Column("van_number", gettext_lazy("van number"), Tier.DETAILS, lambda d, t: d.van_number),
    Column("lawyer", gettext_lazy("lawyer"), Tier.BOARD, _lawyer),
    Column("needs", gettext_lazy("urgent needs"), Tier.BOARD, lambda d, t: "; ".join(d.needs)),
    Column("medicine", gettext_lazy("which medicine"), Tier.DETAILS, lambda d, t: d.medicine),
    Column(
        "injuries",
        gettext_lazy("injuries and violence"),
        Tier.BOARD,
        lambda d, t: _told(d.injured, d.injuries if t >= Tier.DETAILS else "", t),
    ),
    Column(
        "devices",
        gettext_lazy("phone or devices seized"),
        Tier.BOARD,
        lambda d, t: _told(d.devices_seized, d.devices if t >= Tier.DETAILS else "", t),
    ),
    Column(
        "reports", gettext_lazy("reports"), Tier.BOARD, lambda d, t: getattr(d, "report_count", 0)
    ),
    Column("relatives", gettext_lazy("relatives (contacts)"), Tier.CONTACTS, _relatives),
    Column("reporters", gettext_lazy("reporters' contacts"), Tier.CONTACTS, _reporters),
)


# The encrypted fields a list of each tier holds: its download is a sensitive reading of them.
_DETAILS = [
    "intake.Detention.place",
    "intake.Detention.van_number",
    "intake.Detention.lawyer",
    "intake.Detention.medicine",
    "intake.Detention.injuries",
    "intake.Detention.devices",
]
SECRETS: dict[Tier, list[str]] = {
    Tier.BOARD: [],
    Tier.DETAILS: _DETAILS,
    Tier.CONTACTS: [
        *_DETAILS,
        "intake.DetentionRelative.name",
        "intake.DetentionRelative.phone",
        "intake.DetentionRelative.contact",
        "intake.Report.reporter_contact",
    ],
}


def columns(tier: Tier) -> list[Column]:
    return [c for c in COLUMNS if c.tier <= tier]


def _tier(row: DetentionExport) -> Tier:
    """What this export may hold: the owner's roles now, and contacts only if asked (and, the
    worker checks first, approved)."""
    tier = tier_of(row.owner)
    return tier if row.contacts else min(tier, Tier.DETAILS)


def detentions(row: DetentionExport, tier: Tier) -> QuerySet[Detention]:
    found = Detention.objects.filter(compartment_id=row.compartment_id)
    if row.held_only:
        found = found.filter(status__in=HELD)
    if row.event_id:
        found = found.filter(event_id=row.event_id)
    if row.facility_id:
        found = found.filter(facility_id=row.facility_id)
    if row.date_from:
        found = found.filter(detained_on__gte=row.date_from)
    if row.date_to:
        found = found.filter(detained_on__lte=row.date_to)
    found = (
        found.select_related("detainee", "facility", "event")
        .annotate(report_count=Count("reports", filter=Q(reports__quarantine=Quarantine.ACCEPTED)))
        .order_by(F("facility__short_name").asc(nulls_last=True), "detained_at", "pk")
    )
    if tier < Tier.DETAILS:
        found = found.defer("place", "van_number", "lawyer", "medicine", "injuries", "devices")
    if tier >= Tier.CONTACTS:
        found = found.prefetch_related(
            Prefetch("relatives", queryset=DetentionRelative.objects.order_by("pk")),
            Prefetch(
                "reports",
                queryset=Report.objects.filter(quarantine=Quarantine.ACCEPTED).order_by(
                    "received_at", "pk"
                ),
            ),
        )
    return found


def _cells(detention: Detention, chosen: list[Column], tier: Tier) -> list[Any]:
    return [safe_cell(c.value(detention, tier)) for c in chosen]


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def _xlsx(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=pgettext("a spreadsheet's sheet", "Detentions")[:31])
    sheet.append(header)
    for cells in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- the worker -------------------------------------------------------------------------------


@task
def export_detentions(export_id: int) -> None:
    """The worker's task: write one queued list (queued by `queue`)."""
    ring.begin()
    write(export_id)


def _fail(export_id: int, code: str) -> None:
    DetentionExport.objects.filter(pk=export_id).update(
        state=ExportState.FAILED, failure=code, updated_at=timezone.now()
    )


def _still_allowed(row: DetentionExport) -> bool:
    try:
        check(row.owner, row.compartment)
    except PermissionDenied:
        return False
    return True


def write(export_id: int) -> None:
    purge_expired()
    row = (
        DetentionExport.objects.filter(pk=export_id, state=ExportState.QUEUED)
        .select_related("owner", "compartment", "approval")
        .defer("body")
        .first()
    )
    if row is None:  # downloaded, replaced or expired meanwhile
        return
    if not _still_allowed(row):
        _fail(export_id, ExportFailure.REFUSED)
        return
    if row.contacts and not approved_contacts(row):
        _fail(export_id, ExportFailure.UNAPPROVED)
        return
    try:
        tier = _tier(row)
        found = detentions(row, tier)
        total = found.count()
        DetentionExport.objects.filter(pk=export_id).update(
            state=ExportState.RUNNING, rows=total, updated_at=timezone.now()
        )
        with translation.override(row.language):
            chosen = columns(tier)
            header = [str(c.label) for c in chosen]
            rows = []
            for done, detention in enumerate(found.iterator(chunk_size=CHUNK), start=1):
                rows.append(_cells(detention, chosen, tier))
                if done % CHUNK == 0:
                    DetentionExport.objects.filter(pk=export_id).update(
                        rows_done=done, updated_at=timezone.now()
                    )
            body = (_xlsx if row.format == ExportFormat.XLSX else _csv)(header, rows)
    except VaultSealed:
        _fail(export_id, ExportFailure.SEALED)
        return
    except Exception as error:  # kept as a code; the page offers to ask again
        # The exception's type only: its text or traceback could quote a name.
        logger.error("Hotline export #%s failed: %s", export_id, type(error).__name__)
        _fail(export_id, ExportFailure.BUILD)
        return
    with transaction.atomic():
        row = (
            DetentionExport.objects.select_for_update()
            .defer("body")
            .filter(pk=export_id, state=ExportState.RUNNING)
            .first()
        )
        if row is None:
            return
        row.body = body
        row.state, row.rows, row.rows_done = ExportState.READY, len(rows), len(rows)
        row.updated_at = timezone.now()
        row.expires_at = row.updated_at + lifetime()
        row.save(update_fields=["body", "state", "rows", "rows_done", "updated_at", "expires_at"])
