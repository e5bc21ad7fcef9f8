"""Benchmark: a monthly aid plan for 5,000 prisoners in 300 facilities with 20 funds.

    .venv/bin/python bench/aid_plan_bench.py [--prisoners 5000] [--facilities 300]
        [--funds 20] [--seed 1917] [--budget-share 0.6] [--repeat 3]

The data is synthetic, from a fixed seed: facilities with their parcel limits (2 to 12 a year,
checked per 3 to 12 months, 20 to 30 kg) and money limits; prisoners with a priority, days
since their last aid, parcels already used in the period and needs (a food parcel, often a
hygiene or books parcel, money, letters); 20 funds (unrestricted, purpose funds for parcels,
transfers and letters, and funds for single cases) whose budgets add up to --budget-share of
what everybody needs, so the money does not reach everyone in full and fairness matters.
The timing is of `aid.planning.solver.plan` alone (the pure solver: the database side is
measured apart); the MIP gap and status are those HiGHS reports for the last stage.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pompolit.aid.planning.solver import plan
from pompolit.aid.planning.solver.types import (
    Entitlement,
    Fund,
    ItemType,
    Plan,
    Prisoner,
    SolverOptions,
)

ITEMS = (
    ItemType("food-parcel", "food parcel", "parcel", "expenses:parcels", Decimal("4500"),
             "RUB", grams=15000),
    ItemType("hygiene-parcel", "hygiene parcel", "parcel", "expenses:parcels", Decimal("2500"),
             "RUB", grams=8000),
    ItemType("books-parcel", "books", "parcel", "expenses:parcels", Decimal("1800"), "RUB",
             grams=5000),
    ItemType("transfer-1000", "money transfer 1,000", "money", "expenses:transfers",
             Decimal("1000"), "RUB"),
    ItemType("letter", "letter", "letter", "expenses:letters", Decimal("150"), "RUB"),
)
COST = {it.code: it.cost for it in ITEMS}


def make_data(n_prisoners: int, n_facilities: int, n_funds: int, seed: int,
              budget_share: float) -> tuple[list[Prisoner], list[Fund]]:
    rng = random.Random(seed)
    facilities = []
    for f in range(n_facilities):
        per_year = rng.choice([2, 3, 4, 6, 12])
        months = rng.choice([3, 6, 12])
        allowed = max(1, round(per_year * months / 12))
        facilities.append((f"IK-{f + 1}", allowed, months, rng.choice([20000, 25000, 30000]),
                           Decimal(rng.choice([5000, 10000, 20000]))))
    prisoners = []
    demand = Decimal(0)
    for n in range(n_prisoners):
        name, allowed, months, grams, money = rng.choice(facilities)
        used = rng.randint(0, allowed)
        needs = {"food-parcel": 1, "letter": rng.randint(1, 4)}
        if rng.random() < 0.5:
            needs["hygiene-parcel"] = 1
        if rng.random() < 0.3:
            needs["books-parcel"] = 1
        if rng.random() < 0.7:
            needs["transfer-1000"] = rng.randint(1, 5)
        money_used = Decimal(rng.choice([0, 0, 1000, 3000]))
        ent = Entitlement(facility=name, parcels_left=allowed - used, parcels_allowed=allowed,
                          period_months=months, max_parcel_grams=grams,
                          money_left=money - money_used, money_currency="RUB")
        prisoners.append(Prisoner(
            key=f"{n:05d}", case_id=n + 1, label=f"prisoner {n}", priority=rng.choice(
                [1, 2, 3, 3, 3, 3, 4]),
            days_since_aid=None if rng.random() < 0.1 else rng.randint(0, 400),
            needs=needs, entitlement=ent))
        demand += sum((COST[k] * q for k, q in needs.items()), Decimal(0))
    budget = demand * Decimal(str(budget_share))
    # 20 funds: 6 unrestricted, 3 for parcels, 3 for transfers, 2 for letters, the rest for
    # single cases; shares drawn at random, then scaled to the budget.
    kinds: list[tuple[str, str, int | None]] = []
    for j in range(n_funds):
        if j < 6:
            kinds.append(("unrestricted", "", None))
        elif j < 9:
            kinds.append(("purpose", "expenses:parcels", None))
        elif j < 12:
            kinds.append(("purpose", "expenses:transfers", None))
        elif j < 14:
            kinds.append(("purpose", "expenses:letters", None))
        else:
            kinds.append(("case", "", rng.randint(1, n_prisoners)))
    shares = [rng.uniform(0.5, 1.5) if kind != "case" else 0.02 for kind, _p, _c in kinds]
    total = sum(shares)
    funds = []
    for j, ((kind, purpose, case_id), share) in enumerate(zip(kinds, shares, strict=True)):
        amount = (budget * Decimal(share / total)).quantize(Decimal("0.01"))
        funds.append(Fund(f"fund-{j:02d}", kind, {"RUB": amount},  # type: ignore[arg-type]
                          purpose=purpose, case_id=case_id))
    return prisoners, funds


def summary(result: Plan) -> dict[str, float]:
    got = [a for a in result.allocations if a.demand > 0]
    zero = sum(1 for a in got if not a.lines)
    return {
        "level": result.level,
        "min coverage": min((a.coverage for a in got), default=0.0),
        "mean coverage": statistics.fmean(a.coverage for a in got) if got else 0.0,
        "nobody": zero,
        "spent": float(sum(result.spent.values(), Decimal(0))),
        "left": float(sum(result.left.values(), Decimal(0))),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--prisoners", type=int, default=5000)
    ap.add_argument("--facilities", type=int, default=300)
    ap.add_argument("--funds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1917)
    ap.add_argument("--budget-share", type=float, default=0.6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args()
    prisoners, funds = make_data(args.prisoners, args.facilities, args.funds, args.seed,
                                 args.budget_share)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"data: {args.prisoners} prisoners, {args.facilities} facilities, {args.funds} funds, "
          f"budget {args.budget_share:.0%} of the needs, seed {args.seed}")
    times = []
    cpu = []
    result = None
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = plan(prisoners, funds, ITEMS, SolverOptions(time_limit=args.time_limit))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert result is not None
    print(f"plan: median {statistics.median(times):.2f} s wall, "
          f"{statistics.median(cpu):.2f} s CPU (runs: "
          + ", ".join(f"{t:.2f}" for t in times) + ")")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"status: {result.status}, MIP gap of the last stage: {result.mip_gap:.2e}")
    for s in result.stages:
        print(f"  stage {s.name!r}: {s.status}, objective {s.objective:.6g}, "
              f"gap {s.mip_gap:.2e}, {s.seconds:.2f} s")
    for k, v in summary(result).items():
        print(f"{k}: {v:.4g}")


if __name__ == "__main__":
    main()
