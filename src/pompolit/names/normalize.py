"""Unicode clean-up and tokenising of name text.

Two forms of a name. `tidy` is the name as typed, ready to keep and show: spaces collapsed,
composed (NFC), no control or invisible characters — ё, ł, ş and every accent stay, for a
letter to a prisoner must carry the name as it is spelled. `clean` (and `tokens`, `fold_word`)
is the folded form that matching compares: ё as е, marks dropped, apostrophes and dashes
unified. Only keys and comparisons see the folded form; nothing stored or shown is folded.
"""

import re
import unicodedata
from functools import lru_cache

from pompolit.names.script import fix_homoglyphs

# Combining marks that are part of a letter we care about: й (breve), ё and ї
# (diaeresis), č š ž (caron), ŝ â û (circumflex, ISO 9 / GOST 779), Polish ż
# (dot above). Every other mark — stress accents above all, common in Russian
# texts — is dropped.
KEPT_MARKS = frozenset("\u0306\u0308\u030c\u0302\u0307")

# Inside a word these mark ь or ъ (BGN/PCGN writes ъ as ”); around it, quotes.
APOSTROPHES = "'’ʼʹʺ`´‘\"ˮ″”“„"
# Hyphens and dashes that join double surnames.
HYPHENS = "-‐‑‒–—―"

UNIFY = str.maketrans(APOSTROPHES + HYPHENS, "'" * len(APOSTROPHES) + "-" * len(HYPHENS))

COMMA = ","
TOKEN_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['\-])*\.?|,")


# Zero-width joiner and non-joiner spell some scripts' words (Persian): kept, unlike the other
# invisible format characters (soft hyphen, zero-width space, direction marks, BOM).
KEPT_FORMAT = frozenset("\u200c\u200d")


def tidy(text: str) -> str:
    """The text as typed, ready to keep: control and invisible format characters gone (a line
    break or tab becomes a space), composed (NFC), spaces collapsed. No letter is changed."""
    text = " ".join(text.split())
    if not text.isprintable():  # the usual name is: no character to look at one by one
        text = "".join(
            c for c in text if c in KEPT_FORMAT or unicodedata.category(c) not in ("Cc", "Cf")
        )
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(
        c for c in decomposed if not unicodedata.combining(c) or c in KEPT_MARKS
    )
    text = unicodedata.normalize("NFC", kept)
    text = text.translate(UNIFY).replace("·", "")  # BGN/PCGN's separator: B·eov for Бэов
    return text.replace("ё", "е").replace("Ё", "Е")


def tokens(text: str) -> list[str]:
    """Words (hyphenated words whole, an initial keeps its dot) and commas."""
    found = TOKEN_RE.findall(clean(text))
    result: list[str] = []
    for token in found:
        token = token.strip("-'")
        if not token or token in {".", "-"}:
            continue
        result.append(token if token == COMMA else fix_homoglyphs(token))
    return result


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """One word as matching reads it (as `tokens` gives it): folded, homoglyphs mended."""
    return fix_homoglyphs(clean(word))


def spelled_tokens(text: str) -> list[tuple[str, str]]:
    """`tokens` of the text, each beside its spelling as typed (a span of `tidy(text)`):
    "Пётр" is ("Пётр", "Петр"). A word whose typed span does not fold to it (a mark no letter
    takes, which `tokens` leaves out) stands for itself, folded."""
    typed = tidy(text)
    folded = tokens(typed)
    spans = _typed_spans(typed)
    if spans is None or len(spans) != len(folded):
        return [(token, token) for token in folded]
    return [
        (span if fold_word(span) == token and " " not in span else token, token)
        for span, token in zip(spans, folded, strict=True)
    ]


@lru_cache(maxsize=10_000)
def clean_letter(letter: str) -> str:
    """`clean` of one letter with its marks: few, and met again and again."""
    return clean(letter)


def _typed_spans(typed: str) -> list[str] | None:
    """The typed spans of `tokens(typed)`: the text is cleaned a letter (with its marks) at a
    time, so each folded character knows the typed letter it came from."""
    starts = [i for i, c in enumerate(typed) if i == 0 or not unicodedata.combining(c)]
    ends = [*starts[1:], len(typed)] if typed else []
    pieces = [clean_letter(typed[start:end]) for start, end in zip(starts, ends, strict=True)]
    folded = "".join(pieces)
    if folded != clean(typed):
        return None
    owner = [n for n, piece in enumerate(pieces) for _ in piece]
    spans: list[str] = []
    for match in TOKEN_RE.finditer(folded):
        token = match.group()
        start = match.start() + len(token) - len(token.lstrip("-'"))
        stripped = token.strip("-'")
        if not stripped or stripped in {".", "-"}:
            continue
        end = start + len(stripped)
        spans.append(typed[starts[owner[start]] : ends[owner[end - 1]]])
    return spans


def fold_case(word: str) -> str:
    return clean(word).casefold()
