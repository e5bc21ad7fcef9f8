"""Blind indexes: a keyed digest of a normalised value, for exact-match lookups."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from pompolit.vault import crypto
from pompolit.vault.keys.keyring import ring


def normalise_phone(value: str) -> str:
    """Digits with the country code: "+7 (912) 345-67-89", "8 912 345 67 89" → "79123456789"."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]  # the Russian trunk prefix
    return digits


def normalise_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


NORMALISERS: dict[str, Callable[[str], str]] = {
    "phone": normalise_phone,
    "text": normalise_text,
    "exact": lambda value: value,
}


def blind_digest(scope: str, normalised: str) -> str:
    key = ring.current("index", None)
    return crypto.keyed_digest(
        crypto.derive(key.key, b"pompolit-blind-index|" + scope.encode()), normalised.encode()
    )
