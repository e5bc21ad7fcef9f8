"""`pompolit aid check|follow-ups|plan|demo` — aid on the command line.

The planner's `plan` keeps its command code beside the planner (`pompolit.aid.planning.command`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pompolit.aid import demo, lifecycle, services
from pompolit.aid.books.check import first_problem
from pompolit.aid.models import AidItem, Status
from pompolit.aid.planning import command as plan_command
from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.members.models import Member


def check(command: BaseCommand, options: Options) -> None:
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


def follow_ups_arguments(parser: CommandParser) -> None:
    parser.add_argument("--days", type=int, default=None,
                        help="sent more than this many days ago (default: the setting)")


def follow_ups(command: BaseCommand, options: Options) -> None:
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


def load_demo(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError("`aid demo` loads made-up aid; it runs only with POMPOLIT_DEMO=1.")
    worker = Member.objects.filter(pseudonym="nikolai").first()
    if worker is None:
        raise CommandError("Run `pompolit demo` first.")
    count = demo.load(worker)
    command.stdout.write(f"Demo aid loaded: {count} items." if count else "Demo aid is there.")


class Command(AppCommand):
    name = "aid"
    help = "Aid to prisoners: check the books against the aid list, follow-ups, planning."
    verbs = (
        Verb("check", "the books and the aid list agree; approved items re-checked", check),
        Verb("follow-ups", "items sent long ago and not confirmed", follow_ups,
             follow_ups_arguments),
        Verb("plan", "propose a month's aid within the funds", plan_command.handle,
             plan_command.arguments),
        Verb("demo", "load the demo aid items (demo mode)", load_demo),
    )
