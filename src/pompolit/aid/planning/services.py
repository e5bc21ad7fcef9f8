"""The monthly aid plan in the database: what the planner (`planning/solver/`) is given, and
the accepted plan turned into draft items.

* **Who is planned for**: the cases the member sees (their compartments: the wall holds for
  coordinators too), whose person is held in a known facility and still receives aid.
* **What they need**: how many of each of the plan's item types (`ITEM_TYPES`: food parcels,
  money transfers, letters) the case's `MonthlyNeeds` asks for (`planning/needs.py`, one
  query for all cases); one of each when none are recorded. The free-form needs in the case are
  encrypted and are not read in bulk for a plan. The letters already approved, sent or
  delivered in the month (the letters app pays each sent letter as an aid item of kind
  "letter") are taken off the letters needed.
* **Entitlement**: the rule valid on the month's first day at the case's facility, for its
  regime (`aid.rules.rule_on`): parcels per period less those already counted in the
  period (approved, sent or delivered), the parcel weight, the money limit per transfer.
* **Weights**: the case's priority; days since its last approved, sent or delivered item.
* **Funds**: only those named in the budget (`FUND=AMOUNT [CURRENCY]`), each at most its
  balance; a case fund pays only for the case its `case_ref` names.

Accepting (`accept`) checks every line again — a page may send anything — and creates the
drafts through `aid.services.create_item`, all in one transaction: all or nothing.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from pompolit.aid import services as aid
from pompolit.aid.models import COUNTED, AidItem, Kind, MoneyTo
from pompolit.aid.planning import needs, solver
from pompolit.aid.planning.solver.prepare import entitled
from pompolit.aid.planning.solver.types import (
    Entitlement,
    ItemType,
    Plan,
    PlanError,
    Prisoner,
    Reason,
    SolverOptions,
)
from pompolit.aid.planning.solver.types import Fund as PlanFund
from pompolit.aid.rules import PARCEL_KINDS, period_of, rule_on
from pompolit.audit.services import record
from pompolit.cases import services as cases
from pompolit.cases.models import Case
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Fund, FundBalance, FundKind
from pompolit.ledger.money import Money, MoneyError
from pompolit.members.models import Member

ITEM_TYPES = (
    ItemType("food-parcel", gettext_noop("food parcel"), Kind.PARCEL,
             aid.EXPENSE_ACCOUNTS[Kind.PARCEL], Decimal(5000), "RUB", grams=15000),
    ItemType("transfer", gettext_noop("money transfer"), Kind.MONEY,
             aid.EXPENSE_ACCOUNTS[Kind.MONEY], Decimal(2000), "RUB"),
    ItemType("letter", gettext_noop("letter"), Kind.LETTER,
             aid.EXPENSE_ACCOUNTS[Kind.LETTER], Decimal(200), "RUB"),
)
# What a case without recorded needs is planned for (planning/needs.py).
MONTHLY_NEEDS = needs.DEFAULT
MAX_PLANNED = 20000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Inputs:
    month: datetime.date  # its first day
    prisoners: list[Prisoner]
    funds: list[PlanFund]
    items: tuple[ItemType, ...]
    cases: dict[str, Case]  # prisoner key → case
    # Letters already approved, sent or delivered in the month (the letters app's batches
    # among them), case → count: taken off the letters the case needs.
    letters_counted: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanLine:
    case_id: int
    item: str
    fund: str
    quantity: int


def parse_month(text: str) -> datetime.date:
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError(_("Give the month as YYYY-MM, e.g. 2026-12."))
    return datetime.date(int(found.group(1)), int(found.group(2)), 1)


def parse_budget(spec: str) -> tuple[str, str]:
    """`FUND=AMOUNT` or `FUND=AMOUNT CURRENCY` → (fund code, amount text)."""
    code, sep, amount = spec.partition("=")
    if not sep or not code.strip() or not amount.strip():
        raise ValidationError(_("Give each budget as FUND=AMOUNT, e.g. parcels=50000."))
    return code.strip(), amount.strip()


def budget_money(fund: Fund, amount: str) -> Money:
    parts = amount.split()
    currency = parts[-1].upper() if len(parts) > 1 and parts[-1].isalpha() else None
    number = " ".join(parts[:-1]) if currency else amount
    if currency is None:
        held = list(FundBalance.objects.filter(fund=fund, units__gt=0)
                    .values_list("currency_id", flat=True))
        currency = held[0] if len(held) == 1 else "RUB"
    try:
        money = Money.parse(number, ledger.currency(currency).code,
                            ledger.currency(currency).exponent)
    except (MoneyError, InvalidOperation) as error:
        raise ValidationError(_("Budget for “%(fund)s”: %(error)s")
                              % {"fund": fund.code, "error": error}) from None
    if money.amount <= 0:
        raise ValidationError(_("Budget for “%(fund)s” must be above zero.")
                              % {"fund": fund.code})
    return money


def resolve_budgets(specs: Sequence[str]) -> dict[str, Money]:
    """Each fund's budget, checked against its balance (reservations already taken off)."""
    budgets: dict[str, Money] = {}
    for spec in specs:
        code, amount = parse_budget(spec)
        fund = Fund.objects.filter(code=code).first()
        if fund is None:
            raise ValidationError(_("There is no fund “%(fund)s”.") % {"fund": code})
        if code in budgets:
            raise ValidationError(_("The fund “%(fund)s” is named twice.") % {"fund": code})
        money = budget_money(fund, amount)
        balance = FundBalance.objects.filter(fund=fund, currency_id=money.currency).first()
        exponent = ledger.currency(money.currency).exponent
        held = Decimal(balance.units if balance else 0).scaleb(-exponent)
        if money.amount > held:
            raise ValidationError(_(
                "The fund “%(fund)s” has only %(held)s %(currency)s; the budget asks for "
                "%(amount)s.") % {"fund": code, "held": f"{held:.{exponent}f}",
                                  "currency": money.currency, "amount": f"{money.amount:f}"})
        budgets[code] = money
    return budgets


def _days_since_aid(case_ids: list[int], month: datetime.date) -> dict[int, int]:
    last = (AidItem.objects.filter(case_id__in=case_ids,
                                   status__in=[*COUNTED, "delivered"])
            .annotate(day=Coalesce("sent_on", "planned_on"))
            .filter(day__lt=month).values("case_id").annotate(last=Max("day")))
    return {row["case_id"]: (month - row["last"]).days for row in last}


def _letters_counted(case_ids: list[int], month: datetime.date) -> dict[int, int]:
    """Letters counted in the month per case: aid items of kind "letter" approved, sent or
    delivered, on the day they were sent (else planned) — so the letters the letters app
    sent in batches count towards the month's need."""
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    rows = (AidItem.objects.filter(case_id__in=case_ids, kind=Kind.LETTER,
                                   status__in=[*COUNTED, "delivered"])
            .annotate(day=Coalesce("sent_on", "planned_on"))
            .filter(day__gte=month, day__lt=end).values("case_id").annotate(n=Count("pk")))
    return {row["case_id"]: int(row["n"]) for row in rows}


def _parcels_counted(case: Case, start: datetime.date, end: datetime.date) -> int:
    return (AidItem.objects.filter(case=case, kind__in=PARCEL_KINDS, status__in=COUNTED)
            .annotate(day=Coalesce("sent_on", "planned_on"))
            .filter(day__gte=start, day__lte=end).count())


def gather(member: Member, month: datetime.date, budgets: Mapping[str, Money],
           items: tuple[ItemType, ...] = ITEM_TYPES) -> Inputs:
    found = _cases_to_plan(member)
    days = _days_since_aid([c.pk for c in found], month)
    asked = needs.needs_for(c.pk for c in found)
    letters = _letters_counted([c.pk for c in found], month)
    for case_id, counted in letters.items():
        wanted = asked[case_id]
        if "letter" in wanted:
            wanted["letter"] = max(0, wanted["letter"] - counted)
    prisoners = []
    by_key: dict[str, Case] = {}
    for case in found:
        key = f"{case.pk:09d}"
        by_key[key] = case
        prisoners.append(Prisoner(
            key=key, case_id=case.pk, label=case.person.display_name, priority=case.priority,
            days_since_aid=days.get(case.pk),
            needs={it.code: asked[case.pk].get(it.code, 0) for it in items},
            entitlement=_entitlement(case, month)))
    return Inputs(month, prisoners, _plan_funds(budgets, found), items, by_key, letters)


def _cases_to_plan(member: Member) -> list[Case]:
    """The cases the member sees whose person is held in a known facility and still receives
    aid; refused above MAX_PLANNED."""
    found = list(
        cases.visible_cases(member).filter(current_facility__isnull=False)
        .exclude(status__code__in=aid.GONE_STATUSES)
        .select_related("person", "current_facility", "status").order_by("pk")[:MAX_PLANNED + 1]
    )
    if len(found) > MAX_PLANNED:
        raise ValidationError(ngettext("More than %(n)d case: plan per compartment.",
                                       "More than %(n)d cases: plan per compartment.",
                                       MAX_PLANNED) % {"n": MAX_PLANNED})
    return found


def _entitlement(case: Case, month: datetime.date) -> Entitlement:
    """What the rule valid on the month's first day at the case's facility still allows."""
    facility = case.current_facility
    assert facility is not None
    rule = rule_on(facility, month, case.sentence_regime_id)
    name = facility.short_name or facility.name
    if rule is None:
        return Entitlement(facility=name)
    left = None
    if rule.parcels_per_period is not None:
        start, end = period_of(month, rule.period_months)
        left = max(0, rule.parcels_per_period - _parcels_counted(case, start, end))
    return Entitlement(
        facility=name, parcels_left=left,
        parcels_allowed=rule.parcels_per_period, period_months=rule.period_months,
        max_parcel_grams=rule.max_parcel_grams, money_left=rule.money_limit,
        money_currency=rule.money_currency or "RUB")


def _plan_funds(budgets: Mapping[str, Money], found: Sequence[Case]) -> list[PlanFund]:
    """The budgeted funds as the planner sees them; a case fund names its case among those
    planned (-1: none of them)."""
    funds = []
    for code, money in sorted(budgets.items()):
        fund = Fund.objects.get(code=code)
        case_id = None
        if fund.kind == FundKind.CASE:
            case_id = next((c.pk for c in found if fund.case_ref in aid.fund_refs(c)), -1)
        funds.append(PlanFund(code, fund.kind,  # type: ignore[arg-type]
                              {money.currency: money.amount}, purpose=fund.purpose,
                              case_id=case_id))
    return funds


def propose(member: Member, month: datetime.date, budgets: Mapping[str, Money],
            options: SolverOptions | None = None) -> tuple[Inputs, Plan]:
    inputs = gather(member, month, budgets)
    try:
        result = solver.plan(inputs.prisoners, inputs.funds, inputs.items, options)
    except PlanError as error:
        raise ValidationError(_(str(error))) from None
    return inputs, result


def lines_of(inputs: Inputs, result: Plan) -> list[PlanLine]:
    return [PlanLine(inputs.cases[a.prisoner].pk, line.item, line.fund, line.quantity)
            for a in result.allocations for line in a.lines]


def explain(reason: Reason) -> str:
    """A planner's reason in the reader's language (item labels translated too)."""
    params = dict(reason.params)
    if "item" in params:
        params["item"] = _(params["item"])
    return _(reason.message) % params


# -- accepting ------------------------------------------------------------------------------


def _check_lines(inputs: Inputs, lines: Sequence[PlanLine]) -> None:
    """What the planner guarantees, checked again for lines a coordinator may have changed."""
    items = {it.code: it for it in inputs.items}
    funds = {f.code: f for f in inputs.funds}
    people = {p.case_id: p for p in inputs.prisoners}
    spent: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    per_item: dict[tuple[int, str], int] = defaultdict(int)
    for line in lines:
        person = people.get(line.case_id)
        item = items.get(line.item)
        fund = funds.get(line.fund)
        if person is None or item is None or fund is None:
            raise ValidationError(_("A line names a case, item or fund that is not in the "
                                    "plan."))
        if not 0 <= line.quantity <= 1000:
            raise ValidationError(_("A quantity must be between 0 and 1000."))
        if not fund.may_pay(person, item):
            raise ValidationError(_("%(name)s: the fund “%(fund)s” may not pay for %(item)s.")
                                  % {"name": person.label, "fund": fund.code,
                                     "item": _(item.label)})
        spent[(fund.code, item.currency)] += line.quantity * item.cost
        per_item[(line.case_id, line.item)] += line.quantity
    for (code, currency), amount in spent.items():
        if amount > funds[code].available.get(currency, Decimal(0)):
            raise ValidationError(_("The lines spend %(amount)s %(currency)s from “%(fund)s”, "
                                    "more than its budget.")
                                  % {"amount": f"{amount:f}", "currency": currency,
                                     "fund": code})
    parcels: dict[int, int] = defaultdict(int)
    for (case_id, code), quantity in per_item.items():
        person, item = people[case_id], items[code]
        allowed, _why = entitled(person, item, quantity)
        if quantity > allowed:
            raise ValidationError(_("%(name)s: %(quantity)s × %(item)s is more than the "
                                    "facility allows.")
                                  % {"name": person.label, "quantity": quantity,
                                     "item": _(item.label)})
        if item.kind == Kind.PARCEL:
            parcels[case_id] += quantity
    for case_id, count in parcels.items():
        left = people[case_id].entitlement.parcels_left
        if left is not None and count > left:
            raise ValidationError(_("%(name)s: %(n)s parcels is more than the facility allows "
                                    "in this period.")
                                  % {"name": people[case_id].label, "n": count})


def accept(member: Member, month: datetime.date, budgets: Mapping[str, Money],
           lines: Sequence[PlanLine]) -> list[AidItem]:
    """The accepted plan as draft items, all or nothing."""
    inputs = gather(member, month, budgets)
    _check_lines(inputs, lines)
    by_case = {c.pk: c for c in inputs.cases.values()}
    items = {it.code: it for it in inputs.items}
    origin = f"plan {month:%Y-%m}"
    planned_on = max(month, timezone.localdate())
    created: list[AidItem] = []
    with transaction.atomic():
        for line in lines:
            if line.quantity == 0:
                continue
            case = by_case[line.case_id]
            fund = Fund.objects.get(code=line.fund)
            item = items[line.item]
            if item.kind == Kind.MONEY:
                cost = Money(item.currency, item.cost * line.quantity)
                created.append(aid.create_item(
                    member, case, Kind.MONEY, fund, planned_on=planned_on, cost=cost,
                    money_to=MoneyTo.PRISONER, origin=origin))
                continue
            for _n in range(line.quantity):
                contents = ([aid.ContentLine("food", 1, item.grams, item.label)]
                            if item.kind in (Kind.PARCEL, Kind.BOOKS) else [])
                created.append(aid.create_item(
                    member, case, item.kind, fund, planned_on=planned_on,
                    cost=Money(item.currency, item.cost), contents=contents,
                    language="ru" if item.kind == Kind.LETTER else "", origin=origin))
        record("aid.plan_accepted", actor=member, details={
            "month": f"{month:%Y-%m}", "items": len(created),
            "funds": sorted({line.fund for line in lines if line.quantity})})
    return created
