"""Reports of inaccuracies: received from the public, closed by the case's workers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.models import Case
from pompolit.cases.public.profiles import published_case
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.public.models import InaccuracyReport, ReportState


def report_inaccuracy(public_id: str, *, text: str, contact: str = "") -> InaccuracyReport:
    """From anyone: only about a page that is public now (else it is as if there were none)."""
    if published_case(public_id) is None:
        raise ValidationError(_("There is no such public page."))
    if not text.strip():
        raise ValidationError({"text": _("Say what is wrong on the page.")})
    case = Case.objects.get(public_id=public_id)
    with transaction.atomic():
        report = InaccuracyReport.objects.create(
            case=case, compartment=case.compartment, text=text.strip(), contact=contact.strip())
        # No actor and no client: the sender stays unknown, to the trail too.
        record("public.inaccuracy_reported", obj=case, details={"report": report.pk})
    return report


QUEUE_PAGE = 25


def queue(actor: Member, state: str = ReportState.OPEN) -> list[InaccuracyReport]:
    """The latest reports on cases in the actor's compartments; each one shown is a reading of
    its (encrypted) text, and recorded as one."""
    policy.require(actor, policy.INACCURACY_REVIEWERS,
                   _("Only case workers read reports of inaccuracies."))
    reports = list(InaccuracyReport.objects
                   .filter(state=state, compartment_id__in=actor.compartment_ids())
                   .select_related("case__person", "compartment", "closed_by")[:QUEUE_PAGE])
    for report in reports:
        record_sensitive_read(actor, report, fields=["contact", "text"])
    return reports


def close_report(actor: Member, report: InaccuracyReport, state: str) -> InaccuracyReport:
    policy.require(actor, policy.INACCURACY_REVIEWERS,
                   _("Only case workers close reports of inaccuracies."))
    if report.compartment_id not in actor.compartment_ids():
        raise PermissionDenied(_("This report is about a case outside your compartments."))
    if state not in (ReportState.CORRECTED, ReportState.DISMISSED):
        raise ValidationError({"state": _("Choose “corrected” or “dismissed”.")})
    if report.state != ReportState.OPEN:
        raise ValidationError(_("This report is already closed."))
    with transaction.atomic():
        report.state, report.closed_at, report.closed_by = state, timezone.now(), actor
        report.save(update_fields=["state", "closed_at", "closed_by"])
        record("public.inaccuracy_closed", actor=actor, obj=report.case,
               details={"report": report.pk, "state": state})
    return report
