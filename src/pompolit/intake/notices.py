"""Notices for the operators on duty, written by background tasks and shown on the dashboard.

A minor detained (`minor_detained`), and public reports piling up in a hotline's quarantine
(`quarantine_backlog`, at most one notice per hotline per POMPOLIT_INTAKE_BACKLOG_MINUTES).
The notice keeps ids and counts only. Tasks: `notify_minor_detained` (queued by
`services.record_report`); the backlog is checked by `proposals.dedupe_hotline`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from pompolit.intake.models import Detention, DutyNotice, Quarantine, Report

# A hotline's quarantine at this many reports or more is a backlog worth a notice.
BACKLOG = 20
# Notices older than this are no longer shown.
SHOWN_FOR = datetime.timedelta(hours=12)


def minor_detained(detention_id: int) -> DutyNotice | None:
    detention = Detention.objects.filter(pk=detention_id, is_minor=True).first()
    if detention is None:
        return None
    notice, _created = DutyNotice.objects.get_or_create(
        compartment_id=detention.compartment_id,
        kind=DutyNotice.Kind.MINOR_DETAINED,
        detention=detention,
    )
    return notice


def quarantine_backlog(compartment_id: int) -> DutyNotice | None:
    waiting = Report.objects.filter(
        compartment_id=compartment_id, quarantine=Quarantine.PENDING
    ).count()
    if waiting < getattr(settings, "POMPOLIT_INTAKE_BACKLOG", BACKLOG):
        return None
    quiet = datetime.timedelta(minutes=getattr(settings, "POMPOLIT_INTAKE_BACKLOG_MINUTES", 30))
    recent = DutyNotice.objects.filter(
        compartment_id=compartment_id,
        kind=DutyNotice.Kind.QUARANTINE_BACKLOG,
        created_at__gte=timezone.now() - quiet,
    )
    if recent.exists():
        return None
    return DutyNotice.objects.create(
        compartment_id=compartment_id, kind=DutyNotice.Kind.QUARANTINE_BACKLOG, count=waiting
    )


@task
def notify_minor_detained(detention_id: int) -> None:
    """The task the hotline's `record_report` enqueues when a minor is held."""
    minor_detained(detention_id)


def recent(compartment_ids: list[int]) -> QuerySet[DutyNotice]:
    return DutyNotice.objects.filter(
        compartment_id__in=compartment_ids, created_at__gte=timezone.now() - SHOWN_FOR
    ).select_related("detention__detainee", "compartment")
