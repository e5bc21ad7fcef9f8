"""`pompolit ledger verify|balances|export|rates-import` — the books on the command line."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from pompolit.transparency.errors import VerificationError

from pompolit.ledger import beancount_export, services
from pompolit.ledger.rates import services as rates_import
from pompolit.ledger.verify import verify_books


class Command(BaseCommand):
    help = "Verify the books against the transparency log; show fund balances."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("verify", help="the books and the ledger log agree, entry by entry")
        balances = sub.add_parser("balances", help="fund balances, and in the base currency")
        balances.add_argument("--on", type=datetime.date.fromisoformat,
                              help="the day whose exchange rates to use (default: today)")
        balances.add_argument("--base", help="the currency to convert into")
        export = sub.add_parser("export", help="the whole books in another format")
        export.add_argument("--format", choices=["beancount"], default="beancount")
        export.add_argument("-o", "--output", help="the file to write (default: standard output)")
        rates = sub.add_parser("rates-import", help="exchange rates from a CSV file, all or none")
        rates.add_argument("file", help="CSV: date, currency, rate, and optionally base, source")
        rates.add_argument("--dry-run", action="store_true",
                           help="show what each line would become; enter nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['what'].replace('-', '_')}")(options)

    def do_verify(self, options: dict[str, Any]) -> None:
        try:
            report = verify_books()
        except VerificationError as error:
            raise CommandError(f"VERIFICATION FAILED: the ledger log is broken: {error}") from None
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"VERIFICATION FAILED: {len(report.problems)} disagreement(s) between the books "
                "and the log (listed above)."
            )
        self.stdout.write(
            f"OK: {report.entries} posted entries are exactly the {report.leaves} leaves of the "
            f"ledger log; every entry balances; {report.balances} fund balance(s) equal their "
            f"postings; {report.checkpoints} signed checkpoint(s) match."
        )

    def do_balances(self, options: dict[str, Any]) -> None:
        on = options["on"] or timezone.localdate()
        report = services.fund_balances(on, options["base"])
        for row in report.rows:
            converted = f" = {row.in_base}" if row.in_base and row.rate else ""
            rate = f" (rate {row.rate.rate} of {row.rate.on})" if row.rate else ""
            self.stdout.write(f"{row.fund.code:24} {row.balance}{converted}{rate}")
        self.stdout.write(f"total in {report.base} on {on}: {report.total}")
        if report.missing_rates:
            self.stdout.write(
                f"not in the total (no rate on or before {on}): {', '.join(report.missing_rates)}"
            )

    def do_export(self, options: dict[str, Any]) -> None:
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                count = beancount_export.export(out)
            self.stderr.write(f"{count} transactions written to {options['output']}")
        else:
            self.stdout.ending = ""  # the exporter writes whole lines itself
            beancount_export.export(self.stdout)

    def do_rates_import(self, options: dict[str, Any]) -> None:
        try:
            with open(options["file"], "rb") as source:
                data = source.read()
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error.strerror}") from None
        plan = rates_import.preview(data)
        for row in plan.rows:
            rate = f"1 {row.currency} = {row.rate} {row.base}" if row.rate else ""
            day = row.on.isoformat() if row.on else "?"
            self.stdout.write(f"line {row.line_no:5}: {row.outcome:7} {day} {rate} "
                              f"{row.note}".rstrip())
        if plan.errors:
            for problem in plan.errors:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"{len(plan.errors)} error(s) (listed above); nothing entered.")
        if options["dry_run"]:
            self.stdout.write(f"dry run: {plan.count('new')} rate(s) would be entered, "
                              f"{plan.count('known')} already in the books; nothing entered.")
            return
        try:
            done = rates_import.import_rates(None, data,
                                             expected_fingerprint=plan.file_fingerprint)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{done.created} rate(s) entered, {done.known} already in the books.")
