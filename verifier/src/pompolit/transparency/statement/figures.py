"""The figures, recomputed from the signed leaves: `scan_leaves` reads every leaf once (leaf 0
first), checks it and counts it into the period's totals; the expenses per case and the
closing balances in the base currency are computed from what it found."""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from .. import rules
from ..errors import DocumentError
from ..strictjson import shown
from .chart import BALANCE_TYPES
from .problems import Problem
from .read import Period, Statement, amount_text, case_leaves, parse_amount

_RATE = re.compile(r"(0|[1-9][0-9]{0,29})(\.[0-9]{1,30})?")

Key = tuple[str, ...]
# A leaf's postings, resolved against the statement's chart and currencies:
# (account, its type, fund, currency, amount in minor units).
Line = tuple[str, str, str, str, int]


def _add_pair(table: dict[Key, list[int]], key: Key, position: int, units: int) -> None:
    pair = table.get(key)
    if pair is None:
        pair = table[key] = [0, 0]
    pair[position] += units


@dataclass
class Figures:
    """Every total a statement publishes, in minor units, keyed as in the document."""

    entries: int = 0
    later_entries: int = 0
    opening_balances: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    closing_balances: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    income: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    expenses: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    # (month, currency) and (fund, currency) -> [income, expenses]
    by_month: dict[Key, list[int]] = field(default_factory=dict)
    by_fund: dict[Key, list[int]] = field(default_factory=dict)

    def as_json(self, places: Mapping[str, int]) -> dict[str, object]:
        def money(key: Key, units: int) -> str:
            return amount_text(units, places[key[-1]])

        def rows(table: Mapping[Key, int], names: Sequence[str]) -> list[dict[str, str]]:
            return [
                {**dict(zip(names, key, strict=True)), "amount": money(key, units)}
                for key, units in sorted(table.items()) if units
            ]

        def pairs(table: Mapping[Key, list[int]], names: Sequence[str]) -> list[dict[str, str]]:
            return [
                {**dict(zip(names, key, strict=True)), "income": money(key, value[0]),
                 "expenses": money(key, value[1])}
                for key, value in sorted(table.items()) if value[0] or value[1]
            ]

        return {
            "entries": self.entries,
            "later_entries": self.later_entries,
            "opening_balances": rows(self.opening_balances, ("fund", "currency")),
            "closing_balances": rows(self.closing_balances, ("fund", "currency")),
            "income": rows(self.income, ("campaign", "channel", "currency")),
            "expenses": rows(self.expenses, ("category", "currency")),
            "by_month": pairs(self.by_month, ("month", "currency")),
            "by_fund": pairs(self.by_fund, ("fund", "currency")),
        }


    def count(self, where: str, month: str, lines: Sequence[Line], campaign: str,
              channel: str) -> None:
        """Add one leaf, placed "before", "in" or "after" the period, to the figures."""
        if where == "after":
            self.later_entries += 1
            return
        if where == "in":
            self.entries += 1
        for account, kind, fund, currency, units in lines:
            if kind in BALANCE_TYPES:
                self.closing_balances[(fund, currency)] += units
                if where == "before":
                    self.opening_balances[(fund, currency)] += units
            elif where == "in" and kind == "income":
                self.income[(campaign, channel, currency)] -= units
                _add_pair(self.by_month, (month, currency), 0, -units)
                _add_pair(self.by_fund, (fund, currency), 0, -units)
            elif where == "in" and kind == "expense":
                self.expenses[(account, currency)] += units
                _add_pair(self.by_month, (month, currency), 1, units)
                _add_pair(self.by_fund, (fund, currency), 1, units)


@dataclass(frozen=True)
class Donation:
    """What a donation leaf says about itself, for the receipt check."""

    index: int
    date: str
    fund: str
    amount: str
    currency: str
    channel: str
    campaign: str


@dataclass
class LeafScan:
    figures: Figures
    problems: list[Problem]
    # receipt identifier -> the donation, and leaf index -> the leaf reversing it
    donations: dict[str, Donation]
    reversed_by: dict[int, int]


def scan_leaves(
    leaves: Iterable[bytes],
    period: Period,
    accounts: Mapping[str, str],
    places: Mapping[str, int],
) -> LeafScan:
    """Read every leaf (leaf 0 first) and compute the figures of `period`."""
    lookup = leaves.__getitem__ if isinstance(leaves, Sequence) else None
    scanner = _Scanner(period, accounts, places, rules.Reversals(lookup))
    for index, data in enumerate(leaves):
        scanner.scan(index, data)
    return LeafScan(scanner.figures, scanner.problems, scanner.donations,
                    scanner.book.reversed_by)


class _Scanner:
    """scan_leaves, one leaf at a time: what it has found so far."""

    def __init__(self, period: Period, accounts: Mapping[str, str],
                 places: Mapping[str, int], book: rules.Reversals) -> None:
        self.period, self.accounts, self.places, self.book = period, accounts, places, book
        self.figures = Figures()
        self.problems: list[Problem] = []
        self.donations: dict[str, Donation] = {}
        # leaf index -> (campaign, channel) of donation leaves: a reversal's income is
        # counted under the campaign and channel of the donation it reverses.
        self.sources: dict[int, tuple[str, str]] = {}
        self.months: dict[str, str] = {}

    def scan(self, index: int, data: bytes) -> None:
        """One leaf: read it, place it in the period, check it, count it."""
        try:
            leaf = rules.read_leaf(data)
        except rules.LeafProblem as error:
            self.book.invalid(index)
            self.problems.append(Problem("json" if error.unreadable else "leaf",
                                         f"leaf {index} {error.message}", leaf=index))
            return
        try:
            where = self.period.place(leaf.date)
        except ValueError as error:
            self.reject(index, str(error))
            return
        try:
            lines = self.lines(leaf)
        except ValueError as error:
            self.reject(index, str(error.args[0]))
            return
        self.check_balance(index, lines)
        for message in self.book.add(index, leaf):
            self.problems.append(Problem("reversal", f"leaf {index} {message}", leaf=index))
        campaign, channel = self.source(index, leaf)
        self.note_receipt(index, leaf, lines, campaign, channel)
        date = leaf.date
        month = self.months.get(date) or self.months.setdefault(date, date[:7])
        self.figures.count(where, month, lines, campaign, channel)

    def problem(self, index: int, message: str) -> None:
        self.problems.append(Problem("leaf", f"leaf {index}: {message}", leaf=index))

    def reject(self, index: int, message: str) -> None:
        """The leaf cannot be counted (nor reversed)."""
        self.book.invalid(index)
        self.problem(index, message)

    def lines(self, leaf: rules.Leaf) -> list[Line]:
        """The leaf's postings in the statement's chart and currencies; ValueError if not."""
        lines: list[Line] = []
        for account, fund, amount, currency in leaf.postings:
            if currency not in self.places:
                raise ValueError(f"its currency {shown(currency)} is not in the statement")
            kind = self.accounts.get(account)
            if kind is None:
                raise ValueError(f"its account {shown(account)} is not in the statement's "
                                 "chart")
            # read_leaf checked the amount's form; here its decimals.
            whole, _, fraction = amount.partition(".")
            if len(fraction) != self.places[currency]:
                raise ValueError(f"{amount!r} does not have exactly {self.places[currency]} "
                                 "decimal places")
            lines.append((account, kind, fund, currency, int(whole + fraction)))
        return lines

    def check_balance(self, index: int, lines: Sequence[Line]) -> None:
        """In each fund, the postings of each currency sum to zero."""
        sums: dict[tuple[str, str], int] = defaultdict(int)
        for _account, _kind, fund, currency, units in lines:
            sums[(fund, currency)] += units
        unbalanced = [(k, v) for k, v in sorted(sums.items()) if v]
        for (fund, currency), rest in unbalanced:
            self.problem(index, f"does not balance: in fund {fund!r} its {currency} postings "
                         f"sum to {amount_text(rest, self.places[currency])}, not 0")

    def source(self, index: int, leaf: rules.Leaf) -> tuple[str, str]:
        """The (campaign, channel) the leaf's income counts under: its own, or for a
        reversal those of the donation it reverses."""
        channel, campaign = leaf.channel or "", leaf.campaign or ""
        if leaf.reverses is not None and leaf.reverses < index:
            campaign, channel = self.sources.get(leaf.reverses, (campaign, channel))
        if channel or campaign:
            self.sources[index] = (campaign, channel)
        return campaign, channel

    def note_receipt(self, index: int, leaf: rules.Leaf, lines: Sequence[Line],
                     campaign: str, channel: str) -> None:
        """Remember a donation by its receipt identifier; a receipt used twice is a problem."""
        receipt = leaf.receipt
        if receipt is None:
            return
        if receipt in self.donations:
            self.problem(index, f"carries the receipt of leaf {self.donations[receipt].index} "
                         "again")
            return
        _account, _kind, fund, currency, units = lines[0]
        self.donations[receipt] = Donation(
            index, leaf.date, fund, amount_text(units, self.places[currency]), currency,
            channel, campaign,
        )


# -- expenses per case ------------------------------------------------------------------------

# A leaf does not say which case it paid for (read.case_leaves): the statement lists, for each
# case whose consent allows it, the leaves of the period that paid its expenses.


def scan_case_expenses(stmt: Statement) -> tuple[dict[Key, int], list[Problem]]:
    """The expense postings of the leaves listed for each case, by (case, category,
    currency); a listed leaf outside the period, without an expense posting, missing, or
    listed twice is a problem."""
    table: dict[Key, int] = defaultdict(int)
    problems: list[Problem] = []
    owner: dict[int, str] = {}
    for case, indices in sorted(case_leaves(stmt.document).items()):
        for index in indices:
            where = f"case_leaves[{case!r}]: leaf {index}"
            if index in owner:
                problems.append(Problem("case", f"{where} is listed for case "
                                        f"{owner[index]!r} already", leaf=index))
                continue
            owner[index] = case
            if not 0 <= index < len(stmt.leaves):
                problems.append(Problem("case", f"{where} is not in the statement", leaf=index))
                continue
            try:
                leaf = rules.read_leaf(stmt.leaves[index])
                place = stmt.period.place(leaf.date)
                lines = [(a, c, m) for a, _f, m, c in leaf.postings
                         if stmt.accounts.get(a) == "expense"]
                amounts = [(a, c, parse_amount(t, stmt.places[c])) for a, c, t in lines]
            except (KeyError, TypeError, ValueError):  # rules.LeafProblem is a ValueError
                problems.append(Problem("case", f"{where} is malformed", leaf=index))
                continue
            if place != "in":
                problems.append(Problem("case", f"{where} is not dated in the period",
                                        leaf=index))
            elif not amounts:
                problems.append(Problem("case", f"{where} has no expense posting", leaf=index))
            for account, currency, units in amounts if place == "in" else []:
                table[(case, account, currency)] += units
    return table, problems


# -- the closing balances in the base currency ------------------------------------------------


def closing_in_base(closing: Sequence[Mapping[str, str]], rates: object, base: str,
                    places: Mapping[str, int]) -> dict[str, object]:
    """The closing balances' total in the base currency, at the published rates.

    Each row is converted and rounded half-to-even to the base currency's places, then
    summed; currencies without a rate are listed, never guessed."""
    table: dict[str, Decimal] = {}
    if not isinstance(rates, list):
        raise DocumentError("the statement's 'rates' must be a list")
    for row in rates:
        if not isinstance(row, dict) or row.get("base") != base:
            raise DocumentError("each rate must be an object whose 'base' is the base currency")
        rate = row.get("rate")
        if not isinstance(row.get("currency"), str) or not isinstance(rate, str) or \
                not _RATE.fullmatch(rate):
            raise DocumentError("a rate needs a 'currency' and a 'rate' written as a decimal "
                                f"string (found {shown(str(rate))[:60]})")
        table[row["currency"]] = Decimal(rate)
    step = Decimal(1).scaleb(-places[base]) if base in places else Decimal(1)
    total, missing = Decimal(0), set()
    try:
        for row in closing:
            currency = row["currency"]
            amount = Decimal(row["amount"])
            if currency == base:
                total += amount
            elif currency in table:
                total += (amount * table[currency]).quantize(step, rounding=ROUND_HALF_EVEN)
            else:
                missing.add(currency)
        text = f"{total.quantize(step):f}"
    except ArithmeticError:  # decimal.InvalidOperation: more digits than the context holds
        raise DocumentError("the closing balances at the published rates have more digits "
                            "than can be computed exactly") from None
    return {"base": base, "amount": text, "not_converted": sorted(missing)}
