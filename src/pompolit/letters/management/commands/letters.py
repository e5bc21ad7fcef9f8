"""`pompolit letters demo` — letters on the command line."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.letters import demo
from pompolit.members.models import Member


def load_demo(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError("`letters demo` loads made-up letters; it runs only with "
                           "POMPOLIT_DEMO=1.")
    worker = Member.objects.filter(pseudonym="nikolai").first()
    if worker is None:
        raise CommandError("Run `pompolit demo` first.")
    count = demo.load(worker)
    command.stdout.write(f"Demo letters loaded: {count}; the writer's code: {demo.demo_code()}"
                         if count else "Demo letters are there.")


class Command(AppCommand):
    name = "letters"
    help = "Letters to prisoners."
    verbs = (Verb("demo", "load the demo letters (demo mode)", load_demo),)
