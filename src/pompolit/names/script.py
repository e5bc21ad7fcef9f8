"""Which script a piece of text is written in, and mending mixed-script words."""

import enum
import unicodedata


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


def letter_script(char: str) -> Script:
    if not char.isalpha():
        return Script.NONE
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return Script.CYRILLIC
    if name.startswith("LATIN"):
        return Script.LATIN
    return Script.OTHER


def detect_script(text: str) -> Script:
    found = {letter_script(c) for c in text} - {Script.NONE}
    if not found:
        return Script.NONE
    if len(found) == 1:
        return found.pop()
    return Script.MIXED


def fix_homoglyphs(word: str) -> str:
    """Rewrite a mixed Cyrillic/Latin word in the script most of its letters use.

    Only letters that look alike are swapped, so a word that genuinely mixes
    scripts (which no personal name does) keeps its other letters.
    """
    cyrillic = sum(1 for c in word if letter_script(c) is Script.CYRILLIC)
    latin = sum(1 for c in word if letter_script(c) is Script.LATIN)
    if not cyrillic or not latin:
        return word
    if cyrillic >= latin:
        return word.translate(LATIN_TO_CYRILLIC)
    return word.translate(CYRILLIC_TO_LATIN)
