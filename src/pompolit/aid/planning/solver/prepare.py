"""Step 1 of a plan: the input checked, sorted and indexed for the solver — each prisoner's
weight, what the facility still allows them (their entitlement), the funds pooled, which
pools may pay for what, and each prisoner's demand in value units."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pompolit.aid.planning.solver.messages import (
    M_MONEY_CURRENCY,
    M_MONEY_LEFT,
    M_PARCELS_LEFT,
    M_PARCELS_LEFT_SHORT,
    M_TOO_HEAVY,
    kg_text,
    money_text,
)
from pompolit.aid.planning.solver.types import (
    MONEY,
    PARCEL,
    Fund,
    ItemType,
    PlanError,
    Prisoner,
    Reason,
    gettext_noop,
)

PRIORITY_FACTOR = {1: 1.5, 2: 1.25, 3: 1.0, 4: 0.85}
WAITING_DAYS = 730
WAITING_CAP_DAYS = 365
NEVER_AIDED_DAYS = 365

# -- weights and entitlements ------------------------------------------------------------------


def raw_weight(priority: int, days_since_aid: int | None) -> float:
    days = NEVER_AIDED_DAYS if days_since_aid is None else max(0, days_since_aid)
    return PRIORITY_FACTOR.get(priority, 1.0) * (1.0 + min(days, WAITING_CAP_DAYS) / WAITING_DAYS)


def entitled(p: Prisoner, it: ItemType, asked: int) -> tuple[int, Reason | None]:
    """How many units of the item type the facility still allows; with the reason if fewer."""
    e = p.entitlement
    base = {"item": it.label, "facility": e.facility or "—", "asked": str(asked)}
    if it.kind == PARCEL:
        if e.max_parcel_grams is not None and it.grams > e.max_parcel_grams:
            return 0, Reason("too_heavy", M_TOO_HEAVY, {
                **base, "kg": kg_text(it.grams), "max_kg": kg_text(e.max_parcel_grams)})
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
                **base, "left": money_text(max(Decimal(0), e.money_left)),
                "currency": it.currency})
    return asked, None


# -- the input, indexed for the solver ------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    """Funds any prisoner may use alike (all unrestricted funds, or the purpose funds of one
    purpose), in one currency: the solver sees them as one. A case fund is a pool alone."""

    kind: str
    currency: str
    members: tuple[int, ...]  # fund indices in the order they are filled
    capacity: Decimal  # what the solver may plan: see pools


@dataclass
class Prepared:
    people: list[Prisoner]
    funds: list[Fund]
    items: list[ItemType]
    value: list[float]
    weights: list[float]
    asked: list[dict[int, int]]
    entitled: list[dict[int, int]]
    pre_reasons: list[dict[int, Reason]]
    pools: list[Pool]
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


def pool_funds(funds: Sequence[Fund], items: Sequence[ItemType]) -> list[Pool]:
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
        pools.append(Pool(kind, cur, tuple(order), capacity))
    return pools


_ANYONE = Prisoner(key="", case_id=-1, label="")


def prepare(prisoners: Sequence[Prisoner], funds: Sequence[Fund],
            item_types: Sequence[ItemType]) -> Prepared:
    _validate(prisoners, funds, item_types)
    items = sorted(item_types, key=lambda i: i.code)
    people = sorted(prisoners, key=lambda p: p.key)
    funds_ = sorted(funds, key=lambda f: f.code)
    value = [float(it.value if it.value is not None else it.cost) for it in items]
    top_value = max(value, default=1.0)
    value = [v / top_value for v in value]
    raw = [raw_weight(p.priority, p.days_since_aid) for p in people]
    top = max(raw, default=1.0)
    pools = pool_funds(funds_, items)
    prep = Prepared(people, funds_, items, value, [w / top for w in raw], [], [], [], pools,
                    [], [])
    index = {it.code: k for k, it in enumerate(items)}
    for p in people:
        _add_prisoner(prep, p, index)
    return prep


def _add_prisoner(prep: Prepared, p: Prisoner, index: Mapping[str, int]) -> None:
    """What the prisoner asks for, may receive and from which pools, and their demand."""
    ask: dict[int, int] = {}
    ent: dict[int, int] = {}
    why: dict[int, Reason] = {}
    by_item: dict[int, list[int]] = {}
    for code, qty in sorted(p.needs.items()):
        if qty <= 0:
            continue
        k = index[code]
        it = prep.items[k]
        ask[k] = qty
        ent[k], reason = entitled(p, it, qty)
        if reason is not None:
            why[k] = reason
        by_item[k] = [
            n for n, pool in enumerate(prep.pools)
            if pool.currency == it.currency and pool.capacity >= it.cost
            and prep.funds[pool.members[0]].may_pay(p, it)
        ]
    prep.asked.append(ask)
    prep.entitled.append(ent)
    prep.pre_reasons.append(why)
    prep.payable.append(by_item)
    prep.demand.append(_demand(p, prep.items, prep.value, ent, by_item))


def _demand(p: Prisoner, items: Sequence[ItemType], value: Sequence[float],
            allowed: Mapping[int, int], payable: Mapping[int, list[int]]) -> float:
    """What the prisoner needs and may receive, in value units (best value per unit of the
    shared parcel and money limits first)."""
    e = p.entitlement
    parcels_left = None if e.parcels_left is None else max(0, e.parcels_left)
    money_left = None if e.money_left is None else max(Decimal(0), e.money_left)
    total = 0.0
    for k in sorted(allowed, key=lambda k: (-value[k] / float(items[k].cost), k)):
        units = allowed[k] if payable.get(k) else 0
        it = items[k]
        if it.kind == PARCEL and parcels_left is not None:
            units = min(units, parcels_left)
            parcels_left -= units
        if it.kind == MONEY and money_left is not None:
            units = min(units, int(money_left // it.cost))
            money_left -= units * it.cost
        total += units * value[k]
    return total
