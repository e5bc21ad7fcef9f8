"""Private codes: the one secret a person keeps to come back to what they gave or sent —
a donation's receipt (ledger/receipts.py), a public detention report (intake/public/codes.py),
a letter (letters/codes.py). Each app names its codes in its own words and hashes them under a
domain of its own, so a code of one kind can never be matched with another's.

A code is 26 Crockford base32 symbols of randomness (130 bits from `secrets`) followed by
two check symbols, written in groups of four: `7K2M-Q9XD-…-R4`. The check is the code's
number modulo 1021 (a prime below 32²): any single mistyped symbol and any swap of two
neighbouring symbols changes it, so such a code is refused instead of finding nothing.
(The offline verifier has an independent implementation for receipts:
verifier/src/pompolit/transparency/receipt.py; a test keeps the two in agreement.)
"""

from __future__ import annotations

import enum
import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_SYMBOLS = 26
CHECK_SYMBOLS = 2
CHECK_MODULUS = 1021
LENGTH = RANDOM_SYMBOLS + CHECK_SYMBOLS

# What people type instead: Crockford's own look-alikes, and the Cyrillic letters that a
# Russian keyboard layout produces for the Latin ones they resemble.
_LOOKALIKES = str.maketrans({
    "O": "0", "I": "1", "L": "1",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "0",
    "Р": "P", "Т": "T", "Х": "X", "У": "Y", "З": "3",
})
_SEPARATORS = str.maketrans("", "", " -_.\u00a0\u2010\u2011\u2012\u2013\u2014\t\n")


class Flaw(enum.Enum):
    """What is wrong with a typed code; each app words it for its own readers."""

    CHARACTERS = "characters"  # something other than digits and Latin letters
    LENGTH = "length"
    TYPO = "typo"  # the check symbols differ


class MalformedCode(ValueError):
    def __init__(self, flaw: Flaw, *, bad: str = "", got: int = 0) -> None:
        super().__init__(flaw.value)
        self.flaw = flaw
        self.bad = bad  # the offending characters (CHARACTERS)
        self.got = got  # the length typed (LENGTH)


def _check(symbols: str) -> str:
    value = 0
    for symbol in symbols:
        value = value * 32 + ALPHABET.index(symbol)
    rest = value % CHECK_MODULUS
    return ALPHABET[rest // 32] + ALPHABET[rest % 32]


def complete(symbols: str) -> str:
    """26 chosen symbols and their check: a fixed, valid code (the demo's)."""
    return symbols + _check(symbols)


def new_code() -> str:
    """A fresh code, canonical form (28 symbols, no separators)."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return symbols + _check(symbols)


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def canonical(text: str) -> str:
    """The canonical 28 symbols of a typed code, or MalformedCode saying what is wrong."""
    code = text.upper().translate(_SEPARATORS).translate(_LOOKALIKES)
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise MalformedCode(Flaw.CHARACTERS, bad="".join(bad)[:10])
    if len(code) != LENGTH:
        raise MalformedCode(Flaw.LENGTH, got=len(code))
    if _check(code[:RANDOM_SYMBOLS]) != code[RANDOM_SYMBOLS:]:
        raise MalformedCode(Flaw.TYPO)
    return code


def domain_hash(domain: bytes, canonical_code: str) -> str:
    """SHA-256(domain ‖ ASCII of the canonical code), lowercase hex: what is stored."""
    return hashlib.sha256(domain + canonical_code.encode("ascii")).hexdigest()
