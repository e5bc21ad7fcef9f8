"""Private receipts, offline: the receipt identifier recomputed from the code a donor keeps,
and the donation it names found among a statement's signed leaves.

The code and the identifier are specified in docs/ledger.md ("Donations and private
receipts"); this is an independent implementation of that text, without Django.
"""

import hashlib
from dataclasses import dataclass

from .errors import DocumentError, VerificationError
from .report import Report
from .statement.figures import Donation
from .statement.verify import Verified

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
RANDOM_SYMBOLS = 26
LENGTH = 28
CHECK_MODULUS = 1021
ID_DOMAIN = b"pompolit-receipt-id/1\x00"
_LOOKALIKES = str.maketrans({
    "O": "0", "I": "1", "L": "1",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "0",
    "Р": "P", "Т": "T", "Х": "X", "У": "Y", "З": "3",
})
_SEPARATORS = str.maketrans("", "", " -_.\u00a0\u2010\u2011\u2012\u2013\u2014\t\n")


def _check(symbols: str) -> str:
    value = 0
    for symbol in symbols:
        value = value * 32 + ALPHABET.index(symbol)
    rest = value % CHECK_MODULUS
    return ALPHABET[rest // 32] + ALPHABET[rest % 32]


def normalise(text: str) -> str:
    """The canonical 28 symbols of a typed code; DocumentError says what is wrong."""
    code = text.upper().translate(_SEPARATORS).translate(_LOOKALIKES)
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise DocumentError(
            f"a receipt code has only digits and Latin letters; {''.join(bad)[:10]!r} are not"
        )
    if len(code) != LENGTH:
        raise DocumentError(f"a receipt code has {LENGTH} characters; this one has {len(code)}")
    if _check(code[:RANDOM_SYMBOLS]) != code[RANDOM_SYMBOLS:]:
        raise DocumentError("the receipt code has a typing mistake (its check symbols differ)")
    return code


def receipt_id(code: str) -> str:
    return hashlib.sha256(ID_DOMAIN + normalise(code).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Found:
    donation: Donation
    reversed_by: int | None
    in_period: str  # "before", "in" or "after" the statement's period


def find_receipt(code: str, verified: Verified, report: Report) -> Found:
    """The donation a code names in a verified statement, or VerificationError."""
    wanted = receipt_id(code)
    report.passed(f"the receipt code is well formed; its identifier is {wanted}")
    donation = verified.scan.donations.get(wanted)
    if donation is None:
        raise VerificationError(
            f"no donation with this receipt is among the {len(verified.statement.leaves)} "
            "signed leaves of the statement: check the code, or try a later statement"
        )
    where = verified.statement.period.place(donation.date)
    report.passed(
        f"leaf {donation.index} of the signed log is your donation: {donation.amount} "
        f"{donation.currency} to the fund {donation.fund!r}, {donation.date}"
    )
    reversed_by = verified.scan.reversed_by.get(donation.index)
    if reversed_by is not None:
        report.note(f"the donation was reversed (corrected) by leaf {reversed_by}")
    report.facts.update(
        receipt=wanted, leaf=donation.index, amount=donation.amount,
        currency=donation.currency, fund=donation.fund, date=donation.date,
        channel=donation.channel, campaign=donation.campaign or None,
        reversed_by=reversed_by, in_period=where,
    )
    return Found(donation, reversed_by, where)
