"""`pompolit seal`: forget the keys now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pompolit.vault.keys import services

from ._common import require_agent_socket


class Command(BaseCommand):
    help = "Seal the vault immediately: every key is forgotten until keyholders unseal again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reason", default="other", choices=services.SEAL_REASONS,
                            help="noted in the audit trail (a code: it keeps no typed text)")

    def handle(self, *args: Any, **options: Any) -> None:
        require_agent_socket()
        services.seal(client="console", reason=options["reason"])
        self.stdout.write("The vault is sealed.")
