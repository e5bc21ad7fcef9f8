"""`pompolit ledger verify`: the books and the transparency log tell the same story.

Checked: the log itself (tlog.verify_log: stored tree, signed checkpoints); as many entries
as leaves; leaf i is exactly the recomputed public projection of the entry posted as leaf i;
every entry balances per fund and currency; the fund balances kept alongside the postings
equal the sums of the postings; every reversal is the exact negation of the entry it reverses,
no entry is reversed twice and no reversal is reversed (docs/ledger.md, "Reversals").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum

from pompolit.ledger import conf, leaf
from pompolit.ledger.models import (
    Account,
    Currency,
    Donation,
    Entry,
    EntryKind,
    Fund,
    FundBalance,
    Posting,
)
from pompolit.ledger.services import BALANCE_TYPES, PostingKey
from pompolit.tlog import services as tlog
from pompolit.tlog.models import Log

CHUNK = 2000
MAX_PROBLEMS = 50


@dataclass
class BooksReport:
    entries: int = 0
    leaves: int = 0
    balances: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)


class _Names:
    """Codes by primary key, loaded once: the chart is small, the postings are not."""

    def __init__(self) -> None:
        self.accounts = dict(Account.objects.values_list("pk", "code"))
        self.funds = dict(Fund.objects.values_list("pk", "code"))
        self.exponents = dict(Currency.objects.values_list("code", "exponent"))


def _public_entries(lo: int, hi: int, names: _Names) -> Iterator[tuple[int, leaf.PublicEntry]]:
    rows = list(Entry.objects.filter(leaf_index__gte=lo, leaf_index__lt=hi)
                .order_by("leaf_index")
                .values("pk", "leaf_index", "date", "kind", "granularity", "reverses_id"))
    ids = [row["pk"] for row in rows]
    postings: dict[int, list[leaf.PublicPosting]] = defaultdict(list)
    for p in (Posting.objects.filter(entry_id__in=ids).order_by("entry_id", "pk")
              .values_list("entry_id", "account_id", "fund_id", "units", "currency_id")):
        entry_id, account_id, fund_id, units, code = p
        postings[entry_id].append(leaf.PublicPosting(
            names.accounts[account_id], names.funds[fund_id], units, code, names.exponents[code]
        ))
    donations: dict[int, Any] = {
        d["entry_id"]: d for d in Donation.objects.filter(entry_id__in=ids)
        .values("entry_id", "receipt_id", "channel", "campaign__code")
    }
    reversed_ids = [row["reverses_id"] for row in rows if row["reverses_id"]]
    reversed_index = dict(
        Entry.objects.filter(pk__in=reversed_ids).values_list("pk", "leaf_index")
    )
    for row in rows:
        donation = donations.get(row["pk"])
        yield row["leaf_index"], leaf.PublicEntry(
            date=row["date"], granularity=row["granularity"], kind=row["kind"],
            postings=postings[row["pk"]],
            receipt=donation["receipt_id"] if donation else None,
            channel=donation["channel"] if donation else None,
            campaign=donation["campaign__code"] if donation else None,
            reverses=reversed_index.get(row["reverses_id"]) if row["reverses_id"] else None,
        )


def _check_leaves(report: BooksReport, log: Log | None) -> None:
    size = log.size if log is not None else 0
    report.entries = Entry.objects.count()
    report.leaves = size
    if report.entries != size:
        report.problem(f"the books have {report.entries} posted entries, the log {size} leaves")
    beyond = Entry.objects.filter(leaf_index__gte=size).values_list("leaf_index", flat=True)
    for index in beyond[:10]:
        report.problem(f"entry #{index} is posted in the books but is not a leaf of the log")
    if log is None:
        return
    names = _Names()
    for lo in range(0, size, CHUNK):
        hi = min(size, lo + CHUNK)
        expected = dict(_public_entries(lo, hi, names))
        for index, data in enumerate(tlog.entries(log, lo, hi), start=lo):
            public = expected.get(index)
            if public is None:
                report.problem(f"leaf {index} belongs to no posted entry")
            elif leaf.encode(public) != data:
                report.problem(
                    f"leaf {index} differs from the public projection of entry #{index} as the "
                    "books now hold it: the entry or the leaf was changed"
                )


def _check_balances(report: BooksReport) -> None:
    unbalanced = (Posting.objects.values("entry__leaf_index", "fund__code", "currency_id")
                  .annotate(total=Sum("units")).exclude(total=0))
    for row in unbalanced[:10]:
        report.problem(
            f"entry #{row['entry__leaf_index']} does not balance in fund {row['fund__code']} "
            f"and {row['currency_id']} (off by {row['total']} minor units)"
        )
    computed = {
        (row["fund_id"], row["currency_id"]): int(row["total"])
        for row in Posting.objects.filter(account__type__in=BALANCE_TYPES)
        .values("fund_id", "currency_id").annotate(total=Sum("units"))
    }
    kept = {
        (row.fund_id, row.currency_id): row.units for row in FundBalance.objects.all()
    }
    for key in sorted(set(computed) | set(kept), key=str):
        report.balances += 1
        if computed.get(key, 0) != kept.get(key, 0):
            report.problem(
                f"the kept balance of fund #{key[0]} in {key[1]} is {kept.get(key, 0)}, but its "
                f"postings add up to {computed.get(key, 0)} (minor units)"
            )


def _check_reversals(report: BooksReport) -> None:
    """Over the whole ledger: what services.negation_error refuses when an entry is posted."""
    # Reversals, and the entries they reverse: few in any real ledger.
    involved = (Entry.objects.filter(Q(kind=EntryKind.REVERSAL) | Q(reverses__isnull=False)
                                     | Q(reversal__isnull=False)).distinct())
    index, kinds = {}, {}
    for pk, number, kind in involved.values_list("pk", "leaf_index", "kind"):
        index[pk], kinds[pk] = number, kind
    reversals = list(involved.filter(Q(kind=EntryKind.REVERSAL) | Q(reverses__isnull=False))
                     .order_by("leaf_index").values_list("pk", "kind", "reverses_id"))
    postings: dict[int, list[PostingKey]] = defaultdict(list)
    for row in (Posting.objects.filter(entry__in=involved.values("pk"))
                .values_list("entry_id", "account__code", "fund__code", "currency_id", "units")):
        postings[row[0]].append(row[1:])
    seen: dict[int, int] = {}
    for pk, kind, reverses in reversals:
        number = index[pk]
        if kind != EntryKind.REVERSAL or reverses is None:
            report.problem(f"entry #{number} is of kind {kind} and reverses "
                           f"{'no entry' if reverses is None else f'entry #{index[reverses]}'}: "
                           "only a reversal reverses, and it names the entry")
            continue
        target = index[reverses]
        if reverses in seen:
            report.problem(f"entry #{target} is reversed twice (by #{seen[reverses]} and "
                           f"#{number}); an entry may be reversed once")
        seen[reverses] = number
        if kinds[reverses] == EntryKind.REVERSAL:
            report.problem(f"entry #{number} reverses entry #{target}, which is itself a "
                           "reversal; a reversal is never reversed")
        negated = sorted((a, f, c, -u) for a, f, c, u in postings[reverses])
        if sorted(postings[pk]) != negated:
            report.problem(f"entry #{number} is not the exact negation of entry #{target}, "
                           "which it says it reverses (accounts, funds, currencies and amounts "
                           "negated, nothing added or missing)")


def verify_books() -> BooksReport:
    """Raises transparency's VerificationError if the log itself is broken; otherwise the
    report lists every disagreement found (up to MAX_PROBLEMS)."""
    report = BooksReport()
    log = Log.objects.filter(name=conf.LOG_NAME).first()
    if log is not None:
        report.checkpoints = tlog.verify_log(conf.LOG_NAME).checkpoints_checked
    _check_leaves(report, log)
    _check_balances(report)
    _check_reversals(report)
    return report
