"""`pompolit people duplicates` — the people of the registry on the command line.

`duplicates [--show N]`: scans the whole registry for people registered twice (blocking on name
keys and birth year, scored with evidence), stores the pairs for the coordinators' review queue
(/cases/people/duplicates/) and prints the best N. Pairs a coordinator decided are "not the same
person" are left out. Nothing is merged: merging is a coordinator's decision on the page.
"""

from django.core.management.base import BaseCommand, CommandParser

from pompolit.cases.duplicates import services
from pompolit.cases.duplicates.scan import ScanStats
from pompolit.core.commands import AppCommand, Options, Verb


def duplicates_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--show",
        type=int,
        default=20,
        metavar="N",
        help="how many of the best pairs to print (default 20)",
    )


def duplicates(command: BaseCommand, options: Options) -> None:
    stats = ScanStats()
    found = services.run_scan(None, progress=command.stdout.write, stats=stats)
    cards = services.cards(pk for c in found[: options["show"]] for pk in (c.low, c.high))
    for candidate in found[: options["show"]]:
        first, second = cards.get(candidate.low), cards.get(candidate.high)
        if first is None or second is None:
            continue
        flag = " [conflict: a coordinator decides]" if candidate.conflict else ""
        command.stdout.write(
            f"{candidate.score:.2f}\t#{first.pk} {first.display_name} ({first.birth_date or '?'})"
            f"\t#{second.pk} {second.display_name} ({second.birth_date or '?'}){flag}"
        )
        for line in candidate.evidence:
            command.stdout.write(f"\t\t{line.weight:+.2f} {line.text}")
    seconds = ", ".join(f"{k} {v:.1f} s" for k, v in stats.seconds.items())
    command.stdout.write(
        f"{len(found):,} pair{'' if len(found) == 1 else 's'} to review among "
        f"{stats.people:,} people "
        f"({stats.blocked_pairs:,} from blocking, {stats.compared_pairs:,} compared; {seconds}). "
        "Review them at /cases/people/duplicates/."
    )


class Command(AppCommand):
    name = "people"
    help = "The people of the registry: find those registered twice."
    verbs = (
        Verb(
            "duplicates",
            "find people registered twice and queue the pairs for review",
            duplicates,
            duplicates_arguments,
        ),
    )
