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

from django.utils.translation import gettext as _

from pompolit.core.private_codes import (
    ALPHABET,
    CHECK_MODULUS,
    CHECK_SYMBOLS,
    LENGTH,
    RANDOM_SYMBOLS,
    Flaw,
    MalformedCode,
    _check,
    canonical,
    domain_hash,
    grouped,
    new_code,
)

__all__ = [
    "ALPHABET",
    "CHECK_MODULUS",
    "CHECK_SYMBOLS",
    "ID_DOMAIN",
    "LENGTH",
    "RANDOM_SYMBOLS",
    "ReceiptCodeError",
    "_check",
    "grouped",
    "new_code",
    "normalise",
    "qr_data_uri",
    "receipt_id",
]

ID_DOMAIN = b"pompolit-receipt-id/1\x00"


class ReceiptCodeError(ValueError):
    """Not a receipt code; the message says why, for the donor who typed it."""


def normalise(text: str) -> str:
    """The canonical 28 symbols of a typed code, or ReceiptCodeError."""
    try:
        return canonical(text)
    except MalformedCode as error:
        if error.flaw is Flaw.CHARACTERS:
            message = _(
                "A receipt code has only digits and Latin letters; “%(chars)s” is not one of them."
            ) % {"chars": error.bad}
        elif error.flaw is Flaw.LENGTH:
            message = _("A receipt code has %(expected)d characters; this one has %(got)d.") % {
                "expected": LENGTH, "got": error.got}
        else:
            message = _(
                "This receipt code has a typing mistake: please check it character by character."
            )
        raise ReceiptCodeError(message) from None


def receipt_id(code: str) -> str:
    """SHA-256(b"pompolit-receipt-id/1" ‖ 0x00 ‖ ASCII of the canonical code), lowercase hex."""
    return domain_hash(ID_DOMAIN, normalise(code))


def qr_data_uri(code: str) -> str:
    """The grouped code as an SVG QR code in a data: URI (the CSP allows img-src data:)."""
    import segno

    qr = segno.make(grouped(normalise(code)), error="m", micro=False)
    return str(qr.svg_data_uri(scale=5, border=2))
