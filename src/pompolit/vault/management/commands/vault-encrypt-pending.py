"""`pompolit vault-encrypt-pending`: encrypt free text an upgrade set aside (needs unsealed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pompolit.vault.errors import VaultError
from pompolit.vault.fields import services


class Command(BaseCommand):
    help = ("Encrypt the free text that an upgrade moved aside in clear (the first unseal does "
            "it too). Needs the vault unsealed.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = services.encrypt_pending()
        except VaultError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"encrypted {done} value(s); {services.pending_count()} left")
