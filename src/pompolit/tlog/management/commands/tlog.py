"""`pompolit tlog status|verify|checkpoint|keygen|vkey|bundle` — the transparency log."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pompolit.transparency.bundle import write_bundle
from pompolit.transparency.errors import VerificationError

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.core.keyfiles import KeyProblem
from pompolit.tlog import services
from pompolit.tlog.models import Log


def log_argument(parser: CommandParser) -> None:
    parser.add_argument("log")


def status(command: BaseCommand, options: Options) -> None:
    for log in Log.objects.order_by("name"):
        latest = services.latest_checkpoint(log.name)
        signed = f"signed at size {latest.size}" if latest else "never signed"
        root = services.merkle(log).root().hex()
        command.stdout.write(f"{log.name}: {log.size} entries, root {root}, {signed}")
    if not Log.objects.exists():
        command.stdout.write("No logs yet.")


def verify(command: BaseCommand, options: Options) -> None:
    report = services.verify_log(options["log"])
    command.stdout.write(
        f"{report.name}: {report.size} entries recomputed, stored tree intact, root "
        f"{report.root.hex()}, {report.checkpoints_checked} signed checkpoint(s) match."
    )


def checkpoint(command: BaseCommand, options: Options) -> None:
    Log.objects.get(name=options["log"])
    signed = services.sign_checkpoint(options["log"])
    command.stdout.write(signed.note, ending="")


def keygen(command: BaseCommand, options: Options) -> None:
    services.create_signing_key()
    command.stdout.write("Signing key created. Publish this verifier key:")
    command.stdout.write(services.verifier_key())


def vkey(command: BaseCommand, options: Options) -> None:
    command.stdout.write(services.verifier_key())


def bundle_arguments(parser: CommandParser) -> None:
    parser.add_argument("log")
    parser.add_argument("-o", "--output", type=Path, help="file (default: standard output)")


def bundle(command: BaseCommand, options: Options) -> None:
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


class Command(AppCommand):
    name = "tlog"
    help = "Inspect, verify, sign and publish the transparency logs."
    verbs = (
        Verb("status", "size, root and latest checkpoint of every log", status),
        Verb("verify", "recompute a log from its entries", verify, log_argument),
        Verb("checkpoint", "sign the current size and root of a log", checkpoint, log_argument),
        Verb("keygen", "create the log signing key (once)", keygen),
        Verb("vkey", "print the public verifier key to publish", vkey),
        Verb("bundle", "write every entry and the latest checkpoint", bundle, bundle_arguments),
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            super().handle(*args, **options)
        except Log.DoesNotExist:
            raise CommandError(f"There is no log named {options.get('log')!r}.") from None
        except KeyProblem as problem:
            raise CommandError(str(problem)) from None
        except VerificationError as error:
            raise CommandError(f"VERIFICATION FAILED: {error}") from None
