"""Public statements of the books (`pompolit-statement/1`): the figures, recomputed from the
signed leaves of the "ledger" log, and every way a statement can be found wrong.

A statement carries ALL the leaves of the log up to its checkpoint (leaf 0 first), so every
figure — opening balances included — is recomputed from signed data alone; the figures of
the period come from the leaves dated in it. docs/transparency.md ("Statements") specifies
the document and each figure, so that anyone can write their own verifier.

Problems are collected rather than raised one at a time, so a tampered statement is
reported completely: which leaf, which figure, what was expected and what was found.
"""

import datetime
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Protocol, TextIO

from . import checkpoint as checkpoints
from . import rules, strictjson
from .bundle import check_checkpoint, decode_proof
from .checkpoint import Checkpoint
from .errors import DocumentError, VerificationError
from .merkle import RootBuilder, hash_leaves, verify_consistency
from .note import b64, b64decode_strict
from .report import Report
from .store import HASH_SIZE
from .strictjson import shown

STATEMENT = "pompolit-statement/1"
LEAF = rules.LEAF
# Account types by the first segment of the account's code; a chart that says otherwise
# would move money between "expenses" and "balances" unseen, so it is refused.
TYPE_BY_PREFIX = {
    "assets": "asset",
    "liabilities": "liability",
    "income": "income",
    "expenses": "expense",
    "net-assets": "net_assets",
    "trading": "net_assets",
}
ACCOUNT_TYPES = frozenset(TYPE_BY_PREFIX.values())
BALANCE_TYPES = frozenset({"asset", "liability"})
FIGURES = (
    "entries", "later_entries", "opening_balances", "closing_balances", "income", "expenses",
    "by_month", "by_fund",
)
_AMOUNT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
_RATE = re.compile(r"(0|[1-9][0-9]{0,29})(\.[0-9]{1,30})?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
MAX_PROBLEMS = 1000


# -- amounts ----------------------------------------------------------------------------------


def amount_text(units: int, places: int) -> str:
    """The canonical text of an amount: "-1500.00", "10", "0.000001"."""
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(places + 1, "0")
    return sign + digits if places == 0 else f"{sign}{digits[:-places]}.{digits[-places:]}"


def parse_amount(text: object, places: int) -> int:
    """Minor units of a canonical amount with exactly `places` decimals; ValueError if not."""
    if not isinstance(text, str) or not _AMOUNT.fullmatch(text) or text == "-0" or (
        text.startswith("-") and not text.strip("-0.")
    ):
        raise ValueError(f"{text!r} is not an amount")
    whole, _, fraction = text.partition(".")
    if len(fraction) != places:
        raise ValueError(f"{text!r} does not have exactly {places} decimal places")
    return int(whole + fraction) if fraction else int(whole)


# -- dates and periods ------------------------------------------------------------------------


def date_span(text: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a published date ("2026", "2026-10", "2026-10-14") covers."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date")
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
        return day, day
    if len(parts) == 2:
        first = datetime.date(parts[0], parts[1], 1)
        following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime.date
    end: datetime.date

    def place(self, published: str) -> str:
        """"before", "in" or "after" the period; ValueError if the date straddles an edge."""
        first, last = date_span(published)
        if last < self.start:
            return "before"
        if first > self.end:
            return "after"
        if self.start <= first and last <= self.end:
            return "in"
        raise ValueError(
            f"its date {published} is less precise than the period {self.label} "
            f"({self.start} to {self.end})"
        )

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


def parse_period(value: object) -> Period:
    if not isinstance(value, dict):
        raise DocumentError("the statement's 'period' must be an object")
    label, start, end = value.get("label"), value.get("start"), value.get("end")
    if not isinstance(label, str) or not isinstance(start, str) or not isinstance(end, str):
        raise DocumentError("the period needs 'label', 'start' and 'end' strings")
    try:
        if not _DAY.fullmatch(start) or not _DAY.fullmatch(end):
            raise ValueError
        period = Period(label, datetime.date.fromisoformat(start),
                        datetime.date.fromisoformat(end))
    except ValueError:
        raise DocumentError(f"the period's dates {start!r} and {end!r} are not days") from None
    if period.end < period.start:
        raise DocumentError(f"the period ends ({end}) before it starts ({start})")
    return period


# -- problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing found wrong. `what` is "signature", "leaf", "json", "reversal", "order",
    "figure", "case", "chart", "consistency" or "previous"; leaf and figure say where,
    expected/found what. "json": a leaf is not even strict JSON (the command exits 2)."""

    what: str
    message: str
    leaf: int | None = None
    figure: str | None = None
    expected: str | None = None
    found: str | None = None

    def as_json(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class StatementProblems(VerificationError):
    """The statement does not verify; `problems` lists everything found."""

    def __init__(self, problems: Sequence[Problem], prefix: str = "") -> None:
        self.problems = list(problems)
        shown = [prefix + p.message for p in self.problems[:20]]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(f"… and {more} more problem(s) (see --json)")
        count = len(self.problems)
        head = f"{count} problem(s) found" + (":" if count else "")
        super().__init__("\n          ".join([head, *shown]) if shown else head)


class UnreadableStatement(StatementProblems, DocumentError):
    """Problems, one of them a signed leaf that is not even strict JSON: the input cannot be
    read as it stands (exit 2), though every problem found is listed."""


def problems_error(problems: Sequence[Problem]) -> StatementProblems:
    """The exception for these problems: UnreadableStatement if a leaf is not strict JSON."""
    if any(p.what == "json" for p in problems):
        return UnreadableStatement(problems)
    return StatementProblems(problems)


# -- the figures ------------------------------------------------------------------------------


Key = tuple[str, ...]


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


def _add_pair(table: dict[Key, list[int]], key: Key, position: int, units: int) -> None:
    pair = table.get(key)
    if pair is None:
        pair = table[key] = [0, 0]
    pair[position] += units


def scan_leaves(
    leaves: Iterable[bytes],
    period: Period,
    accounts: Mapping[str, str],
    places: Mapping[str, int],
) -> LeafScan:
    """Read every leaf (leaf 0 first) and compute the figures of `period`."""
    figures = Figures()
    problems: list[Problem] = []
    donations: dict[str, Donation] = {}
    # leaf index -> (campaign, channel) of donation leaves: a reversal's income is counted
    # under the campaign and channel of the donation it reverses.
    sources: dict[int, tuple[str, str]] = {}
    places_cache: dict[str, str] = {}

    def problem(index: int, message: str) -> None:
        problems.append(Problem("leaf", f"leaf {index}: {message}", leaf=index))

    lookup = leaves.__getitem__ if isinstance(leaves, Sequence) else None
    book = rules.Reversals(lookup)
    for index, data in enumerate(leaves):
        try:
            leaf = rules.read_leaf(data)
        except rules.LeafProblem as error:
            book.invalid(index)
            problems.append(Problem("json" if error.unreadable else "leaf",
                                    f"leaf {index} {error.message}", leaf=index))
            continue
        date = leaf.date
        try:
            where = period.place(date)
        except ValueError as error:
            book.invalid(index)
            problem(index, str(error))
            continue
        lines: list[tuple[str, str, str, str, int]] = []
        try:
            for account, fund, amount, currency in leaf.postings:
                if currency not in places:
                    raise ValueError(f"its currency {shown(currency)} is not in the statement")
                kind = accounts.get(account)
                if kind is None:
                    raise ValueError(f"its account {shown(account)} is not in the statement's "
                                     "chart")
                # read_leaf checked the amount's form; here its decimals.
                whole, _, fraction = amount.partition(".")
                if len(fraction) != places[currency]:
                    raise ValueError(f"{amount!r} does not have exactly {places[currency]} "
                                     "decimal places")
                lines.append((account, kind, fund, currency, int(whole + fraction)))
        except ValueError as error:
            book.invalid(index)
            problem(index, str(error.args[0]))
            continue
        sums: dict[tuple[str, str], int] = defaultdict(int)
        for _account, _kind, fund, currency, units in lines:
            sums[(fund, currency)] += units
        unbalanced = [(k, v) for k, v in sorted(sums.items()) if v]
        for (fund, currency), rest in unbalanced:
            problem(index, f"does not balance: in fund {fund!r} its {currency} postings sum to "
                    f"{amount_text(rest, places[currency])}, not 0")
        for message in book.add(index, leaf):
            problems.append(Problem("reversal", f"leaf {index} {message}", leaf=index))
        channel, campaign = leaf.channel or "", leaf.campaign or ""
        receipt = leaf.receipt
        if leaf.reverses is not None and leaf.reverses < index:
            campaign, channel = sources.get(leaf.reverses, (campaign, channel))
        if receipt is not None:
            if receipt in donations:
                problem(index, f"carries the receipt of leaf {donations[receipt].index} again")
            else:
                account, _kind, fund, currency, units = lines[0]
                donations[receipt] = Donation(
                    index, date, fund, amount_text(units, places[currency]), currency,
                    channel, campaign,
                )
        if channel or campaign:
            sources[index] = (campaign, channel)

        if where == "after":
            figures.later_entries += 1
            continue
        if where == "in":
            figures.entries += 1
        month = places_cache.get(date) or places_cache.setdefault(date, date[:7])
        for account, kind, fund, currency, units in lines:
            if kind in BALANCE_TYPES:
                figures.closing_balances[(fund, currency)] += units
                if where == "before":
                    figures.opening_balances[(fund, currency)] += units
            elif where == "in" and kind == "income":
                figures.income[(campaign, channel, currency)] -= units
                _add_pair(figures.by_month, (month, currency), 0, -units)
                _add_pair(figures.by_fund, (fund, currency), 0, -units)
            elif where == "in" and kind == "expense":
                figures.expenses[(account, currency)] += units
                _add_pair(figures.by_month, (month, currency), 1, units)
                _add_pair(figures.by_fund, (fund, currency), 1, units)
    return LeafScan(figures, problems, donations, book.reversed_by)


# -- comparing figures ------------------------------------------------------------------------


def _figure_table(value: object, name: str, keys: Sequence[str],
                  amounts: Sequence[str]) -> dict[Key, tuple[str, ...]]:
    if not isinstance(value, list):
        raise DocumentError(f"the figure {name!r} must be a list")
    table: dict[Key, tuple[str, ...]] = {}
    for position, row in enumerate(value, start=1):
        if not isinstance(row, dict) or not all(
            isinstance(row.get(k), str) for k in (*keys, *amounts)
        ):
            raise DocumentError(f"row {position} of the figure {name!r} is malformed")
        key = tuple(str(row[k]) for k in keys)
        if key in table:
            raise DocumentError(f"the figure {name!r} lists {_label(name, keys, key)} twice")
        table[key] = tuple(str(row[a]) for a in amounts)
    return table


def _label(name: str, keys: Sequence[str], key: Key) -> str:
    inside = ", ".join(f"{k}={v!r}" if v else f"{k}=none" for k, v in zip(keys, key, strict=True))
    return f"{name}[{inside}]"


TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "opening_balances": (("fund", "currency"), ("amount",)),
    "closing_balances": (("fund", "currency"), ("amount",)),
    "income": (("campaign", "channel", "currency"), ("amount",)),
    "expenses": (("category", "currency"), ("amount",)),
    "by_month": (("month", "currency"), ("income", "expenses")),
    "by_fund": (("fund", "currency"), ("income", "expenses")),
}


def compare_figures(published: object, computed: Mapping[str, object],
                    label: str = "figure") -> list[Problem]:
    """Every published figure against the one recomputed from the leaves, row by row."""
    if not isinstance(published, dict):
        raise DocumentError("the statement's 'figures' must be an object")
    problems = []
    for name in ("entries", "later_entries"):
        found = published.get(name)
        if type(found) is not int or found != computed[name]:  # not true for 1, nor 6.0
            problems.append(Problem(
                "figure", f"{label} {name}: the leaves give {computed[name]}, the statement "
                f"says {found}", figure=name, expected=str(computed[name]), found=str(found)))
    for name in TABLES:
        if name not in published:
            raise DocumentError(f"the statement has no figure {name!r}")
        problems += _compare_table(name, published[name], computed[name], label)
    return problems


def _compare_table(name: str, published: object, computed: object,
                   label: str = "figure") -> list[Problem]:
    keys, amounts = TABLES.get(name) or CASE_TABLE
    said = _figure_table(published, name, keys, amounts)
    recomputed = _figure_table(computed, name, keys, amounts)
    problems = []
    for key in sorted(set(said) | set(recomputed)):
        want, got = recomputed.get(key), said.get(key)
        if want == got:
            continue
        where = _label(name, keys, key)
        want_text = "nothing" if want is None else " / ".join(want)
        got_text = "nothing (the row is missing)" if got is None else " / ".join(got)
        problems.append(Problem(
            "figure", f"{label} {where}: the leaves give {want_text}, the statement says "
            f"{got_text}", figure=where, expected=want_text, found=got_text))
    return problems


# -- expenses per case ------------------------------------------------------------------------

# Expenses per case are published only for cases whose consent allows it. A leaf does not
# say which case it paid for (consent can be withdrawn; leaves are forever), so the statement
# names, for each such case (by its public id), the leaves of the period that paid its
# expenses or reversed such a payment; the figure is recomputed from those leaves.
CASE_FIGURE = "expenses_by_case"
CASE_TABLE = (("case", "category", "currency"), ("amount",))


def case_leaves(document: Mapping[str, Any]) -> dict[str, list[int]]:
    listed = document.get("case_leaves", {})
    if not isinstance(listed, dict) or not all(
        isinstance(case, str) and isinstance(indices, list)
        and all(isinstance(i, int) and not isinstance(i, bool) for i in indices)
        for case, indices in listed.items()
    ):
        raise DocumentError("the statement's 'case_leaves' must map public case ids to lists "
                            "of leaf indices")
    return listed


def scan_case_expenses(stmt: "Statement") -> tuple[dict[Key, int], list[Problem]]:
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


def check_case_expenses(stmt: "Statement") -> list[Problem]:
    table, problems = scan_case_expenses(stmt)
    computed = [
        {"case": key[0], "category": key[1], "currency": key[2],
         "amount": amount_text(units, stmt.places[key[2]])}
        for key, units in sorted(table.items()) if units
    ]
    figures = stmt.document.get("figures")
    published = figures.get(CASE_FIGURE, []) if isinstance(figures, dict) else []
    return problems + _compare_table(CASE_FIGURE, published, computed)


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


# -- aligning leaves against what was signed --------------------------------------------------


def align(reference: Sequence[bytes], found: Sequence[bytes], what: str) -> list[Problem]:
    """Name each position where `found` differs from `reference` (both lists of leaf hashes):
    a changed leaf, a dropped one, an inserted one, or one moved from elsewhere."""
    problems: list[Problem] = []
    positions: dict[bytes, list[int]] = defaultdict(list)
    for index, value in enumerate(reference):
        positions[value].append(index)
    present = set(found)
    for index in range(max(len(reference), len(found))):
        want = reference[index] if index < len(reference) else None
        got = found[index] if index < len(found) else None
        if want == got:
            continue
        if got is None:
            message = f"leaf {index} of {what} is missing at the end"
        elif want is None:
            message = f"leaf {index} is not in {what}: it was added"
        elif got in positions and want not in present:
            message = (f"leaf {index} of {what} was dropped (leaf {index} here is "
                       f"{what}'s leaf {_nearest(positions[got], index)})")
        elif got in positions:
            message = (f"leaf {index} is out of order: it is {what}'s leaf "
                       f"{_nearest(positions[got], index)}")
        else:
            message = f"leaf {index} was changed: it is not {what}'s leaf {index}"
        problems.append(Problem("order" if got in positions else "leaf", message, leaf=index))
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


def _nearest(candidates: Sequence[int], index: int) -> int:
    return min(candidates, key=lambda c: abs(c - index))


# -- reading a statement ----------------------------------------------------------------------


@dataclass
class Statement:
    document: dict[str, Any]
    period: Period
    leaves: list[bytes]
    leaf_hashes: list[bytes]
    accounts: dict[str, str]
    places: dict[str, int]


def _decode_list(value: object, name: str) -> list[bytes]:
    if not isinstance(value, list):
        raise DocumentError(f"the statement's {name!r} must be a list of base64 strings")
    out = []
    decode = b64decode_strict
    for index, text in enumerate(value):
        if not isinstance(text, str):
            raise DocumentError(f"{name} {index} is not a string")
        try:
            out.append(decode(text))
        except ValueError as error:
            raise DocumentError(f"{name} {index} is {error}") from None
    return out


def read_statement(stream: TextIO | strictjson.Utf8Reader, name: str = "the statement"
                   ) -> Statement:
    try:
        text = stream.read()
    except UnicodeDecodeError:
        raise DocumentError(f"{name} is not UTF-8 text") from None
    except OSError as error:
        raise DocumentError(f"cannot read {name}: {error.strerror}") from None
    document = strictjson.loads(text, name, decoded=isinstance(stream, strictjson.Utf8Reader))
    del text  # 50 MB for a year of 100,000 entries: not kept while the leaves are decoded
    if not isinstance(document, dict):
        raise DocumentError(f"{name} is not a JSON object")
    if document.get("format") != STATEMENT:
        raise DocumentError(
            f"{name}'s format is {document.get('format')!r}, expected {STATEMENT!r}"
        )
    for required in ("origin", "checkpoint", "base_currency"):
        if not isinstance(document.get(required), str):
            raise DocumentError(f"{name} has no {required!r} string")
    accounts, places = document.get("accounts"), document.get("currencies")
    if not isinstance(accounts, dict) or not all(isinstance(v, str) for v in accounts.values()):
        raise DocumentError(f"{name}'s 'accounts' must map account codes to types")
    if not isinstance(places, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 18 for v in places.values()
    ):
        raise DocumentError(f"{name}'s 'currencies' must map currency codes to decimal places")
    hashes = _decode_list(document.get("leaf_hashes"), "leaf_hashes")
    if any(len(h) != HASH_SIZE for h in hashes):
        raise DocumentError(f"{name}'s leaf_hashes must each be {HASH_SIZE} bytes")
    return Statement(
        document=document,
        period=parse_period(document.get("period")),
        leaves=_decode_list(document.get("leaves"), "leaves"),
        leaf_hashes=hashes,
        accounts=dict(accounts),
        places=dict(places),
    )


def _check_chart(accounts: Mapping[str, str], places: Mapping[str, int]) -> list[Problem]:
    """Every code of the chart and of the currencies from the alphabet (rules.check_code);
    every account's type the one its code says."""
    problems = []
    for kind_of_code, codes in (("account", accounts), ("currency", places)):
        for code in sorted(codes):
            reason = rules.check_code(kind_of_code, code)
            if reason:
                problems.append(Problem("chart", f"the statement's chart: {reason}",
                                        found=code))
    for code, kind in sorted(accounts.items()):
        expected = TYPE_BY_PREFIX.get(code.split(":", 1)[0])
        if kind not in ACCOUNT_TYPES or (expected is not None and kind != expected):
            problems.append(Problem(
                "chart", f"the chart says account {code!r} is of type {kind!r}, but its code "
                f"makes it {expected or 'one of ' + ', '.join(sorted(ACCOUNT_TYPES))!r}",
                expected=expected, found=kind))
    return problems


@dataclass
class Verified:
    statement: Statement
    checkpoint: Checkpoint
    scan: LeafScan
    problems: list[Problem]


def _root_of(hashes: bytes) -> bytes:
    builder = RootBuilder()
    builder.grow(hashes)
    return builder.root()


def _check_leaves_against_root(stmt: Statement, signed: Checkpoint) -> list[Problem]:
    """The leaves must be exactly the signed tree; if not, name the leaves that differ,
    using the statement's leaf hash list once it is shown to produce the signed root."""
    data_hashes = hash_leaves(stmt.leaves)
    if len(stmt.leaves) == signed.size and _root_of(data_hashes) == signed.root:
        if b"".join(stmt.leaf_hashes) != data_hashes:
            return [Problem("leaf", "the leaves are exactly the signed tree, but the "
                            "statement's leaf_hashes list does not match them")]
        return []
    reference = b"".join(stmt.leaf_hashes)
    if len(stmt.leaf_hashes) == signed.size and _root_of(reference) == signed.root:
        found = [data_hashes[i : i + HASH_SIZE] for i in range(0, len(data_hashes), HASH_SIZE)]
        problems = align(stmt.leaf_hashes, found, "the signed log")
        if problems:
            return problems
    return [Problem(
        "leaf", f"the {len(stmt.leaves)} leaves hash to root {b64(_root_of(data_hashes))}, but "
        f"the checkpoint signs {signed.size} leaves with root {b64(signed.root)}: a leaf was "
        "changed, added, removed or reordered (the leaf_hashes list was altered too, so which "
        "one cannot be told)")]


def verify_statement(stmt: Statement, vkey: str, report: Report,
                     witnesses: Sequence[str] = ()) -> Verified:
    """Check one statement; every problem is collected. Raises only DocumentError."""
    doc = stmt.document
    problems: list[Problem] = []
    try:
        signed = check_checkpoint(doc["checkpoint"], vkey, report, witnesses=witnesses)
    except DocumentError:
        raise
    except VerificationError as error:
        problems.append(Problem("signature", error.reason))
        signed = checkpoints.parse(doc["checkpoint"])  # still locate what we can
    if signed.origin != doc["origin"]:
        problems.append(Problem("signature", f"the statement says it is from log "
                                f"{doc['origin']!r}, its checkpoint says {signed.origin!r}"))
    leaf_problems = _check_leaves_against_root(stmt, signed)
    problems += leaf_problems
    if not leaf_problems:
        report.passed(f"the {signed.size} leaves (leaf_hashes too) hash to the root the "
                      "checkpoint signs: none was changed, added, removed or reordered")
    problems += _check_previous_checkpoint(doc, signed, vkey, report, witnesses)
    chart = _check_chart(stmt.accounts, stmt.places)
    base_problem = rules.check_code("currency", doc["base_currency"])
    if base_problem:
        chart.append(Problem("chart", f"the statement's base currency: {base_problem}"))
    problems += chart
    scan = scan_leaves(stmt.leaves, stmt.period, stmt.accounts, stmt.places)
    problems += scan.problems
    computed = scan.figures.as_json(stmt.places)
    figure_problems = compare_figures(doc.get("figures"), computed)
    base = doc["base_currency"]
    in_base = closing_in_base(
        computed["closing_balances"], doc.get("rates", []), base, stmt.places  # type: ignore[arg-type]
    )
    if doc.get("closing_in_base") != in_base:
        figure_problems.append(Problem(
            "figure", f"figure closing_in_base: the closing balances at the published rates "
            f"give {json.dumps(in_base, ensure_ascii=False)}, the statement says "
            f"{json.dumps(doc.get('closing_in_base'), ensure_ascii=False)}",
            figure="closing_in_base", expected=json.dumps(in_base),
            found=json.dumps(doc.get("closing_in_base"))))
    figure_problems += check_case_expenses(stmt)
    problems += figure_problems
    if not figure_problems and not scan.problems and not chart:
        report.passed(
            f"every figure of {stmt.period.label} ({stmt.period.start} to {stmt.period.end}) "
            f"equals the total recomputed from the leaves: {scan.figures.entries} entries in "
            f"the period, {scan.figures.later_entries} after it; the total in {base} at the "
            "published rates too"
        )
    report.facts.update(period=stmt.period.as_json(), size=signed.size, origin=signed.origin,
                        root=b64(signed.root))
    return Verified(stmt, signed, scan, problems)


def _check_previous_checkpoint(doc: Mapping[str, Any], signed: Checkpoint, vkey: str,
                               report: Report, witnesses: Sequence[str]) -> list[Problem]:
    if "previous_checkpoint" not in doc:
        report.note("the statement has no previous checkpoint: it is the first one")
        return []
    text = doc["previous_checkpoint"]
    if not isinstance(text, str):
        raise DocumentError("'previous_checkpoint' must be a string")
    try:
        previous = check_checkpoint(text, vkey, report, "previous checkpoint", witnesses)
    except DocumentError:
        raise
    except VerificationError as error:
        return [Problem("signature", error.reason)]
    proof = decode_proof(doc.get("consistency_proof"), "consistency proof")
    try:
        verify_consistency(previous.size, signed.size, previous.root, signed.root, proof)
    except VerificationError as error:
        return [Problem("consistency", "the consistency proof from the previous checkpoint "
                        f"does not verify: {error.reason}")]
    report.passed(f"the tree of {signed.size} leaves contains the previous statement's tree of "
                  f"{previous.size} leaves unchanged (consistency proof of {len(proof)} hashes)")
    return []


# -- against the previous statement -----------------------------------------------------------


def compare_with_previous(new: Verified, old: Verified, report: Report) -> list[Problem]:
    """History only appended, the old figures unchanged, the periods joined up."""
    problems: list[Problem] = []
    new_doc, old_cp = new.statement.document, old.checkpoint
    previous_text = new_doc.get("previous_checkpoint")
    if isinstance(previous_text, str):
        previous = checkpoints.parse(previous_text)
        if (previous.size, previous.root) != (old_cp.size, old_cp.root):
            problems.append(Problem(
                "previous", f"the new statement's previous checkpoint ({previous.size} leaves) "
                f"is not the old statement's checkpoint ({old_cp.size} leaves)"))
    else:
        problems.append(Problem("previous", "the new statement names no previous checkpoint, "
                                "though an older statement exists"))
    old_hashes = old.statement.leaf_hashes or []
    new_data = hash_leaves(new.statement.leaves[: len(old.statement.leaves)])
    found = [new_data[i : i + HASH_SIZE] for i in range(0, len(new_data), HASH_SIZE)]
    reference = [h for h in (old_hashes if len(old_hashes) == old_cp.size else [])]
    if not reference:
        reference_bytes = hash_leaves(old.statement.leaves)
        reference = [reference_bytes[i : i + HASH_SIZE]
                     for i in range(0, len(reference_bytes), HASH_SIZE)]
    history = align(reference, found, "the previous statement")
    problems += [Problem(p.what, p.message + " (history was rewritten)", leaf=p.leaf)
                 for p in history]
    if not history:
        report.passed(f"the first {old_cp.size} leaves are exactly the previous statement's")
    # The old period is closed: recomputed from the new leaves its figures must not move.
    rescan = scan_leaves(new.statement.leaves, old.statement.period, new.statement.accounts,
                         new.statement.places)
    computed = rescan.figures.as_json(new.statement.places)
    computed["later_entries"] = old.scan.figures.later_entries  # grows, as it should
    moved = compare_figures(old.statement.document.get("figures"), computed,
                            f"previous statement's ({old.statement.period.label}) figure")
    problems += [Problem(p.what, p.message + ": an entry was added to or removed from a "
                         "closed period", figure=p.figure, expected=p.expected, found=p.found)
                 for p in moved if p.figure != "later_entries"]
    if not moved:
        report.passed(f"the figures of the closed period {old.statement.period.label} are "
                      "unchanged when recomputed from the new leaves")
    if new.statement.period.start == old.statement.period.end + datetime.timedelta(days=1):
        opening = new.scan.figures.as_json(new.statement.places)["opening_balances"]
        closing = old.scan.figures.as_json(old.statement.places)["closing_balances"]
        if opening != closing:
            problems.append(Problem("previous", "the opening balances are not the previous "
                                    "statement's closing balances"))
        else:
            report.passed("the opening balances are the previous statement's closing balances")
    else:
        report.note(f"the periods {old.statement.period.label} and "
                    f"{new.statement.period.label} do not join up")
    return problems


def verify_statement_file(
    stream: TextIO | strictjson.Utf8Reader, vkey: str, report: Report,
    previous: TextIO | strictjson.Utf8Reader | None = None, witnesses: Sequence[str] = (),
    name: str = "the statement", previous_name: str = "the previous statement",
) -> Verified:
    """Read and check a statement (and the previous one); raise StatementProblems if any."""
    new = verify_statement(read_statement(stream, name), vkey, report, witnesses)
    problems = list(new.problems)
    if previous is not None:
        old_report = Report()
        old = verify_statement(read_statement(previous, previous_name), vkey,
                              old_report, witnesses)
        problems += [Problem(p.what, "previous statement: " + p.message, leaf=p.leaf,
                             figure=p.figure, expected=p.expected, found=p.found)
                     for p in old.problems]
        report.checks += [f"previous statement: {c}" for c in old_report.checks]
        problems += compare_with_previous(new, old, report)
    report.facts["problems"] = [p.as_json() for p in problems[:MAX_PROBLEMS]]
    if problems:
        raise problems_error(problems)
    return new


# -- writing ----------------------------------------------------------------------------------


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def statement_parts(head: Mapping[str, object], leaves: Iterable[bytes],
                    again: Iterable[bytes] | None = None) -> Iterator[str]:
    """The text of a statement, piece by piece: the head fields, then the leaves one per
    line, then their hashes. With `again` (the same leaves, read a second time) the hashes
    are computed on a second pass and memory stays flat however many leaves there are;
    without it they are collected on the way (32 bytes a leaf)."""
    body = json.dumps({"format": STATEMENT, **head}, ensure_ascii=False, indent=1)
    yield body[:-2]
    yield ',\n "leaves": ['
    separator = "\n"
    hashes: list[bytes] = []
    chunk: list[bytes] = []
    for data in leaves:
        yield f'{separator}  "{b64(data)}"'
        separator = ",\n"
        if again is None:
            chunk.append(data)
            if len(chunk) >= 4096:
                hashes.append(hash_leaves(chunk))
                chunk.clear()
    yield '\n ],\n "leaf_hashes": ['
    separator = "\n"
    for joined in _hash_chunks(again) if again is not None else [*hashes, hash_leaves(chunk)]:
        for i in range(0, len(joined), HASH_SIZE):
            yield f'{separator}  "{b64(joined[i : i + HASH_SIZE])}"'
            separator = ",\n"
    yield "\n ]\n}\n"


def _hash_chunks(leaves: Iterable[bytes]) -> Iterator[bytes]:
    chunk: list[bytes] = []
    for data in leaves:
        chunk.append(data)
        if len(chunk) >= 4096:
            yield hash_leaves(chunk)
            chunk.clear()
    yield hash_leaves(chunk)


def write_statement(out: Writer, head: Mapping[str, object], leaves: Iterable[bytes],
                    again: Iterable[bytes] | None = None) -> None:
    """Write a statement (see statement_parts)."""
    for part in statement_parts(head, leaves, again):
        out.write(part)
