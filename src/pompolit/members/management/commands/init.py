"""`pompolit init`: create the database and the founding coordinators."""

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

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
            "--threshold",
            type=int,
            metavar="K",
            help="how many keyholders' shares unseal the vault (at least 2 outside demo mode)",
        )
        parser.add_argument(
            "--keyholder",
            action="append",
            default=[],
            metavar="NAME",
            help="a keyholder of the vault (repeat; n shares for n keyholders)",
        )
        parser.add_argument(
            "--shares-dir",
            help="write each keyholder's share to its own file there instead of printing it",
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
        if not options["threshold"] or not options["keyholder"]:
            raise CommandError(
                "Name the vault's keyholders and how many of them must come together to unseal "
                "it, e.g. --threshold 3 --keyholder A --keyholder B --keyholder C "
                "--keyholder D --keyholder E (3 of 5)."
            )
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
        # The master key and its shares: the vault refuses a plan it cannot keep (e.g. k < 2).
        vault_options: dict[str, Any] = {
            "threshold": options["threshold"],
            "keyholder": options["keyholder"],
            "stdout": self.stdout,
            "stderr": self.stderr,
        }
        if options["shares_dir"]:
            vault_options["shares_dir"] = Path(options["shares_dir"])
        # Founders and vault together or not at all: a refused vault plan leaves no members.
        try:
            with transaction.atomic():
                for pseudonym, password in zip(founders, passwords, strict=True):
                    create_founder(pseudonym, password)
                    self.stdout.write(f"Founding coordinator created: {pseudonym}")
                call_command("vault", "init", **vault_options)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            "Each founder now signs in and sets up a second factor (required) before anything else."
        )

    def stdin_line(self) -> str:
        import sys

        line = sys.stdin.readline()
        if not line:
            raise CommandError("Expected one password per founder on standard input.")
        return line.rstrip("\n")
