"""Russian in German spelling (Duden), which iuliia does not ship.

German texts write Kibaltschitsch, Chruschtschow, Jelzin, Nawalny: the only
way to find those is to produce them.
"""

import re

LETTERS = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ж": "sch", "з": "s",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch",
    "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
    "і": "i", "ї": "ji", "є": "je", "ґ": "g", "ў": "w",
}
VOWELS = "аеёиоуыэюяіїє"
# е is je at the start of a word, after a vowel and after ь/ъ: Jelzin, Andrejew.
IOTATED_E = re.compile(r"(?:(?<=^)|(?<=[аеёиоуыэюяьъ]))е")
SOFT_SIGN_BEFORE_I = re.compile(r"ь(?=и)")  # Iljitsch
# с between vowels is ss, or German would read it as z: Wassili.
VOICELESS_S = re.compile(r"(?<=[аеиоуыэюя])с(?=[аеиоуыэюя])")
ENDINGS = (("ский", "ski"), ("ий", "i"), ("ый", "y"))


def to_german(word: str) -> str:
    lower = word.lower()
    for ending, replacement in ENDINGS:
        if lower.endswith(ending):
            return to_german(word[: -len(ending)]) + replacement if lower != ending else replacement
    lower = IOTATED_E.sub("jе", lower)
    lower = SOFT_SIGN_BEFORE_I.sub("j", lower)
    lower = VOICELESS_S.sub("сс", lower)
    return "".join(LETTERS.get(c, c) for c in lower)
