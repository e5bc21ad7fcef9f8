"""Reports of inaccuracies: received from the public, closed by the case's workers."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.models import Case, Hearing
from pompolit.cases.public import hearings as public_hearings
from pompolit.cases.public.profiles import published_case
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.public import feeds
from pompolit.public.models import AttendancePledge, InaccuracyReport, ReportState


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


# -- attendance pledges ----------------------------------------------------------------------


def pledge_attendance(token: str) -> int:
    """Count one more person coming to a public upcoming hearing; the new count. A hearing
    that is not public (no consent, closed, past or unknown) is Http404."""
    if token not in {h.token for h in public_hearings.upcoming(days=feeds.FEED_DAYS)}:
        raise Http404
    hearing = Hearing.objects.get(public_token=token)
    AttendancePledge.objects.create(hearing=hearing)
    counted = (AttendancePledge.objects.filter(hearing=hearing)
               .aggregate(n=Count("pk"))["n"])
    return int(counted)


def pledge_counts(tokens: Iterable[str]) -> dict[str, int]:
    rows = (AttendancePledge.objects.filter(hearing__public_token__in=list(tokens))
            .values("hearing__public_token").annotate(n=Count("pk")))
    return {row["hearing__public_token"]: row["n"] for row in rows}


def fewer_going(hearings: Iterable[public_hearings.PublicHearing],
                counts: dict[str, int]) -> set[str]:
    """On a day with several hearings, those with fewer pledges than the day's average: where
    people are most needed ("200 come to one verdict, 15 next door")."""
    by_day: dict[object, list[str]] = {}
    for h in hearings:
        by_day.setdefault(h.day, []).append(h.token)
    fewer: set[str] = set()
    for tokens in by_day.values():
        if len(tokens) < 2:
            continue
        average = sum(counts.get(t, 0) for t in tokens) / len(tokens)
        fewer |= {t for t in tokens if counts.get(t, 0) < average}
    return fewer
