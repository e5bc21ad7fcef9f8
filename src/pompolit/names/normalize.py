"""Unicode clean-up and tokenising of name text."""

import re
import unicodedata

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


def fold_case(word: str) -> str:
    return clean(word).casefold()
