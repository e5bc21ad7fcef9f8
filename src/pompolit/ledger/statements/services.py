"""Statements of the books: closing a period and publishing what anyone can check.

A statement (format `pompolit-statement/1`, docs/transparency.md "Statements") carries the
period's figures — balances per fund and currency, income by campaign and channel, expenses
by category, by month and by fund, the rates used — a signed checkpoint of the "ledger" log,
a consistency proof from the previous statement's checkpoint, and every leaf of the log up
to that checkpoint. The figures are computed here by the database (fast, on any size of
books); `pompolit-verify statement` recomputes each of them from the leaves on its own.

Also here: "check my donation" (`check_donation`) — what a receipt code shows the public, with
the proof that its entry is in the log.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from pompolit.transparency.bundle import inclusion_document
from pompolit.transparency.note import b64
from pompolit.transparency.statement.chart import TYPE_BY_PREFIX
from pompolit.transparency.statement.read import STATEMENT, Period, amount_text
from pompolit.transparency.statement.write import statement_parts

from pompolit.audit.services import record
from pompolit.core.dates import show_date
from pompolit.ledger import conf, leaf, receipts
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.models import (
    Account,
    AccountType,
    Currency,
    Donation,
    Entry,
    Fund,
    Posting,
)
from pompolit.ledger.money import Money
from pompolit.ledger.rates.conversion import rate_on
from pompolit.ledger.statements.models import Statement
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.tlog import services as tlog
from pompolit.tlog.models import Log

BALANCE_TYPES = (AccountType.ASSET, AccountType.LIABILITY)

# -- periods ----------------------------------------------------------------------------------


def _month_end(day: datetime.date) -> datetime.date:
    following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def parse_period(text: str) -> Period:
    """"2026-10" (a month), "2026" (a year) or "2026-01-01..2026-03-31" (a range of days)."""
    text = text.strip()
    try:
        if ".." in text:
            first, last = (datetime.date.fromisoformat(p.strip()) for p in text.split("..", 1))
            label = f"{first.isoformat()}_{last.isoformat()}"
        elif len(text) == 7:
            first = datetime.date.fromisoformat(text + "-01")
            last, label = _month_end(first), text
        elif len(text) == 4 and text.isdigit():
            year = int(text)
            first, last, label = datetime.date(year, 1, 1), datetime.date(year, 12, 31), text
        else:
            raise ValueError(text)
    except ValueError:
        raise ValidationError(
            _("A period is a month (2026-10), a year (2026) or two days joined by “..” "
              "(2026-01-01..2026-03-31).")
        ) from None
    if last < first:
        raise ValidationError(_("The period ends before it starts."))
    return Period(label, first, last)


def _check_granularity(period: Period, size: int) -> None:
    """Leaves publish dates by month (or year, or day): a period must not cut through one."""
    used = set(Entry.objects.filter(leaf_index__lt=size).values_list("granularity", flat=True)
               .distinct())
    whole_months = period.start.day == 1 and period.end == _month_end(period.end)
    whole_years = whole_months and (period.start.month, period.end.month) == (1, 12)
    if "year" in used and not whole_years:
        raise ValidationError(_("Some entries are published by year: a statement must cover "
                                "whole years."))
    if "month" in used and not whole_months:
        raise ValidationError(_("Entries are published by month: a statement must cover "
                                "whole months."))


# -- figures ----------------------------------------------------------------------------------


def _places() -> dict[str, int]:
    return dict(Currency.objects.values_list("code", "exponent"))


# One pass over the postings: each row is summed once per (account, fund, currency, before
# the period or not, month, campaign, channel), with the keys a figure does not need left
# NULL, so a year of books gives a few thousand groups; Python folds them into the figures.
# The income keys come from the entry's donation, or for a reversal from the donation it
# reverses (a reversal counts under the campaign and channel of what it reverses; a donation
# reverses nothing, and a reversal has no donation of its own): one join does both.
_FIGURES_SQL = """
SELECT a.type, p.account_id, p.fund_id, p.currency_id,
       CASE WHEN e.date < %s THEN 1 ELSE 0 END,
       CASE WHEN a.type IN ('income', 'expense') THEN {month} END,
       CASE WHEN a.type IN ('income', 'expense') THEN e.granularity END,
       CASE WHEN a.type = 'income' THEN COALESCE(d.campaign_id, 0) END,
       CASE WHEN a.type = 'income' THEN COALESCE(d.channel, '') END,
       SUM(p.units)
FROM ledger_posting p
JOIN ledger_entry e ON e.id = p.entry_id
JOIN ledger_account a ON a.id = p.account_id
LEFT JOIN ledger_donation d ON a.type = 'income' AND d.entry_id = COALESCE(e.reverses_id, e.id)
WHERE e.leaf_index < %s AND e.date <= %s
  AND (a.type IN ('asset', 'liability')
       OR (a.type IN ('income', 'expense') AND e.date >= %s))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""
# "2025-03": SQLite keeps dates as ISO text, and cutting it is far cheaper than strftime.
_MONTH = {
    "postgresql": "to_char(e.date, 'YYYY-MM')",
    "sqlite": "substr(e.date, 1, 7)",
}


def _grouped(period: Period, size: int) -> list[tuple[Any, ...]]:
    sql = _FIGURES_SQL.format(month=_MONTH[connection.vendor])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Room to hash the groups in memory; with the default 4 MB, PostgreSQL sorts every
            # posting on disk instead (3× slower). Only for this transaction.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, [period.start, size, period.end, period.start])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def compute_figures(period: Period, size: int) -> dict[str, object]:
    """The figures of `period` over the first `size` leaves, exactly as the verifier
    recomputes them (docs/transparency.md): keys, order and amount spelling included."""
    places = _places()
    accounts = dict(Account.objects.values_list("pk", "code"))
    funds = dict(Fund.objects.values_list("pk", "code"))
    campaigns = {0: "", **dict(Campaign.objects.values_list("pk", "code"))}
    opening: dict[tuple[str, ...], int] = defaultdict(int)
    closing: dict[tuple[str, ...], int] = defaultdict(int)
    income: dict[tuple[str, ...], int] = defaultdict(int)
    expenses: dict[tuple[str, ...], int] = defaultdict(int)
    by_month: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    by_fund: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for kind, account, fund_id, code, before, month, granularity, campaign, channel, units in (
        _grouped(period, size)
    ):
        units, fund = int(units), funds[fund_id]
        if kind in BALANCE_TYPES:
            closing[(fund, code)] += units
            if before:
                opening[(fund, code)] += units
            continue
        key = month[:4] if granularity == "year" else month
        if kind == AccountType.INCOME:
            income[(campaigns[campaign], channel, code)] -= units
        else:
            expenses[(accounts[account], code)] += units
        _add(by_month[(key, code)], kind, units)
        _add(by_fund[(fund, code)], kind, units)
    counts = Entry.objects.filter(leaf_index__lt=size).aggregate(
        entries=Count("pk", filter=Q(date__gte=period.start, date__lte=period.end)),
        later=Count("pk", filter=Q(date__gt=period.end)),
    )

    def money(currency: str, units: int) -> str:
        return amount_text(units, places[currency])

    def rows(table: dict[tuple[str, ...], int], names: tuple[str, ...]) -> list[
            dict[str, str]]:
        return [{**dict(zip(names, key, strict=True)), "amount": money(key[-1], units)}
                for key, units in sorted(table.items()) if units]

    def pairs(table: dict[tuple[str, str], list[int]], name: str) -> list[dict[str, str]]:
        return [{name: key, "currency": code, "income": money(code, value[0]),
                 "expenses": money(code, value[1])}
                for (key, code), value in sorted(table.items()) if value[0] or value[1]]

    return {
        "entries": counts["entries"],
        "later_entries": counts["later"],
        "opening_balances": rows(opening, ("fund", "currency")),
        "closing_balances": rows(closing, ("fund", "currency")),
        "income": rows(income, ("campaign", "channel", "currency")),
        "expenses": rows(expenses, ("category", "currency")),
        "by_month": pairs(by_month, "month"),
        "by_fund": pairs(by_fund, "fund"),
    }


def _add(pair: list[int], kind: str, units: int) -> None:
    if kind == AccountType.INCOME:
        pair[0] -= units
    else:
        pair[1] += units


# -- expenses per case ------------------------------------------------------------------------

# Who may be named is the case register's business: the ledger asks it through this function
# (cases/public/consent.py), by name, so that the books never import the register.
PUBLIC_CASES = "pompolit.cases.public.consent.expenses_public"
PublicCases = Callable[[Iterable[str], datetime.date | None], dict[str, str]]


def _public_cases() -> PublicCases:
    found: PublicCases = import_string(getattr(settings, "POMPOLIT_LEDGER_PUBLIC_CASES",
                                               PUBLIC_CASES))
    return found


def case_expenses(period: Period, size: int, today: datetime.date | None = None) -> tuple[
        list[dict[str, str]], dict[str, list[int]]]:
    """Expenses of the period per case, only for cases whose consent in force (on `today`)
    allows it: the lines (case public id, category, currency, amount) and, for each case, the
    leaves they are summed from — payments of the case's expenses and reversals of those —
    so that the verifier can recompute them. Other cases' expenses stay in their category."""
    dated = {"leaf_index__lt": size, "date__gte": period.start, "date__lte": period.end}
    paid = (Entry.objects.filter(**dated, expense_payment__isnull=False)
            .exclude(expense_payment__expense__case_ref="")
            .values_list("pk", "leaf_index", "expense_payment__expense__case_ref"))
    undone = (Entry.objects.filter(**dated, reverses__expense_payment__isnull=False)
              .exclude(reverses__expense_payment__expense__case_ref="")
              .values_list("pk", "leaf_index", "reverses__expense_payment__expense__case_ref"))
    found = [*paid, *undone]
    if not found:
        return [], {}
    public = _public_cases()({ref for _pk, _index, ref in found}, today)
    case_of: dict[int, str] = {}
    leaves: dict[str, list[int]] = defaultdict(list)
    for pk, index, ref in found:
        case = public.get(ref.strip())
        if case is not None:
            case_of[pk] = case
            leaves[case].append(index)
    sums: dict[tuple[str, str, str], int] = defaultdict(int)
    for pk, account, currency, units in Posting.objects.filter(
        entry_id__in=case_of, account__type=AccountType.EXPENSE,
    ).values_list("entry_id", "account__code", "currency_id", "units"):
        sums[(case_of[pk], account, currency)] += units
    places = _places()
    lines = [{"case": case, "category": account, "currency": currency,
              "amount": amount_text(units, places[currency])}
             for (case, account, currency), units in sorted(sums.items()) if units]
    return lines, {case: sorted(indices) for case, indices in sorted(leaves.items())}


def rates_used(closing: list[dict[str, str]], on: datetime.date, base: str) -> list[
        dict[str, str]]:
    """The latest rate on or before the period's last day for each closing currency."""
    result = []
    for code in sorted({row["currency"] for row in closing} - {base}):
        rate = rate_on(code, on, base)  # a direct rate only: the verifier knows no other
        if rate is not None:
            result.append({"currency": code, "base": base, "on": rate.on.isoformat(),
                           "rate": _decimal_text(rate.rate)})
    return result


def _decimal_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def closing_in_base(closing: list[dict[str, str]], rates: list[dict[str, str]], base: str,
                    places: dict[str, int]) -> dict[str, object]:
    """Each closing balance at its rate, rounded half-to-even to the base currency, summed."""
    table = {row["currency"]: Decimal(row["rate"]) for row in rates}
    step = Decimal(1).scaleb(-places[base])
    total, missing = Decimal(0), set()
    for row in closing:
        amount = Decimal(row["amount"])
        if row["currency"] == base:
            total += amount
        elif row["currency"] in table:
            total += (amount * table[row["currency"]]).quantize(step, rounding=ROUND_HALF_EVEN)
        else:
            missing.add(row["currency"])
    return {"base": base, "amount": f"{total.quantize(step):f}", "not_converted": sorted(missing)}


def chart(size: int) -> dict[str, str]:
    codes = (Posting.objects.filter(entry__leaf_index__lt=size).values_list("account_id")
             .distinct())
    accounts = dict(Account.objects.filter(pk__in=codes).values_list("code", "type"))
    for code, kind in accounts.items():
        expected = TYPE_BY_PREFIX.get(code.split(":", 1)[0])
        if expected is not None and kind != expected:
            raise ValidationError(
                _("The account %(code)s is of type %(type)s, but its code says otherwise; "
                  "readers of the statement would be misled.") % {"code": code, "type": kind}
            )
    return dict(sorted(accounts.items()))


# -- publishing -------------------------------------------------------------------------------


class _Hasher:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> int:
        data = text.encode()
        self.digest.update(data)
        self.size += len(data)
        return len(text)


def bundle_parts(statement: Statement) -> Iterator[str]:
    """The published JSON bundle, byte for byte, piece by piece: the kept head, then every
    leaf, then the leaf hashes from a second read of the leaves (memory stays flat)."""
    log = tlog.find_log(conf.LOG_NAME)
    size = statement.checkpoint.size
    return statement_parts(json.loads(statement.head), tlog.entries(log, 0, size),
                           tlog.entries(log, 0, size))


def write_bundle(statement: Statement, out: Any) -> None:
    for part in bundle_parts(statement):
        out.write(part)


def encoded_chunks(parts: Iterable[str], size: int = 1 << 16) -> Iterator[bytes]:
    """UTF-8 chunks of about `size` bytes, for a streamed download."""
    buffer: list[bytes] = []
    held = 0
    for part in parts:
        data = part.encode()
        buffer.append(data)
        held += len(data)
        if held >= size:
            yield b"".join(buffer)
            buffer.clear()
            held = 0
    if buffer:
        yield b"".join(buffer)


def bundle_sha256(statement: Statement) -> str:
    hasher = _Hasher()
    write_bundle(statement, hasher)
    return hasher.digest.hexdigest()


def publish(actor: Member | None, text: str, *, today: datetime.date | None = None) -> Statement:
    """Close a period and publish its statement, all or nothing."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can publish a statement."))
    period = parse_period(text)
    today = today or timezone.localdate()
    if period.end >= today:
        raise ValidationError(_("The period has not ended yet; publish it from %(day)s on.")
                              % {"day": show_date(period.end + datetime.timedelta(days=1))})
    with transaction.atomic():
        tlog.get_log(conf.LOG_NAME)
        log = Log.objects.select_for_update().get(name=conf.LOG_NAME)
        previous = Statement.objects.select_for_update().order_by("-ends_on").first()
        if Statement.objects.filter(period=period.label).exists():
            raise ValidationError(_("The statement for %(period)s has already been published.")
                                  % {"period": period.label})
        if previous is not None and period.start != previous.ends_on + datetime.timedelta(1):
            raise ValidationError(
                _("The previous statement ends on %(day)s; the next one must start the day "
                  "after.") % {"day": show_date(previous.ends_on)}
            )
        _check_granularity(period, log.size)
        signed = tlog.sign_checkpoint(conf.LOG_NAME)
        size = signed.size
        head = _head(period, size, signed.note, previous, log, today)
        statement = Statement(
            period=period.label, starts_on=period.start, ends_on=period.end, checkpoint=signed,
            previous=previous, head=json.dumps(head, ensure_ascii=False), published_by=actor,
        )
        statement.sha256 = bundle_sha256(statement)
        statement.save(force_insert=True)
        record("ledger.statement_published", actor=actor, obj=statement,
               details={"period": period.label, "size": size, "sha256": statement.sha256})
    return statement


def _head(period: Period, size: int, note: str, previous: Statement | None,
          log: Log, today: datetime.date) -> dict[str, Any]:
    base = conf.base_currency()
    places = _places()
    figures = compute_figures(period, size)
    # Left out when no case may be named, so such statements are as they always were.
    by_case, case_leaves = case_expenses(period, size, today)
    if case_leaves:
        figures["expenses_by_case"] = by_case
    closing: list[dict[str, str]] = figures["closing_balances"]  # type: ignore[assignment]
    rates = rates_used(closing, period.end, base)
    used = {base, *Posting.objects.filter(entry__leaf_index__lt=size)
            .values_list("currency_id", flat=True).distinct()}
    head: dict[str, Any] = {
        "format": STATEMENT,
        "origin": log.origin,
        "period": period.as_json(),
        "base_currency": base,
        "currencies": {code: places[code] for code in sorted(used)},
        "accounts": chart(size),
        "figures": figures,
        **({"case_leaves": case_leaves} if case_leaves else {}),
        "rates": rates,
        "closing_in_base": closing_in_base(closing, rates, base, places),
        "checkpoint": note,
    }
    if previous is not None:
        old = previous.checkpoint.size
        head["previous_checkpoint"] = previous.checkpoint.note
        head["consistency_proof"] = [b64(h) for h in tlog.merkle(log).consistency_proof(old, size)]
    return head


def figures_of(statement: Statement) -> dict[str, Any]:
    head: dict[str, Any] = json.loads(statement.head)
    return head


def csv_rows(statement: Statement) -> Iterator[list[str]]:
    """The figures as one table: figure, keys, currency, amounts."""
    head = figures_of(statement)
    figures = head["figures"]
    yield ["figure", "key", "subkey", "currency", "amount", "expenses"]
    yield ["entries", "", "", "", str(figures["entries"]), ""]
    yield ["later_entries", "", "", "", str(figures["later_entries"]), ""]
    for name in ("opening_balances", "closing_balances"):
        for row in figures[name]:
            yield [name, row["fund"], "", row["currency"], row["amount"], ""]
    for row in figures["income"]:
        yield ["income", row["campaign"], row["channel"], row["currency"], row["amount"], ""]
    for row in figures["expenses"]:
        yield ["expenses", row["category"], "", row["currency"], row["amount"], ""]
    for row in figures.get("expenses_by_case", []):
        yield ["expenses_by_case", row["case"], row["category"], row["currency"], row["amount"],
               ""]
    for name, key in (("by_month", "month"), ("by_fund", "fund")):
        for row in figures[name]:
            yield [name, row[key], "", row["currency"], row["income"], row["expenses"]]
    for rate in head["rates"]:
        yield ["rate", rate["on"], rate["base"], rate["currency"], rate["rate"], ""]
    total = head["closing_in_base"]
    yield ["closing_in_base", "", ",".join(total["not_converted"]), total["base"],
           total["amount"], ""]


class _Line:
    def write(self, text: str) -> str:
        return text


def csv_parts(statement: Statement) -> Iterator[str]:
    """The CSV download, a line at a time (the same bytes csv.writer writes to a file)."""
    writer = csv.writer(_Line())
    for row in csv_rows(statement):
        yield writer.writerow(row)


# -- "check my donation": a receipt code against the log -------------------------------------


@dataclass(frozen=True)
class DonationCheck:
    amount: Money
    date: str  # at the published granularity: "2025-03" by default
    fund: Fund
    campaign: Campaign | None
    leaf_index: int
    reversed: bool
    # A pompolit-inclusion/1 document against the latest signed checkpoint, or None while no
    # checkpoint covers the entry yet (it will be in the next statement).
    proof: dict[str, object] | None


def check_donation(code: str) -> DonationCheck | None:
    """What the public may learn from a receipt code; None if no donation has it.

    Raises receipts.ReceiptCodeError for a mistyped code (so a typo is not "not found").
    """
    wanted = receipts.receipt_id(code)
    donation = (Donation.objects.select_related("entry", "fund", "campaign", "currency")
                .filter(receipt_id=wanted).first())
    if donation is None:
        return None
    entry = donation.entry
    index = entry.leaf_index
    proof = None
    signed = tlog.latest_checkpoint(conf.LOG_NAME)
    if signed is not None and signed.size > index:
        log = tlog.find_log(conf.LOG_NAME)
        path = tlog.merkle(log).inclusion_proof(index, signed.size)
        data = next(iter(tlog.entries(log, index, index + 1)))
        proof = inclusion_document(signed.note, index, path, leaf_data=data)
    return DonationCheck(
        amount=Money.from_minor(donation.units, donation.currency_id, donation.currency.exponent),
        date=leaf.published_date(entry.date, entry.granularity),
        fund=donation.fund,
        campaign=donation.campaign,
        leaf_index=index,
        reversed=Entry.objects.filter(reverses=entry).exists(),
        proof=proof,
    )
