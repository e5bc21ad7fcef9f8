"""How likely two names are to be the same person, 0..100.

Parts are compared by type on their skeleton keys, so transliteration and
case endings do not count as differences; initials match the names they
abbreviate; short forms match their full names. A second, order-free
comparison catches names whose parts were written in an unusual order.
"""

from functools import lru_cache
from itertools import permutations

from rapidfuzz.distance import Indel

from pompolit.names.diminutives import full_name_keys, full_names
from pompolit.names.name import Name, PartKind
from pompolit.names.parse import parse_name
from pompolit.names.script import Script, detect_script
from pompolit.names.wordkeys import (
    exact_keys,
    is_initial,
    is_particle,
    spelled_keys,
    word_keys,
)

WEIGHTS = {PartKind.SURNAME: 0.5, PartKind.GIVEN: 0.35, PartKind.PATRONYMIC: 0.15}
# Subtracted when only one of the names has the part: a missing patronymic is
# ordinary, a missing surname leaves little to go on.
MISSING = {PartKind.SURNAME: 35.0, PartKind.GIVEN: 12.0, PartKind.PATRONYMIC: 2.0}
SAME_KEY = 100.0
SHORT_FORM = 92.0  # Саша is Александр — or Александра
GENDER_PAIR = 50.0  # Петров / Петрова, Александр / Александра: kin, not one person
INITIAL = 88.0  # "Н." agrees with Николай but says little
UNORDERED_PENALTY = 6.0
MAX_UNORDERED_WORDS = 5


@lru_cache(maxsize=1024)
def initial_keys(word: str) -> frozenset[str]:
    """How an initial may begin the key of the name it abbreviates.

    A lone letter is spelled inside a word ("ka" after it), or the skeleton
    would treat И as the ending -ий.
    """
    letter = word.rstrip(".").casefold()
    keys: set[str] = set()
    for spelled in spelled_keys(letter + "ка") | spelled_keys(letter + "та"):
        for tail in ("ka", "ta"):
            if spelled.endswith(tail) and len(spelled) > len(tail):
                keys.add(spelled[: -len(tail)])
    return frozenset(keys or spelled_keys(letter))


def expanded_keys(word: str) -> frozenset[str]:
    keys: set[str] = set()
    for full in full_names(word_keys(word)):
        keys |= full_name_keys(full)
    return frozenset(keys)


@lru_cache(maxsize=200_000)
def word_similarity(a: str, b: str) -> float:
    if is_initial(a) or is_initial(b):
        return initial_similarity(a, b)
    keys_a, keys_b = comparable_keys(a, b)
    if not keys_a or not keys_b:
        return 0.0
    if keys_a & keys_b:
        return SAME_KEY
    if (keys_a | expanded_keys(a)) & (keys_b | expanded_keys(b)):
        return SHORT_FORM
    if any(masculine(x) == masculine(y) for x in keys_a for y in keys_b):
        return GENDER_PAIR
    ratio = max(Indel.normalized_similarity(x, y) for x in keys_a for y in keys_b)
    # Squared, so that a typo (0.9) stays close while two different names that
    # share a few letters (Николай, Виктор: 0.46) fall well apart.
    return 100.0 * ratio * ratio


def comparable_keys(a: str, b: str) -> tuple[frozenset[str], frozenset[str]]:
    if detect_script(a) is Script.CYRILLIC and detect_script(b) is Script.CYRILLIC:
        return exact_keys(a), exact_keys(b)
    return word_keys(a, True), word_keys(b, True)


def masculine(key: str) -> str:
    """The masculine form of a feminine surname or given name key, roughly."""
    for feminine, masc in (("aya", "y"), ("aya", "oy"), ("ya", "y"), ("a", "")):
        if key.endswith(feminine):
            return key[: -len(feminine)] + masc
    return key


def initial_similarity(a: str, b: str) -> float:
    if is_initial(a) and is_initial(b):
        return INITIAL if initial_keys(a) & initial_keys(b) else 0.0
    initial, word = (a, b) if is_initial(a) else (b, a)
    letters = initial_keys(initial)
    if any(key.startswith(letter) for key in word_keys(word) for letter in letters):
        return INITIAL
    return 0.0


def words_of(text: str) -> list[str]:
    return [w for w in text.replace("-", " ").split() if not is_particle(w)]


def part_similarity(a: str, b: str) -> float:
    """Parts of several words (double surnames) match word by word, or joined."""
    words_a, words_b = words_of(a), words_of(b)
    if not words_a or not words_b:
        return 0.0
    joined = word_similarity("".join(words_a), "".join(words_b))
    return max(joined, best_assignment(words_a, words_b))


def best_assignment(words_a: list[str], words_b: list[str]) -> float:
    """Mean word similarity under the best pairing; unpaired words count as 0."""
    if len(words_a) > len(words_b):
        words_a, words_b = words_b, words_a
    if len(words_b) > MAX_UNORDERED_WORDS:
        words_b = words_b[:MAX_UNORDERED_WORDS]
        words_a = words_a[:MAX_UNORDERED_WORDS]
    best = 0.0
    for chosen in permutations(words_b, len(words_a)):
        total = sum(word_similarity(x, y) for x, y in zip(words_a, chosen, strict=True))
        best = max(best, total)
    return best / len(words_b)


def typed_similarity(a: Name, b: Name) -> float:
    total = weight = penalty = 0.0
    for kind, kind_weight in WEIGHTS.items():
        part_a, part_b = a.part(kind), b.part(kind)
        if part_a and part_b:
            total += kind_weight * part_similarity(part_a, part_b)
            weight += kind_weight
        elif part_a or part_b:
            penalty += MISSING[kind]
    if not weight:
        return 0.0
    return max(0.0, total / weight - penalty)


def unordered_similarity(a: Name, b: Name) -> float:
    words_a = [w for _, text in a.parts() for w in words_of(text)]
    words_b = [w for _, text in b.parts() for w in words_of(text)]
    if not words_a or not words_b:
        return 0.0
    return max(0.0, best_assignment(words_a, words_b) - UNORDERED_PENALTY)


def similarity(a: str | Name, b: str | Name) -> float:
    """0 (nothing alike) to 100 (the same name, perhaps spelled differently)."""
    name_a = parse_name(a) if isinstance(a, str) else a
    name_b = parse_name(b) if isinstance(b, str) else b
    score = max(typed_similarity(name_a, name_b), unordered_similarity(name_a, name_b))
    return round(min(100.0, score), 1)
