"""`pompolit demo_cases`: the historical demo registry, after `pompolit demo`. Demo mode only."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pompolit.cases import demo
from pompolit.members.models import Compartment, Member


class Command(BaseCommand):
    help = "Load a small historical demo set of cases (demo mode only; after `pompolit demo`)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "`demo_cases` loads made-up cases; it runs only with POMPOLIT_DEMO=1."
            )
        worker = Member.objects.filter(pseudonym="nikolai").first()
        compartment = Compartment.objects.filter(slug="orenburg-exiles").first()
        if worker is None or compartment is None:
            raise CommandError("Run `pompolit demo` first: it creates the case worker and the "
                               "compartment the demo cases belong to.")
        count = demo.load(worker, compartment)
        self.stdout.write(f"Demo cases loaded: {count}." if count else "Demo cases are there.")
