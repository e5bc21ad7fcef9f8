"""`pompolit cases import|export|demo|synthetic` — the registry on the command line.

`import FILE --compartment SLUG --as PSEUDONYM [--map field=column …] [--commit]`: without
--commit it is the dry run: each row's outcome and each error, nothing written. Columns are
proposed from the headers as on the import page; --map surname=Фамилия overrides one (by header
or by 1-based column number). Encrypted fields are never imported.

`export --compartment SLUG --as PSEUDONYM [--format csv|json] [-o FILE]`: the fields in clear
only, as on the export page; the encrypted fields leave only through the page, after a
coordinator's approval.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from pompolit.cases import demo
from pompolit.cases.io import exporting, importing
from pompolit.core.commands import AppCommand, Options, Verb
from pompolit.core.errors import error_messages
from pompolit.members import approvals
from pompolit.members import services as members
from pompolit.members.models import Compartment, Member


def actor_and_compartment(options: Options) -> tuple[Member, Compartment]:
    actor = Member.objects.filter(pseudonym=options["actor"]).first()
    compartment = Compartment.objects.filter(slug=options["compartment"]).first()
    if actor is None or compartment is None:
        raise CommandError("No such member or compartment.")
    return actor, compartment


def import_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--compartment", required=True)
    parser.add_argument("--as", dest="actor", required=True,
                        help="The pseudonym of the case worker who imports.")
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    parser.add_argument("--skip-row", type=int, action="append", default=[], metavar="ROW",
                        help="Leave this row of the file out (repeatable).")
    parser.add_argument("--commit", action="store_true")


def import_cases(command: BaseCommand, options: Options) -> None:
    actor, compartment = actor_and_compartment(options)
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
        choices = importing.Choices(skip=frozenset(options["skip_row"]))
        plan = importing.plan(compartment, table, mapping, choices)
        for row in plan.rows:
            command.stdout.write(f"{row.row}\t{row.outcome_label}\t{row.display_name}")
        for error in plan.errors:
            command.stderr.write(f"row {error.row}, {error.column}: {error.message}")
        # Facilities: only those found are used here; the rest are decided on the preview page.
        for name in plan.facilities:
            found = ", ".join(f.name for f in name.candidates) or "-"
            command.stdout.write(f"facility\t{name.state}\t{name.text}\t{found}")
        if not options["commit"]:
            command.stdout.write(f"Dry run: {plan.count(importing.NEW)} new, "
                                 f"{len(plan.errors)} errors. Add --commit to import.")
            return
        result = importing.commit(actor, compartment, table, mapping, choices)
    except (ValidationError, PermissionDenied, ValueError) as error:
        raise CommandError("; ".join(error_messages(error))) from None
    command.stdout.write(f"Imported: {result.created} new cases, {result.skipped} skipped.")


def export_arguments(parser: CommandParser) -> None:
    parser.add_argument("--compartment", required=True)
    parser.add_argument("--as", dest="actor", required=True)
    parser.add_argument("--format", choices=exporting.FORMATS, default="csv")
    parser.add_argument("-o", "--output", type=Path)


def export_cases(command: BaseCommand, options: Options) -> None:
    actor, compartment = actor_and_compartment(options)
    try:
        body = exporting.export(actor, compartment, options["format"])
    except (ValidationError, PermissionDenied) as error:
        raise CommandError("; ".join(error_messages(error))) from None
    if options["output"]:
        options["output"].write_bytes(body)
    else:
        sys.stdout.buffer.write(body)


def load_demo(command: BaseCommand, options: Options) -> None:
    if not settings.DEMO_MODE:
        raise CommandError(
            "`cases demo` loads made-up cases; it runs only with POMPOLIT_DEMO=1."
        )
    worker = Member.objects.filter(pseudonym="nikolai").first()
    compartment = Compartment.objects.filter(slug="orenburg-exiles").first()
    if worker is None or compartment is None:
        raise CommandError("Run `pompolit demo` first: it creates the case worker and the "
                           "compartment the demo cases belong to.")
    count = demo.load(worker, compartment)
    command.stdout.write(f"Demo cases loaded: {count}." if count else "Demo cases are there.")
    if count:  # the demo's people registered twice, waiting in the coordinators' queue
        from pompolit.cases.duplicates import services as duplicates

        command.stdout.write(f"Possible duplicates found: {len(duplicates.run_scan(None))}.")


def synthetic_arguments(parser: CommandParser) -> None:
    parser.add_argument("--cases", type=int, required=True, help="how many cases to generate")
    parser.add_argument("--seed", type=int, default=1,
                        help="the same seed gives the same set (default 1)")


def synthetic_compartment(n: int) -> Compartment:
    """`synthetic-N`, made once by vera, approved by sofia, granted to nikolai."""
    compartment = Compartment.objects.filter(slug=f"synthetic-{n}").first()
    if compartment is not None:
        return compartment
    from pompolit.cases.synthetic import SYNTHETIC_MARK

    vera = Member.objects.get(pseudonym="vera")
    sofia = Member.objects.get(pseudonym="sofia")
    with transaction.atomic():
        compartment = members.create_compartment(
            vera, name=f"Синтетические дела {n} (synthetic)", slug=f"synthetic-{n}",
            description=f"{SYNTHETIC_MARK} Generated cases for benchmarks.",
        )
        request = approvals.request_approval(
            vera, "grant_compartment",
            {"member": Member.objects.get(pseudonym="nikolai").pk,
             "compartment": compartment.pk},
        )
        approvals.approve(request.pk, sofia, seen_digest=request.payload_digest)
    return compartment


def synthetic(command: BaseCommand, options: Options) -> None:
    """Generated modern cases for benchmarks, in compartments synthetic-1…3 that the demo case
    worker sees (demo mode)."""
    from pompolit.cases.synthetic import generate

    if not settings.DEMO_MODE:
        raise CommandError("`cases synthetic` makes up cases; it runs only with POMPOLIT_DEMO=1.")
    if options["cases"] < 0:
        raise CommandError("--cases must be a positive number.")
    if not Member.objects.filter(pseudonym="vera").exists():
        raise CommandError("Run `pompolit demo` first: it creates the demo members.")
    compartments = [synthetic_compartment(n) for n in range(1, 4)]
    vera = Member.objects.get(pseudonym="vera")
    stats = generate(compartments, options["cases"], seed=options["seed"], actor=vera,
                     progress=command.stdout.write)
    command.stdout.write(
        f"{stats.cases:,} synthetic cases ({stats.names:,} names, {stats.events:,} events) "
        f"in {stats.seconds:.0f} s, compartments synthetic-1…3 (nikolai sees them)."
    )


class Command(AppCommand):
    name = "cases"
    help = "The registry of cases: import a list of prisoners, export a compartment."
    verbs = (
        Verb("import", "import a list of prisoners (CSV, XLSX); a dry run by default",
             import_cases, import_arguments),
        Verb("export", "export a compartment's cases (fields in clear) to CSV or JSON",
             export_cases, export_arguments),
        Verb("demo", "load the historical demo cases (demo mode)", load_demo),
        Verb("synthetic", "generate modern cases for benchmarks (demo mode)", synthetic,
             synthetic_arguments),
    )
