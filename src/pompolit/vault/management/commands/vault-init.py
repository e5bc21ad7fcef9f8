"""`pompolit vault-init`: make the master key and hand out its shares (once, at set-up)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.vault.keys import services


class Command(BaseCommand):
    help = (
        "Create the vault's master key and split it into one share per keyholder, of which "
        "--threshold are needed to unseal. Each share is shown (or written) once; the master "
        "key itself is never written anywhere (except in demo mode)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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

    def handle(self, *args: Any, **options: Any) -> None:
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
                self.stdout.write(f"Share {share.index} for {share.keyholder}: {path}")
        else:
            for share in issued:
                self.stdout.write(share.heading)
                self.stdout.write(share.text + "\n")
        self.stdout.write(
            f"Vault created: {options['threshold']} of {len(issued)} shares unseal it. Give each "
            "keyholder their share in person; keep no other copy. A share is shown only now."
        )
        if options["demo"]:
            self.stderr.write("DEMO VAULT: the master key is in a local file. Never use real data.")
