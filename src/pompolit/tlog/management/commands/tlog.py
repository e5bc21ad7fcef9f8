"""`pompolit tlog status|verify|checkpoint|keygen|vkey|bundle` — the transparency log."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pompolit.transparency.bundle import write_bundle
from pompolit.transparency.errors import VerificationError

from pompolit.core.keyfiles import KeyProblem
from pompolit.tlog import services
from pompolit.tlog.models import Log


class Command(BaseCommand):
    help = "Inspect, verify, sign and publish the transparency logs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("status", help="size, root and latest checkpoint of every log")
        verify = sub.add_parser("verify", help="recompute a log from its entries")
        verify.add_argument("log")
        sign = sub.add_parser("checkpoint", help="sign the current size and root of a log")
        sign.add_argument("log")
        sub.add_parser("keygen", help="create the log signing key (once)")
        sub.add_parser("vkey", help="print the public verifier key to publish")
        bundle = sub.add_parser("bundle", help="write every entry and the latest checkpoint")
        bundle.add_argument("log")
        bundle.add_argument("-o", "--output", type=Path, help="file (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        try:
            getattr(self, f"do_{what}")(options)
        except Log.DoesNotExist:
            raise CommandError(f"There is no log named {options.get('log')!r}.") from None
        except KeyProblem as problem:
            raise CommandError(str(problem)) from None
        except VerificationError as error:
            raise CommandError(f"VERIFICATION FAILED: {error}") from None

    def do_status(self, options: dict[str, Any]) -> None:
        for log in Log.objects.order_by("name"):
            latest = services.latest_checkpoint(log.name)
            signed = f"signed at size {latest.size}" if latest else "never signed"
            root = services.merkle(log).root().hex()
            self.stdout.write(f"{log.name}: {log.size} entries, root {root}, {signed}")
        if not Log.objects.exists():
            self.stdout.write("No logs yet.")

    def do_verify(self, options: dict[str, Any]) -> None:
        report = services.verify_log(options["log"])
        self.stdout.write(
            f"{report.name}: {report.size} entries recomputed, stored tree intact, root "
            f"{report.root.hex()}, {report.checkpoints_checked} signed checkpoint(s) match."
        )

    def do_checkpoint(self, options: dict[str, Any]) -> None:
        Log.objects.get(name=options["log"])
        signed = services.sign_checkpoint(options["log"])
        self.stdout.write(signed.note, ending="")

    def do_keygen(self, options: dict[str, Any]) -> None:
        services.create_signing_key()
        self.stdout.write("Signing key created. Publish this verifier key:")
        self.stdout.write(services.verifier_key())

    def do_vkey(self, options: dict[str, Any]) -> None:
        self.stdout.write(services.verifier_key())

    def do_bundle(self, options: dict[str, Any]) -> None:
        log = Log.objects.get(name=options["log"])
        latest = services.latest_checkpoint(log.name)
        if latest is None:
            raise CommandError(f"Log {log.name!r} has no signed checkpoint yet: sign one first.")
        leaves = services.entries(log, 0, latest.size)
        if options["output"]:
            with options["output"].open("w", encoding="utf-8") as out:
                write_bundle(out, origin=log.origin, leaves=leaves, checkpoint=latest.note)
        else:
            write_bundle(sys.stdout, origin=log.origin, leaves=leaves, checkpoint=latest.note)
