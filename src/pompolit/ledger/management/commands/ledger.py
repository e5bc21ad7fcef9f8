"""`pompolit ledger verify|balances|export|rates-import|publish|demo` — the books on the
command line."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from pompolit.transparency.errors import VerificationError

from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.core.errors import error_messages
from pompolit.ledger import beancount_export, demo, receipts, services
from pompolit.ledger.rates import services as rates_import
from pompolit.ledger.statements import services as statements
from pompolit.ledger.verify import verify_books
from pompolit.members.models import Member


def verify(command: BaseCommand, options: Options) -> None:
    try:
        report = verify_books()
    except VerificationError as error:
        raise CommandError(f"VERIFICATION FAILED: the ledger log is broken: {error}") from None
    if not report.ok:
        for problem in report.problems:
            command.stderr.write(f"- {problem}")
        raise CommandError(
            f"VERIFICATION FAILED: {len(report.problems)} disagreement(s) between the books "
            "and the log (listed above)."
        )
    command.stdout.write(
        f"OK: {report.entries} posted entries are exactly the {report.leaves} leaves of the "
        f"ledger log; every entry balances; {report.balances} fund balance(s) equal their "
        f"postings; {report.checkpoints} signed checkpoint(s) match."
    )


def balances_arguments(parser: CommandParser) -> None:
    parser.add_argument("--on", type=datetime.date.fromisoformat,
                        help="the day whose exchange rates to use (default: today)")
    parser.add_argument("--base", help="the currency to convert into")


def balances(command: BaseCommand, options: Options) -> None:
    on = options["on"] or timezone.localdate()
    report = services.fund_balances(on, options["base"])
    for row in report.rows:
        converted = f" = {row.in_base}" if row.in_base and row.rate else ""
        rate = f" (rate {row.rate.value} of {row.rate.on})" if row.rate else ""
        command.stdout.write(f"{row.fund.code:24} {row.balance}{converted}{rate}")
    command.stdout.write(f"total in {report.base} on {on}: {report.total}")
    if report.missing_rates:
        command.stdout.write(
            f"not in the total (no rate on or before {on}): {', '.join(report.missing_rates)}"
        )


def export_arguments(parser: CommandParser) -> None:
    parser.add_argument("--format", choices=["beancount"], default="beancount")
    parser.add_argument("-o", "--output", help="the file to write (default: standard output)")


def export(command: BaseCommand, options: Options) -> None:
    if options["output"]:
        with open(options["output"], "w", encoding="utf-8") as out:
            count = beancount_export.export(out)
        command.stderr.write(f"{count} transactions written to {options['output']}")
    else:
        command.stdout.ending = ""  # the exporter writes whole lines itself
        beancount_export.export(command.stdout)


def rates_import_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="CSV: date, currency, rate, and optionally base, source")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what each line would become; enter nothing")


def import_rates(command: BaseCommand, options: Options) -> None:
    try:
        with open(options["file"], "rb") as source:
            data = source.read()
    except OSError as error:
        raise CommandError(f"cannot read {options['file']}: {error.strerror}") from None
    plan = rates_import.preview(data)
    for row in plan.rows:
        rate = f"1 {row.currency} = {row.rate} {row.base}" if row.rate else ""
        day = row.on.isoformat() if row.on else "?"
        command.stdout.write(f"line {row.line_no:5}: {row.outcome:7} {day} {rate} "
                             f"{row.note}".rstrip())
    if plan.errors:
        for problem in plan.errors:
            command.stderr.write(f"- {problem}")
        raise CommandError(f"{len(plan.errors)} error(s) (listed above); nothing entered.")
    if options["dry_run"]:
        command.stdout.write(f"dry run: {plan.count('new')} rate(s) would be entered, "
                             f"{plan.count('known')} already in the books; nothing entered.")
        return
    try:
        done = rates_import.import_rates(None, data,
                                         expected_fingerprint=plan.file_fingerprint)
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from None
    command.stdout.write(f"{done.created} rate(s) entered, {done.known} already in the books.")


def publish_arguments(parser: CommandParser) -> None:
    parser.add_argument("--period", required=True,
                        help="2026-10 (a month), 2026 (a year) or 2026-01-01..2026-03-31")
    parser.add_argument("-o", "--output", type=Path,
                        help="also write the statement (JSON) to this file")
    parser.add_argument("--csv", type=Path, help="also write the figures (CSV) to this file")


def publish(command: BaseCommand, options: Options) -> None:
    """Close a period of the books and publish its statement: figures, a signed checkpoint of
    the ledger log, a consistency proof and every entry."""
    try:
        statement = statements.publish(None, options["period"])
    except ValidationError as error:
        raise CommandError(" ".join(error_messages(error))) from None
    if options["output"]:
        with options["output"].open("w", encoding="utf-8", newline="") as out:
            statements.write_bundle(statement, out)
    if options["csv"]:
        with options["csv"].open("w", encoding="utf-8", newline="") as out:
            out.writelines(statements.csv_parts(statement))
    command.stdout.write(
        f"Published the statement for {statement.period} ({statement.starts_on} to "
        f"{statement.ends_on}): {statement.checkpoint.size} entries in the signed log, "
        f"SHA-256 {statement.sha256}. Check it with: pompolit-verify statement FILE "
        f"--vkey VKEY"
    )


def load_demo(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError("`ledger demo` runs only with POMPOLIT_DEMO=1.")
    if demo.loaded():
        command.stdout.write("Demo books are already loaded.")
        return
    code = demo.load(Member.objects.get(pseudonym="kaznachei"))
    command.stdout.write(
        "Demo books loaded. A donor's receipt code to try on the public page "
        f"“Check my donation” (/ledger/check/): {receipts.grouped(code)}"
    )


class Command(AppCommand):
    name = "ledger"
    help = ("The books: verify them against the transparency log, balances, export, rates, "
            "statements.")
    verbs = (
        Verb("verify", "the books and the ledger log agree, entry by entry", verify),
        Verb("balances", "fund balances, and in the base currency", balances,
             balances_arguments),
        Verb("export", "the whole books in another format (beancount)", export,
             export_arguments),
        Verb("rates-import", "exchange rates from a CSV file, all or none", import_rates,
             rates_import_arguments),
        Verb("publish", "close a period and publish its signed statement", publish,
             publish_arguments),
        Verb("demo", "load the demo books and two statements (demo mode)", load_demo),
    )
