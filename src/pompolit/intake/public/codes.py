"""A public report's private code: as donation receipts' codes (ledger/receipts.py, which the
intake may not import), 26 Crockford base32 symbols of randomness (130 bits from `secrets`)
and two check symbols, written in groups of four. Only `code_hash(code)` is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_SYMBOLS = 26
LENGTH = RANDOM_SYMBOLS + 2
CHECK_MODULUS = 1021
DOMAIN = b"pompolit-intake-code/1\x00"

_LOOKALIKES = str.maketrans({
    "O": "0", "I": "1", "L": "1",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "0",
    "Р": "P", "Т": "T", "Х": "X", "У": "Y", "З": "3",
})
_SEPARATORS = str.maketrans("", "", " -_.\u00a0\u2010\u2011\u2012\u2013\u2014\t\n")


class CodeError(ValueError):
    """Not a report code; the message says why, for the person who typed it."""


def _check(symbols: str) -> str:
    value = 0
    for symbol in symbols:
        value = value * 32 + ALPHABET.index(symbol)
    rest = value % CHECK_MODULUS
    return ALPHABET[rest // 32] + ALPHABET[rest % 32]


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return symbols + _check(symbols)


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str:
    code = text.upper().translate(_SEPARATORS).translate(_LOOKALIKES)
    if any(ch not in ALPHABET for ch in code):
        raise CodeError(_("A report code has only digits and Latin letters."))
    if len(code) != LENGTH:
        raise CodeError(
            _("A report code has %(expected)d characters; this one has %(got)d.")
            % {"expected": LENGTH, "got": len(code)}
        )
    if _check(code[:RANDOM_SYMBOLS]) != code[RANDOM_SYMBOLS:]:
        raise CodeError(
            _("This code has a typing mistake: please check it character by character.")
        )
    return code


def code_hash(code: str) -> str:
    """SHA-256 over a domain-separated canonical code, lowercase hex."""
    return hashlib.sha256(DOMAIN + normalise(code).encode("ascii")).hexdigest()
