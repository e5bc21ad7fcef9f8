"""Cyrillic to Latin under every scheme a name is likely to be found in.

iuliia carries the official and scholarly schemes; cyrtranslit and anyascii
the spellings of tools and keyboards; german.py the German press. Output keeps
letter case only approximately: keys are built from it, not display text.
"""

from collections.abc import Callable
from functools import lru_cache

import cyrtranslit
import iuliia
from anyascii import anyascii

from pompolit.names.german import to_german

# Each schema is named in docs/names.md; the French one (MVD 310 FR) is the
# Soviet passport rule and matches French press spelling closely.
IUILIA_SCHEMAS = (
    "icao_doc_9303",  # passports since 2014
    "gost_52535",  # older passports, = ICAO for names
    "gost_7034",  # Russian scholarly-technical
    "gost_779",  # = ISO 9, diacritics
    "bgn_pcgn",  # US/UK geographic boards
    "ala_lc",  # Library of Congress
    "bs_2979",  # British Standard
    "scientific",  # Slavists' scholarly
    "iso_9_1968",
    "wikipedia",  # English press and Wikipedia
    "mosmetro",
    "yandex_maps",
    "mvd_310",  # Soviet passports
    "mvd_310_fr",  # Soviet passports, French
    "mvd_782",
)


def iuliia_scheme(name: str) -> Callable[[str], str]:
    schema = iuliia.schemas.get(name)
    if schema is None:
        raise LookupError(f"iuliia has no schema {name!r}")
    translate: Callable[[str], str] = schema.translate
    return translate


def cyrtranslit_ru(word: str) -> str:
    result: str = cyrtranslit.to_latin(word, "ru")
    return result


def french(word: str) -> str:
    # MVD 310 FR writes ж as j, which every other scheme reads as й. Spelled
    # zh here it cannot collide (Жанна / Яна, Жилин / Ильин); a French query
    # with j is looked up both ways (see wordkeys.latin_readings).
    return FRENCH(word).replace("j", "zh").replace("J", "Zh")


FRENCH = iuliia_scheme("mvd_310_fr")

SCHEMES: dict[str, Callable[[str], str]] = {
    **{name: iuliia_scheme(name) for name in IUILIA_SCHEMAS if name != "mvd_310_fr"},
    "mvd_310_fr": french,
    "cyrtranslit": cyrtranslit_ru,
    "anyascii": anyascii,
    "german": to_german,
}

# Ukrainian and Belarusian letters, mapped to their Russian reading so that the
# Russian schemes can spell names from Belarusian lists.
NON_RUSSIAN = str.maketrans({"і": "и", "І": "И", "ї": "йи", "Ї": "Йи", "є": "е", "Є": "Е",
                             "ґ": "г", "Ґ": "Г", "ў": "в", "Ў": "В"})


# The schemes whose skeletons cover the skeletons of all the others: most
# schemes differ only where the skeleton does not look (й as y/i/j, я as
# ya/ia/ja). Computed by greedy set cover over 8,000 surnames and checked for
# the real-names list by tests/test_translit.py; indexing only these is three
# times faster.
INDEXED = ("icao_doc_9303", "german", "gost_7034", "mvd_310_fr", "wikipedia", "gost_779")


@lru_cache(maxsize=100_000)
def transliterations(word: str, schemes: tuple[str, ...] = INDEXED) -> dict[str, str]:
    """One Cyrillic word under the given schemes, by scheme name."""
    word = word.translate(NON_RUSSIAN)
    return {name: SCHEMES[name](word) for name in schemes}
