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

PRIORITY_FACTOR = {1: 1.5, 2: 1.25, 3: 1.0, 4: 0.85}
WAITING_DAYS = 730
WAITING_CAP_DAYS = 365
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
    mip_rel_gap: float = 1e-3
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
    "%(item)s: %(given)s of %(wanted)s; the plan has no more room in the funds that may pay "
    "for it (%(left)s %(currency)s left unplanned in them; one more costs %(cost)s, and no "
    "item's cost is split between funds)."
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
    return PRIORITY_FACTOR.get(priority, 1.0) * (1.0 + min(days, WAITING_CAP_DAYS) / WAITING_DAYS)


def _kg(grams: int) -> str:
    text = f"{Decimal(grams) / 1000:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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


# -- preparing the model ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Pool:
    """Funds any prisoner may use alike (all unrestricted funds, or the purpose funds of one
    purpose), in one currency: the solver sees them as one. A case fund is a pool alone."""

    kind: str
    currency: str
    members: tuple[int, ...]  # fund indices in the order they are filled
    capacity: Decimal  # what the solver may plan: see _pools


@dataclass
class _Prepared:
    people: list[Prisoner]
    funds: list[Fund]
    items: list[ItemType]
    value: list[float]
    weights: list[float]
    asked: list[dict[int, int]]
    entitled: list[dict[int, int]]
    pre_reasons: list[dict[int, Reason]]
    pools: list[_Pool]
    payable: list[dict[int, list[int]]]  # prisoner → item → pools that may pay
    demand: list[float]


def _validate(prisoners: Sequence[Prisoner], funds: Sequence[Fund],
              items: Sequence[ItemType]) -> None:
    if len({p.key for p in prisoners}) != len(prisoners):
        raise PlanError(gettext_noop("A prisoner appears twice in the plan."))
    if len({f.code for f in funds}) != len(funds):
        raise PlanError(gettext_noop("A fund appears twice in the budget."))
    if len({it.code for it in items}) != len(items):
        raise PlanError(gettext_noop("An item type appears twice."))
    codes = {it.code for it in items}
    for it in items:
        if not it.cost.is_finite() or it.cost <= 0:
            raise PlanError(gettext_noop("Every item type needs a cost above zero."))
        if it.value is not None and (not it.value.is_finite() or it.value <= 0):
            raise PlanError(gettext_noop("An item type's value must be above zero."))
    for f in funds:
        if any(not a.is_finite() or a < 0 for a in f.available.values()):
            raise PlanError(gettext_noop("A fund's budget cannot be negative."))
    for p in prisoners:
        for code, qty in p.needs.items():
            if code not in codes:
                raise PlanError(gettext_noop("A need names an unknown item type."))
            if not 0 <= qty <= 1000:
                raise PlanError(gettext_noop("A need's quantity must be between 0 and 1000."))


def _pools(funds: Sequence[Fund], items: Sequence[ItemType]) -> list[_Pool]:
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for j, f in enumerate(funds):
        for cur, amount in sorted(f.available.items()):
            if amount > 0:
                key = f.code if f.kind == "case" else f.purpose
                groups[(f.kind, key, cur)].append(j)
    pools = []
    for (kind, _key, cur), members in sorted(groups.items()):
        probe = funds[members[0]]
        costs = [it.cost for it in items if it.currency == cur and
                 (kind == "case" or probe.may_pay(_ANYONE, it))]
        biggest = max(costs, default=Decimal(0))
        # Units are given to the funds one after the other; a fund is left when the next unit
        # does not fit, with less than the biggest cost unused. Planning every fund but the
        # last at its budget less that cost guarantees that every planned unit finds a fund
        # without splitting its cost. The largest fund goes last, where nothing is held back.
        order = sorted(members, key=lambda j: (funds[j].available[cur], funds[j].code))
        budgets = [funds[j].available[cur] for j in order]
        capacity = sum((max(Decimal(0), b - biggest) for b in budgets[:-1]), budgets[-1])
        pools.append(_Pool(kind, cur, tuple(order), capacity))
    return pools


_ANYONE = Prisoner(key="", case_id=-1, label="")


def _prepare(prisoners: Sequence[Prisoner], funds: Sequence[Fund],
             item_types: Sequence[ItemType]) -> _Prepared:
    _validate(prisoners, funds, item_types)
    items = sorted(item_types, key=lambda i: i.code)
    index = {it.code: k for k, it in enumerate(items)}
    people = sorted(prisoners, key=lambda p: p.key)
    funds_ = sorted(funds, key=lambda f: f.code)
    value = [float(it.value if it.value is not None else it.cost) for it in items]
    top_value = max(value, default=1.0)
    value = [v / top_value for v in value]
    raw = [raw_weight(p.priority, p.days_since_aid) for p in people]
    top = max(raw, default=1.0)
    pools = _pools(funds_, items)
    prep = _Prepared(people, funds_, items, value, [w / top for w in raw], [], [], [], pools,
                     [], [])
    for p in people:
        ask: dict[int, int] = {}
        ent: dict[int, int] = {}
        why: dict[int, Reason] = {}
        by_item: dict[int, list[int]] = {}
        for code, qty in sorted(p.needs.items()):
            if qty <= 0:
                continue
            k = index[code]
            it = items[k]
            ask[k] = qty
            ent[k], reason = _entitled(p, it, qty)
            if reason is not None:
                why[k] = reason
            by_item[k] = [
                n for n, pool in enumerate(pools)
                if pool.currency == it.currency and pool.capacity >= it.cost
                and funds_[pool.members[0]].may_pay(p, it)
            ]
        prep.asked.append(ask)
        prep.entitled.append(ent)
        prep.pre_reasons.append(why)
        prep.payable.append(by_item)
        prep.demand.append(_demand(p, items, value, ent, by_item))
    return prep


def _demand(p: Prisoner, items: Sequence[ItemType], value: Sequence[float],
            entitled: Mapping[int, int], payable: Mapping[int, list[int]]) -> float:
    """What the prisoner needs and may receive, in value units (best value per unit of the
    shared parcel and money limits first)."""
    e = p.entitlement
    parcels_left = None if e.parcels_left is None else max(0, e.parcels_left)
    money_left = None if e.money_left is None else max(Decimal(0), e.money_left)
    total = 0.0
    for k in sorted(entitled, key=lambda k: (-value[k] / float(items[k].cost), k)):
        units = entitled[k] if payable.get(k) else 0
        it = items[k]
        if it.kind == PARCEL and parcels_left is not None:
            units = min(units, parcels_left)
            parcels_left -= units
        if it.kind == MONEY and money_left is not None:
            units = min(units, int(money_left // it.cost))
            money_left -= units * it.cost
        total += units * value[k]
    return total


# -- the integer programs --------------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    prisoner: int
    item: int
    pool: int


class _Model:
    """y[i,k,p]: units of item type k for prisoner i paid from pool p (integers); t, the
    fairness level; s[i] ≥ 0, how far prisoner i falls short of their floor."""

    def __init__(self, prep: _Prepared, opts: SolverOptions) -> None:
        self.prep = prep
        self.cols = [_Col(i, k, n) for i in range(len(prep.people))
                     for k, pools in prep.payable[i].items() if prep.entitled[i][k] > 0
                     for n in pools]
        self.fair = [i for i, d in enumerate(prep.demand) if d > 1e-12]
        self.n_y = len(self.cols)
        self.t = self.n_y
        self.s = {i: self.n_y + 1 + n for n, i in enumerate(self.fair)}
        # f[i,k] ≤ min(1, units of k for i): the first unit of each item type counts double.
        # (Where only one unit may be given, the unit itself counts double: no f needed.)
        pairs = sorted({(v.prisoner, v.item) for v in self.cols
                        if prep.entitled[v.prisoner][v.item] > 1})
        first_f = self.n_y + 1 + len(self.fair)
        self.f = {pair: first_f + n for n, pair in enumerate(pairs)}
        self.n = first_f + len(pairs)
        self.cover_row: dict[int, int] = {}
        self.h = highspy.Highs()  # type: ignore[no-untyped-call]
        self.h.silent()
        self.h.setOptionValue("threads", opts.threads)
        self.h.setOptionValue("mip_rel_gap", opts.mip_rel_gap)
        self.h.setOptionValue("random_seed", 0)
        self._build()

    def _build(self) -> None:
        prep, cols, inf = self.prep, self.cols, highspy.kHighsInf
        upper = np.ones(self.n)
        for c, v in enumerate(cols):
            upper[c] = prep.entitled[v.prisoner][v.item]
        for i in self.fair:
            upper[self.s[i]] = 0.0  # no shortfall while the level is computed
        self.h.addCols(self.n, np.zeros(self.n), np.zeros(self.n), upper, 0,
                       np.array([], dtype=np.int32), np.array([], dtype=np.int32),
                       np.array([]))
        by_pool: dict[int, list[int]] = defaultdict(list)
        by_item: dict[tuple[int, int], list[int]] = defaultdict(list)
        by_person: dict[int, list[int]] = defaultdict(list)
        for c, v in enumerate(cols):
            by_pool[v.pool].append(c)
            by_item[(v.prisoner, v.item)].append(c)
            by_person[v.prisoner].append(c)
        rows: list[tuple[float, float, list[int], list[float]]] = []
        cost = [float(it.cost) for it in prep.items]
        for n, cs in sorted(by_pool.items()):
            rows.append((-inf, float(prep.pools[n].capacity), cs,
                         [cost[cols[c].item] for c in cs]))
        for (i, k), cs in sorted(by_item.items()):
            if len(cs) > 1:
                rows.append((-inf, float(prep.entitled[i][k]), cs, [1.0] * len(cs)))
            if (i, k) in self.f:
                rows.append((-inf, 0.0, [self.f[(i, k)], *cs], [1.0] + [-1.0] * len(cs)))
        for i, p in enumerate(prep.people):
            cs = by_person.get(i, [])
            e = p.entitlement
            parcels = [c for c in cs if prep.items[cols[c].item].kind == PARCEL]
            if parcels and e.parcels_left is not None:
                rows.append((-inf, float(max(0, e.parcels_left)), parcels, [1.0] * len(parcels)))
            money = [c for c in cs if prep.items[cols[c].item].kind == MONEY]
            if money and e.money_left is not None:
                rows.append((-inf, float(max(Decimal(0), e.money_left)), money,
                             [cost[cols[c].item] for c in money]))
        for i in self.fair:
            cs = by_person.get(i, [])
            d = prep.demand[i]
            # coverage + shortfall ≥ weight × t (− one item, once the level is known)
            self.cover_row[i] = len(rows)
            rows.append((0.0, inf, [*cs, self.s[i], self.t],
                         [prep.value[cols[c].item] / d for c in cs] + [1.0, -prep.weights[i]]))

        if rows:
            starts: list[int] = []
            index: list[int] = []
            values: list[float] = []
            for _lo, _up, cs, vs in rows:
                starts.append(len(index))
                index.extend(cs)
                values.extend(vs)
            self.h.addRows(len(rows), np.array([r[0] for r in rows]),
                           np.array([r[1] for r in rows]), len(index),
                           np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                           np.array(values))
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def _integral(self) -> None:
        integral = np.arange(self.n_y, dtype=np.int32)
        if len(integral):
            self.h.changeColsIntegrality(len(integral), integral,
                                         np.ones(len(integral), dtype=np.uint8))

    def slack(self, i: int, level: float) -> float:
        """The integer plan's floor for prisoner i is their share less one item (their most
        valuable), but at least one item (their cheapest) when their share is above zero:
        coverage − weight × level ≥ this."""
        prep = self.prep
        units = [prep.value[k] / prep.demand[i] for k, pools in prep.payable[i].items()
                 if pools and prep.entitled[i][k] > 0]
        share = prep.weights[i] * level
        if share <= 1e-9:
            return 0.0
        return max(share - max(units), min(min(units), share)) - share

    def solve(self, opts: SolverOptions, started: float) -> tuple[list[int], float,
                                                                  list[Stage]]:
        stages: list[Stage] = []
        solution = [0.0] * self.n
        if not self.n_y or not self.fair:
            return [0] * self.n_y, 0.0, stages
        h, prep = self.h, self.prep

        def run(name: str, costs: np.ndarray, sense: highspy.ObjSense) -> bool:
            nonlocal solution
            left = opts.time_limit - (time.monotonic() - started)
            if left <= 0.05:
                stages.append(Stage(name, "time limit", 0.0, 0.0, 0.0))
                return False
            h.setOptionValue("time_limit", left)
            h.changeObjectiveSense(sense)
            h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), costs)
            if len(stages) > 1:
                start = highspy.HighsSolution()
                start.col_value = solution
                h.setSolution(start)
            t0 = time.monotonic()
            h.run()
            info = h.getInfo()
            found = (info.primal_solution_status
                     == highspy.SolutionStatus.kSolutionStatusFeasible)
            gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 0.0
            status = h.getModelStatus()
            if found and name == "fairness level" and status == highspy.HighsModelStatus.kUnknown:
                status = highspy.HighsModelStatus.kOptimal  # IPM without crossover says so
            stages.append(Stage(name, _status_name(status),
                                float(info.objective_function_value) if found else 0.0,
                                max(0.0, gap), time.monotonic() - t0))
            if found:
                solution = list(h.getSolution().col_value)
            return bool(found)

        maximise, minimise = highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize
        # 1. The fairness level, items taken as divisible: a linear program.
        costs = np.zeros(self.n)
        costs[self.t] = 1.0
        # An interior point method without crossover: only the level is needed (and a start).
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "off")
        found = run("fairness level", costs, maximise)
        h.setOptionValue("solver", "choose")
        if not found:
            return [0] * self.n_y, 0.0, stages
        level = max(0.0, min(1.0, solution[self.t]))
        h.changeColBounds(self.t, level, level)
        # Items are not divisible: each prisoner's fair share less one item is what the
        # integer plan must reach; what it cannot is the shortfall, kept as small as possible.
        for i in self.fair:
            h.changeRowBounds(self.cover_row[i], self.slack(i, level), highspy.kHighsInf)
        self._integral()
        # 3. As much aid as possible, the weightier first, the first unit of each item type
        # counting double; restricted money before money anybody may use.
        aid = np.zeros(self.n)
        for c, v in enumerate(self.cols):
            prefer = {"case": 2e-3, "purpose": 1e-3}.get(prep.pools[v.pool].kind, 0.0)
            double = 1 if (v.prisoner, v.item) in self.f else 2
            aid[c] = prep.value[v.item] * (double * prep.weights[v.prisoner] + prefer)
        for (i, k), c in self.f.items():
            aid[c] = prep.value[k] * prep.weights[i]
        # Step 2 first tries every floor in full (shortfall 0, the best step 2 can reach): if
        # that integer program has a solution, it is steps 2 and 3 at once.
        level_solution = solution
        if run("total aid (floors in full)", aid, maximise):
            return [round(solution[c]) for c in range(self.n_y)], level, stages
        # 2. Otherwise the smallest weighted shortfall, then 3. with it kept.
        for i in self.fair:
            h.changeColBounds(self.s[i], 0.0, highspy.kHighsInf)
        # The level's solution rounded down is a start (the shortfall takes up the rest).
        solution = [float(math.floor(v + 1e-6)) if c < self.n_y else 0.0
                    for c, v in enumerate(level_solution)]
        for i in self.fair:
            solution[self.s[i]] = 1.0 + prep.weights[i] * level
        costs = np.zeros(self.n)
        for i in self.fair:
            costs[self.s[i]] = prep.weights[i]
        if run("fair shares", costs, minimise):
            shortfall = max(0.0, stages[-1].objective)
            self._keep_at_most(list(self.s.values()),
                               [prep.weights[i] for i in self.fair],
                               shortfall * (1 + 1e-6) + 1e-7)
            run("total aid", aid, maximise)
        return [round(solution[c]) for c in range(self.n_y)], level, stages

    def _keep_at_most(self, cols: list[int], coefs: list[float], bound: float) -> None:
        self.h.addRow(-highspy.kHighsInf, bound, len(cols), np.array(cols, dtype=np.int32),
                      np.array(coefs))


def _status_name(status: highspy.HighsModelStatus) -> str:
    names = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
    }
    return names.get(status, str(status).rsplit(".k", 1)[-1].lower())


def plan(prisoners: Sequence[Prisoner], funds: Sequence[Fund], item_types: Sequence[ItemType],
         options: SolverOptions | None = None) -> Plan:
    opts = options or SolverOptions()
    started = time.monotonic()
    prep = _prepare(prisoners, funds, item_types)
    model = _Model(prep, opts)
    quantity, level, stages = model.solve(opts, started)
    got = _assign_funds(prep, model.cols, quantity)
    return _result(prep, got, level, stages, started)


def _assign_funds(prep: _Prepared, cols: Sequence[_Col],
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


# -- the result and its explanation ----------------------------------------------------------


def _result(prep: _Prepared, got: Mapping[tuple[int, int, int], int], level: float,
            stages: Sequence[Stage], started: float) -> Plan:
    funds, items = prep.funds, prep.items
    spent: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (_i, k, j), q in got.items():
        spent[(funds[j].code, items[k].currency)] += q * items[k].cost
    left = {
        (f.code, cur): f.available[cur] - spent.get((f.code, cur), Decimal(0))
        for f in funds for cur in sorted(f.available)
    }
    _check(prep, got, left)
    pool_left = [
        p.capacity - sum((spent.get((funds[j].code, p.currency), Decimal(0))
                          for j in p.members), Decimal(0))
        for p in prep.pools
    ]
    allocations = []
    for i, p in enumerate(prep.people):
        lines = []
        reasons: list[Reason] = []
        given_value = 0.0
        for k in sorted(prep.asked[i]):
            it = items[k]
            given = 0
            for j in sorted({j for n in prep.payable[i].get(k, [])
                             for j in prep.pools[n].members}):
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
            floor = prep.weights[i] * level
            params = {
                "coverage": f"{100 * coverage:.0f}", "floor": f"{100 * floor:.0f}",
                "level": f"{100 * level:.0f}", "weight": f"{prep.weights[i]:.2f}",
                "priority": str(p.priority), "days": str(p.days_since_aid),
            }
            never = p.days_since_aid is None
            reasons.append(Reason("coverage", M_COVERAGE_NEVER if never else M_COVERAGE,
                                  params))
            if level > 0 and 0 < coverage < 0.999 and coverage <= floor + 1e-3:
                reasons.append(Reason("at_floor", M_AT_FLOOR))
        allocations.append(Allocation(p.key, tuple(lines), prep.weights[i], coverage, demand,
                                      tuple(reasons)))
    statuses = {s.status for s in stages}
    status = "optimal" if statuses <= {"optimal"} else sorted(statuses - {"optimal"})[0]
    return Plan(tuple(allocations), dict(spent), left, level, status,
                stages[-1].mip_gap if stages else 0.0, tuple(stages),
                time.monotonic() - started)


def _item_reason(prep: _Prepared, i: int, k: int, given: int,
                 left: Mapping[tuple[str, str], Decimal], pool_left: Sequence[Decimal]) -> Reason:
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
            **params, "left": _money(remaining), "currency": it.currency,
            "cost": _money(it.cost)})
    if pre is not None:
        return pre  # the shared parcel or money limit took the rest
    return Reason("shared", M_SHARED, params)


def _check(prep: _Prepared, got: Mapping[tuple[int, int, int], int],
           left: Mapping[tuple[str, str], Decimal]) -> None:
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
