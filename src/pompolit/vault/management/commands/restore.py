"""`pompolit restore FILE`: into an empty database, with k shares, then verified."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.vault.backup.services import read_header, restore_backup
from pompolit.vault.errors import BackupError, VaultError


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty database and attachments folder. The keyholders "
        "enter their shares to open it; the restored service starts sealed all the same."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--shares-file", type=Path,
                            help="read the shares from this file, one per line (scripts)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            _header, info = read_header(options["file"])
            if options["shares_file"]:
                texts = [
                    line for line in options["shares_file"].read_text().splitlines()
                    if line.strip() and not line.startswith("POMPOLIT")
                ]
            else:
                texts = [
                    getpass.getpass(f"Share {n + 1} of {info.threshold} (not shown): ")
                    for n in range(info.threshold)
                ]
            result = restore_backup(options["file"], texts)
        except (BackupError, VaultError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {result['tables']} tables, {result['rows']} rows. "
            f"Audit trail: {result['audit_chain']}."
        )
        if result.get("audit_stamps_foreign"):
            self.stderr.write(
                "The approvals in this backup are stamped with another server's secret key. "
                "Start this server with the old server's secret key (POMPOLIT_SECRET_KEY_FILE, "
                "kept off the server with the keyholders' shares; docs/vault.md, \"Backups\") "
                "and restore again: until then no role or compartment granted before counts."
            )
        if result["mismatched"] or not result["attachments_ok"] or not result["audit_intact"]:
            raise CommandError(
                f"Verification FAILED: tables differing {result['mismatched']}, "
                f"attachments ok: {result['attachments_ok']}, audit: {result['audit_chain']}"
            )
        self.stdout.write("Verified: row counts, checksums, attachments and the audit chain match.")
        self.stdout.write("The restored service is sealed: keyholders must unseal it.")
