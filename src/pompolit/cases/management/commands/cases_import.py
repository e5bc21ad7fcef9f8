"""`pompolit cases_import FILE --compartment SLUG --as PSEUDONYM [--map field=column …] [--commit]`.

Without --commit it is the dry run: each row's outcome and each error, nothing written. Columns
are proposed from the headers as on the import page; --map surname=Фамилия overrides one
(by header or by 1-based column number). Encrypted fields are never imported.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.cases.io import importing
from pompolit.core.errors import error_messages
from pompolit.members.models import Compartment, Member


class Command(BaseCommand):
    help = "Import a list of prisoners (CSV or XLSX) into a compartment; a dry run by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--compartment", required=True)
        parser.add_argument("--as", dest="actor", required=True,
                            help="The pseudonym of the case worker who imports.")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Member.objects.filter(pseudonym=options["actor"]).first()
        compartment = Compartment.objects.filter(slug=options["compartment"]).first()
        if actor is None or compartment is None:
            raise CommandError("No such member or compartment.")
        path: Path = options["file"]
        if path.stat().st_size > importing.max_bytes():
            raise CommandError(error_messages(importing._too_big())[0])
        try:
            table = importing.read_table(path.read_bytes(), path.name)
            mapping = importing.guess_mapping(table.headers)
            for item in options["map"]:
                field, _, column = item.partition("=")
                if field not in importing.FIELDS:
                    raise CommandError(f"Unknown field {field!r}; one of "
                                       f"{', '.join(importing.FIELDS)}.")
                mapping[field] = (int(column) - 1 if column.isdigit()
                                  else table.headers.index(column) if column else None)
            plan = importing.plan(compartment, table, mapping)
            for row in plan.rows:
                self.stdout.write(f"{row.row}\t{row.outcome_label}\t{row.display_name}")
            for error in plan.errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            if not options["commit"]:
                self.stdout.write(f"Dry run: {plan.count(importing.NEW)} new, "
                                  f"{len(plan.errors)} errors. Add --commit to import.")
                return
            result = importing.commit(actor, compartment, table, mapping)
        except (ValidationError, PermissionDenied, ValueError) as error:
            raise CommandError("; ".join(error_messages(error))) from None
        self.stdout.write(f"Imported: {result.created} new cases, {result.skipped} skipped.")
