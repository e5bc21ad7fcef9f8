"""Naming a detained person on the public counts, only with their consent.

The public counts (`/intake/counts/`, `/intake/counts.json`) are numbers; a detention joins
their list of names only when an operator of its hotline records that the person agreed to be
named publicly (`consent_to_name`: who and when, in the audit trail as
`intake.public_name_consented`). The public form and the bot ask the sender whether the person
agreed, but that is only a claim shown to the operator: nothing is published from it. The
operator withdraws the consent at any time (`withdraw_name`, `intake.public_name_withdrawn`);
the name leaves the page and the JSON with the next request.

A minor is never named: consent is refused for a detention marked minor, and a detention marked
minor later drops out of the list whatever was recorded. The list says only the name as the
hotline keeps it, the day, the town, the event and the current status: never the birth date,
the police station, or anything a report said.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.intake import services
from pompolit.intake.models import Detention, Status
from pompolit.members.models import Member


def _locked(actor: Member | None, detention: Detention) -> Detention:
    services.check_hotline(actor, detention.compartment)
    return Detention.objects.select_for_update().get(pk=detention.pk)


def consent_to_name(actor: Member | None, detention: Detention) -> Detention:
    """The person agreed to be named publicly: an operator of the hotline records it."""
    with transaction.atomic():
        locked = _locked(actor, detention)
        if locked.is_minor:
            raise ValidationError(_("A minor is never named publicly."))
        if locked.named_publicly_at is None:
            locked.named_publicly_at, locked.named_publicly_by = timezone.now(), actor
            locked.save(update_fields=["named_publicly_at", "named_publicly_by"])
            record(
                "intake.public_name_consented",
                actor=actor,
                obj=locked,
                details={"detention": locked.pk},
            )
    detention.refresh_from_db()
    return detention


def withdraw_name(actor: Member | None, detention: Detention) -> Detention:
    """The consent is withdrawn: the name leaves the public counts at once."""
    with transaction.atomic():
        locked = _locked(actor, detention)
        if locked.named_publicly_at is not None:
            locked.named_publicly_at, locked.named_publicly_by = None, None
            locked.save(update_fields=["named_publicly_at", "named_publicly_by"])
            record(
                "intake.public_name_withdrawn",
                actor=actor,
                obj=locked,
                details={"detention": locked.pk},
            )
    detention.refresh_from_db()
    return detention


def named_publicly() -> list[dict[str, Any]]:
    """The detentions whose person agreed to be named, latest first: name, day, town, event
    and current status; nothing else, and never a minor."""
    rows = (
        Detention.objects.filter(named_publicly_at__isnull=False, is_minor=False)
        .select_related("detainee", "event", "facility")
        .order_by("-detained_on", "pk")
    )
    return [
        {
            "name": d.detainee.display_name,
            "day": d.detained_on.isoformat(),
            "city": (d.event.city if d.event else "") or (d.facility.city if d.facility else ""),
            "event": d.event.name if d.event else "",
            "status": d.status,
            "status_label": str(Status(d.status).label),
        }
        for d in rows
    ]
