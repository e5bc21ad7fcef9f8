"""`pompolit audit verify [--against HEAD [--vkey VKEY]] | export-head [-o FILE] | keygen`.

Exit status: 0 the chain checks out, 1 it does not (or the head's signature is bad),
2 the check could not be made (unreadable file, malformed key, no signing key).
"""

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from pompolit.audit import services, signing

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Verify the hash-chained audit trail, export its signed head, or create the key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        verify = sub.add_parser(
            "verify", help="recompute the whole chain and name the first broken entry"
        )
        verify.add_argument(
            "--against", metavar="FILE",
            help="a signed head exported earlier: prove the chain still contains it",
        )
        verify.add_argument(
            "--vkey", metavar="VKEY",
            help="the verifier key kept with the head (default: this server's own key, "
            "which proves less)",
        )
        export = sub.add_parser("export-head", help="write the signed head of the chain")
        export.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
        sub.add_parser("keygen", help="create the Ed25519 key that signs exported heads")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            {"verify": self.verify, "export-head": self.export_head, "keygen": self.keygen}[
                options["what"]
            ](options)
        except signing.KeyProblem as problem:
            self.fail(str(problem), USAGE_ERROR)

    def fail(self, message: str, status: int = 1) -> NoReturn:
        self.stderr.write(message)
        sys.exit(status)

    def verify(self, options: dict[str, Any]) -> None:
        if not options["against"]:
            result = services.verify_chain()
            if not result.intact:
                self.fail(result.summary())
            self.stdout.write(result.summary())
            return
        try:
            text = Path(options["against"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.fail(f"Cannot read the exported head {options['against']}: {error}", USAGE_ERROR)
        if not options["vkey"]:
            self.stderr.write(
                "No --vkey given: checking the head against this server's own key. Give the "
                "verifier key the trusted person kept, for a check the server cannot fake."
            )
        try:
            result, head, vkey = services.verify_against(text, options["vkey"])
        except signing.DocumentError as error:
            self.fail(f"The verifier key or head cannot be read: {error.reason}", USAGE_ERROR)
        except signing.VerificationError as error:
            self.fail(f"The exported head is not genuine: {error.reason}")
        if not result.intact:
            self.fail(result.summary())
        self.stdout.write(
            f"{result.summary()}; it extends the exported head #{head.seq} {head.entry_hash} "
            f"signed by {vkey.rsplit('+', 1)[0]}"
        )

    def export_head(self, options: dict[str, Any]) -> None:
        try:
            head = services.export_head(None, actor_label="pompolit audit export-head")
        except services.EmptyTrail as error:
            self.fail(str(error), USAGE_ERROR)
        output = options["output"]
        if output:
            Path(output).write_text(head.text, encoding="utf-8")
            self.stdout.write(f"Signed head #{head.seq} {head.entry_hash} written to {output}.")
            report = self.stdout
        else:
            self.stdout.write(head.text, ending="")
            report = self.stderr
        report.write(
            "Keep the head and this verifier key somewhere off the server:\n" + head.vkey
        )

    def keygen(self, options: dict[str, Any]) -> None:
        key = signing.generate_key()
        self.stdout.write(
            f"Audit signing key written to {signing.key_path()} (mode 0600).\n"
            f"Verifier key, for whoever keeps the exported heads:\n{key.vkey}"
        )
