"""The other languages a name reaches us in: Belarusian, Ukrainian, Polish, Czech.

Two directions, both as spellings the skeleton already understands:

- a Cyrillic word with Belarusian or Ukrainian letters (і ї є ґ ў) is spelled
  under those languages' own Latin schemes too (cyrtranslit's ``by`` and
  ``ua``: Бяляцкі is Bjaljacki, Геннадійович Hennadijovyč), besides the
  Russian ones;
- a Latin word is read under each orthography it may be written in, and each
  reading is respelled the way the Russian schemes would write it:

  * the h reading: Ukrainian, Belarusian and Czech write г as h (Oleh,
    Hennadiiovych, Hienadź), English and the Russian schemes write г as g;
  * the West Slavic reading, for words that show its letters (ł ż ś ć ń ó
    č š ž ř ŭ, cz sz rz, c before a consonant as in -cki): Polish and the
    Belarusian Latin alphabets (Łacinka, the official 2007/2023 romanisation)
    write ц as c, ч as cz or č, ш as sz or š, ж as rz, ż or ž, х as ch, в as w
    and й as j.

What the readings cannot reach — Belarusian vowels (Калеснікава for
Колесникова), dropped letters (Sharansky for Щаранский) — the coarse key
(`coarse.py`) and the registry's fuzzy fallback do.
"""

import re
from functools import lru_cache

import cyrtranslit

# Letters of Belarusian and Ukrainian that Russian has not.
NATIONAL_LETTERS = frozenset("іїєґўІЇЄҐЎ")

# A standalone h: not the second letter of ch, kh, sh, zh (which spell х ч ш ж).
LONE_H = re.compile(r"(?<![ckszgt])h")

WEST_SLAVIC_TRAITS = re.compile(r"[łżśćńźóčšžřŭ]|cz|sz|rz|c(?=[bdfgklmnprstvwz])")
# Longest first; applied to the lower-case word. The result is the spelling a
# Russian scheme would give the same sounds (Białacki → bialatski).
WEST_SLAVIC = {
    "szcz": "shch",
    "šč": "shch",
    "cz": "ch",
    "č": "ch",
    "sz": "sh",
    "š": "sh",
    "rz": "zh",
    "ż": "zh",
    "ž": "zh",
    "ch": "kh",
    "ł": "l",
    "ó": "u",
    "w": "v",
    "ŭ": "v",
    "ś": "s",
    "ź": "z",
    "ń": "n",
    "ć": "ts",
    "ř": "rzh",
    "c": "ts",
    "j": "y",
    "h": "g",
    "ą": "on",
    "ę": "en",
}
WEST_SLAVIC_RE = re.compile("|".join(sorted(WEST_SLAVIC, key=len, reverse=True)))


# Belarusian ў after a vowel, romanised u in the press: Sakalou (Сакалоў = Соколов),
# Tsikhanouskaya; read as the в it stands for.
BELARUSIAN_U = re.compile(r"(?<=[aeo])u(?=[^aeiouy]|$)")


def national_spellings(word: str) -> list[str]:
    """Latin spellings of a Belarusian or Ukrainian Cyrillic word under those languages'
    schemes; nothing for a word in Russian letters only. Their c is ц: written ts here,
    where the skeleton cannot mistake it for a k (Bjaljacki → Bjaljatski)."""
    if not NATIONAL_LETTERS.intersection(word):
        return []
    found = []
    for language in ("by", "ua"):
        latin: str = cyrtranslit.to_latin(word, language)
        # its x is х (Łacinka writes ch), which the skeleton would read as ks
        latin = re.sub(r"c(?!h)", "ts", latin.lower()).replace("x", "kh")
        found.append(latin)
        if "ŭ" in latin:  # ў: ŭ officially, u in the press (Tsikhanouskaya)
            found.append(latin.replace("ŭ", "u"))
    return found


@lru_cache(maxsize=100_000)
def latin_readings(word: str) -> frozenset[str]:
    """The word respelled as each orthography it may be written in would mean it
    (the word itself not included). ``word`` is lower case."""
    found: set[str] = set()
    if LONE_H.search(word):
        found.add(LONE_H.sub("g", word))
    if WEST_SLAVIC_TRAITS.search(word):
        found.add(WEST_SLAVIC_RE.sub(lambda m: WEST_SLAVIC[m.group(0)], word))
    if BELARUSIAN_U.search(word):
        found.add(BELARUSIAN_U.sub("v", word))
    found.discard(word)
    return frozenset(found)
