"""`pompolit rotate`: a new master key and new shares (approved by two), or --data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.vault.errors import VaultError
from pompolit.vault.fields import services as field_services
from pompolit.vault.keys import services


class Command(BaseCommand):
    help = (
        "Without --data: carry out an approved keyholder change (approval action "
        "\"vault_rotate\"): a new master key, the data keys re-wrapped under it, new shares "
        "for the new keyholders; old shares stop working. With --data: re-encrypt every "
        "encrypted field under new data keys, in batches; rerun it after a crash to resume."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", action="store_true", help="re-encrypt all data")
        parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")
        parser.add_argument("--approval", type=int, help="the approved request's number")
        parser.add_argument("--yes", action="store_true",
                            help="do not ask whether the new shares were handed out (scripts)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["data"]:
                self.rotate_data(options["batch"])
            else:
                self.rotate_master(options["approval"], options["yes"])
        except (ValidationError, VaultError) as error:
            if isinstance(error, ValidationError):
                message = "; ".join(error.messages)
            else:
                message = str(error)
            raise CommandError(message) from None

    def rotate_data(self, batch: int) -> None:
        def progress(label: str, done: int, total: int) -> None:
            self.stdout.write(f"{label}: {done}/{total}")

        rotation = field_services.rotate_data(batch_size=batch, progress=progress)
        self.stdout.write(f"Data re-encrypted under new keys (rotation #{rotation.pk}).")

    def rotate_master(self, approval: int | None, yes: bool) -> None:
        rotation = services.authorised_rotation(approval)

        def confirm(issued: list[services.IssuedShare]) -> bool:
            for share in issued:
                self.stdout.write(share.heading)
                self.stdout.write(share.text + "\n")
            if yes:
                return True
            answer = input("Has every keyholder taken their new share? Type yes to switch: ")
            return answer.strip().lower() == "yes"

        services.rotate_master(rotation, confirm=confirm)
        self.stdout.write("New master key in use. Old shares no longer work; destroy them.")
