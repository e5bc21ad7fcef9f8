"""`pompolit unseal`: keyholders enter their shares, one at a time, not echoed."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.vault.errors import VaultError
from pompolit.vault.keys import services

from ._common import require_agent_socket


class Command(BaseCommand):
    help = (
        "Unseal the vault: each keyholder in turn types their share (not shown). "
        "A wrong share is refused with the reason; the shares already entered stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stdin", action="store_true",
                            help="read shares from standard input, one per line (scripts)")
        parser.add_argument("--reset", action="store_true",
                            help="discard the shares entered so far and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        require_agent_socket()
        if options["reset"]:
            services.reset_shares()
            self.stdout.write("The shares entered so far were discarded.")
            return
        status = services.status()
        if not status.initialised:
            raise CommandError("The vault is not set up: run `pompolit vault-init` first.")
        if not status.sealed:
            self.stdout.write("The vault is already unsealed.")
            return
        while status.sealed:
            needed = (status.threshold or 0) - len(status.entered)
            if options["stdin"]:
                line = sys.stdin.readline()
                if not line:
                    raise CommandError(f"Standard input ended; {needed} more share(s) needed.")
                text, passphrase = line.strip(), None
            else:
                text = getpass.getpass(f"Share ({needed} more needed; not shown): ")
                passphrase = None
            try:
                try:
                    status = services.submit_share(text, passphrase, client="console")
                except VaultError as error:
                    if error.code != "share_needs_passphrase" or options["stdin"]:
                        raise
                    passphrase = getpass.getpass("Passphrase of this share: ")
                    status = services.submit_share(text, passphrase, client="console")
            except VaultError as error:
                self.stderr.write(f"Refused: {error}")
                if options["stdin"]:
                    raise CommandError(str(error)) from None
                status = services.status()
                continue
            if status.sealed:
                self.stdout.write(
                    f"Accepted: {len(status.entered)} of {status.threshold}. Next keyholder."
                )
        self.stdout.write("The vault is unsealed.")
