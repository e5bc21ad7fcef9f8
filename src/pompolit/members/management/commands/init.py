"""`pompolit init`: create the database and the founding coordinators."""

import getpass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.members.models import Member
from pompolit.members.services import create_founder


class Command(BaseCommand):
    help = (
        "Create the database tables and the founding coordinators — the only members who "
        "exist without being vouched for. At least two are required outside demo mode."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--founder",
            action="append",
            default=[],
            metavar="PSEUDONYM",
            help="a founding coordinator's pseudonym (repeat; passwords are asked for)",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read one password per founder from standard input (for scripts)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        # Rate limits and used TOTP codes live in the database cache, shared by all workers.
        call_command("createcachetable", verbosity=0)
        if Member.objects.exists():
            raise CommandError(
                "This database already has members; `init` runs once. New members join "
                "by invitation and vouching."
            )
        founders: list[str] = options["founder"]
        minimum = 1 if settings.DEMO_MODE else 2
        if len(set(founders)) < minimum:
            raise CommandError(
                f"Name at least {minimum} different founding coordinators with --founder "
                "(two people, so that nothing dangerous is ever done by one alone)."
            )
        passwords: list[str] = []
        for pseudonym in founders:
            if options["password_stdin"]:
                password = self.stdin_line()
            else:
                password = getpass.getpass(f"Password for {pseudonym}: ")
                if password != getpass.getpass(f"Again, for {pseudonym}: "):
                    raise CommandError("The two passwords differ; nothing was created.")
            passwords.append(password)
        from django.db import transaction

        try:
            with transaction.atomic():
                for pseudonym, password in zip(founders, passwords, strict=True):
                    create_founder(pseudonym, password)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        for pseudonym in founders:
            self.stdout.write(f"Founding coordinator created: {pseudonym}")
        self.stdout.write(
            "Each founder now signs in and sets up a second factor (required) before anything else."
        )

    def stdin_line(self) -> str:
        import sys

        line = sys.stdin.readline()
        if not line:
            raise CommandError("Expected one password per founder on standard input.")
        return line.rstrip("\n")
