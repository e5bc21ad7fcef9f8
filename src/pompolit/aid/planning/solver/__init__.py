"""The planner: a fair monthly aid plan, who gets what, paid by which fund. Pure code, no Django.

The rule (docs/aid.md, *Planning*):

* **What a prisoner may receive** this month (their *demand*): what their case worker says
  they need, cut to what the facility still allows in its current period (parcels left,
  parcel weight, money limit left) and to item types some fund in the budget may pay for.
* **Who may pay**: a fund for one case pays only for that case; a purpose fund only for item
  types whose expense account is its purpose (or below it); an unrestricted fund for anyone.
  Every unit of an item is paid by one fund, in the item's currency.
* **Coverage** of a prisoner is the share of their demand the plan gives them, each item
  counted at its *value* (normally its cost in the base currency).
* **Weight**: priority (urgent 1.5, high 1.25, normal 1.0, low 0.85) times waiting (1 + days
  since their last aid / 730, counting at most a year, so at most 1.5; never aided counts as
  a year), divided by the largest weight in the plan so that it lies in (0, 1].
* **Lexicographic max-min**, solved by HiGHS in three steps, each keeping what the one before
  reached:
  1. the *fairness level* t: the largest t such that every prisoner's coverage is at least
     their weight × t (the weightiest get at least t of their demand, one half as weighty at
     least t / 2), items taken as divisible — a linear program;
  2. items are not divisible, so the integer plan must give every prisoner their *floor*:
     their share weight × t less one item (their most valuable), but at least one item (their
     cheapest) whenever their share is above zero — nobody is forgotten while others get
     more. Where money makes that impossible the weighted shortfall is kept smallest (an
     integer program);
  3. keeping that shortfall, maximise the aid given, counted at its value times the
     prisoner's weight, the first unit of each item type a prisoner gets counting double (so
     money spreads before it piles up: a first parcel for one before a second for another);
     as a tie-break
     restricted money (the case's own fund, then purpose funds) is spent before money
     anybody may use (an integer program; its MIP gap is the plan's).

Funds any prisoner may use alike (all unrestricted funds; the purpose funds of one purpose)
are pooled for the solver; every fund but the largest of a pool is planned at its budget less
the pool's dearest item, so that every planned unit can then be paid by a single fund.

Every prisoner gets an explanation: per item type why this quantity (all that was asked, the
facility's limit, the weight limit, no fund may pay, the funds ran out), and their coverage
against the fairness level. Messages are English templates marked for translation
(`gettext_noop`, `messages.py`); the Django side translates and fills them in.

The steps, one module each: `prepare` (the input checked and indexed: weights, entitlements,
pools, demand), `model` (the integer program's columns and rows), `stages` (solving it in
the three steps above), `results` (units to funds, the exact check, lines and reasons). What
goes in and comes out is in `types`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pompolit.aid.planning.solver.model import Model
from pompolit.aid.planning.solver.prepare import prepare
from pompolit.aid.planning.solver.results import assign_funds, read_plan
from pompolit.aid.planning.solver.stages import solve
from pompolit.aid.planning.solver.types import Fund, ItemType, Plan, Prisoner, SolverOptions


def plan(prisoners: Sequence[Prisoner], funds: Sequence[Fund], item_types: Sequence[ItemType],
         options: SolverOptions | None = None) -> Plan:
    opts = options or SolverOptions()
    started = time.monotonic()
    prep = prepare(prisoners, funds, item_types)
    model = Model(prep, opts)
    quantity, level, stages = solve(model, opts, started)
    got = assign_funds(prep, model.cols, quantity)
    return read_plan(prep, got, level, stages, started)
