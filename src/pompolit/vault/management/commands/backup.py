"""`pompolit backup FILE`: an encrypted, consistent snapshot of the database and attachments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.vault.backup.services import create_backup
from pompolit.vault.errors import BackupError, VaultError


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database snapshot and attachments). Needs the vault "
        "unsealed; restoring it needs the keyholders' shares."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(options["file"])
        except FileExistsError:
            raise CommandError(f"{options['file']} exists; choose a new file name.") from None
        except (BackupError, VaultError) as error:
            raise CommandError(str(error)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backup written: {options['file']} ({len(manifest['tables'])} tables, {rows} rows)."
        )
