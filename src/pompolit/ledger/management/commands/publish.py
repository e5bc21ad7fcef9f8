"""`pompolit publish --period 2026-10` — close a period and publish its statement."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.core.errors import error_messages
from pompolit.ledger.statements import services as statements


class Command(BaseCommand):
    help = ("Close a period of the books and publish its statement: figures, a signed "
            "checkpoint of the ledger log, a consistency proof and every entry.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True,
                            help="2026-10 (a month), 2026 (a year) or 2026-01-01..2026-03-31")
        parser.add_argument("-o", "--output", type=Path,
                            help="also write the statement (JSON) to this file")
        parser.add_argument("--csv", type=Path, help="also write the figures (CSV) to this file")

    def handle(self, *args: Any, **options: Any) -> None:
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
        self.stdout.write(
            f"Published the statement for {statement.period} ({statement.starts_on} to "
            f"{statement.ends_on}): {statement.checkpoint.size} entries in the signed log, "
            f"SHA-256 {statement.sha256}. Check it with: pompolit-verify statement FILE "
            f"--vkey VKEY"
        )
