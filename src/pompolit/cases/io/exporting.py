"""Exporting a compartment's cases to CSV or JSON.

The ordinary export holds only fields stored in clear (names, status, court, case number,
sentence, facility, notes…): what any case worker of the compartment already sees on its pages.
The encrypted fields (the lawyer's contact, needs, relatives) leave in bulk only after a second
person's approval (`cases.export_sensitive`, a coordinator): the approved export can then be
downloaded once, by the member who asked, and is generated at that moment — no decrypted file
waits on the server.

Every text cell is made safe for spreadsheets (core/exports.py, shared with the other exports):
one starting with = + - @ (or their full-width forms), a tab, a carriage return or a line feed
is prefixed with an apostrophe, so that Excel or LibreOffice shows it as text instead of running
it as a formula. JSON gets the same treatment, since JSON exports end up pasted into
spreadsheets too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases import services
from pompolit.cases.models import Case, SensitiveExport
from pompolit.core.exports import csv_bytes, refuse_own_export, safe, take_once
from pompolit.core.exports import safe_cell as safe_cell  # where the tests and callers look
from pompolit.members.approvals import (
    Fact,
    Section,
    Summary,
    approval_action,
    approval_summary,
    request_approval,
)
from pompolit.members.models import ApprovalRequest, Compartment, Member
from pompolit.members.roles import Role

FORMATS = ("csv", "json")

COLUMNS = (
    "id", "compartment", "surname", "given", "patronymic", "other_names", "birth_date",
    "status", "priority", "court", "case_number", "charges", "lawyer", "sentence_term",
    "sentence_regime", "recognised_by", "recognised_on", "current_facility", "region",
    "in_custody_since", "last_contact_on", "opened_on", "notes",
)
SENSITIVE_COLUMNS = ("lawyer_contact", "needs", "needs_structured", "relatives")

def _cases(compartment: Compartment, *, sensitive: bool) -> Iterable[Case]:
    related = ["person__names", "charges", *(["relatives"] if sensitive else [])]
    return (
        Case.objects.filter(compartment=compartment)
        .select_related("person", "status", "sentence_regime", "current_facility",
                        "compartment")
        .prefetch_related(*related)
        .order_by("pk")
    )


def _row(case: Case) -> dict[str, Any]:
    names = list(case.person.names.all())
    primary = next((n for n in names if n.is_primary), names[0] if names else None)
    facility = case.current_facility
    return {
        "id": case.pk,
        "compartment": case.compartment.slug,
        "surname": primary.surname if primary else "",
        "given": primary.given if primary else "",
        "patronymic": primary.patronymic if primary else "",
        "other_names": "; ".join(str(n) for n in names if n is not primary),
        "birth_date": str(case.person.birth_date or ""),
        "status": case.status.code,
        "priority": case.priority,
        "court": case.court,
        "case_number": case.case_number,
        "charges": "; ".join(f"{c.code} {c.article}".strip() for c in case.charges.all()),
        "lawyer": case.lawyer,
        "sentence_term": case.sentence_term,
        "sentence_regime": case.sentence_regime.code if case.sentence_regime else "",
        "recognised_by": case.recognised_by,
        "recognised_on": str(case.recognised_on or ""),
        "current_facility": facility.name if facility else "",
        "region": facility.region if facility else "",
        "in_custody_since": str(case.in_custody_since or ""),
        "last_contact_on": str(case.last_contact_on or ""),
        "opened_on": str(case.opened_on),
        "notes": case.notes,
    }


def _sensitive(case: Case) -> dict[str, Any]:
    return {
        "lawyer_contact": case.lawyer_contact or "",
        "needs": case.needs or "",
        "needs_structured": case.needs_structured or {},
        "relatives": [
            {"relationship": r.relationship, "name": r.name or "", "phone": r.phone or "",
             "contact": r.contact or "", "notes": r.notes or ""}
            for r in case.relatives.all()
        ],
    }


def rows(compartment: Compartment, *, sensitive: bool = False) -> list[dict[str, Any]]:
    """The export's rows, already made spreadsheet-safe. Callers check access and audit."""
    made = []
    for case in _cases(compartment, sensitive=sensitive):
        row = _row(case)
        if sensitive:
            row.update(_sensitive(case))
        made.append(safe(row))
    return made


def render(made: list[dict[str, Any]], fmt: str, *, sensitive: bool = False) -> bytes:
    columns = COLUMNS + (SENSITIVE_COLUMNS if sensitive else ())
    if fmt == "json":
        return json.dumps({"columns": list(columns), "cases": made}, ensure_ascii=False,
                          indent=1).encode()
    return csv_bytes(columns, made)


def export(actor: Member, compartment: Compartment, fmt: str) -> bytes:
    """The compartment's cases without their encrypted fields; the export is audit-recorded."""
    services.check_compartment(actor, compartment)
    if fmt not in FORMATS:
        raise ValidationError(_("Choose CSV or JSON."))
    made = rows(compartment)
    record("cases.exported", actor=actor, obj=compartment,
           details={"format": fmt, "cases": len(made), "sensitive": False})
    return render(made, fmt)


def filename(compartment: Compartment, fmt: str, *, sensitive: bool = False) -> str:
    suffix = "-sensitive" if sensitive else ""
    return f"cases-{compartment.slug}{suffix}-{timezone.localdate():%Y-%m-%d}.{fmt}"


# -- the bulk export of encrypted fields: two people --------------------------------------------

ACTION = "cases.export_sensitive"


def _payload_parts(payload: dict[str, Any]) -> tuple[Compartment, Member]:
    try:
        compartment = Compartment.objects.get(slug=str(payload.get("compartment")))
        member = Member.objects.get(pk=int(payload.get("requested_by", 0)))
    except (Compartment.DoesNotExist, Member.DoesNotExist, TypeError, ValueError):
        raise ValidationError(_("The compartment or the member no longer exists.")) from None
    if payload.get("format") not in FORMATS:
        raise ValidationError(_("Choose CSV or JSON."))
    return compartment, member


def _validate(payload: dict[str, Any]) -> None:
    compartment, member = _payload_parts(payload)
    services.check_compartment(member, compartment)


def _describe(payload: dict[str, Any]) -> str:
    return str(gettext_lazy(
        "Export the encrypted fields (lawyers' contacts, needs, relatives) of every case in "
        "the compartment “%(compartment)s”, as %(format)s, for the member who asked"
    )) % {"compartment": Compartment.objects.filter(slug=str(payload.get("compartment")))
          .values_list("name", flat=True).first() or payload.get("compartment", "?"),
          "format": str(payload.get("format", "")).upper()}


@approval_action(ACTION, describe=_describe, validate=_validate,
                 requester_role=Role.CASE_WORKER, approver_role=Role.COORDINATOR,
                 refuses_approver=refuse_own_export)
def _approved(request: ApprovalRequest) -> None:
    compartment, member = _payload_parts(request.payload)
    SensitiveExport.objects.create(approval=request, compartment=compartment,
                                   requested_by=member)
    record("cases.sensitive_export_approved", actor=request.decided_by, obj=compartment,
           details={"approval": request.pk, "requested_by": member.pseudonym})


@approval_summary(ACTION)
def _summarize(request: ApprovalRequest, viewer: Member) -> Summary:
    payload = request.payload
    compartment = Compartment.objects.filter(slug=str(payload.get("compartment"))).first()
    facts = [Fact(_("For"), str(request.requested_by)),
             Fact(_("Format"), str(payload.get("format", "")).upper())]
    if compartment is not None:
        facts[:0] = [Fact(_("Compartment"), compartment.name),
                     Fact(_("Cases in it now"),
                          str(Case.objects.filter(compartment=compartment).count()))]
    note = _("The file leaves the server unencrypted: lawyers' contacts, needs and relatives "
             "of every case in the compartment. It can be downloaded once, by the member who "
             "asked.")
    return Summary(_describe(payload), [Section(_("What leaves the server"), facts, note=note)])


def request_sensitive(actor: Member, compartment: Compartment, fmt: str, *,
                      reason: str) -> ApprovalRequest:
    services.check_compartment(actor, compartment)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the encrypted fields must leave the "
                                           "server: the approver needs to know.")})
    return request_approval(
        actor, ACTION, {"compartment": compartment.slug, "requested_by": actor.pk,
                        "format": fmt}, reason=reason.strip(),
    )


def ready_for(actor: Member, compartment: Compartment) -> list[SensitiveExport]:
    """Approved exports this member asked for and has not downloaded yet."""
    return list(SensitiveExport.objects.filter(
        requested_by=actor, compartment=compartment, downloaded_at__isnull=True,
    ).select_related("approval").order_by("pk"))


def pending_for(actor: Member, compartment: Compartment) -> list[ApprovalRequest]:
    return list(ApprovalRequest.objects.filter(
        action=ACTION, requested_by=actor, status=ApprovalRequest.Status.PENDING,
        payload__compartment=compartment.slug,
    ).order_by("pk"))


def download_sensitive(actor: Member, compartment: Compartment, export_id: int
                       ) -> tuple[bytes, str]:
    """The approved export, generated now; once only, by the member who asked."""
    services.check_compartment(actor, compartment)
    with transaction.atomic():
        ticket = take_once(
            SensitiveExport.objects.filter(requested_by=actor, compartment=compartment)
            .select_related("approval"), export_id,
            missing=_("There is no approved export of yours with this number."),
            taken=_("This export was already downloaded; ask again if it is needed again."))
        fmt = str(ticket.approval.payload.get("format", "csv"))
        made = rows(compartment, sensitive=True)
        record("cases.sensitive_export_downloaded", actor=actor, obj=compartment,
               details={"approval": ticket.approval_id, "format": fmt, "cases": len(made)})
        record_sensitive_read(actor, compartment, fields=[f"cases.{c}"
                                                          for c in SENSITIVE_COLUMNS])
    return render(made, fmt, sensitive=True), filename(compartment, fmt, sensitive=True)
