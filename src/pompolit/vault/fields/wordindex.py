"""A keyed word index: search over encrypted free text without keeping its words.

Each word of a text becomes terms — the word itself and its stem (a Russian case ending or an
English plural cut off: "голодовку" → "голодовк") — after folding (case, ё → е, accents of Latin
letters). Each term is stored only as a keyed token: the first 8 bytes of HMAC-SHA256 under a
key derived from the vault's index key of the record's compartment, as a signed 64-bit integer.
A query is folded and stemmed the same way, and its tokens are looked up.

What a seized index shows (docs/vault.md, "The keyed word index"): no word, but how often each
opaque token occurs within a compartment, which tokens occur together in one record, and how
many distinct terms a record has. The same word has different tokens in different compartments,
and after `rotate --data` (the index keys are rotated with the data keys).

Pure functions of text and key; the vault is asked for the key only by `token_key`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable

from pompolit.vault import crypto
from pompolit.vault.keys.keyring import ring

# Cut longest first; the stem keeps at least MIN_STEM letters.
_ENDINGS = sorted(
    ("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "иях", "ией", "ов", "ев", "ей",
     "ой", "ий", "ый", "ая", "яя", "ое", "ее", "ом", "ем", "ам", "ям", "ах", "ях", "ую", "юю",
     "ие", "ые", "ию", "ия", "ии", "а", "я", "о", "е", "у", "ю", "ы", "и", "ь", "й"),
    key=len, reverse=True,
)
MIN_STEM = 4
MAX_WORD = 40  # longer "words" (a pasted link, a hash) are cut: their start still matches
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-я]")


def _fold_char(ch: str) -> str:
    if "\u0400" <= ch <= "\u04ff":
        return ch  # й stays й; ё was made е before
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


_PLAIN = re.compile(r"[\x00-\x7f\u0400-\u04ff]*")


def fold(text: str) -> str:
    """Lower case, ё as е, accents off Latin letters: "Ёлкин", "ёлкин", "елкин" are one."""
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    if _PLAIN.fullmatch(text):
        return text  # ASCII and Cyrillic only (nearly always): nothing to take off
    return "".join(_fold_char(ch) for ch in text)


def words(text: str) -> list[str]:
    return [w[:MAX_WORD] for w in _WORD.findall(fold(text)) if len(w) >= 2 or w.isdigit()]


def stem(word: str) -> str:
    """The word without its case ending ("голодовку" → "голодовк"; "strikes" → "strike")."""
    if _CYRILLIC.search(word):
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
    elif len(word) >= 5 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(texts: Iterable[str]) -> set[str]:
    """What a record is findable by: each word and its stem."""
    found: set[str] = set()
    for text in texts:
        for word in words(text or ""):
            found.add(word)
            found.add(stem(word))
    return found


def query_terms(text: str) -> list[str]:
    """One term per query word, in order, without repeats: a record must have every one."""
    return list(dict.fromkeys(stem(w) for w in words(text)))


def token(key: bytes, term: str) -> int:
    digest = hmac.new(key, term.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def tokens(key: bytes, found: Iterable[str]) -> set[int]:
    return {token(key, term) for term in found}


def token_key(compartment_id: int | None) -> bytes:
    """The word-index key of a compartment, derived from its index key (needs unsealed).
    Not cached here: sealing forgets it with the ring's keys."""
    loaded = ring.current("index", compartment_id)
    return crypto.derive(loaded.key, b"pompolit-word-index")
