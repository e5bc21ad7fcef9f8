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

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import count, permutations
from typing import Any

import numpy
from rapidfuzz.distance import Indel
from rapidfuzz.process import cpdist

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
    nominative_keys,
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
    """`masculine` of each key, as a set to compare at once (the keys themselves if unchanged)."""
    found = frozenset(map(masculine, keys))
    return keys if found == keys else found


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
    expands: bool = False  # a short or full given name: the *_wide sets say more than the keys
    # (keys as a tuple, keys, masculine forms, wide) against a Cyrillic word / any other
    cyrillic_view: tuple[Any, ...] = field(default=(), compare=False)
    latin_view: tuple[Any, ...] = field(default=(), compare=False)
    id: int = field(default=0, compare=False)  # this process's number for it (the cache's)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Pickled as its text: the other process prepares it again (and numbers it its way).
        return prepare_word, (self.text,)


@dataclass(frozen=True, slots=True)
class PreparedPart:
    words: tuple[PreparedWord, ...]  # empty for a part of particles only ("von")
    joined: PreparedWord | None


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name ready to be scored against many others (`score`). Picklable; cache it."""

    name: Name
    parts: tuple[PreparedPart | None, PreparedPart | None, PreparedPart | None]
    words: tuple[PreparedWord, ...]
    # When every part is one word (most names): where each kind's word is in `words`
    # (-1: no such part), for `score`'s fast path. Empty otherwise.
    positions: tuple[int, ...] = ()

    def __reduce__(self) -> tuple[Any, tuple[Name]]:
        return _prepare_name, (self.name,)


_numbers = count(1)


@lru_cache(maxsize=100_000)  # about 1 KB each
def prepare_word(word: str) -> PreparedWord:
    """Everything comparing one word of a name needs (cached, numbered)."""
    word_ = _prepare_word(word)
    return replace(
        word_,
        id=next(_numbers),
        cyrillic_view=(tuple(word_.exact), word_.exact, word_.exact_masc, word_.exact_wide),
        latin_view=(tuple(word_.keys), word_.keys, word_.keys_masc, word_.keys_wide),
    )


def _prepare_word(word: str) -> PreparedWord:
    cyrillic = detect_script(word) is Script.CYRILLIC
    folded = word.casefold()
    foreign = bool(NATIONAL_LETTERS.intersection(word) or WEST_SLAVIC_TRAITS.search(folded))
    if is_initial(word):
        empty: frozenset[str] = frozenset()
        return PreparedWord(
            word,
            initial_keys(word),
            cyrillic,
            foreign,
            empty,
            empty,
            empty,
            empty,
            empty,
            empty,
            empty,
            empty,
        )
    exact = exact_keys(word) if cyrillic else frozenset()
    # A Cyrillic word by its nominatives, gender kept (as `exact_keys`): «Соколова» is a
    # woman's surname before it is the genitive of «Соколов», so Sokolov is her kin, not her.
    keys = nominative_keys(word) if cyrillic else word_keys(word, True)
    expanded = expanded_keys(word)
    return PreparedWord(
        text=word,
        initial=None,
        cyrillic=cyrillic,
        foreign=foreign,
        exact=exact,
        keys=keys,
        exact_wide=exact | expanded if expanded else exact,  # shared, not copied: memory
        keys_wide=keys | expanded if expanded else keys,
        exact_masc=masculines(exact),
        keys_masc=masculines(keys),
        plain=word_keys(word),
        coarse=frozenset(map(coarse, keys)),
        expands=bool(expanded),
    )


def prepare_part(text: str) -> PreparedPart | None:
    if not text:
        return None
    words = words_of(text)
    if not words:
        return PreparedPart((), None)
    prepared = tuple(prepare_word(w) for w in words)
    joined = prepared[0] if len(words) == 1 else prepare_word("".join(words))
    return PreparedPart(prepared, joined)


@lru_cache(maxsize=100_000)
def _prepare_name(name: Name) -> PreparedName:
    parts = tuple(prepare_part(name.part(kind)) for kind in WEIGHTS)
    words = tuple(prepare_word(w) for _, text in name.parts() for w in words_of(text))
    positions: tuple[int, ...] = ()
    if all(part is None or len(part.words) == 1 for part in parts):
        found: list[int] = []
        for part in parts:
            found.append(-1 if part is None else words.index(part.words[0]))
        positions = tuple(found)
    return PreparedName(name, (parts[0], parts[1], parts[2]), words, positions)


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


def comparable(a: PreparedWord, b: PreparedWord) -> tuple[frozenset[str], frozenset[str]]:
    # Two Cyrillic words are compared on one scheme's keys: the union over all schemes
    # would let their quirks collide (German spells both Захаров and Сахаров «Sacharow»).
    if a.cyrillic and b.cyrillic:
        return a.exact, b.exact
    return a.keys, b.keys


def decided(a: PreparedWord, b: PreparedWord) -> float | None:
    """The score of two words when their keys decide it; None when it takes the ratio."""
    if a.initial is not None or b.initial is not None:
        return initial_score(a, b)
    keys_a, keys_b = comparable(a, b)
    if not keys_a or not keys_b:
        return 0.0
    if not keys_a.isdisjoint(keys_b):
        return SAME_KEY
    both_cyrillic = a.cyrillic and b.cyrillic
    if a.expands or b.expands:
        wide_a, wide_b = (
            (a.exact_wide, b.exact_wide) if both_cyrillic else (a.keys_wide, b.keys_wide)
        )
        if not wide_a.isdisjoint(wide_b):
            return SHORT_FORM
    masc_a, masc_b = (a.exact_masc, b.exact_masc) if both_cyrillic else (a.keys_masc, b.keys_masc)
    if not masc_a.isdisjoint(masc_b):
        return GENDER_PAIR
    return None


def from_ratio(a: PreparedWord, b: PreparedWord, ratio: float) -> float:
    # Squared, so that a typo (0.9) stays close while two different names that
    # share a few letters (Николай, Виктор: 0.46) fall well apart.
    result = 100.0 * ratio * ratio
    cross = not (a.cyrillic and b.cyrillic) or a.foreign or b.foreign
    if cross and not a.coarse.isdisjoint(b.coarse):
        return max(result, COARSE)
    return result


def compare_words(a: PreparedWord, b: PreparedWord) -> float:
    found = decided(a, b)
    if found is not None:
        return found
    keys_a, keys_b = comparable(a, b)
    ratio = max(Indel.normalized_similarity(x, y) for x in keys_a for y in keys_b)
    return from_ratio(a, b, ratio)


# Scores of word pairs, by the pair of the words' ids. Names share words (given names,
# patronymics, a family's surname), so most pairs of names are scored from here.
_SCORES: dict[int, float] = {}
MAX_CACHED_PAIRS = 2_000_000  # about 200 MB at most
# While `score_many` collects the word pairs it has not seen: what they are, by pair code.
_pending: dict[int, tuple[PreparedWord, PreparedWord]] | None = None


def word_score(a: PreparedWord, b: PreparedWord) -> float:
    first, second = a.id, b.id
    code = (first << 32 | second) if first <= second else (second << 32 | first)
    found = _SCORES.get(code)
    if found is None:
        if _pending is not None:
            _pending[code] = (a, b)
            return 0.0
        if len(_SCORES) >= MAX_CACHED_PAIRS:
            _SCORES.clear()
        found = _SCORES[code] = compare_words(a, b)
    return found


def score_pending(pending: dict[int, tuple[PreparedWord, PreparedWord]]) -> None:
    """Score many new word pairs at once: the ratios in one call of rapidfuzz's cpdist.

    The same decisions as `compare_words`, inlined for the common case (no initial, no
    given name of the short-form table), which is most of the time spent scoring."""
    scores = _SCORES
    if len(scores) + len(pending) >= MAX_CACHED_PAIRS:
        scores.clear()
    firsts: list[str] = []
    seconds: list[str] = []
    starts: list[int] = []
    waiting: list[tuple[int, PreparedWord, PreparedWord]] = []
    for code, (a, b) in pending.items():
        if a.initial is not None or b.initial is not None:
            scores[code] = initial_score(a, b)
            continue
        if a.cyrillic and b.cyrillic:
            tuple_a, keys_a, masc_a, wide_a = a.cyrillic_view
            tuple_b, keys_b, masc_b, wide_b = b.cyrillic_view
        else:
            tuple_a, keys_a, masc_a, wide_a = a.latin_view
            tuple_b, keys_b, masc_b, wide_b = b.latin_view
        if not keys_a or not keys_b:
            scores[code] = 0.0
        elif not keys_a.isdisjoint(keys_b):
            scores[code] = SAME_KEY
        elif (a.expands or b.expands) and not wide_a.isdisjoint(wide_b):
            scores[code] = SHORT_FORM
        elif not masc_a.isdisjoint(masc_b):
            scores[code] = GENDER_PAIR
        else:
            starts.append(len(firsts))
            if len(tuple_a) == 1:
                firsts.extend(tuple_a * len(tuple_b))
            else:
                for x in tuple_a:
                    firsts.extend([x] * len(tuple_b))
            seconds.extend(tuple_b * len(tuple_a))
            waiting.append((code, a, b))
    if not waiting:
        return
    ratios = cpdist(
        firsts, seconds, scorer=Indel.normalized_similarity, dtype=numpy.float64, workers=1
    )
    best = numpy.maximum.reduceat(ratios, numpy.array(starts))
    for (code, a, b), ratio in zip(waiting, best.tolist(), strict=True):
        scores[code] = from_ratio(a, b, ratio)


def collect_pending(
    pairs: list[tuple[PreparedName, PreparedName]],
) -> dict[int, tuple[PreparedWord, PreparedWord]]:
    """The word pairs that scoring these pairs of names needs and the cache has not."""
    global _pending
    scores = _SCORES
    pending: dict[int, tuple[PreparedWord, PreparedWord]] = {}
    others: list[tuple[PreparedName, PreparedName]] = []
    for a, b in pairs:
        if not (a.positions and b.positions):
            others.append((a, b))
            continue
        for x in a.words:
            first = x.id
            for y in b.words:
                second = y.id
                code = (first << 32 | second) if first <= second else (second << 32 | first)
                if code not in scores:
                    pending[code] = (x, y)
    if others:  # names of several words a part: let scoring itself say what it needs
        _pending = pending
        try:
            for a, b in others:
                score(a, b)
        finally:
            _pending = None
    return pending


def word_similarity(a: str, b: str) -> float:
    """0..100 for two words of names (keys, short forms, gender pair, initials)."""
    return word_score(prepare_word(a), prepare_word(b))


def words_of(text: str) -> list[str]:
    return [w for w in text.replace("-", " ").split() if not is_particle(w)]


def best_assignment(words_a: tuple[PreparedWord, ...], words_b: tuple[PreparedWord, ...]) -> float:
    """Mean word similarity under the best pairing; unpaired words count as 0."""
    if len(words_a) > len(words_b):
        words_a, words_b = words_b, words_a
    if len(words_b) > MAX_UNORDERED_WORDS:
        words_b = words_b[:MAX_UNORDERED_WORDS]
        words_a = words_a[:MAX_UNORDERED_WORDS]
    count = len(words_b)
    if len(words_a) == 1:
        first = words_a[0]
        return max([word_score(first, y) for y in words_b]) / count
    matrix = [[word_score(x, y) for y in words_b] for x in words_a]
    if len(words_a) == 2 and count == 2:
        (p, q), (r, s) = matrix
        return max(p + s, q + r) / 2
    if len(words_a) == 3 and count == 3:
        (a, b, c), (d, e, f), (g, h, i) = matrix
        return max(a + e + i, a + f + h, b + d + i, b + f + g, c + d + h, c + e + g) / 3
    best = 0.0
    for chosen in permutations(range(count), len(words_a)):
        total = 0.0
        for row, j in zip(matrix, chosen, strict=False):
            total += row[j]
        if total > best:
            best = total
    return best / count


def part_score(a: PreparedPart, b: PreparedPart) -> float:
    """Parts of several words (double surnames) match word by word, or joined."""
    if a.joined is None or b.joined is None:
        return 0.0
    joined = word_score(a.joined, b.joined)
    if len(a.words) == 1 and len(b.words) == 1:
        return joined
    return max(joined, best_assignment(a.words, b.words))


def typed_score(a: PreparedName, b: PreparedName) -> float:
    total = weight = penalty = 0.0
    for (kind, kind_weight), part_a, part_b in zip(WEIGHTS.items(), a.parts, b.parts, strict=True):
        if part_a is not None and part_b is not None:
            total += kind_weight * part_score(part_a, part_b)
            weight += kind_weight
        elif part_a is not None or part_b is not None:
            penalty += MISSING[kind]
    if not weight:
        return 0.0
    return max(0.0, total / weight - penalty)


KIND_WEIGHTS = tuple(WEIGHTS.values())
KIND_MISSING = tuple(MISSING[kind] for kind in WEIGHTS)


def best_in_matrix(matrix: list[list[float]]) -> float:
    """`best_assignment` on the scores of up to 3 × 3 words."""
    rows, columns = len(matrix), len(matrix[0])
    if rows > columns:
        matrix = [list(column) for column in zip(*matrix, strict=True)]
        rows, columns = columns, rows
    if rows == 1:
        return max(matrix[0]) / columns
    if rows == 2 and columns == 2:
        (p, q), (r, s) = matrix
        return max(p + s, q + r) / 2
    if rows == 3:
        (a, b, c), (d, e, f), (g, h, i) = matrix
        return max(a + e + i, a + f + h, b + d + i, b + f + g, c + d + h, c + e + g) / 3
    (a, b, c), (d, e, f) = matrix  # 2 × 3
    return max(a + e, a + f, b + d, b + f, c + d, c + e) / 3


def score(a: PreparedName, b: PreparedName) -> float:
    """0 (nothing alike) to 100 (the same name, perhaps spelled differently)."""
    if a.positions and b.positions and a.words and b.words:
        return simple_score(a, b)
    result = typed_score(a, b)
    # The order-free comparison can only win when the typed one left room for it.
    if result < 100.0 - UNORDERED_PENALTY and a.words and b.words:
        result = max(result, best_assignment(a.words, b.words) - UNORDERED_PENALTY)
    return round(min(100.0, result), 1)


def score_many(pairs: Iterable[tuple[PreparedName, PreparedName]]) -> list[float]:
    """`score` of each pair, in order: the words never compared before are compared
    together first (one rapidfuzz call), then each pair is scored from the cache."""
    pairs = list(pairs)
    collecting = gc.isenabled()
    # Scoring allocates many small short-lived lists; with millions of cached objects
    # around, the collector's full passes would cost more than the scoring.
    gc.disable()
    try:
        score_pending(collect_pending(pairs))
        return [score(a, b) for a, b in pairs]
    finally:
        if collecting:
            gc.enable()


def score_one_to_many(query: PreparedName, others: Iterable[PreparedName]) -> list[float]:
    """`score` of one name against each of many (a block of candidates)."""
    return score_many((query, other) for other in others)


def similarity(a: str | Name, b: str | Name) -> float:
    """0 (nothing alike) to 100 (the same name, perhaps spelled differently)."""
    return score(prepare(a), prepare(b))


def simple_score(a: PreparedName, b: PreparedName) -> float:
    """`score` of two names whose parts are one word each: every word pair once."""
    get = _SCORES.get
    matrix: list[list[float]] = []
    for x in a.words:
        row: list[float] = []
        first = x.id
        for y in b.words:
            second = y.id
            value = get((first << 32 | second) if first <= second else (second << 32 | first))
            if value is None:
                value = word_score(x, y)
            row.append(value)
        matrix.append(row)
    total = weight = penalty = 0.0
    for i, j, kind_weight, missing in zip(
        a.positions, b.positions, KIND_WEIGHTS, KIND_MISSING, strict=True
    ):
        if i >= 0 and j >= 0:
            total += kind_weight * matrix[i][j]
            weight += kind_weight
        elif i >= 0 or j >= 0:
            penalty += missing
    result = max(0.0, total / weight - penalty) if weight else 0.0
    if result < 100.0 - UNORDERED_PENALTY:
        result = max(result, best_in_matrix(matrix) - UNORDERED_PENALTY)
    return round(min(100.0, result), 1)
