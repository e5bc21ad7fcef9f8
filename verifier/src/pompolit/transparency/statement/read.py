"""Reading a statement: the document into typed values — amounts in minor units, published
dates and the period, the leaves and their hashes. The leaves themselves are read by
`rules.read_leaf` (strict JSON, canonical, the documented members) as they are scanned."""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from .. import strictjson
from ..errors import DocumentError
from ..note import b64decode_strict
from ..store import HASH_SIZE

STATEMENT = "pompolit-statement/1"
_AMOUNT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


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


# Expenses per case are published only for cases whose consent allows it. A leaf does not
# say which case it paid for (consent can be withdrawn; leaves are forever), so the statement
# names, for each such case (by its public id), the leaves of the period that paid its
# expenses or reversed such a payment.
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
