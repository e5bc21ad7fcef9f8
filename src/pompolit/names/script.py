"""Which script a piece of text is written in, and mending mixed-script words."""

import enum
import unicodedata
from functools import cache, lru_cache


class Script(enum.StrEnum):
    CYRILLIC = "cyrillic"
    LATIN = "latin"
    OTHER = "other"
    MIXED = "mixed"
    NONE = "none"


# Letters that look the same in both alphabets. A Cyrillic word typed on a
# Latin keyboard layout (or pasted from a scanned document) often carries a few.
LATIN_TO_CYRILLIC = str.maketrans(
    "aceopxyABCEHKMOPTXYki",
    "асеорхуАВСЕНКМОРТХУкі",
)
CYRILLIC_TO_LATIN = str.maketrans(
    "асеорхуАВСЕНКМОРТХУкіј",
    "aceopxyABCEHKMOPTXYkij",
)
LATIN_LOOKALIKES = frozenset("aceopxyABCEHKMOPTXYkij")
CYRILLIC_LOOKALIKES = frozenset("асеорхуАВСЕНКМОРТХУкіј")


@cache
def letter_script(char: str) -> Script:
    if not char.isalpha():
        return Script.NONE
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return Script.CYRILLIC
    if name.startswith("LATIN"):
        return Script.LATIN
    return Script.OTHER


@lru_cache(maxsize=100_000)
def detect_script(text: str) -> Script:
    found = {letter_script(c) for c in text} - {Script.NONE}
    if not found:
        return Script.NONE
    if len(found) == 1:
        return found.pop()
    return Script.MIXED


def fix_homoglyphs(word: str) -> str:
    """Rewrite a mixed Cyrillic/Latin word in the script it is really written in.

    The script is the one of the letters that have no lookalike (Г, д, в in
    «Гopдeeв»); failing those, the majority. Only lookalikes are swapped.
    """
    scripts = [letter_script(c) for c in word]
    if Script.CYRILLIC not in scripts or Script.LATIN not in scripts:
        return word
    cyrillic = sum(1 for c, s in zip(word, scripts, strict=True)
                   if s is Script.CYRILLIC and c not in CYRILLIC_LOOKALIKES)
    latin = sum(1 for c, s in zip(word, scripts, strict=True)
                if s is Script.LATIN and c not in LATIN_LOOKALIKES)
    if cyrillic == latin:
        cyrillic, latin = scripts.count(Script.CYRILLIC), scripts.count(Script.LATIN)
    if cyrillic >= latin:
        return word.translate(LATIN_TO_CYRILLIC)
    return word.translate(CYRILLIC_TO_LATIN)
