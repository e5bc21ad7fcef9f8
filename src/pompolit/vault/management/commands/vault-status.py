"""`pompolit vault-status`: sealed or not, and (with --verify) whether every secret decrypts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.vault.errors import VaultError
from pompolit.vault.fields import services as field_services
from pompolit.vault.keys import services


class Command(BaseCommand):
    help = "Show whether the vault is sealed; --verify tries to decrypt every stored secret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--verify", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            status = services.status()
        except VaultError as error:
            raise CommandError(str(error)) from None
        if not status.initialised:
            self.stdout.write("not set up")
            return
        state = "sealed" if status.sealed else ("UNSEALED (demo)" if status.demo else "unsealed")
        self.stdout.write(
            f"vault {status.vault_id} generation {status.generation}: {state}; "
            f"{len(status.entered)} of {status.threshold} shares entered"
        )
        pending = field_services.pending_count()
        if pending:
            self.stdout.write(f"{pending} value(s) of free text from before an upgrade wait in "
                              "clear to be encrypted: unseal, or `pompolit vault-encrypt-pending`")
        if options["verify"]:
            counts = field_services.verify_all()
            self.stdout.write(
                f"decrypted {counts['decrypted']}, sealed {counts['sealed']}, "
                f"failed {counts['failed']}"
            )
            if counts["failed"]:
                raise CommandError("Some stored secrets failed their integrity check.")

