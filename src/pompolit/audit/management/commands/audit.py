"""`pompolit audit verify [--against HEAD [--vkey VKEY]] | export-head [-o FILE] | keygen`.

Exit status: 0 the chain checks out, 1 it does not (or the head's signature is bad),
2 the check could not be made (unreadable file, malformed key, no signing key).
"""

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from pompolit.audit import services, signing
from pompolit.core.commands import AppCommand, Options, Verb

USAGE_ERROR = 2


def fail(command: BaseCommand, message: str, status: int = 1) -> NoReturn:
    command.stderr.write(message)
    sys.exit(status)


def verify_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--against", metavar="FILE",
        help="a signed head exported earlier: prove the chain still contains it",
    )
    parser.add_argument(
        "--vkey", metavar="VKEY",
        help="the verifier key kept with the head (default: this server's own key, "
        "which proves less)",
    )


def verify(command: BaseCommand, options: Options) -> None:
    if not options["against"]:
        result = services.verify_chain()
        if not result.intact:
            fail(command, result.summary())
        command.stdout.write(result.summary())
        return
    try:
        text = Path(options["against"]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(command, f"Cannot read the exported head {options['against']}: {error}",
             USAGE_ERROR)
    if not options["vkey"]:
        command.stderr.write(
            "No --vkey given: checking the head against this server's own key. Give the "
            "verifier key the trusted person kept, for a check the server cannot fake."
        )
    try:
        result, head, vkey = services.verify_against(text, options["vkey"])
    except signing.DocumentError as error:
        fail(command, f"The verifier key or head cannot be read: {error.reason}", USAGE_ERROR)
    except signing.VerificationError as error:
        fail(command, f"The exported head is not genuine: {error.reason}")
    if not result.intact:
        fail(command, result.summary())
    command.stdout.write(
        f"{result.summary()}; it extends the exported head #{head.seq} {head.entry_hash} "
        f"signed by {vkey.rsplit('+', 1)[0]}"
    )


def export_head_arguments(parser: CommandParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="default: standard output")


def export_head(command: BaseCommand, options: Options) -> None:
    try:
        head = services.export_head(None, actor_label="pompolit audit export-head")
    except services.EmptyTrail as error:
        fail(command, str(error), USAGE_ERROR)
    output = options["output"]
    if output:
        Path(output).write_text(head.text, encoding="utf-8")
        command.stdout.write(f"Signed head #{head.seq} {head.entry_hash} written to {output}.")
        report = command.stdout
    else:
        command.stdout.write(head.text, ending="")
        report = command.stderr
    report.write(
        "Keep the head and this verifier key somewhere off the server:\n" + head.vkey
    )


def keygen(command: BaseCommand, options: Options) -> None:
    key = signing.generate_key()
    command.stdout.write(
        f"Audit signing key written to {signing.key_path()} (mode 0600).\n"
        f"Verifier key, for whoever keeps the exported heads:\n{key.vkey}"
    )


class Command(AppCommand):
    name = "audit"
    help = "Verify the hash-chained audit trail, export its signed head, or create the key."
    verbs = (
        Verb("verify", "recompute the whole chain and name the first broken entry", verify,
             verify_arguments),
        Verb("export-head", "write the signed head of the chain", export_head,
             export_head_arguments),
        Verb("keygen", "create the Ed25519 key that signs exported heads", keygen),
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            super().handle(*args, **options)
        except signing.KeyProblem as problem:
            fail(self, str(problem), USAGE_ERROR)
