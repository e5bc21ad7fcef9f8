"""The subcommands of `pompolit aid` that belong to the items themselves (see
management/commands/aid.py for how subcommands are listed): `check` and `follow-ups`. The
planner's `plan` is in `aid/planning/command.py`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pompolit.aid import lifecycle, services
from pompolit.aid.books.check import first_problem
from pompolit.aid.models import AidItem, Status


def add_arguments(parser: CommandParser, name: str) -> None:
    if name == "follow-ups":
        parser.add_argument("--days", type=int, default=None,
                            help="sent more than this many days ago (default: the setting)")


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    {"check": check, "follow-ups": follow_ups}[options["what"]](command, options)


def check(command: BaseCommand, options: dict[str, Any]) -> None:
    """The books and the aid list agree (exit 1 at the first disagreement); approved items
    are re-checked against their facility's rules and the flagged ones listed."""
    problem = first_problem()
    if problem is not None:
        raise CommandError(f"AID AND BOOKS DISAGREE: {problem}")
    approved = AidItem.objects.filter(status=Status.APPROVED)
    lifecycle.recheck_approved(approved)
    flagged = list(approved.exclude(flags=[]).select_related("case__person").order_by("pk"))
    for item in flagged:
        for violation in lifecycle.flags_of(item):
            command.stdout.write(f"FLAGGED aid item #{item.pk}: {violation.message}")
    command.stdout.write(
        f"OK: {AidItem.objects.count()} aid item(s) agree with the books; "
        f"{approved.count()} approved item(s) re-checked, {len(flagged)} flagged."
    )


def follow_ups(command: BaseCommand, options: dict[str, Any]) -> None:
    today = timezone.localdate()
    days = services.follow_up_days() if options["days"] is None else options["days"]
    cutoff = today - datetime.timedelta(days=days)
    waiting = (AidItem.objects.filter(status=Status.SENT, sent_on__lt=cutoff)
               .select_related("case__person").order_by("sent_on", "pk"))
    for item in waiting:
        assert item.sent_on is not None
        command.stdout.write(f"#{item.pk:<6} sent {item.sent_on} ({(today - item.sent_on).days} "
                             f"days) {item.kind:7} case #{item.case_id}")
    command.stdout.write(f"{len(waiting)} item(s) sent more than {days} days ago, unconfirmed.")
