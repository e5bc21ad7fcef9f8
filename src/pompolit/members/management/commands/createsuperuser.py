"""Django's `createsuperuser`, replaced: Pompolit has no superusers to create."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pompolit.members.models import NO_SUPERUSERS


class Command(BaseCommand):
    help = "Explains why there are no superusers (use `pompolit init`)."

    def add_arguments(self, parser: Any) -> None:
        # Accept whatever Django's own command takes, so habits get the explanation, not a
        # usage error.
        parser.add_argument("args", nargs="*")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--database")
        parser.add_argument("--pseudonym")
        parser.add_argument("--username")
        parser.add_argument("--email")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(NO_SUPERUSERS)
