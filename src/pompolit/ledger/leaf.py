"""The public projection of a posted entry, and its encoding as a leaf of the "ledger" log.

A leaf is the RFC 8785 (JCS) canonical JSON of:

    {"format": "pompolit-ledger-leaf/1", "date": "2025-03", "kind": "donation",
     "postings": [{"account": "assets:bank", "fund": "general",
                   "amount": "1500.00", "currency": "RUB"}, …],
     "receipt": "<64 hex>", "channel": "bank_transfer", "campaign": "…",   (donations)
     "reverses": 17}                                                         (reversals)

Only codes from controlled vocabularies and amounts go in: never a name, an account
number or text a member typed. docs/ledger.md and docs/transparency.md specify it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785

from pompolit.ledger.money import amount_text

FORMAT = "pompolit-ledger-leaf/1"
GRANULARITIES = ("day", "month", "year")
# An entry bundle stores each entry with a 16-bit length (see docs/transparency.md).
MAX_LEAF_BYTES = 65_535


@dataclass(frozen=True)
class PublicPosting:
    account: str
    fund: str
    units: int  # minor units, signed: positive is a debit
    currency: str
    exponent: int


@dataclass(frozen=True)
class PublicEntry:
    date: datetime.date
    granularity: str
    kind: str
    postings: Sequence[PublicPosting]
    receipt: str | None = None
    channel: str | None = None
    campaign: str | None = None
    reverses: int | None = None


def published_date(date: datetime.date, granularity: str) -> str:
    if granularity == "day":
        return date.isoformat()
    if granularity == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if granularity == "year":
        return f"{date.year:04d}"
    raise ValueError(f"date granularity must be one of {GRANULARITIES}, not {granularity!r}")


def projection(entry: PublicEntry) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT,
        "date": published_date(entry.date, entry.granularity),
        "kind": entry.kind,
        "postings": [
            {
                "account": p.account,
                "fund": p.fund,
                "amount": amount_text(p.units, p.exponent),
                "currency": p.currency,
            }
            for p in entry.postings
        ],
    }
    if entry.receipt is not None:
        document["receipt"] = entry.receipt
    if entry.channel is not None:
        document["channel"] = entry.channel
    if entry.campaign is not None:
        document["campaign"] = entry.campaign
    if entry.reverses is not None:
        document["reverses"] = entry.reverses
    return document


def encode(entry: PublicEntry) -> bytes:
    return bytes(rfc8785.dumps(projection(entry)))
