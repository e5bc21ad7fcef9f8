"""The phonetic skeleton of a Latin spelling of a (mostly Russian) name.

Every transliteration scheme spells a Russian sound its own way: ч is ch, tch,
tsch, č or c; я is ya, ia, ja or â. The skeleton rewrites each such family to
one symbol, so that the spellings of one name under different schemes — and
the improvised spellings in between that people actually type — meet in one
key. See docs/names.md for the rules and their trade-offs.

Output alphabet (lower case ASCII only, safe for any database collation):
c = ч, w = ш, x = щ, j = ж, h = х, q = ц, y = й and the iotation of я/ю,
i = и and ы; other letters stand for themselves.
"""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Scholarly and national letters with diacritics, spelled out before anything
# else so that č and ch become the same thing. ISO 9 / GOST 779 use â û ŝ for
# я ю щ; ë is ё, which the Cyrillic side spells е.
DIACRITICS = str.maketrans(
    {
        "č": "ch", "ć": "ch", "š": "sh", "ś": "sh", "ž": "zh", "ź": "zh", "ŝ": "shch",
        "â": "ya", "û": "yu", "ä": "ya", "ö": "yo", "ü": "yu", "ë": "e", "ê": "e",
        "é": "e", "è": "e", "ĭ": "y", "ï": "i", "î": "i", "ý": "y", "ǐ": "i",
        "ł": "l", "ŭ": "v", "ǒ": "o", "ě": "e", "ř": "r", "ň": "n",
    }
)

# Longest first: the alternation takes the first branch that matches.
GRAPHEMES = {
    "schtsch": "X", "shtsh": "X", "shtch": "X", "chtch": "X", "shch": "X", "shh": "X", "sch": "X",
    "tsch": "C", "tch": "C", "tsh": "C", "ch": "C",
    "dzh": "J", "dsh": "J", "zh": "J",
    "kh": "H", "h": "H",
    "sh": "W",
    "ts": "Q", "tz": "Q", "tc": "Q", "cz": "Q", "c": "Q",
    # c before a consonant is the Western k (Victor, Doctorov); elsewhere ISO ц.
    **{f"c{consonant}": f"k{consonant}" for consonant in "bdfgklmnprtv"},
    "ou": "u", "ph": "f", "th": "t", "ck": "k", "qu": "kv", "q": "k", "w": "v",
    "x": "ks",
    "gue": "ge", "gui": "gi",
}
GRAPHEME_RE = re.compile("|".join(sorted(GRAPHEMES, key=len, reverse=True)))

VOWELS = "aeiou"
IOTATED_A = re.compile(r"[iyj]+a")
IOTATED_U = re.compile(r"[iyj]+u")
# ё: yo, io, jo — the Cyrillic side writes е. A j after a vowel is more often
# the French ж (Ejov) than a German ё, so it is left alone.
IOTATED_O = re.compile(r"(?:[iy]+|(?<![aeiou])j)o")
IOTATED_E = re.compile(r"[iyj]+e")  # е after a vowel or soft sign: ye, je, ie
SOFT_I = re.compile(r"(?<=[^aeiouy])[yj]i")  # ьи: Ilyich = Ilich
SEMIVOWEL = re.compile(r"(?<=[aeou])[iyj]+")  # ай ей ой уй: Nikolai, Aleksej
FINAL_SEMIVOWEL = re.compile(r"[iyj]+$")  # -ий -ый: Vasilii, Navalny, Yurij
FRENCH_FINAL_GE = re.compile(r"ge$")  # Serge = Серж
FRENCH_FINAL_E = re.compile(r"(?<=[bdfgklmnprstvzCJHWXQ])e$")
FINAL_OFF = re.compile(r"([oe])ff$")  # Smirnoff, Romanoff
# ё after a hushing sound is o in popular spellings: Gorbachov, Khrushchov.
HUSHED_O = re.compile(r"(?<=[CWXJ])o(?=va?$)")
DOUBLES = re.compile(r"(.)\1+")

OUTPUT = str.maketrans({"C": "c", "W": "w", "X": "x", "J": "j", "H": "h", "Q": "q", "Y": "y"})


@lru_cache(maxsize=200_000)
def skeleton(latin: str) -> str:
    """The skeleton key of one word written in Latin letters (any scheme)."""
    text = unicodedata.normalize("NFC", latin).casefold().translate(DIACRITICS)
    text = anyascii(text).casefold()
    text = "".join(c for c in text if "a" <= c <= "z")
    if not text:
        return ""
    text = GRAPHEME_RE.sub(lambda m: GRAPHEMES[m.group(0)], text)
    text = FINAL_OFF.sub(r"\1v", text)
    if len(text) > 4:
        text = FRENCH_FINAL_GE.sub("J", text)
        text = FRENCH_FINAL_E.sub("", text)
    text = IOTATED_A.sub("Ya", text)
    text = IOTATED_U.sub("Yu", text)
    text = IOTATED_O.sub("e", text)
    text = IOTATED_E.sub("e", text)
    text = SOFT_I.sub("i", text)
    text = FINAL_SEMIVOWEL.sub("Y", text)
    text = SEMIVOWEL.sub("Y", text)
    text = text.replace("y", "i").replace("j", "i")
    text = HUSHED_O.sub("e", text)
    text = DOUBLES.sub(r"\1", text)
    return text.translate(OUTPUT)
