"""The planner (aid/planning/solver/): pure code, no database."""

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pompolit.aid.planning.solver import plan
from pompolit.aid.planning.solver.prepare import raw_weight
from pompolit.aid.planning.solver.types import (
    Entitlement,
    Fund,
    ItemType,
    PlanError,
    Prisoner,
    SolverOptions,
)

PARCEL = ItemType("parcel", "food parcel", "parcel", "expenses:parcels", Decimal("4000"), "RUB",
                  grams=15000)
SMALL = ItemType("small", "hygiene parcel", "parcel", "expenses:parcels", Decimal("1500"),
                 "RUB", grams=4000)
MONEY = ItemType("money", "transfer 1,000", "money", "expenses:transfers", Decimal("1000"),
                 "RUB")
LETTER = ItemType("letter", "letter", "letter", "expenses:letters", Decimal("100"), "RUB")
EUR_BOOKS = ItemType("books", "books", "books", "expenses:books", Decimal("20"), "EUR")
ITEMS = (PARCEL, SMALL, MONEY, LETTER, EUR_BOOKS)
EXACT = SolverOptions(mip_rel_gap=0.0, time_limit=30)


def prisoner(key, case_id=None, *, needs, priority=3, days=30, **ent):
    return Prisoner(key=key, case_id=case_id or int(key.strip("p") or 0), label=key,
                    priority=priority, days_since_aid=days, needs=needs,
                    entitlement=Entitlement(facility="IK-6", **ent))


def free(code, rub, **kw):
    return Fund(code, "unrestricted", {"RUB": Decimal(rub)}, **kw)


def test_everyone_gets_all_when_money_is_enough():
    people = [prisoner("p1", needs={"parcel": 1, "letter": 2}),
              prisoner("p2", needs={"money": 3})]
    result = plan(people, [free("general", 100000)], ITEMS, EXACT)
    assert result.status == "optimal"
    assert result.mip_gap == 0
    a = result.allocation("p1")
    assert {(line.item, line.quantity) for line in a.lines} == {("parcel", 1), ("letter", 2)}
    assert a.coverage == pytest.approx(1.0)
    assert [r.text() for r in a.reasons][:2] == ["letter: all 2 asked for.",
                                                 "food parcel: all 1 asked for."]
    assert result.spent[("general", "RUB")] == Decimal("7200")
    assert result.left[("general", "RUB")] == Decimal("92800")


def test_facility_limits_are_never_exceeded_and_explained():
    people = [prisoner("p1", needs={"parcel": 3, "money": 10}, parcels_left=1,
                       parcels_allowed=2, period_months=3, money_left=Decimal("2500"),
                       money_currency="RUB"),
              prisoner("p2", needs={"parcel": 1, "small": 1}, max_parcel_grams=10000)]
    result = plan(people, [free("general", 100000)], ITEMS, EXACT)
    a = result.allocation("p1")
    assert {(line.item, line.quantity) for line in a.lines} == {("parcel", 1), ("money", 2)}
    texts = [r.text() for r in a.reasons]
    assert ("food parcel: IK-6 allows 1 more parcel(s) in this period (2 per 3 months); "
            "3 asked for.") in texts
    assert "transfer 1,000: the facility's money limit leaves 2500.00 RUB this period." in texts
    b = result.allocation("p2")
    assert [(line.item, line.quantity) for line in b.lines] == [("small", 1)]
    assert "food parcel weighs 15 kg; IK-6 accepts at most 10 kg per parcel." in [
        r.text() for r in b.reasons]


def test_restricted_money_only_for_its_case_and_purpose():
    people = [prisoner("p1", needs={"parcel": 1, "money": 1}),
              prisoner("p2", needs={"parcel": 1, "money": 1})]
    funds = [Fund("for-p1", "case", {"RUB": Decimal(5000)}, case_id=1),
             Fund("parcels", "purpose", {"RUB": Decimal(4000)}, purpose="expenses:parcels")]
    result = plan(people, funds, ITEMS, EXACT)
    p1 = {(line.item, line.fund) for line in result.allocation("p1").lines}
    p2 = {(line.item, line.fund) for line in result.allocation("p2").lines}
    assert all(fund != "for-p1" for _item, fund in p2)
    assert ("money", "parcels") not in p1 | p2
    # The case fund pays p1's parcel and money, so the parcel fund is free for p2.
    assert p1 == {("parcel", "for-p1"), ("money", "for-p1")}
    assert p2 == {("parcel", "parcels")}
    money = next(r for r in result.allocation("p2").reasons if r.params.get("item") ==
                 "transfer 1,000")
    assert money.code == "no_fund"


def test_no_fund_in_the_currency():
    result = plan([prisoner("p1", needs={"books": 1})], [free("general", 1000)], ITEMS, EXACT)
    a = result.allocation("p1")
    assert a.lines == ()
    assert a.reasons[0].text() == "books: no fund in the budget may pay for it."


def test_scarce_money_goes_first_to_the_urgent_and_longest_waiting():
    people = [prisoner("p1", needs={"parcel": 1}, priority=4, days=5),
              prisoner("p2", needs={"parcel": 1}, priority=1, days=300),
              prisoner("p3", needs={"parcel": 1}, priority=3, days=30)]
    result = plan(people, [free("general", 8000)], ITEMS, EXACT)
    given = {a.prisoner for a in result.allocations if a.lines}
    assert given == {"p2", "p3"}
    reason = result.allocation("p1").reasons[0]
    assert reason.code == "funds_spent"
    assert "0 of 1" in reason.text()


def test_nobody_forgotten_while_others_get_more():
    # Money for 3 parcels and a few letters; four prisoners each wanting 2 parcels and letters.
    people = [prisoner(f"p{n}", needs={"parcel": 2, "letter": 2}) for n in range(1, 5)]
    result = plan(people, [free("general", 12400)], ITEMS, EXACT)
    assert all(a.lines for a in result.allocations)
    parcels = sorted(sum(line.quantity for line in a.lines if line.item == "parcel")
                     for a in result.allocations)
    assert parcels[-1] <= 1  # nobody gets a second parcel while another has none


def test_weights():
    assert raw_weight(1, 365) > raw_weight(3, 365) > raw_weight(4, 365)
    assert raw_weight(3, 0) < raw_weight(3, 100) < raw_weight(3, 365) == raw_weight(3, 1000)
    assert raw_weight(3, None) == raw_weight(3, 365)


def test_bad_input_is_refused():
    with pytest.raises(PlanError):
        plan([prisoner("p1", needs={"caviar": 1})], [free("general", 1)], ITEMS)
    with pytest.raises(PlanError):
        plan([prisoner("p1", needs={"parcel": -1})], [free("general", 1)], ITEMS)
    with pytest.raises(PlanError):
        plan([], [free("general", -1)], ITEMS)
    with pytest.raises(PlanError):
        plan([prisoner("p1", needs={})] * 2, [], ITEMS)


def test_empty_plan():
    result = plan([], [], ITEMS)
    assert result.allocations == ()
    assert result.status == "optimal"
    nothing = plan([prisoner("p1", needs={})], [free("general", 10)], ITEMS)
    assert nothing.allocation("p1").reasons[0].code == "nothing_asked"


# -- properties ------------------------------------------------------------------------------

prisoners_st = st.lists(
    st.builds(
        lambda case_id, needs, priority, days, parcels_left, grams, money_left: Prisoner(
            key=f"p{case_id:03d}", case_id=case_id, label=f"p{case_id}", priority=priority,
            days_since_aid=days, needs=needs,
            entitlement=Entitlement(
                facility="IK", parcels_left=parcels_left, max_parcel_grams=grams,
                money_left=None if money_left is None else Decimal(money_left),
                money_currency="RUB")),
        case_id=st.integers(1, 30),
        needs=st.dictionaries(st.sampled_from([it.code for it in ITEMS]), st.integers(0, 3),
                              max_size=4),
        priority=st.integers(1, 4),
        days=st.one_of(st.none(), st.integers(0, 500)),
        parcels_left=st.one_of(st.none(), st.integers(0, 2)),
        grams=st.one_of(st.none(), st.sampled_from([5000, 20000])),
        money_left=st.one_of(st.none(), st.sampled_from([0, 1500, 5000])),
    ),
    max_size=7, unique_by=lambda p: p.case_id,
)
funds_st = st.lists(
    st.one_of(
        st.builds(lambda rub, eur: Fund("", "unrestricted", {"RUB": Decimal(rub),
                                                             "EUR": Decimal(eur)}),
                  st.integers(0, 12000), st.integers(0, 60)),
        st.builds(lambda rub, purpose: Fund("", "purpose", {"RUB": Decimal(rub)},
                                            purpose=purpose),
                  st.integers(0, 12000),
                  st.sampled_from(["expenses:parcels", "expenses:transfers", "expenses"])),
        st.builds(lambda rub, case_id: Fund("", "case", {"RUB": Decimal(rub)}, case_id=case_id),
                  st.integers(0, 9000), st.integers(1, 30)),
    ),
    max_size=4,
).map(lambda fs: [Fund(f"f{n}", f.kind, f.available, f.purpose, f.case_id)
                  for n, f in enumerate(fs)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prisoners_st, funds_st)
def test_plans_respect_funds_entitlements_and_restrictions(people, funds):
    result = plan(people, funds, ITEMS, EXACT)
    fund = {f.code: f for f in funds}
    item = {it.code: it for it in ITEMS}
    person = {p.key: p for p in people}
    spent = {}
    for a in result.allocations:
        p = person[a.prisoner]
        e = p.entitlement
        per_item = {}
        for line in a.lines:
            it = item[line.item]
            f = fund[line.fund]
            assert f.may_pay(p, it)
            if f.kind == "case":
                assert f.case_id == p.case_id
            assert line.amount == line.quantity * it.cost and line.currency == it.currency
            spent[(f.code, it.currency)] = spent.get((f.code, it.currency), 0) + line.amount
            per_item[it.code] = per_item.get(it.code, 0) + line.quantity
        for code, q in per_item.items():
            assert q <= p.needs[code]
            if item[code].kind == "parcel" and e.max_parcel_grams is not None:
                assert item[code].grams <= e.max_parcel_grams
        if e.parcels_left is not None:
            assert sum(q for c, q in per_item.items() if item[c].kind == "parcel") \
                <= e.parcels_left
        if e.money_left is not None:
            assert sum(q * item[c].cost for c, q in per_item.items()
                       if item[c].kind == "money") <= e.money_left
    for (code, cur), amount in spent.items():
        assert amount <= fund[code].available[cur]
        assert result.spent[(code, cur)] == amount
    # Every prisoner reached their floor — their fair share less one item, and something
    # whenever their share is above zero — unless money made that impossible (then a
    # separate "fair shares" stage kept the shortfall smallest).
    if len(result.stages) > 1 and result.stages[1].name == "total aid (floors in full)" \
            and result.stages[1].status == "optimal":
        for a in result.allocations:
            if a.demand > 0 and result.level > 0:
                assert a.lines, a
    # Nobody who may receive something is left with nothing while money that could pay for
    # it stays unplanned (a fund keeps back at most one item's cost, so that no item's cost
    # is split between two funds).
    biggest = {cur: max(it.cost for it in ITEMS if it.currency == cur) for cur in ("RUB", "EUR")}
    for a in result.allocations:
        if a.lines or a.demand == 0:
            continue
        p = person[a.prisoner]
        for code, q in p.needs.items():
            it = item[code]
            if q == 0 or (it.kind == "parcel" and (p.entitlement.parcels_left == 0 or (
                    p.entitlement.max_parcel_grams or 10**9) < it.grams)):
                continue
            if it.kind == "money" and p.entitlement.money_left is not None \
                    and p.entitlement.money_left < it.cost:
                continue
            for f in funds:
                if f.may_pay(p, it) and it.currency in f.available:
                    assert result.left[(f.code, it.currency)] < it.cost + biggest[it.currency]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prisoners_st, funds_st, st.randoms(use_true_random=False))
def test_plans_are_deterministic(people, funds, rnd: random.Random):
    first = plan(people, funds, ITEMS, EXACT)
    shuffled_people = list(people)
    shuffled_funds = list(funds)
    rnd.shuffle(shuffled_people)
    rnd.shuffle(shuffled_funds)
    again = plan(shuffled_people, shuffled_funds, list(reversed(ITEMS)), EXACT)
    assert first.allocations == again.allocations
    assert first.spent == again.spent
