"""The hotline's background tasks (`django.tasks`, run by `pompolit db_worker`; docs/tasks.md).

A task's arguments are stored in clear in the task table until it is pruned: they are ids only.
"""

from __future__ import annotations

from django.tasks import task

from pompolit.intake import notices, proposals
from pompolit.vault.keys.keyring import ring


@task
def handle_telegram_update(update_id: int) -> None:
    """Answer one message to the Telegram bot (queued by the webhook or the long poll)."""
    from pompolit.intake.bot import services

    ring.begin()
    services.handle_update(update_id)


@task
def after_public_report(report_id: int) -> None:
    """A report from the public arrived: propose its link to a known detention, and tell the
    operators when their quarantine piles up."""
    ring.begin()
    proposals.propose_link(report_id)
    from pompolit.intake.models import Report

    compartment_id = Report.objects.filter(pk=report_id).values_list(
        "compartment_id", flat=True
    ).first()
    if compartment_id is not None:
        notices.quarantine_backlog(compartment_id)


@task
def minor_detained(detention_id: int) -> None:
    """Tell the operators on duty that a minor is held."""
    notices.minor_detained(detention_id)
