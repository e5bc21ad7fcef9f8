"""`pompolit demo_aid`: demo aid items, after the demo cases and books. Demo mode only."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pompolit.aid import demo
from pompolit.members.models import Member


class Command(BaseCommand):
    help = "Load demo aid items (demo mode only; after `pompolit demo`)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("`demo_aid` loads made-up aid; it runs only with POMPOLIT_DEMO=1.")
        worker = Member.objects.filter(pseudonym="nikolai").first()
        if worker is None:
            raise CommandError("Run `pompolit demo` first.")
        count = demo.load(worker)
        self.stdout.write(f"Demo aid loaded: {count} items." if count else "Demo aid is there.")
