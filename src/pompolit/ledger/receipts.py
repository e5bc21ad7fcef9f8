"""Private receipts: a random code for the donor, and the one-way identifier the log carries.

A code is 26 Crockford base32 symbols of randomness (130 bits from `secrets`) followed by
two check symbols, written in groups of four: `7K2M-Q9XD-…-R4`. The check is the code's
number modulo 1021 (a prime below 32²): any single mistyped symbol and any swap of two
neighbouring symbols changes it, so such a code is refused instead of finding nothing.

The log never sees the code, only `receipt_id(code)` = SHA-256 over a domain-separated
encoding of the normalised code (docs/ledger.md spells it out, because
`pompolit-verify receipt CODE` recomputes it offline).
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_SYMBOLS = 26
CHECK_SYMBOLS = 2
CHECK_MODULUS = 1021
LENGTH = RANDOM_SYMBOLS + CHECK_SYMBOLS
ID_DOMAIN = b"pompolit-receipt-id/1\x00"

# What people type instead: Crockford's own look-alikes, and the Cyrillic letters that a
# Russian keyboard layout produces for the Latin ones they resemble.
_LOOKALIKES = str.maketrans({
    "O": "0", "I": "1", "L": "1",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "0",
    "Р": "P", "Т": "T", "Х": "X", "У": "Y", "З": "3",
})
_SEPARATORS = str.maketrans("", "", " -_.\u00a0\u2010\u2011\u2012\u2013\u2014\t\n")


class ReceiptCodeError(ValueError):
    """Not a receipt code; the message says why, for the donor who typed it."""


def _check(symbols: str) -> str:
    value = 0
    for symbol in symbols:
        value = value * 32 + ALPHABET.index(symbol)
    rest = value % CHECK_MODULUS
    return ALPHABET[rest // 32] + ALPHABET[rest % 32]


def new_code() -> str:
    """A fresh code, canonical form (28 symbols, no separators)."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return symbols + _check(symbols)


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str:
    """The canonical 28 symbols of a typed code, or ReceiptCodeError."""
    code = text.upper().translate(_SEPARATORS).translate(_LOOKALIKES)
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise ReceiptCodeError(
            _("A receipt code has only digits and Latin letters; “%(chars)s” is not one of them.")
            % {"chars": "".join(bad)[:10]}
        )
    if len(code) != LENGTH:
        raise ReceiptCodeError(
            _("A receipt code has %(expected)d characters; this one has %(got)d.")
            % {"expected": LENGTH, "got": len(code)}
        )
    if _check(code[:RANDOM_SYMBOLS]) != code[RANDOM_SYMBOLS:]:
        raise ReceiptCodeError(
            _("This receipt code has a typing mistake: please check it character by character.")
        )
    return code


def receipt_id(code: str) -> str:
    """SHA-256(b"pompolit-receipt-id/1" ‖ 0x00 ‖ ASCII of the canonical code), lowercase hex."""
    return hashlib.sha256(ID_DOMAIN + normalise(code).encode("ascii")).hexdigest()


def qr_data_uri(code: str) -> str:
    """The grouped code as an SVG QR code in a data: URI (the CSP allows img-src data:)."""
    import segno

    qr = segno.make(grouped(normalise(code)), error="m", micro=False)
    return str(qr.svg_data_uri(scale=5, border=2))
