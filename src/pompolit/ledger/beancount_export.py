"""The books as a beancount ledger (`pompolit ledger export --format beancount`).

The text is written here by hand: beancount is only a test dependency (the tests load the
output with beancount's own loader and compare its balances with ours).

Mapping (docs/ledger.md, *Beancount export*):
- the account's type gives the root: asset → Assets, liability → Liabilities, income →
  Income, expense → Expenses, net assets → Equity; the code's components follow, each with
  its first letter in capitals, the first one left out when it only repeats the root
  (`assets:bank` → `Assets:Bank`, `net-assets:interfund` → `Equity:Interfund`,
  `trading:eur` → `Equity:Trading:Eur`);
- the fund is the last component, `Fund-` and its code (`:` in a fund code becomes `--`):
  `assets:bank` in fund `general` is `Assets:Bank:Fund-General`. Funds are self-balancing,
  so beancount's per-account balances are ours per account, fund and currency;
- each entry is one transaction dated as in the books, narration = its kind, metadata
  `leaf` (the leaf index), `kind`, and for donations `channel` and `campaign`; its link is
  `^entry-N` (N = leaf index); a reversal also carries the link of the entry it reverses;
- exchange rates are `price` directives (1 currency = rate × base).
Internal memos and anything about donors are not exported.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Protocol

from anyascii import anyascii
from django.utils import timezone

from pompolit.ledger import conf
from pompolit.ledger.models import (
    Account,
    AccountType,
    Currency,
    Entry,
    ExchangeRate,
    Fund,
    Posting,
)
from pompolit.ledger.money import amount_text

ROOTS = {
    AccountType.ASSET: ("Assets", "assets"),
    AccountType.LIABILITY: ("Liabilities", "liabilities"),
    AccountType.INCOME: ("Income", "income"),
    AccountType.EXPENSE: ("Expenses", "expenses"),
    AccountType.NET_ASSETS: ("Equity", "net-assets"),
}
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9-]")


def component(word: str) -> str:
    """One beancount account component: ASCII letters, digits and hyphens, starting with a
    capital or a digit. Our codes are lower-case Latin already; anything else (an older code,
    Cyrillic) is transliterated by anyascii so that the name stays stable and readable."""
    ascii_word = _NOT_ALLOWED.sub("-", anyascii(word)).strip("-") or "X"
    return ascii_word[0].upper() + ascii_word[1:]


def fund_component(code: str) -> str:
    return "Fund-" + "--".join(component(part) for part in code.split(":"))


def account_names(accounts: list[Account]) -> dict[int, str]:
    """Our account → its beancount name (without the fund); distinct codes stay distinct."""
    names: dict[int, str] = {}
    full: dict[int, str] = {}
    for account in accounts:
        root, word = ROOTS[AccountType(account.type)]
        parts = account.code.split(":")
        full[account.pk] = ":".join([root, *map(component, parts)])
        short = parts[1:] if len(parts) > 1 and parts[0] == word else parts
        names[account.pk] = ":".join([root, *map(component, short)])
    # "assets:bank" and a (strange) asset account "bank" would both be Assets:Bank: keep
    # such names whole.
    seen: dict[str, list[int]] = {}
    for pk, name in names.items():
        seen.setdefault(name, []).append(pk)
    for pks in seen.values():
        if len(pks) > 1:
            for pk in pks:
                names[pk] = full[pk]
    return names


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _decimal(value: object) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def export(out: Writer) -> int:
    """Writes the whole books to `out`; returns the number of transactions."""
    currencies = {c.code: c for c in Currency.objects.order_by("code")}
    accounts = list(Account.objects.order_by("code"))
    names = account_names(accounts)
    funds = {f.pk: f for f in Fund.objects.order_by("code")}
    first = Entry.objects.order_by("date").values_list("date", flat=True).first()
    first_rate = ExchangeRate.objects.order_by("on").values_list("on", flat=True).first()
    opened = min(d for d in (first, first_rate, timezone.localdate()) if d is not None)

    out.write(";; The books of Pompolit, exported by `pompolit ledger export --format "
              "beancount`.\n")
    out.write('option "title" "Pompolit"\n')
    out.write(f'option "operating_currency" {_quoted(conf.base_currency())}\n\n')
    for code, cur in currencies.items():
        out.write(f"{opened.isoformat()} commodity {code}\n")
        out.write(f"  name: {_quoted(cur.name)}\n  precision: {cur.exponent}\n")
    out.write("\n")
    # Every account in every fund, so that a fund's accounts exist before their first use.
    for account in accounts:
        for fund in funds.values():
            out.write(f"{opened.isoformat()} open {names[account.pk]}:"
                      f"{fund_component(fund.code)}\n")
            out.write(f"  account: {_quoted(account.code)}\n  fund: {_quoted(fund.code)}\n")
    out.write("\n")
    for rate in ExchangeRate.objects.order_by("on", "currency_id", "base_id"):
        out.write(f"{rate.on.isoformat()} price {rate.currency_id} {_decimal(rate.rate)} "
                  f"{rate.base_id}\n")
    out.write("\n")
    count = 0
    for head, postings in _entries():
        leaf_index, date, kind, reverses, channel, campaign = head
        links = f" ^entry-{leaf_index}"
        if reverses is not None:
            links += f" ^entry-{reverses}"
        out.write(f"{date.isoformat()} * {_quoted(kind)}{links}\n")
        out.write(f"  leaf: {leaf_index}\n  kind: {_quoted(kind)}\n")
        if reverses is not None:
            out.write(f"  reverses: {reverses}\n")
        if channel:
            out.write(f"  channel: {_quoted(channel)}\n")
        if campaign:
            out.write(f"  campaign: {_quoted(campaign)}\n")
        for account_id, fund_id, currency_id, units in postings:
            exponent = currencies[currency_id].exponent
            out.write(f"  {names[account_id]}:{fund_component(funds[fund_id].code)}  "
                      f"{amount_text(units, exponent)} {currency_id}\n")
        out.write("\n")
        count += 1
    return count


Head = tuple[int, datetime.date, str, int | None, str | None, str | None]
Row = tuple[int, int, str, int]


def _entries() -> Iterator[tuple[Head, list[Row]]]:
    """Entries with their postings, in leaf order, in one streamed query (the books may hold
    a million entries)."""
    rows = (Posting.objects.order_by("entry__leaf_index", "pk").values_list(
        "entry__leaf_index", "entry__date", "entry__kind", "entry__reverses__leaf_index",
        "entry__donation__channel", "entry__donation__campaign__code",
        "account_id", "fund_id", "currency_id", "units",
    ).iterator(chunk_size=5000))
    head: Head | None = None
    postings: list[Row] = []
    for row in rows:
        if head is None or row[0] != head[0]:
            if head is not None:
                yield head, postings
            head, postings = row[:6], []
        postings.append(row[6:])
    if head is not None:
        yield head, postings
