"""`pompolit ledger verify|balances|export` — the books on the command line."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from pompolit.transparency.errors import VerificationError

from pompolit.ledger import beancount_export, services
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

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['what']}")(options)

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
