"""Deduplication of reports from the public, off the request path.

A report from the web form or the bot arrives in quarantine, linked to nothing. The task
`after_public_report` then marks it *may be known* (`may_be_known`, one query), and looks,
with the console's own matching (`services.find_matches`: name and birth year, or name,
station and day), for the open detention it is most likely about and marks the report as
proposed for linking to it. The operator who reviews the report confirms or not; nothing is
linked by the machine. Audit action: intake.link_proposed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from pompolit.audit.services import record
from pompolit.cases.models import Facility
from pompolit.cases.partial import PartialDate
from pompolit.intake import notices, services
from pompolit.intake.models import HELD, DetaineeNameKey, Detention, Quarantine, Report
from pompolit.members.models import Compartment
from pompolit.names import Name, token_keys
from pompolit.vault.keys.keyring import ring


def _said_name(claims: dict[str, Any]) -> str:
    said = claims.get("name", "")
    if isinstance(said, dict):
        return str(Name(said.get("surname", ""), said.get("given", ""), said.get("patronymic", "")))
    return str(said)


def _said_birth(claims: dict[str, Any]) -> PartialDate | None:
    text = claims.get("birth") or claims.get("birth_date") or ""
    try:
        return PartialDate.parse(text) if text else None
    except ValidationError:
        return None


def may_be_known(
    compartment: Compartment, name: Name, birth: PartialDate | None, facility: Facility | None
) -> bool:
    """The first, coarse step of the dedupe, in one query: is someone of this surname (by the
    registry's name keys) held by this hotline with an overlapping birth date, or at the named
    station today? It only marks the report *may be known* in the queue; `best_match` and the
    review run the console's full matching."""
    surname = name.surname or name.given
    keys = set(token_keys(surname, query=True, given=not name.surname)) if surname else set()
    if not keys or (birth is None and facility is None):
        return False
    people = DetaineeNameKey.objects.filter(key__in=keys).values("detainee_id")
    held = services.detentions_in(compartment).filter(detainee_id__in=people, status__in=HELD)
    same = Q(pk__in=[])
    if birth is not None:
        same |= Q(detainee__birth_date_lower__lte=birth.upper,
                  detainee__birth_date_upper__gte=birth.lower)
    if facility is not None:
        same |= Q(facility=facility, detained_on=timezone.localdate())
    return held.filter(same).exists()


def mark_may_be_known(report: Report) -> bool:
    """Mark a quarantined report *may be known* when `may_be_known` says so (unless
    POMPOLIT_INTAKE_DEDUPE is off). Until 2026-12 this ran in the request; now in the task."""
    if not getattr(settings, "POMPOLIT_INTAKE_DEDUPE", True) or report.possible_duplicate:
        return report.possible_duplicate
    claims: dict[str, Any] = report.claims or {}
    said = claims.get("name")
    name = (Name(said.get("surname", ""), said.get("given", ""), said.get("patronymic", ""))
            if isinstance(said, dict) else Name("", "", ""))
    facility = services.find_station(str(claims.get("now_at", "")))
    if not may_be_known(report.compartment, name, _said_birth(claims), facility):
        return False
    Report.objects.filter(pk=report.pk).update(possible_duplicate=True)
    report.possible_duplicate = True
    return True


def best_match(report: Report) -> Detention | None:
    """The open detention of the report's hotline it most likely is about, or None."""
    claims: dict[str, Any] = report.claims or {}
    name = _said_name(claims).strip()
    if not name:
        return None
    matches = services.find_matches(
        report.compartment,
        name,
        birth_date=_said_birth(claims),
        facility=services.find_station(str(claims.get("now_at", ""))),
        day=timezone.localdate(report.received_at),
        limit=3,
    )
    held = [m for m in matches if m.reason != "earlier"]
    return held[0].detention if held else None


def propose_link(report_id: int) -> Detention | None:
    """Mark a quarantined report as proposed for linking to its best match (if any). Once
    only: a task run again (a retry, a second worker) proposes and records nothing more."""
    report = Report.objects.select_related("compartment").filter(pk=report_id).first()
    if (report is None or report.quarantine != Quarantine.PENDING or report.detention_id
            or report.proposed_detention_id):
        return None
    mark_may_be_known(report)
    found = best_match(report)
    if found is not None:
        with transaction.atomic():
            proposed = Report.objects.filter(
                pk=report.pk, quarantine=Quarantine.PENDING, proposed_detention__isnull=True
            ).update(proposed_detention=found, proposed_at=timezone.now())
            if not proposed:
                return None
            record(
                "intake.link_proposed",
                obj=report,
                details={"report": report.pk, "detention": found.pk},
            )
    return found


def proposed_for(detention: Detention) -> list[Report]:
    """Reports from the public waiting in quarantine that are proposed for this detention."""
    return list(
        Report.objects.filter(proposed_detention=detention, quarantine=Quarantine.PENDING)
        .order_by("received_at", "pk")
    )


@task
def after_public_report(report_id: int) -> None:
    """The task for a report from the public (web form or bot): propose its link to a known
    detention, and tell the operators when their quarantine piles up. Its argument, stored in
    clear in the task table, is the report's id only."""
    ring.begin()
    propose_link(report_id)
    compartment_id = (
        Report.objects.filter(pk=report_id).values_list("compartment_id", flat=True).first()
    )
    if compartment_id is not None:
        notices.quarantine_backlog(compartment_id)
