"""A fair monthly aid plan: who gets what, paid by which fund. Pure code, no Django.

The rule (docs/aid.md, *Planning*):

* **What a prisoner may receive** this month (their *demand*): what their case worker says
  they need, cut to what the facility still allows in its current period (parcels left,
  parcel weight, money limit left) and to item types some fund in the budget may pay for.
* **Who may pay**: a fund for one case pays only for that case; a purpose fund only for item
  types whose expense account is its purpose (or below it); an unrestricted fund for anyone.
  Every unit of an item is paid by one fund, in the item's currency.
* **Coverage** of a prisoner is the share of their demand the plan gives them, each item
  counted at its *value* (normally its cost in the base currency).
* **Weight**: priority (urgent 1.6, high 1.3, normal 1.0, low 0.8) times waiting (1 + days
  since their last aid / 365, at most 2; never aided counts as a year), divided by the
  largest weight in the plan so that it lies in (0, 1].
* **Lexicographic max-min**, three integer programs solved one after the other by HiGHS:
  1. maximise the *fairness level* t such that every prisoner's coverage is at least their
     weight × t (so the most urgent, longest-waiting prisoner gets at least t of their
     demand, and a prisoner half as weighty at least t / 2);
  2. if t is 0 (items are indivisible: the money may not reach everybody), keep t and
     maximise the total weight of the prisoners who get something — nobody is left without
     anything while a unit given to somebody else could have reached them;
  3. keep both and maximise the aid given, each prisoner's items counted at their value times
     their weight; as a tie-break restricted money (the case's own fund, then purpose funds)
     is spent before unrestricted money, which anybody may use.

Every prisoner gets an explanation: per item type why this quantity (all that was asked, the
facility's limit, the weight limit, no fund may pay, the funds ran out), and their coverage
against the fairness level. Messages are English templates marked for translation
(`gettext_noop`); the Django side translates and fills them in.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import highspy
import numpy as np

FundKind = Literal["unrestricted", "purpose", "case"]

PARCEL = "parcel"
MONEY = "money"

PRIORITY_FACTOR = {1: 1.6, 2: 1.3, 3: 1.0, 4: 0.8}
WAITING_YEAR_DAYS = 365
NEVER_AIDED_DAYS = 365


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages extracts it); translated by the caller."""
    return message


class PlanError(ValueError):
    """The input cannot be planned (e.g. an unknown item type): a message for the user."""


@dataclass(frozen=True)
class ItemType:
    code: str
    label: str
    kind: str  # "parcel" and "money" are limited by the facility; others only by need
    purpose: str  # the expense account it is paid to, e.g. "expenses:parcels"
    cost: Decimal
    currency: str
    grams: int = 0
    value: Decimal | None = None  # worth in the fairness measure; by default the cost


@dataclass(frozen=True)
class Entitlement:
    """What the facility's rule still allows this prisoner in the current period."""

    facility: str = ""
    parcels_left: int | None = None  # None: no limit known
    parcels_allowed: int | None = None
    period_months: int | None = None
    max_parcel_grams: int | None = None
    money_left: Decimal | None = None
    money_currency: str = ""


@dataclass(frozen=True)
class Prisoner:
    key: str
    case_id: int
    label: str
    priority: int = 3
    days_since_aid: int | None = None  # None: never aided
    needs: Mapping[str, int] = field(default_factory=dict)  # item type code → quantity
    entitlement: Entitlement = field(default_factory=Entitlement)


@dataclass(frozen=True)
class Fund:
    code: str
    kind: FundKind
    available: Mapping[str, Decimal]  # currency → money this plan may spend
    purpose: str = ""
    case_id: int | None = None

    def may_pay(self, prisoner: Prisoner, item: ItemType) -> bool:
        if self.kind == "case":
            return self.case_id == prisoner.case_id
        if self.kind == "purpose":
            return item.purpose == self.purpose or item.purpose.startswith(self.purpose + ":")
        return True


@dataclass(frozen=True)
class SolverOptions:
    time_limit: float = 60.0  # seconds, for all stages together
    mip_rel_gap: float = 1e-4
    threads: int = 1


@dataclass(frozen=True)
class Reason:
    code: str
    message: str  # an English template with %(name)s placeholders, marked for translation
    params: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.message % dict(self.params)


@dataclass(frozen=True)
class Line:
    item: str
    fund: str
    quantity: int
    amount: Decimal  # quantity × cost
    currency: str


@dataclass(frozen=True)
class Allocation:
    prisoner: str
    lines: tuple[Line, ...]
    weight: float
    coverage: float  # 0..1 of the demand; 0 when there is no demand
    demand: float  # in value units
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Stage:
    name: str
    status: str
    objective: float
    mip_gap: float
    seconds: float


@dataclass(frozen=True)
class Plan:
    allocations: tuple[Allocation, ...]
    spent: Mapping[tuple[str, str], Decimal]  # (fund, currency) → money planned
    left: Mapping[tuple[str, str], Decimal]
    level: float  # the fairness level t
    status: str  # "optimal", "time limit" (a feasible plan, maybe not the best), ...
    mip_gap: float  # of the last stage solved
    stages: tuple[Stage, ...]
    seconds: float

    def allocation(self, key: str) -> Allocation:
        return next(a for a in self.allocations if a.prisoner == key)


# -- messages --------------------------------------------------------------------------------

M_ALL = gettext_noop("%(item)s: all %(quantity)s asked for.")
M_NOTHING_ASKED = gettext_noop("Nothing is asked for this month.")
M_PARCELS_LEFT = gettext_noop(
    "%(item)s: %(facility)s allows %(left)s more parcel(s) in this period "
    "(%(allowed)s per %(months)s months); %(asked)s asked for."
)
M_PARCELS_LEFT_SHORT = gettext_noop(
    "%(item)s: %(facility)s allows %(left)s more parcel(s) in this period; "
    "%(asked)s asked for."
)
M_TOO_HEAVY = gettext_noop(
    "%(item)s weighs %(kg)s kg; %(facility)s accepts at most %(max_kg)s kg per parcel."
)
M_MONEY_LEFT = gettext_noop(
    "%(item)s: the facility's money limit leaves %(left)s %(currency)s this period."
)
M_MONEY_CURRENCY = gettext_noop(
    "%(item)s: the facility's money limit is set in %(limit_currency)s, "
    "this transfer is in %(currency)s."
)
M_NO_FUND = gettext_noop("%(item)s: no fund in the budget may pay for it.")
M_FUNDS_SPENT = gettext_noop(
    "%(item)s: %(given)s of %(wanted)s; the funds that may pay for it have %(left)s "
    "%(currency)s left, less than one more costs (%(cost)s)."
)
M_SHARED = gettext_noop(
    "%(item)s: %(given)s of %(wanted)s; the money went to others under the fairness rule."
)
M_COVERAGE = gettext_noop(
    "Gets %(coverage)s%% of what they need and may receive; the fair minimum for them is "
    "%(floor)s%% (fairness level %(level)s%% × weight %(weight)s: priority %(priority)s, "
    "%(days)s days since the last aid)."
)
M_COVERAGE_NEVER = gettext_noop(
    "Gets %(coverage)s%% of what they need and may receive; the fair minimum for them is "
    "%(floor)s%% (fairness level %(level)s%% × weight %(weight)s: priority %(priority)s, "
    "never aided)."
)
M_AT_FLOOR = gettext_noop(
    "At the fair minimum: the money does not reach further without taking from someone "
    "with a smaller share."
)


# -- weights and demand ----------------------------------------------------------------------


def raw_weight(priority: int, days_since_aid: int | None) -> float:
    days = NEVER_AIDED_DAYS if days_since_aid is None else max(0, days_since_aid)
    return PRIORITY_FACTOR.get(priority, 1.0) * min(2.0, 1.0 + days / WAITING_YEAR_DAYS)


def _kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:f}".rstrip("0").rstrip(".")


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _entitled(p: Prisoner, it: ItemType, asked: int) -> tuple[int, Reason | None]:
    """How many units of the item type the facility still allows; with the reason if fewer."""
    e = p.entitlement
    base = {"item": it.label, "facility": e.facility or "—", "asked": str(asked)}
    if it.kind == PARCEL:
        if e.max_parcel_grams is not None and it.grams > e.max_parcel_grams:
            return 0, Reason("too_heavy", M_TOO_HEAVY,
                             {**base, "kg": _kg(it.grams), "max_kg": _kg(e.max_parcel_grams)})
        if e.parcels_left is not None and e.parcels_left < asked:
            left = max(0, e.parcels_left)
            if e.parcels_allowed is not None and e.period_months:
                return left, Reason("parcels_left", M_PARCELS_LEFT, {
                    **base, "left": str(left), "allowed": str(e.parcels_allowed),
                    "months": str(e.period_months)})
            return left, Reason("parcels_left", M_PARCELS_LEFT_SHORT, {**base, "left": str(left)})
    if it.kind == MONEY and e.money_left is not None:
        if e.money_currency and e.money_currency != it.currency:
            return 0, Reason("money_currency", M_MONEY_CURRENCY, {
                **base, "limit_currency": e.money_currency, "currency": it.currency})
        units = int(max(Decimal(0), e.money_left) // it.cost) if it.cost > 0 else asked
        if units < asked:
            return units, Reason("money_left", M_MONEY_LEFT, {
                **base, "left": _money(max(Decimal(0), e.money_left)),
                "currency": it.currency})
    return asked, None


# -- the model -------------------------------------------------------------------------------


@dataclass
class _Var:
    prisoner: int
    item: int
    fund: int


def _validate(prisoners: Sequence[Prisoner], funds: Sequence[Fund],
              items: Mapping[str, ItemType]) -> None:
    if len({p.key for p in prisoners}) != len(prisoners):
        raise PlanError(gettext_noop("A prisoner appears twice in the plan."))
    if len({f.code for f in funds}) != len(funds):
        raise PlanError(gettext_noop("A fund appears twice in the budget."))
    for it in items.values():
        if it.cost <= 0 or not it.cost.is_finite():
            raise PlanError(gettext_noop("Every item type needs a cost above zero."))
    for f in funds:
        if any(not a.is_finite() or a < 0 for a in f.available.values()):
            raise PlanError(gettext_noop("A fund's budget cannot be negative."))
    for p in prisoners:
        for code, qty in p.needs.items():
            if code not in items:
                raise PlanError(gettext_noop("A need names an unknown item type."))
            if qty < 0 or qty > 1000:
                raise PlanError(gettext_noop("A need's quantity must be between 0 and 1000."))


def plan(prisoners: Sequence[Prisoner], funds: Sequence[Fund], item_types: Sequence[ItemType],
         options: SolverOptions | None = None) -> Plan:
    opts = options or SolverOptions()
    started = time.monotonic()
    items = {it.code: it for it in sorted(item_types, key=lambda i: i.code)}
    people = sorted(prisoners, key=lambda p: p.key)
    funds_ = sorted(funds, key=lambda f: f.code)
    _validate(people, funds_, items)
    item_list = list(items.values())
    item_index = {it.code: k for k, it in enumerate(item_list)}
    value = [float(it.value if it.value is not None else it.cost) for it in item_list]
    vscale = max(value, default=1.0) or 1.0
    value = [v / vscale for v in value]

    raw = [raw_weight(p.priority, p.days_since_aid) for p in people]
    top = max(raw, default=1.0)
    weights = [w / top for w in raw]

    # Per prisoner and item type: units wanted, units entitled, reasons for cuts.
    entitled: list[dict[int, int]] = []
    pre_reasons: list[dict[int, Reason]] = []
    asked: list[dict[int, int]] = []
    for p in people:
        ent: dict[int, int] = {}
        why: dict[int, Reason] = {}
        ask: dict[int, int] = {}
        for code, qty in sorted(p.needs.items()):
            if qty <= 0:
                continue
            k = item_index[code]
            ask[k] = qty
            units, reason = _entitled(p, item_list[k], qty)
            ent[k] = units
            if reason is not None:
                why[k] = reason
        entitled.append(ent)
        pre_reasons.append(why)
        asked.append(ask)

    # Columns: y[i,k,f] integer units; then t; then z[i] binaries.
    cols: list[_Var] = []
    payable: list[dict[int, list[int]]] = []  # prisoner → item → funds that may pay
    for i, p in enumerate(people):
        by_item: dict[int, list[int]] = {}
        for k, units in entitled[i].items():
            it = item_list[k]
            fs = [j for j, f in enumerate(funds_)
                  if f.may_pay(p, it) and f.available.get(it.currency, Decimal(0)) >= it.cost]
            by_item[k] = fs
            if units > 0:
                cols.extend(_Var(i, k, j) for j in fs)
        payable.append(by_item)

    # Demand in value units: what is entitled and payable, with the shared parcel and money
    # limits applied (best value first, as the solver would choose alone).
    demand = [0.0] * len(people)
    for i, p in enumerate(people):
        demand[i] = _demand(p, item_list, value, entitled[i], payable[i])
    fair = [i for i in range(len(people)) if demand[i] > 1e-12]

    n_y = len(cols)
    t_col = n_y
    z_col = {i: n_y + 1 + n for n, i in enumerate(fair)}
    n_col = n_y + 1 + len(fair)

    rows: list[tuple[float, float, list[int], list[float]]] = []
    by_fund_cur: dict[tuple[int, str], list[int]] = defaultdict(list)
    by_pk: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_p: dict[int, list[int]] = defaultdict(list)
    for c, v in enumerate(cols):
        by_fund_cur[(v.fund, item_list[v.item].currency)].append(c)
        by_pk[(v.prisoner, v.item)].append(c)
        by_p[v.prisoner].append(c)
    inf = highspy.kHighsInf
    col_upper = np.zeros(n_col)
    for c, v in enumerate(cols):
        col_upper[c] = entitled[v.prisoner][v.item]
    col_upper[t_col] = 1.0
    col_upper[n_y + 1:] = 1.0

    for (j, cur), cs in sorted(by_fund_cur.items()):
        avail = float(funds_[j].available.get(cur, Decimal(0)))
        rows.append((-inf, avail, cs, [float(item_list[cols[c].item].cost) for c in cs]))
    for (i, k), cs in sorted(by_pk.items()):
        if len(cs) > 1:
            rows.append((-inf, float(entitled[i][k]), cs, [1.0] * len(cs)))
    for i, p in enumerate(people):
        cs = by_p.get(i, [])
        e = p.entitlement
        parcel_cs = [c for c in cs if item_list[cols[c].item].kind == PARCEL]
        if parcel_cs and e.parcels_left is not None:
            rows.append((-inf, float(max(0, e.parcels_left)), parcel_cs, [1.0] * len(parcel_cs)))
        money_cs = [c for c in cs if item_list[cols[c].item].kind == MONEY]
        if money_cs and e.money_left is not None:
            rows.append((-inf, float(max(Decimal(0), e.money_left)), money_cs,
                         [float(item_list[cols[c].item].cost) for c in money_cs]))
    for i in fair:
        cs = by_p.get(i, [])
        # Σ value·y / demand − w·t ≥ 0
        rows.append((0.0, inf, [*cs, t_col],
                     [value[cols[c].item] / demand[i] for c in cs] + [-weights[i]]))
        rows.append((-inf, 0.0, [z_col[i], *cs], [1.0] + [-1.0] * len(cs)))

    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.silent()
    h.setOptionValue("threads", opts.threads)
    h.setOptionValue("mip_rel_gap", opts.mip_rel_gap)
    h.setOptionValue("random_seed", 0)
    h.addCols(n_col, np.zeros(n_col), np.zeros(n_col), col_upper, 0,
              np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
    integral = [c for c in range(n_col) if c != t_col]
    if integral:
        h.changeColsIntegrality(len(integral), np.array(integral, dtype=np.int32),
                                np.full(len(integral), 1, dtype=np.uint8))
    if rows:
        starts: list[int] = []
        index: list[int] = []
        values: list[float] = []
        for _lo, _up, cs, vs in rows:
            starts.append(len(index))
            index.extend(cs)
            values.extend(vs)
        h.addRows(len(rows), np.array([r[0] for r in rows]), np.array([r[1] for r in rows]),
                  len(index), np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                  np.array(values))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    stages: list[Stage] = []
    solution: list[float] = [0.0] * n_col
    level = 0.0

    def run(name: str, costs: np.ndarray) -> bool:
        nonlocal solution
        left = opts.time_limit - (time.monotonic() - started)
        if left <= 0.05:
            return False
        h.setOptionValue("time_limit", left)
        h.changeColsCost(n_col, np.arange(n_col, dtype=np.int32), costs)
        t0 = time.monotonic()
        if stages:
            sol = highspy.HighsSolution()
            sol.col_value = solution
            h.setSolution(sol)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        has_solution = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 0.0
        stages.append(Stage(name, _status_name(status), float(info.objective_function_value)
                            if has_solution else 0.0, gap, time.monotonic() - t0))
        if has_solution:
            solution = list(h.getSolution().col_value)
        return bool(has_solution)

    if n_y and fair:
        costs = np.zeros(n_col)
        costs[t_col] = 1.0
        if run("fairness level", costs):
            level = max(0.0, solution[t_col])
            h.changeColBounds(t_col, max(0.0, level * (1 - 1e-7) - 1e-9), 1.0)
            if level <= 1e-9:
                costs = np.zeros(n_col)
                for i in fair:
                    costs[z_col[i]] = weights[i]
                if run("nobody forgotten", costs):
                    reached = sum(weights[i] * round(solution[z_col[i]]) for i in fair)
                    z_idx = [z_col[i] for i in fair]
                    h.addRow(reached - 0.5 * min(weights[i] for i in fair), inf, len(z_idx),
                             np.array(z_idx, dtype=np.int32),
                             np.array([weights[i] for i in fair]))
            costs = np.zeros(n_col)
            for c, v in enumerate(cols):
                pref = {"case": 2e-3, "purpose": 1e-3}.get(funds_[v.fund].kind, 0.0)
                costs[c] = value[v.item] * (weights[v.prisoner] + pref)
            run("total aid", costs)

    quantity = [round(solution[c]) for c in range(n_y)]
    return _result(people, funds_, item_list, cols, quantity, entitled, asked, pre_reasons,
                   payable, weights, demand, value, level, stages, started)


def _status_name(status: highspy.HighsModelStatus) -> str:
    names = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
    }
    return names.get(status, str(status).rsplit(".k", 1)[-1].lower())


def _demand(p: Prisoner, item_list: Sequence[ItemType], value: Sequence[float],
            entitled: Mapping[int, int], payable: Mapping[int, list[int]]) -> float:
    e = p.entitlement
    parcels_left = None if e.parcels_left is None else max(0, e.parcels_left)
    money_left = None if e.money_left is None else max(Decimal(0), e.money_left)
    total = 0.0
    for k in sorted(entitled, key=lambda k: (-value[k] / float(item_list[k].cost), k)):
        units = entitled[k] if payable.get(k) else 0
        it = item_list[k]
        if it.kind == PARCEL and parcels_left is not None:
            units = min(units, parcels_left)
            parcels_left -= units
        if it.kind == MONEY and money_left is not None:
            units = min(units, int(money_left // it.cost))
            money_left -= units * it.cost
        total += units * value[k]
    return total


def _result(people: Sequence[Prisoner], funds: Sequence[Fund], item_list: Sequence[ItemType],
            cols: Sequence[_Var], quantity: Sequence[int], entitled: Sequence[Mapping[int, int]],
            asked: Sequence[Mapping[int, int]], pre_reasons: Sequence[Mapping[int, Reason]],
            payable: Sequence[Mapping[int, list[int]]], weights: Sequence[float],
            demand: Sequence[float], value: Sequence[float], level: float,
            stages: Sequence[Stage], started: float) -> Plan:
    spent: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    got: dict[tuple[int, int, int], int] = {}
    for c, q in enumerate(quantity):
        if q <= 0:
            continue
        v = cols[c]
        it = item_list[v.item]
        got[(v.prisoner, v.item, v.fund)] = q
        spent[(funds[v.fund].code, it.currency)] += q * it.cost
    left = {
        (f.code, cur): f.available[cur] - spent.get((f.code, cur), Decimal(0))
        for f in funds for cur in sorted(f.available)
    }
    _check(people, funds, item_list, got, entitled, left)

    allocations = []
    for i, p in enumerate(people):
        lines = []
        reasons: list[Reason] = []
        given_value = 0.0
        for k in sorted(asked[i], key=lambda k: item_list[k].code):
            it = item_list[k]
            given = 0
            for j in payable[i].get(k, []):
                q = got.get((i, k, j), 0)
                if q:
                    lines.append(Line(it.code, funds[j].code, q, q * it.cost, it.currency))
                    given += q
            given_value += given * value[k]
            reasons.append(_item_reason(i, k, it, given, asked[i][k], entitled[i][k],
                                        pre_reasons[i].get(k), payable[i].get(k, []),
                                        funds, left))
        if not asked[i]:
            reasons.append(Reason("nothing_asked", M_NOTHING_ASKED))
        coverage = given_value / demand[i] if demand[i] > 1e-12 else 0.0
        if demand[i] > 1e-12:
            floor = weights[i] * level
            params = {
                "coverage": f"{100 * coverage:.0f}", "floor": f"{100 * floor:.0f}",
                "level": f"{100 * level:.0f}", "weight": f"{weights[i]:.2f}",
                "priority": str(p.priority), "days": str(p.days_since_aid),
            }
            reasons.append(Reason("coverage", M_COVERAGE if p.days_since_aid is not None
                                  else M_COVERAGE_NEVER, params))
            if level > 0 and coverage < 0.999 and coverage <= floor + 1e-6 + 1 / 1000:
                reasons.append(Reason("at_floor", M_AT_FLOOR))
        allocations.append(Allocation(p.key, tuple(lines), weights[i], coverage, demand[i],
                                      tuple(reasons)))
    gap = stages[-1].mip_gap if stages else 0.0
    statuses = {s.status for s in stages}
    status = "optimal" if statuses <= {"optimal"} else sorted(statuses - {"optimal"})[0]
    return Plan(tuple(allocations), dict(spent), left, level, status, gap, tuple(stages),
                time.monotonic() - started)


def _item_reason(i: int, k: int, it: ItemType, given: int, wanted: int, entitled: int,
                 pre: Reason | None, payers: Sequence[int], funds: Sequence[Fund],
                 left: Mapping[tuple[str, str], Decimal]) -> Reason:
    if given >= wanted:
        return Reason("all", M_ALL, {"item": it.label, "quantity": str(wanted)})
    if given >= entitled and pre is not None:
        return pre
    if not payers:
        return Reason("no_fund", M_NO_FUND, {"item": it.label})
    remaining = sum((left.get((funds[j].code, it.currency), Decimal(0)) for j in payers),
                    Decimal(0))
    params = {"item": it.label, "given": str(given), "wanted": str(min(wanted, entitled))}
    if all(left.get((funds[j].code, it.currency), Decimal(0)) < it.cost for j in payers):
        return Reason("funds_spent", M_FUNDS_SPENT, {
            **params, "left": _money(remaining), "currency": it.currency,
            "cost": _money(it.cost)})
    if pre is not None:
        return pre  # the shared parcel or money limit took the rest
    return Reason("shared", M_SHARED, params)


def _check(people: Sequence[Prisoner], funds: Sequence[Fund], item_list: Sequence[ItemType],
           got: Mapping[tuple[int, int, int], int], entitled: Sequence[Mapping[int, int]],
           left: Mapping[tuple[str, str], Decimal]) -> None:
    """The solver works in floating point: the plan is checked again in exact arithmetic."""
    if any(v < 0 for v in left.values()):
        raise PlanError(gettext_noop("The solver overspent a fund; the plan was not made."))
    per_item: dict[tuple[int, int], int] = defaultdict(int)
    parcels: dict[int, int] = defaultdict(int)
    money: dict[int, Decimal] = defaultdict(Decimal)
    for (i, k, j), q in got.items():
        it = item_list[k]
        if not funds[j].may_pay(people[i], it):
            raise PlanError(gettext_noop("The solver used a fund outside its purpose."))
        per_item[(i, k)] += q
        if it.kind == PARCEL:
            parcels[i] += q
        if it.kind == MONEY:
            money[i] += q * it.cost
    for (i, k), q in per_item.items():
        e = people[i].entitlement
        if (q > entitled[i][k]
                or (e.parcels_left is not None and parcels[i] > e.parcels_left)
                or (e.money_left is not None and money[i] > e.money_left)):
            raise PlanError(gettext_noop("The solver exceeded an entitlement; the plan was "
                                         "not made."))
