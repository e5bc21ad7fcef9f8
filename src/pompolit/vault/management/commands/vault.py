"""`pompolit vault init|status|unseal|seal|keyagent|rotate|encrypt-pending|backup|restore|cleanup`.

The verbs keyholders type (unseal, seal) are here and keep their short forms `pompolit unseal`
and `pompolit seal`; the key agent is in `_keyagent.py`, backups in `_backup.py`.
"""

from __future__ import annotations

import getpass
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.vault import conf
from pompolit.vault.errors import VaultError
from pompolit.vault.fields import services as field_services
from pompolit.vault.keys import services
from pompolit.vault.uploads.housekeeping import sweep

from . import _backup, _keyagent


def init_arguments(parser: CommandParser) -> None:
    parser.add_argument("--threshold", type=int, required=True, metavar="K",
                        help="how many shares unseal the vault (at least 2)")
    parser.add_argument("--keyholder", action="append", default=[], metavar="NAME",
                        help="a keyholder (repeat); a member's pseudonym links the share")
    parser.add_argument("--passphrase", action="store_true",
                        help="ask each keyholder for a passphrase to lock their share with")
    parser.add_argument("--shares-dir", type=Path,
                        help="write each share to its own file there (mode 0600) "
                        "instead of printing them")
    parser.add_argument("--demo", action="store_true",
                        help="demo mode only: also keep the key in a local file and unseal "
                        "from it automatically (insecure)")


def init(command: BaseCommand, options: Options) -> None:
    """The master key, split into one share per keyholder; each share is shown (or written)
    once; the master key itself is never written anywhere (except in demo mode)."""
    if options["demo"] and not settings.DEMO_MODE:
        raise CommandError("--demo needs POMPOLIT_DEMO=1; a demo vault protects nothing.")
    passphrases: dict[str, str] = {}
    if options["passphrase"]:
        for holder in options["keyholder"]:
            phrase = getpass.getpass(f"Passphrase for {holder}'s share (empty: none): ")
            if phrase and phrase != getpass.getpass("Again: "):
                raise CommandError("The two passphrases differ; nothing was created.")
            if phrase:
                passphrases[holder] = phrase
    try:
        issued = services.initialise(
            threshold=options["threshold"], keyholders=options["keyholder"],
            passphrases=passphrases, demo=options["demo"],
        )
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from None
    folder: Path | None = options["shares_dir"]
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for share in issued:
            path = folder / f"share-{share.index}.txt"
            path.write_text(f"{share.heading}\n{share.text}\n", encoding="utf-8")
            path.chmod(0o600)
            command.stdout.write(f"Share {share.index} for {share.keyholder}: {path}")
    else:
        for share in issued:
            command.stdout.write(share.heading)
            command.stdout.write(share.text + "\n")
    command.stdout.write(
        f"Vault created: {options['threshold']} of {len(issued)} shares unseal it. Give each "
        "keyholder their share in person; keep no other copy. A share is shown only now."
    )
    if options["demo"]:
        command.stderr.write("DEMO VAULT: the master key is in a local file. Never use real data.")


def status_arguments(parser: CommandParser) -> None:
    parser.add_argument("--verify", action="store_true",
                        help="try to decrypt every stored secret")


def status(command: BaseCommand, options: Options) -> None:
    try:
        vault = services.status()
    except VaultError as error:
        raise CommandError(str(error)) from None
    if not vault.initialised:
        command.stdout.write("not set up")
        return
    state = "sealed" if vault.sealed else ("UNSEALED (demo)" if vault.demo else "unsealed")
    command.stdout.write(
        f"vault {vault.vault_id} generation {vault.generation}: {state}; "
        f"{len(vault.entered)} of {vault.threshold} shares entered"
    )
    pending = field_services.pending_count()
    if pending:
        command.stdout.write(f"{pending} value(s) of free text from before an upgrade wait in "
                             "clear to be encrypted: unseal, or `pompolit vault encrypt-pending`")
    if options["verify"]:
        counts = field_services.verify_all()
        command.stdout.write(
            f"decrypted {counts['decrypted']}, sealed {counts['sealed']}, "
            f"failed {counts['failed']}"
        )
        if counts["failed"]:
            raise CommandError("Some stored secrets failed their integrity check.")


def require_agent_socket() -> None:
    if conf.socket_path() is None:
        raise CommandError(
            "No key agent: set POMPOLIT_VAULT_SOCKET to the socket of `pompolit vault keyagent`. "
            "(Without an agent the vault lives inside each web process and is unsealed from "
            "the web page /vault/unseal/.)"
        )


def unseal_arguments(parser: CommandParser) -> None:
    parser.add_argument("--stdin", action="store_true",
                        help="read shares from standard input, one per line (scripts)")
    parser.add_argument("--reset", action="store_true",
                        help="discard the shares entered so far and stop")


def unseal(command: BaseCommand, options: Options) -> None:
    """Each keyholder in turn types their share (not shown); a wrong share is refused with
    the reason and the shares already entered stay."""
    require_agent_socket()
    if options["reset"]:
        services.reset_shares()
        command.stdout.write("The shares entered so far were discarded.")
        return
    vault = services.status()
    if not vault.initialised:
        raise CommandError("The vault is not set up: run `pompolit vault init` first.")
    if not vault.sealed:
        command.stdout.write("The vault is already unsealed.")
        return
    while vault.sealed:
        needed = (vault.threshold or 0) - len(vault.entered)
        if options["stdin"]:
            line = sys.stdin.readline()
            if not line:
                raise CommandError(f"Standard input ended; {needed} more share(s) needed.")
            text = line.strip()
        else:
            text = getpass.getpass(f"Share ({needed} more needed; not shown): ")
        try:
            try:
                vault = services.submit_share(text, None, client="console")
            except VaultError as error:
                if error.code != "share_needs_passphrase" or options["stdin"]:
                    raise
                passphrase = getpass.getpass("Passphrase of this share: ")
                vault = services.submit_share(text, passphrase, client="console")
        except VaultError as error:
            command.stderr.write(f"Refused: {error}")
            if options["stdin"]:
                raise CommandError(str(error)) from None
            vault = services.status()
            continue
        if vault.sealed:
            command.stdout.write(
                f"Accepted: {len(vault.entered)} of {vault.threshold}. Next keyholder."
            )
    command.stdout.write("The vault is unsealed.")


def seal_arguments(parser: CommandParser) -> None:
    parser.add_argument("--reason", default="other", choices=services.SEAL_REASONS,
                        help="noted in the audit trail (a code: it keeps no typed text)")


def seal(command: BaseCommand, options: Options) -> None:
    require_agent_socket()
    services.seal(client="console", reason=options["reason"])
    command.stdout.write("The vault is sealed.")


def rotate_arguments(parser: CommandParser) -> None:
    parser.add_argument("--data", action="store_true", help="re-encrypt all data")
    parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")
    parser.add_argument("--approval", type=int, help="the approved request's number")
    parser.add_argument("--yes", action="store_true",
                        help="do not ask whether the new shares were handed out (scripts)")


def rotate(command: BaseCommand, options: Options) -> None:
    """Without --data: carry out an approved keyholder change (approval action
    "vault_rotate"): a new master key, the data keys re-wrapped under it, new shares for the
    new keyholders; old shares stop working. With --data: re-encrypt every encrypted field
    under new data keys, in batches; rerun it after a crash to resume."""
    try:
        if options["data"]:
            rotate_data(command, options["batch"])
        else:
            rotate_master(command, options["approval"], options["yes"])
    except (ValidationError, VaultError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise CommandError(message) from None


def rotate_data(command: BaseCommand, batch: int) -> None:
    def progress(label: str, done: int, total: int) -> None:
        command.stdout.write(f"{label}: {done}/{total}")

    rotation = field_services.rotate_data(batch_size=batch, progress=progress)
    command.stdout.write(f"Data re-encrypted under new keys (rotation #{rotation.pk}).")


def rotate_master(command: BaseCommand, approval: int | None, yes: bool) -> None:
    rotation = services.authorised_rotation(approval)

    def confirm(issued: list[services.IssuedShare]) -> bool:
        for share in issued:
            command.stdout.write(share.heading)
            command.stdout.write(share.text + "\n")
        if yes:
            return True
        answer = input("Has every keyholder taken their new share? Type yes to switch: ")
        return answer.strip().lower() == "yes"

    services.rotate_master(rotation, confirm=confirm)
    command.stdout.write("New master key in use. Old shares no longer work; destroy them.")


def encrypt_pending(command: BaseCommand, options: Options) -> None:
    try:
        done = field_services.encrypt_pending()
    except VaultError as error:
        raise CommandError(str(error)) from None
    command.stdout.write(f"encrypted {done} value(s); {field_services.pending_count()} left")


def cleanup_arguments(parser: CommandParser) -> None:
    parser.add_argument("--every", type=int, default=0, metavar="SECONDS",
                        help="keep running, sweeping every SECONDS (default: once)")


def cleanup(command: BaseCommand, options: Options) -> None:
    """Once by default (for cron or a systemd timer); with --every it keeps running as a small
    worker. The web process sweeps by itself too (vault.housekeeping): this is for servers
    that want it on a clock, and for an operator who wants it now."""
    while True:
        swept = sweep()
        command.stdout.write(f"Deleted {swept.uploads} expired pending uploads and the expired "
                             "sessions.")
        if not options["every"]:
            return
        time.sleep(options["every"])


class Command(AppCommand):
    name = "vault"
    help = ("The vault: its master key and the keyholders' shares, sealing and unsealing, "
            "key rotation, encrypted backups.")
    verbs = (
        Verb("init", "create the master key; one share per keyholder (once)",
             init, init_arguments),
        Verb("status", "sealed or not; --verify tries to decrypt every stored secret",
             status, status_arguments),
        Verb("unseal", "keyholders type their shares, one at a time, not shown",
             unseal, unseal_arguments),
        Verb("seal", "forget every key now, until keyholders unseal again", seal,
             seal_arguments),
        Verb("keyagent", "hold the master key in memory for the web workers (a service)",
             _keyagent.run, _keyagent.arguments),
        Verb("rotate", "carry out an approved keyholder change; --data: re-encrypt",
             rotate, rotate_arguments),
        Verb("encrypt-pending", "encrypt the free text an upgrade set aside in clear",
             encrypt_pending),
        Verb("backup", "write an encrypted snapshot of the database and attachments",
             _backup.backup, _backup.backup_arguments),
        Verb("restore", "restore a backup into an empty database, with k shares",
             _backup.restore, _backup.restore_arguments),
        Verb("cleanup", "delete expired pending uploads and sessions (--every N)",
             cleanup, cleanup_arguments),
    )
