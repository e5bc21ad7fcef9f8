"""`pompolit vault backup FILE` and `pompolit vault restore FILE`.

A backup is an encrypted, consistent snapshot of the database and attachments; it needs the
vault unsealed. Restoring goes into an empty database and attachments folder: the keyholders
enter their shares to open it, it is verified, and the restored service starts sealed.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.core.commands import Options
from pompolit.vault.backup.services import create_backup, read_header, restore_backup
from pompolit.vault.errors import BackupError, VaultError


def backup_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path)


def backup(command: BaseCommand, options: Options) -> None:
    try:
        manifest = create_backup(options["file"])
    except FileExistsError:
        raise CommandError(f"{options['file']} exists; choose a new file name.") from None
    except (BackupError, VaultError) as error:
        raise CommandError(str(error)) from None
    rows = sum(t["rows"] for t in manifest["tables"].values())
    command.stdout.write(
        f"Backup written: {options['file']} ({len(manifest['tables'])} tables, {rows} rows)."
    )


def restore_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--shares-file", type=Path,
                        help="read the shares from this file, one per line (scripts)")


def restore(command: BaseCommand, options: Options) -> None:
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
    command.stdout.write(
        f"Restored {result['tables']} tables, {result['rows']} rows. "
        f"Audit trail: {result['audit_chain']}."
    )
    if result.get("audit_stamps_foreign"):
        command.stderr.write(
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
    command.stdout.write("Verified: row counts, checksums, attachments and the audit chain match.")
    command.stdout.write("The restored service is sealed: keyholders must unseal it.")
