"""`pompolit aid check`: proof that the aid list and the books agree.

For every item, the entries it names must be in the books with exactly its amount, fund and
accounts (aid/books/postings.py), and exactly those its state calls for: a reservation once
approved, a payment once sent, a refund or write-off once returned, lost or confiscated. Then
the other way round: what `liabilities:aid-reserved` holds in each fund and currency must be
the cost of the approved, unsent items; and every entry posted for an aid item must be one an
item names (or a withdrawn reservation and its reversal).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Sum

from pompolit.aid.books import postings
from pompolit.aid.models import CLOSED, AidItem, Kind, Status
from pompolit.ledger.models import Entry, Posting

RESERVED_STATES = (Status.APPROVED, Status.SENT, *CLOSED)
PAID_STATES = (Status.SENT, *CLOSED)
MEMO = re.compile(r"^aid item #(\d+):")


def _lines_of(entry: Entry) -> set[tuple[str, str, str, int]]:
    return {(p.account.code, p.fund.code, p.currency_id, p.units)
            for p in entry.postings.select_related("account", "fund")}


def _expected(item: AidItem, what: str) -> set[tuple[str, str, str, int]]:
    account = postings.expense_account(item)
    fund, cur, units = item.fund.code, item.currency_id, item.cost_units
    pairs = {
        "reservation": ((account, units), (postings.RESERVED_ACCOUNT, -units)),
        "payment": ((postings.RESERVED_ACCOUNT, units), (postings.PAID_FROM, -units)),
        "refund": ((postings.PAID_FROM, units), (account, -units)),
        "write-off": ((f"{account}:lost", units), (account, -units)),
    }[what]
    return {(code, fund, cur, value) for code, value in pairs}


def _item_problems(item: AidItem) -> Iterator[str]:
    label = f"aid item #{item.pk} ({item.status}, {item.cost_units} {item.currency_id})"
    costs = item.cost_units > 0
    wanted = {
        "reservation": costs and item.status in RESERVED_STATES,
        "payment": costs and item.status in PAID_STATES,
        "settlement": costs and item.status in (Status.RETURNED, Status.LOST, Status.CONFISCATED),
    }
    for field, should in wanted.items():
        entry = getattr(item, field)
        if should and entry is None:
            yield f"{label}: no {field} entry in the books"
        elif not should and entry is not None:
            yield f"{label}: has a {field} entry (#{entry.leaf_index}) it should not have"
    if item.reservation is not None:
        if Entry.objects.filter(reverses=item.reservation).exists():
            yield f"{label}: its reservation #{item.reservation.leaf_index} is reversed"
        elif _lines_of(item.reservation) != _expected(item, "reservation"):
            yield f"{label}: reservation #{item.reservation.leaf_index} differs from the item"
    if item.payment is not None and _lines_of(item.payment) != _expected(item, "payment"):
        # The asset account may be another than the default: compare the rest.
        reserved = postings.RESERVED_ACCOUNT
        found = {p for p in _lines_of(item.payment) if p[0] == reserved}
        expected = {p for p in _expected(item, "payment") if p[0] == reserved}
        if found != expected or len(_lines_of(item.payment)) != 2:
            yield f"{label}: payment #{item.payment.leaf_index} differs from the item"
    if item.settlement is not None:
        kind = "refund" if (item.status == Status.RETURNED and item.kind == Kind.MONEY) else (
            "write-off")
        if _lines_of(item.settlement) != _expected(item, kind):
            yield f"{label}: {kind} #{item.settlement.leaf_index} differs from the item"


def _reserved_totals() -> dict[tuple[str, str], int]:
    rows = (Posting.objects.filter(account__code=postings.RESERVED_ACCOUNT)
            .values("fund__code", "currency_id").annotate(total=Sum("units")))
    return {(r["fund__code"], r["currency_id"]): -int(r["total"]) for r in rows if r["total"]}


def _approved_totals() -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    rows = (AidItem.objects.filter(status=Status.APPROVED, cost_units__gt=0)
            .values("fund__code", "currency_id").annotate(total=Sum("cost_units")))
    for r in rows:
        totals[(r["fund__code"], r["currency_id"])] += int(r["total"])
    return dict(totals)


def _stray_entries(items: dict[int, AidItem]) -> Iterator[str]:
    named = {e for item in items.values()
             for e in (item.reservation_id, item.payment_id, item.settlement_id) if e}
    for entry in Entry.objects.filter(memo__startswith="aid item #").order_by("leaf_index"):
        match = MEMO.match(entry.memo)
        pk = int(match.group(1)) if match else None
        if pk not in items:
            yield f"entry #{entry.leaf_index} is for aid item #{pk}, which does not exist"
        elif entry.pk in named:
            continue
        elif entry.reverses_id is not None and entry.reverses_id not in named:
            continue  # the reversal of a withdrawn reservation
        elif Entry.objects.filter(reverses=entry).exists():
            continue  # a withdrawn reservation
        else:
            yield (f"entry #{entry.leaf_index} was posted for aid item #{pk}, but the item "
                   "does not name it")


def problems() -> Iterator[str]:
    """Every disagreement between the aid list and the books, the first first."""
    items = {item.pk: item for item in AidItem.objects.select_related(
        "fund", "currency", "reservation", "payment", "settlement").order_by("pk")}
    for item in items.values():
        yield from _item_problems(item)
    reserved, approved = _reserved_totals(), _approved_totals()
    for key in sorted(set(reserved) | set(approved)):
        if reserved.get(key, 0) != approved.get(key, 0):
            fund, cur = key
            yield (f"{postings.RESERVED_ACCOUNT} holds {reserved.get(key, 0)} {cur} "
                   f"(minor units) in the fund {fund}, but approved unsent items cost "
                   f"{approved.get(key, 0)} {cur}")
    yield from _stray_entries(items)


def first_problem() -> str | None:
    return next(problems(), None)
