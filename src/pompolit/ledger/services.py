"""Posting to the books. Every write goes through `post_entry`, in two steps: `check_entry`
checks the entry by itself and builds its leaf, writing nothing; `_write_entry` then, in ONE
transaction under the log's lock, writes the entry, its postings and the fund balances,
appends the leaf to the "ledger" transparency log, and records the audit entry — so a crash
leaves all of it or none of it: every committed entry is a leaf, and every leaf a committed
entry. Also here: donations, exchanges, transfers, the chart, funds, currencies, and the fund
balances report.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.core.dates import show_date
from pompolit.ledger import conf, dates, leaf, receipts
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.donors.models import DonorIdentity
from pompolit.ledger.labels import account_name_of
from pompolit.ledger.models import (
    Account,
    AccountType,
    Channel,
    Currency,
    Donation,
    Entry,
    EntryKind,
    EntryNote,
    Fund,
    FundBalance,
    FundKind,
    Posting,
)
from pompolit.ledger.money import MAX_BALANCE_UNITS, Money, MoneyError
from pompolit.ledger.rates.conversion import Rate, convert_to_minor
from pompolit.ledger.rates.models import ExchangeRate
from pompolit.ledger.statements.models import Statement
from pompolit.members import policy
from pompolit.members.models import Member
from pompolit.tlog import services as tlog
from pompolit.tlog.models import Log
from pompolit.vault.errors import VaultError

INCOME_ACCOUNT = "income:donations"
INTERFUND_ACCOUNT = "net-assets:interfund"
# Where a donation arrives, by channel, unless the treasurer names another account.
CHANNEL_ACCOUNTS = {
    Channel.BANK_TRANSFER: "assets:bank",
    Channel.CASH: "assets:cash",
    Channel.CARD: "assets:card-processor",
    Channel.CRYPTO: "assets:crypto",
    Channel.FOREIGN_CHAPTER: "assets:foreign-chapters",
}
# Postings to these move a fund's net assets (its balance).
BALANCE_TYPES = (AccountType.ASSET, AccountType.LIABILITY)


@dataclass(frozen=True)
class Line:
    """One posting to make: positive money is a debit, negative a credit."""

    account: Account
    fund: Fund
    money: Money


def currency(code: str) -> Currency:
    try:
        return Currency.objects.get(code=code)
    except Currency.DoesNotExist:
        raise ValidationError(
            _("Unknown currency %(code)s: a treasurer must add it first.") % {"code": code}
        ) from None


_exponents: dict[str, int] = {}


def currency_exponent(code: str) -> int | None:
    """A known currency's decimal places, None if unknown; cached: currencies are append-only
    (a trigger), and a new one clears the cache (apps.py)."""
    if code not in _exponents:
        found = Currency.objects.filter(code=code).values_list("exponent", flat=True).first()
        if found is None:
            return None
        _exponents[code] = found
    return _exponents[code]


def forget_exponents() -> None:
    _exponents.clear()


def account(code: str) -> Account:
    try:
        return Account.objects.get(code=code)
    except Account.DoesNotExist:
        raise ValidationError(_("There is no account %(code)s.") % {"code": code}) from None


def fund(code: str) -> Fund:
    try:
        return Fund.objects.get(code=code)
    except Fund.DoesNotExist:
        raise ValidationError(_("There is no fund %(code)s.") % {"code": code}) from None


def money(amount: str | Decimal | int, currency_code: str) -> Money:
    """Money as a person typed it, refused if its currency has fewer decimal places."""
    found = currency(currency_code)
    try:
        return Money.parse(amount, found.code, found.exponent)
    except MoneyError as error:
        raise ValidationError(str(error)) from None


def trading_account(currency_code: str) -> Account:
    account, _created = Account.objects.get_or_create(
        code=f"trading:{currency_code.lower()}",
        defaults={"name": f"Trading {currency_code}", "type": AccountType.NET_ASSETS,
                  "is_trading": True},
    )
    return account


# -- checks -----------------------------------------------------------------------------------


def _units(lines: Sequence[Line], currencies: dict[str, Currency]) -> list[int]:
    units = []
    for line in lines:
        try:
            value = line.money.to_minor(currencies[line.money.currency].exponent)
        except MoneyError as error:
            raise ValidationError(str(error)) from None
        if value == 0:
            raise ValidationError(_("A posting cannot be of zero."))
        units.append(value)
    return units


def _check_balanced(lines: Sequence[Line], units: Sequence[int],
                    currencies: dict[str, Currency]) -> None:
    """Each fund balances in each currency (self-balancing funds), so the books balance per
    currency too; a transfer between funds goes through net-assets:interfund."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for line, value in zip(lines, units, strict=True):
        sums[(line.fund.code, line.money.currency)] += value
    for (fund_code, code), total in sorted(sums.items()):
        if total:
            difference = Money.from_minor(abs(total), code, currencies[code].exponent)
            raise ValidationError(
                _("The entry does not balance: in the fund %(fund)s, the %(currency)s debits "
                  "and credits differ by %(difference)s.")
                % {"fund": fund_code, "currency": code, "difference": difference}
            )


def _check_restrictions(kind: str, lines: Sequence[Line], units: Sequence[int]) -> None:
    """Money in a restricted fund is spent only on its purpose and never leaves the fund.

    Outside a reversal, a restricted fund may only be debited on assets, liabilities,
    trading accounts and the expenses of its purpose.
    """
    if kind == EntryKind.REVERSAL:
        return
    for line, value in zip(lines, units, strict=True):
        target, account = line.fund, line.account
        if not target.restricted or value < 0:
            continue
        if account.type == AccountType.EXPENSE:
            if target.kind == FundKind.PURPOSE and not (
                account.code == target.purpose or account.code.startswith(target.purpose + ":")
            ):
                raise ValidationError(
                    _("The fund “%(fund)s” is restricted to %(purpose)s; it cannot pay for "
                      "%(account)s.")
                    % {"fund": target.label, "purpose": account_name_of(target.purpose),
                       "account": account.label}
                )
        elif account.type in (AccountType.INCOME, AccountType.NET_ASSETS) and not (
            account.is_trading
        ):
            raise ValidationError(
                _("Money in the restricted fund “%(fund)s” cannot be moved to another fund or "
                  "purpose.") % {"fund": target.label}
            )


def _balance_deltas(lines: Sequence[Line], units: Sequence[int]) -> dict[tuple[int, str], int]:
    deltas: dict[tuple[int, str], int] = defaultdict(int)
    for line, value in zip(lines, units, strict=True):
        if line.account.type in BALANCE_TYPES:
            deltas[(line.fund.pk, line.money.currency)] += value
    return {key: value for key, value in deltas.items() if value}


def _apply_balances(deltas: dict[tuple[int, str], int], funds: dict[int, Fund],
                    currencies: dict[str, Currency]) -> None:
    for fund_id, code in sorted(deltas):
        target = funds[fund_id]
        balance, _created = FundBalance.objects.select_for_update().get_or_create(
            fund_id=fund_id, currency_id=code, defaults={"restricted": target.restricted}
        )
        after = balance.units + deltas[(fund_id, code)]
        if target.restricted and after < 0:
            exponent = currencies[code].exponent
            raise ValidationError(
                _("The restricted fund “%(fund)s” has only %(available)s; it cannot go below "
                  "zero.")
                % {"fund": target.name,
                   "available": Money.from_minor(balance.units, code, exponent)}
            )
        if abs(after) > MAX_BALANCE_UNITS:
            exponent = currencies[code].exponent
            raise ValidationError(
                _("The fund “%(fund)s” would hold more than the books accept in %(currency)s "
                  "(%(limit)s).")
                % {"fund": target.name, "currency": code,
                   "limit": Money.from_minor(MAX_BALANCE_UNITS, code, exponent)}
            )
        # The CHECK constraints refuse a negative restricted balance and an overflowing one
        # even if this code is wrong.
        FundBalance.objects.filter(pk=balance.pk).update(units=F("units") + deltas[(fund_id, code)])


# -- posting: check the entry (no lock, nothing written), then write it (one transaction) ----


@dataclass(frozen=True)
class DonationDetails:
    channel: str
    campaign: Campaign | None
    receipt_id: str
    submission: str | None


@dataclass(frozen=True)
class CheckedEntry:
    """An entry that passed every check that needs no lock: its postings in minor units, and
    its leaf — the public projection the log will hold, already encoded."""

    kind: str
    date: datetime.date
    lines: Sequence[Line]
    units: list[int]
    currencies: dict[str, Currency]
    public: leaf.PublicEntry
    data: bytes


def _currencies(lines: Sequence[Line]) -> dict[str, Currency]:
    wanted = {line.money.currency for line in lines}
    currencies = {c.code: c for c in Currency.objects.filter(code__in=wanted)}
    missing = wanted - set(currencies)
    if missing:
        raise ValidationError(
            _("Unknown currency %(code)s: a treasurer must add it first.")
            % {"code": ", ".join(sorted(missing))}
        )
    return currencies


def _public_entry(kind: str, date: datetime.date, lines: Sequence[Line], units: Sequence[int],
                  currencies: dict[str, Currency], reverses: Entry | None,
                  donation: DonationDetails | None) -> leaf.PublicEntry:
    """What the leaf publishes: codes and amounts only (leaf.py)."""
    return leaf.PublicEntry(
        date=date, granularity=conf.date_granularity(), kind=kind,
        postings=[
            leaf.PublicPosting(line.account.code, line.fund.code, value, line.money.currency,
                               currencies[line.money.currency].exponent)
            for line, value in zip(lines, units, strict=True)
        ],
        receipt=donation.receipt_id if donation else None,
        channel=donation.channel if donation else None,
        campaign=donation.campaign.code if donation and donation.campaign else None,
        reverses=reverses.leaf_index if reverses is not None else None,
    )


def check_entry(kind: str, date: datetime.date, lines: Sequence[Line], *,
                reverses: Entry | None = None,
                donation: DonationDetails | None = None) -> CheckedEntry:
    """Step 1 of posting: every rule an entry obeys by itself — two postings or more, known
    currencies, a date the books accept, no zero or oversized amount, each fund balanced in
    each currency, restricted money spent on its purpose only, a reversal naming what it
    reverses — and its leaf, within the size a leaf may have. Writes nothing."""
    if len(lines) < 2:
        raise ValidationError(_("An entry needs at least two postings."))
    currencies = _currencies(lines)
    dates.check_book_date(date, "date")
    units = _units(lines, currencies)
    _check_balanced(lines, units, currencies)
    _check_restrictions(kind, lines, units)
    if (kind == EntryKind.REVERSAL) != (reverses is not None):
        raise ValidationError(_("A reversal names the entry it reverses, and only a reversal "
                                "does."))
    public = _public_entry(kind, date, lines, units, currencies, reverses, donation)
    data = leaf.encode(public)
    if len(data) > leaf.MAX_LEAF_BYTES:
        raise ValidationError(_("This entry has too many postings; split it in two."))
    return CheckedEntry(kind, date, lines, units, currencies, public, data)


def _lock_log() -> int:
    """Lock the ledger log for the rest of the transaction; the next leaf's index."""
    tlog.get_log(conf.LOG_NAME)
    return Log.objects.select_for_update().get(name=conf.LOG_NAME).size


def _refuse_closed_period(date: datetime.date) -> None:
    """A published statement closes its period: nothing more is dated in it (a correction
    goes into an open period). Checked under the log lock, which publishing also takes."""
    closed = Statement.objects.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if closed is not None and date <= closed:
        raise ValidationError(
            _("The books are closed up to %(day)s: a statement has been published for that "
              "period. Date the entry later.") % {"day": show_date(closed)}
        )


def _write_postings(entry: Entry, checked: CheckedEntry) -> None:
    """The postings, and the fund balances they move (refused below zero when restricted)."""
    Posting.objects.bulk_create(
        Posting(entry=entry, account=line.account, fund=line.fund,
                currency_id=line.money.currency, units=value)
        for line, value in zip(checked.lines, checked.units, strict=True)
    )
    funds = {line.fund.pk: line.fund for line in checked.lines}
    _apply_balances(_balance_deltas(checked.lines, checked.units), funds, checked.currencies)


def _write_donation(entry: Entry, checked: CheckedEntry, donation: DonationDetails) -> None:
    """A donation's row: its first line is the money received."""
    first = checked.lines[0]
    Donation.objects.create(
        entry=entry, channel=donation.channel, campaign=donation.campaign,
        fund=first.fund, currency_id=first.money.currency, units=checked.units[0],
        receipt_id=donation.receipt_id, submission=donation.submission,
    )


def _write_entry(actor: Member | None, checked: CheckedEntry, *, memo: str = "",
                reverses: Entry | None = None,
                donation: DonationDetails | None = None) -> Entry:
    """Step 2 of posting, in ONE transaction under the log's lock: the checks that need the
    lock (the period is open; the reversed entry is not reversed yet), then the entry, its
    postings, the fund balances, the donation, its leaf appended to the log, and the audit
    entry — all of it or none of it."""
    with transaction.atomic():
        index = _lock_log()
        _refuse_closed_period(checked.date)
        if reverses is not None:
            _check_reversal(reverses, checked.lines, checked.units)
        entry = Entry.objects.create(
            date=checked.date, kind=checked.kind, granularity=checked.public.granularity,
            leaf_index=index, reverses=reverses, memo=memo[:500], posted_by=actor,
        )
        _write_postings(entry, checked)
        if donation is not None:
            _write_donation(entry, checked, donation)
        appended = tlog.append(conf.LOG_NAME, [checked.data])
        if appended != range(index, index + 1):
            raise RuntimeError(f"the ledger log appended at {appended}, expected leaf {index}")
        record(
            "ledger.posted", actor=actor, obj=entry,
            details={"kind": checked.kind, "leaf_index": index,
                     "reverses": checked.public.reverses},
        )
    return entry


def post_entry(
    actor: Member | None,
    *,
    kind: str,
    date: datetime.date,
    lines: Sequence[Line],
    memo: str = "",
    reverses: Entry | None = None,
    donation: DonationDetails | None = None,
) -> Entry:
    """Check and post one entry, and append its leaf; all or nothing."""
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    checked = check_entry(kind, date, lines, reverses=reverses, donation=donation)
    return _write_entry(actor, checked, memo=memo, reverses=reverses, donation=donation)


# -- reversals --------------------------------------------------------------------------------


PostingKey = tuple[str, str, str, int]  # account code, fund code, currency, minor units


def posting_keys(entry: Entry) -> list[PostingKey]:
    return sorted(entry.postings.values_list("account__code", "fund__code", "currency_id",
                                             "units"))


def negation_error(reversed_entry: Entry, reversal: list[PostingKey]) -> str | None:
    """Why `reversal` (its postings) is not a reversal of `reversed_entry`, or None.

    The rule (docs/ledger.md, "Reversals"): exact negation — the same accounts, funds and
    currencies with every amount negated, nothing added or missing; an entry may be reversed
    once; a reversal is never reversed. `pompolit ledger verify` checks the same."""
    index = reversed_entry.leaf_index
    if reversed_entry.kind == EntryKind.REVERSAL:
        return _("Entry #%(index)s is itself a reversal; a reversal is never reversed (post "
                 "the entry again instead).") % {"index": index}
    wanted = sorted((a, f, c, -u) for a, f, c, u in posting_keys(reversed_entry))
    if sorted(reversal) != wanted:
        return _("A reversal of entry #%(index)s must be its exact negation: the same accounts, "
                 "funds and currencies with every amount negated, nothing added or missing.") % {
            "index": index}
    return None


def _check_reversal(reversed_entry: Entry, lines: Sequence[Line], units: Sequence[int]) -> None:
    """Under the log lock: the reversed entry is not reversed yet, and the lines negate it."""
    if _reversed(reversed_entry):
        raise ValidationError(_("Entry #%(index)s has already been reversed; an entry may be "
                                "reversed once.") % {"index": reversed_entry.leaf_index})
    problem = negation_error(reversed_entry, [
        (line.account.code, line.fund.code, line.money.currency, value)
        for line, value in zip(lines, units, strict=True)
    ])
    if problem is not None:
        raise ValidationError(problem)


def _reversed(entry: Entry) -> bool:
    return Entry.objects.filter(reverses=entry).exists()


def check_reversible(entry: Entry) -> None:
    """reverse_entry's early checks, before it builds the negated lines: `entry` is not itself
    a reversal and is not reversed yet. post_entry checks the same under the log's lock
    (`negation_error`, `_check_reversal`), where two reversals of one entry at once meet."""
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; post the entry again."))
    if _reversed(entry):
        raise ValidationError(
            _("Entry #%(index)s has already been reversed.") % {"index": entry.leaf_index}
        )


def reverse_entry(
    actor: Member | None, entry: Entry, *, date: datetime.date, memo: str = "", reason: str = ""
) -> Entry:
    """A correction: a new entry with every posting negated. Both stay visible. `memo` is the
    system's; `reason`, what the treasurer typed (why it is reversed), is kept encrypted on the
    reversal (EntryNote) and shown in the journal."""
    check_reversible(entry)
    lines = [
        Line(p.account, p.fund, -Money.from_minor(p.units, p.currency_id, p.currency.exponent))
        for p in entry.postings.select_related("account", "fund", "currency").order_by("pk")
    ]
    with transaction.atomic():
        reversal = post_entry(actor, kind=EntryKind.REVERSAL, date=date, lines=lines, memo=memo,
                              reverses=entry)
        _keep_note(reversal, reason, field="reason")
    return reversal


def _keep_note(entry: Entry, note: str, *, field: str) -> None:
    """What a person typed about an entry, encrypted (EntryNote); nothing if empty."""
    if not note.strip():
        return
    try:
        EntryNote.objects.create(entry=entry, note=note.strip()[:500])
    except VaultError as error:
        raise ValidationError(
            {field: _("The note cannot be kept now: %(reason)s") % {"reason": error}}
        ) from None


# -- donations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedDonation:
    donation: Donation
    # The private receipt code, canonical form: shown once, then forgotten.
    code: str


def record_donation(
    actor: Member | None,
    *,
    date: datetime.date,
    amount: Money,
    fund: Fund,
    channel: str,
    campaign: Campaign | None = None,
    into: Account | None = None,
    donor_name: str = "",
    donor_contact: str = "",
    memo: str = "",
    note: str = "",
    submission_token: str | None = None,
    receipt_id: str | None = None,
) -> RecordedDonation:
    """Record a donation and make its private receipt. The donor's identity is optional,
    and kept (encrypted) only when given. `memo` is the system's (a bank line's number);
    `note`, what the treasurer typed, is kept encrypted (EntryNote). `receipt_id` is the
    fingerprint of a code made and shown earlier (a correction that waited for approval): then
    no code is made, and the one returned is empty."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the donation arrived.")})
    if amount.amount <= 0:
        raise ValidationError({"amount": _("A donation must be more than zero.")})
    submission = (
        hashlib.sha256(submission_token.encode()).hexdigest() if submission_token else None
    )
    if submission and Donation.objects.filter(submission=submission).exists():
        raise ValidationError(
            _("This form was already sent and the donation recorded; its receipt was shown then "
              "and cannot be shown again.")
        )
    into = into or account(CHANNEL_ACCOUNTS[Channel(channel)])
    if into.type != AccountType.ASSET:
        raise ValidationError({"into": _("A donation arrives into an asset account.")})
    code = "" if receipt_id else receipts.new_code()
    details = DonationDetails(channel, campaign, receipt_id or receipts.receipt_id(code),
                              submission)
    lines = [Line(into, fund, amount), Line(account(INCOME_ACCOUNT), fund, -amount)]
    with transaction.atomic():
        entry = post_entry(actor, kind=EntryKind.DONATION, date=date, lines=lines, memo=memo,
                           donation=details)
        donation = entry.donation
        _keep_note(entry, note, field="memo")
        if donor_name.strip() or donor_contact.strip():
            try:
                DonorIdentity.objects.create(
                    donation=donation, name=donor_name.strip(), contact=donor_contact.strip()
                )
            except VaultError as error:
                raise ValidationError(
                    {"donor_name": _("The donor's identity cannot be kept now: %(reason)s")
                     % {"reason": error}}
                ) from None
            record("ledger.donor_identity_kept", actor=actor, obj=donation)
    return RecordedDonation(donation, code)


# -- other entries ----------------------------------------------------------------------------


def record_exchange(
    actor: Member | None, *, date: datetime.date, fund: Fund, sold_from: Account, sold: Money,
    bought_into: Account, bought: Money, memo: str = "",
) -> Entry:
    """Currency exchange through the trading accounts: each currency balances on its own,
    and the rate used is the ratio of the two amounts."""
    if sold.currency == bought.currency:
        raise ValidationError(_("An exchange needs two different currencies."))
    if sold.amount <= 0 or bought.amount <= 0:
        raise ValidationError(_("Both amounts of an exchange must be more than zero."))
    lines = [
        Line(sold_from, fund, -sold),
        Line(trading_account(sold.currency), fund, sold),
        Line(trading_account(bought.currency), fund, -bought),
        Line(bought_into, fund, bought),
    ]
    return post_entry(actor, kind=EntryKind.EXCHANGE, date=date, lines=lines, memo=memo)


def record_transfer(
    actor: Member | None, *, date: datetime.date, source: Fund, target: Fund, via: Account,
    amount: Money, memo: str = "",
) -> Entry:
    """Move money between funds; out of a restricted fund this is refused."""
    interfund = account(INTERFUND_ACCOUNT)
    lines = [
        Line(via, source, -amount), Line(interfund, source, amount),
        Line(interfund, target, -amount), Line(via, target, amount),
    ]
    return post_entry(actor, kind=EntryKind.TRANSFER, date=date, lines=lines, memo=memo)


# -- chart, funds, currencies --------------------------------------------------------------


def _created(actor: Member | None, action: str, obj: Account | Fund | Currency,
             details: dict[str, object]) -> None:
    record(action, actor=actor, obj=obj, details=details)


def create_fund(actor: Member | None, *, code: str, name: str, kind: str, purpose: str = "",
                case_ref: str = "") -> Fund:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    new = Fund(code=code, name=name, kind=kind, purpose=purpose, case_ref=case_ref)
    new.full_clean()
    if kind == FundKind.PURPOSE:
        target = account(purpose)
        if target.type != AccountType.EXPENSE:
            raise ValidationError({"purpose": _("A fund's purpose is an expense account.")})
    with transaction.atomic():
        new.save()
        _created(actor, "ledger.fund_created", new, {"code": code, "kind": kind})
    return new


def create_account(actor: Member | None, *, code: str, name: str, type: str) -> Account:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    new = Account(code=code, name=name, type=type)
    new.full_clean()
    with transaction.atomic():
        new.save()
        _created(actor, "ledger.account_created", new, {"code": code, "type": type})
    return new


def add_currency(actor: Member | None, *, code: str, name: str, exponent: int,
                 official: bool) -> Currency:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    new = Currency(code=code, name=name, exponent=exponent, official=official)
    new.full_clean()
    if exponent > 8:
        raise ValidationError({"exponent": _("At most 8 decimal places.")})
    with transaction.atomic():
        new.save(force_insert=True)
        _created(actor, "ledger.currency_added", new, {"code": code, "exponent": exponent})
    return new


# -- reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundBalanceRow:
    fund: Fund
    balance: Money
    in_base: Money | None
    # The rate converted at (rates.conversion): None in the base currency or for want of one.
    rate: Rate | None


@dataclass(frozen=True)
class BalanceReport:
    base: str
    on: datetime.date
    rows: list[FundBalanceRow]
    total: Money
    # Currencies with no rate on or before the day: left out of the total, and said so.
    missing_rates: list[str]

    @property
    def rates_used(self) -> list[ExchangeRate]:
        seen = {used.pk: used for row in self.rows if row.rate is not None
                for used in row.rate.rates}
        return sorted(seen.values(), key=lambda rate: rate.currency_id)


def fund_balances(on: datetime.date, base_code: str | None = None) -> BalanceReport:
    """Every fund's current balance in each currency, and in the base currency at the
    rates of `on` (each row names the rate it used: rates.conversion — a direct rate, an
    inverse one, or two through the base currency)."""
    base = currency(base_code or conf.base_currency())
    rows, total, missing = [], Decimal(0), set()
    balances = (FundBalance.objects.exclude(units=0).select_related("fund", "currency")
                .order_by("fund__code", "currency_id"))
    for row in balances:
        balance = Money.from_minor(row.units, row.currency_id, row.currency.exponent)
        converted, rate = convert_to_minor(balance, base.code, base.exponent, on)
        if converted is None:
            missing.add(row.currency_id)
        else:
            total += converted.amount
        rows.append(FundBalanceRow(row.fund, balance, converted, rate))
    return BalanceReport(base.code, on, rows, Money(base.code, total), sorted(missing))


def trial_balance() -> dict[str, dict[str, int]]:
    """Sum of postings per currency and account, in minor units, from the postings."""
    result: dict[str, dict[str, int]] = defaultdict(dict)
    rows = Posting.objects.values("currency_id", "account__code").annotate(total=Sum("units"))
    for row in rows:
        result[row["currency_id"]][row["account__code"]] = int(row["total"])
    return dict(result)
