"""`pompolit intake hotline|demo` — the detention hotline on the command line."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.intake import demo, services
from pompolit.members.models import Compartment, Member


def hotline_arguments(parser: CommandParser) -> None:
    parser.add_argument("compartment", help="the compartment's slug")
    parser.add_argument("--city", required=True, help="the town the hotline answers for")


def hotline(command: BaseCommand, options: Options) -> None:
    compartment = Compartment.objects.filter(slug=options["compartment"]).first()
    if compartment is None:
        raise CommandError(f"No compartment {options['compartment']!r}.")
    made = services.open_hotline(None, compartment, city=options["city"])
    command.stdout.write(f"Hotline opened: {compartment.slug} ({made.city}).")


def load_demo(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError(
            "`intake demo` loads made-up detentions; it runs only with POMPOLIT_DEMO=1."
        )
    if not Member.objects.filter(pseudonym="hotline").exists():
        raise CommandError("Run `pompolit demo` first.")
    started = time.monotonic()
    count = demo.load()
    took = time.monotonic() - started
    command.stdout.write(
        f"Demo surge loaded: {count} detentions in {took:.1f} s."
        if count
        else "Demo surge is there."
    )


class Command(AppCommand):
    name = "intake"
    help = "The detention hotline: open a hotline compartment, load the demo surge."
    verbs = (
        Verb("hotline", "make a compartment a hotline for a town", hotline, hotline_arguments),
        Verb("demo", "a demo surge of detentions (demo mode only)", load_demo),
    )
