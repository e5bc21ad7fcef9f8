"""Free-form full names into typed parts.

Handles both orders ("Кибальчич Николай Иванович", "Nikolai Kibalchich"),
initials ("Н. И. Кибальчич"), a comma after the surname, a surname in capitals
("KIBALCHICH Nikolai"), hyphenated surnames and particles (von, де, оглы).

The rules read each word folded (ё as е, accents dropped: `normalize.clean`); the parts come
back spelled as typed (`normalize.tidy`): "Тестов Пётр" is Name("Тестов", "Пётр"). Matching
folds them again (`Name.folded`).
"""

import re
from functools import lru_cache

from pompolit.names import morphology
from pompolit.names.diminutives import is_full_given_name, is_given_name
from pompolit.names.languages import NATIONAL_LETTERS
from pompolit.names.name import Name
from pompolit.names.normalize import spelled_tokens
from pompolit.names.script import Script, detect_script
from pompolit.names.wordkeys import is_initial, is_particle, word_keys

PATRONYMIC_RE = re.compile(
    r"(?:[оеё]вич|[оеё]вна|ична|инична|ич|"
    # Belarusian (-авіч, -аўна, -ічна) and Ukrainian (-ович, -івна, -ївна)
    r"іч|[аеоё][ўв]на|ічна|[іїи]вна|"
    r"[oe]vi(?:c|ch|tch|tsch|tj|č)|[oe]vn[ae]|[oe]wna|i(?:c|ch|tch|č)na|ichna|"
    r"[aoe]vy(?:ch|č)|[ae]vi(?:ch|č)|[ae][uŭ]na|[iy]?ivna)$",
    re.IGNORECASE,
)
TURKIC_PATRONYMIC = frozenset({"оглы", "кызы", "улы", "уулу", "ogly", "oglu", "kyzy", "ugli"})


class Word(str):
    """A word of a name as the rules read it (folded), its spelling as typed beside it."""

    typed: str

    def __new__(cls, folded: str, typed: str) -> "Word":
        word = super().__new__(cls, folded)
        word.typed = typed
        return word


def spelled(words: list[Word]) -> str:
    """The words as typed, as one part of a name."""
    return " ".join(word.typed for word in words)


def looks_like_patronymic(word: str) -> bool:
    if is_initial(word) or len(word) < 6:
        return False
    if detect_script(word) is Script.CYRILLIC and not NATIONAL_LETTERS.intersection(word):
        found = morphology.tags(word)  # Russian only: Belarusian and Ukrainian by the endings
        if found:
            return "Patr" in found
    return bool(PATRONYMIC_RE.search(word))


def given_likeness(word: str) -> int:
    if is_initial(word):
        return 2
    score = 0
    keys = word_keys(word)
    if is_given_name(keys):
        score += 2
    if is_full_given_name(keys):
        score += 1
    if detect_script(word) is Script.CYRILLIC:
        found = morphology.tags(word)
        if "Name" in found:
            score += 1
        if "Surn" in found:
            score -= 1
    return score


def is_shouted(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


@lru_cache(maxsize=20_000)
def parse_name(text: str) -> Name:
    """The parts of a full name, each spelled as typed."""
    words = [Word(folded, typed) for typed, folded in spelled_tokens(text)]
    if "," in words:
        at = next(i for i, word in enumerate(words) if word == ",")
        surname = [w for w in words[:at] if w != ","]
        rest = [w for w in words[at + 1 :] if w != ","]
        given, patronymic = split_given(rest)
        return Name(spelled(surname), spelled(given), spelled(patronymic))
    words = [w for w in words if w != ","]
    if not words:
        return Name()
    if len(words) == 1:
        only = words[0]
        if given_likeness(only) >= 2 and not is_initial(only):
            return Name(given=only.typed)
        return Name(surname=only.typed)
    shouted = [w for w in words if is_shouted(w) and not is_initial(w)]
    if shouted and len(shouted) < len(words):
        rest = [w for w in words if w not in shouted]
        given, patronymic = split_given(rest)
        return Name(spelled(shouted), spelled(given), spelled(patronymic))
    return by_position(words)


def split_given(words: list[Word]) -> tuple[list[Word], list[Word]]:
    """Given names and patronymic, in that order, from what follows a surname."""
    if len(words) >= 2 and (
        looks_like_patronymic(words[-1])
        or words[-1].casefold() in TURKIC_PATRONYMIC
        or (is_initial(words[-1]) and is_initial(words[-2]))
    ):
        if words[-1].casefold() in TURKIC_PATRONYMIC and len(words) >= 3:
            return words[:-2], words[-2:]
        return words[:-1], words[-1:]
    return words, []


def by_position(words: list[Word]) -> Name:
    initials = [w for w in words if is_initial(w)]
    if initials:
        # "Н. И. Кибальчич" and "Кибальчич Н. И.": initials are given name and patronymic.
        rest = [w for w in words if not is_initial(w)]
        if len(initials) == 1 and len(rest) >= 2:
            rest_name = by_position(rest)
            return Name(rest_name.surname, rest_name.given, initials[0].typed)
        return Name(spelled(rest), initials[0].typed, spelled(initials[1:]))
    patronymic_at = next(
        (i for i, w in enumerate(words) if i > 0 and looks_like_patronymic(w)), None
    )
    turkic_at = next(
        (i for i, w in enumerate(words) if i > 1 and w.casefold() in TURKIC_PATRONYMIC), None
    )
    if turkic_at is not None:
        patronymic = spelled(words[turkic_at - 1 : turkic_at + 1])
        rest = words[: turkic_at - 1] + words[turkic_at + 1 :]
        rest_name = by_position(rest) if len(rest) > 1 else Name(spelled(rest))
        return Name(rest_name.surname, rest_name.given, patronymic)
    if patronymic_at is not None:
        # The given name stands right before the patronymic, always.
        given = words[patronymic_at - 1]
        surname = words[: patronymic_at - 1] + words[patronymic_at + 1 :]
        return Name(spelled(surname), given.typed, words[patronymic_at].typed)
    return two_parts(words)


def two_parts(words: list[Word]) -> Name:
    """Given name and surname, in either order, no patronymic."""
    first, last = words[0], words[-1]
    first_score, last_score = given_likeness(first), given_likeness(last)
    surname_first = last_score > first_score or (
        last_score == first_score and detect_script(" ".join(words)) is Script.CYRILLIC
    )
    if surname_first:
        return Name(join_surname(words[:-1]), last.typed)
    return Name(join_surname(words[1:]), first.typed)


def join_surname(words: list[Word]) -> str:
    """A surname of several words, particles included: "de Gaulle", "фон Мекк"."""
    return spelled(words)


__all__ = ["is_particle", "parse_name"]
