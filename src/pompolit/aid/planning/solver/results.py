"""Step 4 of a plan: reading the solution — each planned unit given to one fund of its pool,
the plan checked again in exact arithmetic, and every prisoner's lines and reasons."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from pompolit.aid.planning.solver.messages import (
    M_ALL,
    M_AT_FLOOR,
    M_COVERAGE,
    M_COVERAGE_NEVER,
    M_FUNDS_SPENT,
    M_NO_FUND,
    M_NOTHING_ASKED,
    M_SHARED,
    money_text,
)
from pompolit.aid.planning.solver.model import Col
from pompolit.aid.planning.solver.prepare import Prepared
from pompolit.aid.planning.solver.types import (
    MONEY,
    PARCEL,
    Allocation,
    Line,
    Plan,
    PlanError,
    Reason,
    Stage,
    gettext_noop,
)

# (prisoner, item type, fund) → units
Got = Mapping[tuple[int, int, int], int]
# (fund code, currency) → money
Amounts = Mapping[tuple[str, str], Decimal]


def assign_funds(prep: Prepared, cols: Sequence[Col],
                 quantity: Sequence[int]) -> dict[tuple[int, int, int], int]:
    """Each planned unit to one fund of its pool, filling the funds one after the other."""
    got: dict[tuple[int, int, int], int] = defaultdict(int)
    units: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for c, q in enumerate(quantity):
        if q > 0:
            v = cols[c]
            units[v.pool].append((v.prisoner, v.item, q))
    for n, todo in sorted(units.items()):
        pool = prep.pools[n]
        left = [prep.funds[j].available[pool.currency] for j in pool.members]
        m = 0
        for i, k, q in sorted(todo):
            cost = prep.items[k].cost
            for _ in range(q):
                while m < len(left) and left[m] < cost:
                    m += 1
                if m == len(left):
                    raise PlanError(gettext_noop("The solver overspent a fund; the plan was "
                                                 "not made."))
                left[m] -= cost
                got[(i, k, pool.members[m])] += 1
    return dict(got)


def read_plan(prep: Prepared, got: Got, level: float, stages: Sequence[Stage],
              started: float) -> Plan:
    funds, items = prep.funds, prep.items
    spent: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (_i, k, j), q in got.items():
        spent[(funds[j].code, items[k].currency)] += q * items[k].cost
    left = {
        (f.code, cur): f.available[cur] - spent.get((f.code, cur), Decimal(0))
        for f in funds for cur in sorted(f.available)
    }
    check(prep, got, left)
    pool_left = [
        p.capacity - sum((spent.get((funds[j].code, p.currency), Decimal(0))
                          for j in p.members), Decimal(0))
        for p in prep.pools
    ]
    allocations = tuple(_allocation(prep, i, got, level, left, pool_left)
                        for i in range(len(prep.people)))
    statuses = {s.status for s in stages}
    status = "optimal" if statuses <= {"optimal"} else sorted(statuses - {"optimal"})[0]
    return Plan(allocations, dict(spent), left, level, status,
                stages[-1].mip_gap if stages else 0.0, tuple(stages),
                time.monotonic() - started)


def _allocation(prep: Prepared, i: int, got: Got, level: float, left: Amounts,
                pool_left: Sequence[Decimal]) -> Allocation:
    """Prisoner i's lines (per item type, per fund) and the reasons for each quantity."""
    items, funds = prep.items, prep.funds
    lines = []
    reasons: list[Reason] = []
    given_value = 0.0
    for k in sorted(prep.asked[i]):
        it = items[k]
        given = 0
        for j in sorted({j for n in prep.payable[i].get(k, []) for j in prep.pools[n].members}):
            q = got.get((i, k, j), 0)
            if q:
                lines.append(Line(it.code, funds[j].code, q, q * it.cost, it.currency))
                given += q
        given_value += given * prep.value[k]
        reasons.append(_item_reason(prep, i, k, given, left, pool_left))
    if not prep.asked[i]:
        reasons.append(Reason("nothing_asked", M_NOTHING_ASKED))
    demand = prep.demand[i]
    coverage = min(1.0, given_value / demand) if demand > 1e-12 else 0.0
    if demand > 1e-12:
        reasons.extend(_coverage_reasons(prep, i, coverage, level))
    return Allocation(prep.people[i].key, tuple(lines), prep.weights[i], coverage, demand,
                      tuple(reasons))


def _coverage_reasons(prep: Prepared, i: int, coverage: float, level: float) -> list[Reason]:
    p = prep.people[i]
    floor = prep.weights[i] * level
    params = {
        "coverage": f"{100 * coverage:.0f}", "floor": f"{100 * floor:.0f}",
        "level": f"{100 * level:.0f}", "weight": f"{prep.weights[i]:.2f}",
        "priority": str(p.priority), "days": str(p.days_since_aid),
    }
    never = p.days_since_aid is None
    reasons = [Reason("coverage", M_COVERAGE_NEVER if never else M_COVERAGE, params)]
    if level > 0 and 0 < coverage < 0.999 and coverage <= floor + 1e-3:
        reasons.append(Reason("at_floor", M_AT_FLOOR))
    return reasons


def _item_reason(prep: Prepared, i: int, k: int, given: int, left: Amounts,
                 pool_left: Sequence[Decimal]) -> Reason:
    it = prep.items[k]
    wanted = prep.asked[i][k]
    pre = prep.pre_reasons[i].get(k)
    if given >= wanted:
        return Reason("all", M_ALL, {"item": it.label, "quantity": str(wanted)})
    if given >= prep.entitled[i][k] and pre is not None:
        return pre
    pools = prep.payable[i].get(k, [])
    if not pools:
        return Reason("no_fund", M_NO_FUND, {"item": it.label})
    params = {"item": it.label, "given": str(given),
              "wanted": str(min(wanted, prep.entitled[i][k]))}
    if all(pool_left[n] < it.cost for n in pools):
        remaining = sum((left.get((prep.funds[j].code, it.currency), Decimal(0))
                         for n in pools for j in prep.pools[n].members), Decimal(0))
        return Reason("funds_spent", M_FUNDS_SPENT, {
            **params, "left": money_text(remaining), "currency": it.currency,
            "cost": money_text(it.cost)})
    if pre is not None:
        return pre  # the shared parcel or money limit took the rest
    return Reason("shared", M_SHARED, params)


def check(prep: Prepared, got: Got, left: Amounts) -> None:
    """The solver works in floating point: the plan is checked again in exact arithmetic."""
    if any(v < 0 for v in left.values()):
        raise PlanError(gettext_noop("The solver overspent a fund; the plan was not made."))
    per_item: dict[tuple[int, int], int] = defaultdict(int)
    parcels: dict[int, int] = defaultdict(int)
    money: dict[int, Decimal] = defaultdict(Decimal)
    for (i, k, j), q in got.items():
        it = prep.items[k]
        if not prep.funds[j].may_pay(prep.people[i], it):
            raise PlanError(gettext_noop("The solver used a fund outside its purpose."))
        per_item[(i, k)] += q
        if it.kind == PARCEL:
            parcels[i] += q
        if it.kind == MONEY:
            money[i] += q * it.cost
    for (i, k), q in per_item.items():
        e = prep.people[i].entitlement
        if (q > prep.entitled[i][k]
                or (e.parcels_left is not None and parcels[i] > e.parcels_left)
                or (e.money_left is not None and money[i] > e.money_left)):
            raise PlanError(gettext_noop("The solver exceeded an entitlement; the plan was "
                                         "not made."))
