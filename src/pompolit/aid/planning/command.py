"""`pompolit aid plan --month 2026-12 --budget FUND=AMOUNT … --as PSEUDONYM [--accept]`:
the proposed plan, per prisoner, with the reasons; `--accept` creates the drafts as proposed
(adjusting line by line is done on the page)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pompolit.aid.planning import services
from pompolit.aid.planning.solver.types import SolverOptions
from pompolit.members import policy
from pompolit.members.models import Member


def arguments(parser: CommandParser) -> None:
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--budget", action="append", default=[], metavar="FUND=AMOUNT",
                        help="a fund and how much of it the plan may spend (repeat)")
    parser.add_argument("--as", dest="actor", required=True,
                        help="the pseudonym of the coordinator who plans")
    parser.add_argument("--accept", action="store_true",
                        help="create the proposed items as drafts")
    parser.add_argument("--time-limit", type=float, default=60.0)


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = Member.objects.filter(pseudonym=options["actor"]).first()
    if actor is None or not policy.has_roles(actor, policy.COORDINATOR):
        raise CommandError("Planning is for coordinators: no coordinator has that pseudonym.")
    if not options["budget"]:
        raise CommandError("Give at least one --budget FUND=AMOUNT.")
    try:
        month = services.parse_month(options["month"])
        budgets = services.resolve_budgets(options["budget"])
        inputs, result = services.propose(
            actor, month, budgets, SolverOptions(time_limit=options["time_limit"]))
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    out = command.stdout
    out.write(f"Plan for {month:%Y-%m}: {len(result.allocations)} prisoners; "
              f"solver {result.status}, MIP gap {result.mip_gap:.2e}, "
              f"fairness level {100 * result.level:.0f}%, {result.seconds:.2f} s")
    for allocation in result.allocations:
        case = inputs.cases[allocation.prisoner]
        got = ", ".join(f"{line.quantity} × {line.item} from {line.fund} "
                        f"({line.amount:f} {line.currency})" for line in allocation.lines)
        out.write(f"\n#{case.pk} {case.person.display_name}: {got or '—'}")
        for reason in allocation.reasons:
            out.write(f"    {services.explain(reason)}")
    out.write("")
    for (fund, currency), left in sorted(result.left.items()):
        spent = result.spent.get((fund, currency), 0)
        out.write(f"{fund}: {spent:f} {currency} planned, {left:f} left")
    if options["accept"]:
        try:
            created = services.accept(actor, month, budgets,
                                          services.lines_of(inputs, result))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        out.write(f"{len(created)} draft items created.")
