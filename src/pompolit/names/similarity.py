"""How likely two names are to be the same person, 0..100.

Parts are compared by type on their skeleton keys, so transliteration and
case endings do not count as differences; initials match the names they
abbreviate; short forms match their full names. A second, order-free
comparison catches names whose parts were written in an unusual order.

For many pairs (duplicate detection), prepare each name once and score the
prepared names: ``prepare(name)`` does every lookup a name needs (keys under
every scheme, case endings, short forms) and ``score(a, b)`` only compares
what it holds, with rapidfuzz's C scorers and a cache of word pairs.
``similarity(a, b)`` is ``score(prepare(a), prepare(b))``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

from rapidfuzz.distance import Indel

from pompolit.names.coarse import coarse
from pompolit.names.diminutives import full_name_keys, full_names
from pompolit.names.languages import NATIONAL_LETTERS, WEST_SLAVIC_TRAITS
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
# One name in two languages or scripts whose coarse keys agree (Калеснікава and
# Колесникова, Bialiatski and Беляцкий, Sharansky and Щаранский). Never given
# between two Russian Cyrillic words: there the coarse key would make Седов and
# Садов one name.
COARSE = 85.0
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


@lru_cache(maxsize=200_000)
def expanded_keys(word: str) -> frozenset[str]:
    keys: set[str] = set()
    for full in full_names(word_keys(word)):
        keys |= full_name_keys(full)
    return frozenset(keys)


def masculine(key: str) -> str:
    """The masculine form of a feminine surname or given name key, roughly."""
    for feminine, masc in (("aya", "y"), ("aya", "oy"), ("ya", "y"), ("a", "")):
        if key.endswith(feminine):
            return key[: -len(feminine)] + masc
    return key


def masculines(keys: frozenset[str]) -> frozenset[str]:
    # masculine() gives one form; -aya may be -y or -oy, so both are kept.
    found: set[str] = set()
    for key in keys:
        for feminine, masc in (("aya", "y"), ("aya", "oy"), ("ya", "y"), ("a", "")):
            if key.endswith(feminine):
                found.add(key[: -len(feminine)] + masc)
                break
        else:
            found.add(key)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class PreparedWord:
    """One word of a name with everything comparing it needs. Plain data: picklable."""

    text: str
    initial: frozenset[str] | None  # for an initial: how the names it stands for begin
    cyrillic: bool
    foreign: bool  # Belarusian, Ukrainian or West Slavic letters
    exact: frozenset[str]  # ICAO skeletons (Cyrillic only), for Cyrillic against Cyrillic
    keys: frozenset[str]  # every key, case endings included, for the other comparisons
    exact_wide: frozenset[str]  # exact and the keys of the full names it may stand for
    keys_wide: frozenset[str]
    exact_masc: frozenset[str]
    keys_masc: frozenset[str]
    plain: frozenset[str]  # keys of the spelling itself, for an initial to agree with
    coarse: frozenset[str]


@dataclass(frozen=True, slots=True)
class PreparedPart:
    words: tuple[PreparedWord, ...]
    joined: PreparedWord


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name ready to be scored against many others (`score`). Picklable; cache it."""

    name: Name
    parts: tuple[PreparedPart | None, PreparedPart | None, PreparedPart | None]
    words: tuple[PreparedWord, ...]


@lru_cache(maxsize=200_000)
def prepare_word(word: str) -> PreparedWord:
    cyrillic = detect_script(word) is Script.CYRILLIC
    folded = word.casefold()
    foreign = bool(NATIONAL_LETTERS.intersection(word) or WEST_SLAVIC_TRAITS.search(folded))
    if is_initial(word):
        return PreparedWord(word, initial_keys(word), cyrillic, foreign, *([frozenset()] * 8))
    exact = exact_keys(word) if cyrillic else frozenset()
    keys = word_keys(word, True)
    expanded = expanded_keys(word)
    return PreparedWord(
        text=word, initial=None, cyrillic=cyrillic, foreign=foreign, exact=exact, keys=keys,
        exact_wide=exact | expanded, keys_wide=keys | expanded, exact_masc=masculines(exact),
        keys_masc=masculines(keys), plain=word_keys(word), coarse=frozenset(map(coarse, keys)),
    )


def prepare_part(text: str) -> PreparedPart | None:
    words = words_of(text)
    if not words:
        return None
    prepared = tuple(prepare_word(w) for w in words)
    joined = prepared[0] if len(words) == 1 else prepare_word("".join(words))
    return PreparedPart(prepared, joined)


@lru_cache(maxsize=100_000)
def _prepare_name(name: Name) -> PreparedName:
    parts = tuple(prepare_part(name.part(kind)) for kind in WEIGHTS)
    words = tuple(prepare_word(w) for _, text in name.parts() for w in words_of(text))
    return PreparedName(name, (parts[0], parts[1], parts[2]), words)


def prepare(name: str | Name) -> PreparedName:
    """Everything `score` needs of a name (a full-name string or a Name), computed once."""
    return _prepare_name(parse_name(name) if isinstance(name, str) else name)


def initial_score(a: PreparedWord, b: PreparedWord) -> float:
    if a.initial is not None and b.initial is not None:
        return INITIAL if a.initial & b.initial else 0.0
    initial, word = (a, b) if a.initial is not None else (b, a)
    letters = initial.initial or frozenset()
    if any(key.startswith(letter) for key in word.plain for letter in letters):
        return INITIAL
    return 0.0


def compare_words(a: PreparedWord, b: PreparedWord) -> float:
    if a.initial is not None or b.initial is not None:
        return initial_score(a, b)
    both_cyrillic = a.cyrillic and b.cyrillic
    if both_cyrillic:
        keys_a, keys_b = a.exact, b.exact
    else:
        keys_a, keys_b = a.keys, b.keys
    if not keys_a or not keys_b:
        return 0.0
    if not keys_a.isdisjoint(keys_b):
        return SAME_KEY
    if both_cyrillic:
        if not a.exact_wide.isdisjoint(b.exact_wide):
            return SHORT_FORM
        if not a.exact_masc.isdisjoint(b.exact_masc):
            return GENDER_PAIR
    else:
        if not a.keys_wide.isdisjoint(b.keys_wide):
            return SHORT_FORM
        if not a.keys_masc.isdisjoint(b.keys_masc):
            return GENDER_PAIR
    ratio = max(Indel.normalized_similarity(x, y) for x in keys_a for y in keys_b)
    # Squared, so that a typo (0.9) stays close while two different names that
    # share a few letters (Николай, Виктор: 0.46) fall well apart.
    result = 100.0 * ratio * ratio
    if (not both_cyrillic or a.foreign or b.foreign) and not a.coarse.isdisjoint(b.coarse):
        return max(result, COARSE)
    return result


_PAIRS: dict[tuple[str, str], float] = {}
MAX_CACHED_PAIRS = 2_000_000


def word_score(a: PreparedWord, b: PreparedWord) -> float:
    key = (a.text, b.text) if a.text <= b.text else (b.text, a.text)
    found = _PAIRS.get(key)
    if found is None:
        if len(_PAIRS) >= MAX_CACHED_PAIRS:
            _PAIRS.clear()
        found = _PAIRS[key] = compare_words(a, b)
    return found


def word_similarity(a: str, b: str) -> float:
    """0..100 for two words of names (keys, short forms, gender pair, initials)."""
    return word_score(prepare_word(a), prepare_word(b))


def words_of(text: str) -> list[str]:
    return [w for w in text.replace("-", " ").split() if not is_particle(w)]


def best_assignment(words_a: tuple[PreparedWord, ...], words_b: tuple[PreparedWord, ...]
                    ) -> float:
    """Mean word similarity under the best pairing; unpaired words count as 0."""
    if len(words_a) > len(words_b):
        words_a, words_b = words_b, words_a
    if len(words_b) > MAX_UNORDERED_WORDS:
        words_b = words_b[:MAX_UNORDERED_WORDS]
        words_a = words_a[:MAX_UNORDERED_WORDS]
    if len(words_a) == 1:
        first = words_a[0]
        return max(word_score(first, y) for y in words_b) / len(words_b)
    matrix = [[word_score(x, y) for y in words_b] for x in words_a]
    best = 0.0
    for chosen in permutations(range(len(words_b)), len(words_a)):
        total = sum(row[j] for row, j in zip(matrix, chosen, strict=False))
        best = max(best, total)
    return best / len(words_b)


def part_score(a: PreparedPart, b: PreparedPart) -> float:
    """Parts of several words (double surnames) match word by word, or joined."""
    joined = word_score(a.joined, b.joined)
    if len(a.words) == 1 and len(b.words) == 1:
        return joined
    return max(joined, best_assignment(a.words, b.words))


def typed_score(a: PreparedName, b: PreparedName) -> float:
    total = weight = penalty = 0.0
    for (kind, kind_weight), part_a, part_b in zip(WEIGHTS.items(), a.parts, b.parts,
                                                   strict=True):
        if part_a is not None and part_b is not None:
            total += kind_weight * part_score(part_a, part_b)
            weight += kind_weight
        elif part_a is not None or part_b is not None:
            penalty += MISSING[kind]
    if not weight:
        return 0.0
    return max(0.0, total / weight - penalty)


def score(a: PreparedName, b: PreparedName) -> float:
    """0 (nothing alike) to 100 (the same name, perhaps spelled differently)."""
    result = typed_score(a, b)
    # The order-free comparison can only win when the typed one left room for it.
    if result < 100.0 - UNORDERED_PENALTY and a.words and b.words:
        result = max(result, best_assignment(a.words, b.words) - UNORDERED_PENALTY)
    return round(min(100.0, result), 1)


def score_many(pairs: Iterable[tuple[PreparedName, PreparedName]]) -> list[float]:
    """`score` of each pair, in order."""
    return [score(a, b) for a, b in pairs]


def score_one_to_many(query: PreparedName, others: Iterable[PreparedName]) -> list[float]:
    """`score` of one name against each of many (a block of candidates)."""
    return [score(query, other) for other in others]


def similarity(a: str | Name, b: str | Name) -> float:
    """0 (nothing alike) to 100 (the same name, perhaps spelled differently)."""
    return score(prepare(a), prepare(b))
