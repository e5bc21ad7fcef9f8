"""How likely two names are to be the same person, 0..100.

Parts are compared by type on their skeleton keys, so transliteration and
case endings do not count as differences; initials match the names they
abbreviate; short forms match their full names. A second, order-free
comparison catches names whose parts were written in an unusual order.

For many pairs (duplicate detection), prepare each name once and score the
prepared names: ``prepare(name)`` does every lookup a name needs (keys under
every scheme, case endings, short forms) and ``score(a, b)`` only compares
what it holds, with rapidfuzz's C scorers and a cache of word pairs.
``similarity(a, b)`` is ``score(prepare(a), prepare(b))``. ``score_many`` compares the word
pairs it has never seen all at once, on the numbers `wordtable` keeps of each prepared word.
"""

import gc
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain, permutations, repeat
from operator import attrgetter
from typing import Any

import numpy
import numpy.typing as npt
from rapidfuzz.distance import Indel
from rapidfuzz.process import cpdist

from pompolit.names import wordtable
from pompolit.names.coarse import coarse
from pompolit.names.diminutives import full_name_keys, full_names
from pompolit.names.languages import NATIONAL_LETTERS, WEST_SLAVIC_TRAITS
from pompolit.names.name import Name, PartKind
from pompolit.names.normalize import HYPHENS
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

OTHER_DASH = re.compile(f"[{HYPHENS.replace('-', '')}]")
DASHES_TO_SPACE = str.maketrans(dict.fromkeys(HYPHENS, " "))

Ints = npt.NDArray[numpy.int64]
Floats = npt.NDArray[numpy.float64]
Bytes = npt.NDArray[numpy.uint8]

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
    id: int = field(default=0, compare=False)  # this process's number for it (`wordtable`'s)
    is_initial: bool = field(default=False, compare=False)

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
    # With `positions`: the words' ids padded with 0 to three, then `positions`, as six
    # int64 (`score_many` reads many names' at once into one array). Empty otherwise.
    packed: bytes = b""

    def __reduce__(self) -> tuple[Any, tuple[Name]]:
        return _prepare_name, (self.name,)


@lru_cache(maxsize=100_000)  # about 1 KB each
def prepare_word(word: str) -> PreparedWord:
    """Everything comparing one word of a name needs (cached, numbered)."""
    word_ = _prepare_word(word)
    flags = (
        (wordtable.CYRILLIC if word_.cyrillic else 0)
        | (wordtable.FOREIGN if word_.foreign else 0)
        | (wordtable.EXPANDS if word_.expands else 0)
        | (wordtable.INITIAL if word_.initial is not None else 0)
    )
    sets = (
        word_.exact,
        word_.keys,
        word_.exact_masc,
        word_.keys_masc,
        word_.exact_wide,
        word_.keys_wide,
        union(word_.exact_wide, word_.exact_masc),
        union(word_.keys_wide, word_.keys_masc),
        word_.coarse,
    )
    return replace(
        word_, id=wordtable.register(word, flags, sets), is_initial=word_.initial is not None
    )


def union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a if b <= a else a | b


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
    packed = b""
    if positions and words:
        ids = [w.id for w in words] + [0] * (3 - len(words))
        packed = numpy.array(ids + list(positions), dtype=numpy.int64).tobytes()
    return PreparedName(name, (parts[0], parts[1], parts[2]), words, positions, packed)


def prepare(name: str | Name) -> PreparedName:
    """Everything `score` needs of a name (a full-name string or a Name), computed once."""
    return _prepare_name(parse_name(name).folded() if isinstance(name, str) else name)


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
    """Score and cache these new word pairs (by pair code), all at once."""
    if pending:
        codes = numpy.fromiter(pending, dtype=numpy.int64, count=len(pending))
        score_new_pairs(codes, _finder(chain.from_iterable(pending.values())))


def score_new_pairs(codes: Ints, word: Callable[[int], PreparedWord]) -> Floats:
    """Scores of word pairs never scored before (by pair code), cached: the decisions of
    `compare_words` on arrays, from `wordtable`; the edit ratios in one call of rapidfuzz's
    cpdist. `word` finds a word by its id (for initials, compared one by one)."""
    table = wordtable.Table()
    firsts, seconds = codes >> 32, codes & 0xFFFFFFFF
    flags_a, flags_b = table.flags[firsts], table.flags[seconds]
    found = numpy.empty(len(codes))
    initials = ((flags_a | flags_b) & wordtable.INITIAL) != 0
    for i in numpy.flatnonzero(initials).tolist():
        found[i] = initial_score(word(int(firsts[i])), word(int(seconds[i])))
    rest = numpy.flatnonzero(~initials)
    found[rest] = _compare_keys(table, firsts[rest], seconds[rest], flags_a[rest], flags_b[rest])
    if len(_SCORES) + len(codes) >= MAX_CACHED_PAIRS:
        _SCORES.clear()
    _SCORES.update(zip(codes.tolist(), found.tolist(), strict=True))
    return found


def _compare_keys(
    table: wordtable.Table, a: Ints, b: Ints, flags_a: Bytes, flags_b: Bytes
) -> Floats:
    """`compare_words` of words that are not initials, by id."""
    both = flags_a & flags_b
    view = numpy.where(both & wordtable.CYRILLIC, wordtable.CYRILLIC_VIEW, wordtable.OTHER_VIEW)
    rows_a, rows_b = a * wordtable.SETS + view, b * wordtable.SETS + view
    keys_a, keys_b = rows_a + wordtable.KEYS, rows_b + wordtable.KEYS
    found = numpy.full(len(a), _NAN)
    keyed = (table.sizes(keys_a) > 0) & (table.sizes(keys_b) > 0)
    found[~keyed] = 0.0
    # Most pairs share no key of any kind (one test): only the edit ratio decides them.
    near = numpy.flatnonzero(keyed)
    near = near[table.meet(rows_a[near] + wordtable.ALL, rows_b[near] + wordtable.ALL)]
    if near.size:
        rows_a_, rows_b_ = rows_a[near], rows_b[near]
        expands = ((flags_a[near] | flags_b[near]) & wordtable.EXPANDS) != 0
        cases = [
            table.meet(rows_a_ + wordtable.KEYS, rows_b_ + wordtable.KEYS),
            expands & table.meet(rows_a_ + wordtable.WIDE, rows_b_ + wordtable.WIDE),
            table.meet(rows_a_ + wordtable.MASCULINE, rows_b_ + wordtable.MASCULINE),
        ]
        found[near] = numpy.select(cases, [SAME_KEY, SHORT_FORM, GENDER_PAIR], _NAN)
    todo = numpy.flatnonzero(numpy.isnan(found))
    if todo.size:
        firsts, seconds, starts = table.key_pairs(keys_a[todo], keys_b[todo])
        ratios = cpdist(
            firsts, seconds, scorer=Indel.normalized_similarity, dtype=numpy.float64, workers=1
        )
        ratio = numpy.maximum.reduceat(ratios, starts)
        result = 100.0 * ratio * ratio  # `from_ratio`, in its order of operations
        cross = ((both[todo] & wordtable.CYRILLIC) == 0) | (
            ((flags_a[todo] | flags_b[todo]) & wordtable.FOREIGN) != 0
        )
        check = numpy.flatnonzero(cross & (result < COARSE))
        if check.size:
            coarse_a = a[todo[check]] * wordtable.SETS + wordtable.COARSE
            coarse_b = b[todo[check]] * wordtable.SETS + wordtable.COARSE
            result[check[table.meet(coarse_a, coarse_b)]] = COARSE
        found[todo] = result
    return found


def _finder(words: Iterable[PreparedWord]) -> Callable[[int], PreparedWord]:
    """A word by its id among these, read on first use (only initials need it)."""
    found: dict[int, PreparedWord] = {}

    def find(id_: int) -> PreparedWord:
        if not found:
            found.update((w.id, w) for w in words)
        return found[id_]

    return find


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
    if OTHER_DASH.search(text):  # a name kept as typed may hold "–" where others hold "-"
        text = text.translate(DASHES_TO_SPACE)
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


_PACKED = attrgetter("packed")
# The six ways to pair three words with three (`best_in_matrix` on padded matrices).
_PERMUTATIONS = tuple(permutations(range(3)))
_NAN = float("nan")
_NO_WORDS = numpy.array([0, 0, 0, -1, -1, -1], dtype=numpy.int64).tobytes()


def score_many(pairs: Iterable[tuple[PreparedName, PreparedName]]) -> list[float]:
    """`score` of each pair, in order. Names whose parts are one word each (most) are scored
    together: the word pairs never compared before are compared together first, then every
    pair of names at once from the scores of its nine word pairs (numpy); others one by one."""
    pairs = list(pairs)
    if not pairs:
        return []
    collecting = gc.isenabled()
    # Scoring allocates many short-lived objects; with millions of cached objects around,
    # the collector's full passes would cost more than the scoring.
    gc.disable()
    try:
        names_a, names_b = zip(*pairs, strict=True)
        packed_a, packed_b = list(map(_PACKED, names_a)), list(map(_PACKED, names_b))
        both = zip(packed_a, packed_b, strict=True)
        others = [i for i, (a, b) in enumerate(both) if not (a and b)]
        if others:  # scored below; here as names without words (0, no new word pair)
            packed_a = [packed or _NO_WORDS for packed in packed_a]
            packed_b = [packed or _NO_WORDS for packed in packed_b]
        values = list(map(round, _score_simple(names_a, names_b, packed_a, packed_b), repeat(1)))
        if others:
            rest = [pairs[i] for i in others]
            score_pending(collect_pending(rest))
            for i, (a, b) in zip(others, rest, strict=True):
                values[i] = score(a, b)
        return values
    finally:
        if collecting:
            gc.enable()


def _score_simple(
    names_a: Sequence[PreparedName],
    names_b: Sequence[PreparedName],
    packed_a: list[bytes],
    packed_b: list[bytes],
) -> list[float]:
    """`simple_score` of many pairs at once, before rounding (the same arithmetic, in the same
    order, on arrays: the same floats)."""
    n = len(names_a)
    table_a = numpy.frombuffer(b"".join(packed_a), dtype=numpy.int64).reshape(n, 6)
    table_b = numpy.frombuffer(b"".join(packed_b), dtype=numpy.int64).reshape(n, 6)
    ids_a, ids_b = table_a[:, :3], table_b[:, :3]
    x, y = ids_a[:, :, None], ids_b[:, None, :]
    codes = numpy.where((x > 0) & (y > 0), numpy.minimum(x, y) << 32 | numpy.maximum(x, y), 0)
    unique, inverse = numpy.unique(codes, return_inverse=True)
    keys = unique.tolist()
    values = numpy.fromiter(
        map(_SCORES.get, keys, repeat(_NAN)), dtype=numpy.float64, count=len(keys)
    )
    if keys[0] == 0:  # a word missing from one of the names
        values[0] = 0.0
    missing = numpy.flatnonzero(numpy.isnan(values))
    if missing.size:
        words = (w for name in chain(names_a, names_b) for w in name.words)
        values[missing] = score_new_pairs(unique[missing], _finder(words))
    matrix = values[inverse.reshape(-1)].reshape(n, 3, 3)
    rows = numpy.arange(n)
    total = numpy.zeros(n)
    weight = numpy.zeros(n)
    penalty = numpy.zeros(n)
    for k, (kind_weight, missing_) in enumerate(zip(KIND_WEIGHTS, KIND_MISSING, strict=True)):
        i, j = table_a[:, 3 + k], table_b[:, 3 + k]
        both = (i >= 0) & (j >= 0)
        one = (i >= 0) != (j >= 0)
        found = matrix[rows, numpy.maximum(i, 0), numpy.maximum(j, 0)]
        total = total + numpy.where(both, kind_weight * found, 0.0)
        weight = weight + numpy.where(both, kind_weight, 0.0)
        penalty = penalty + numpy.where(one, missing_, 0.0)
    result = numpy.zeros(n)
    weighted = weight > 0
    result[weighted] = numpy.maximum(0.0, total[weighted] / weight[weighted] - penalty[weighted])
    # The order-free comparison: the best pairing of the words, unpaired words counting 0.
    best = numpy.max(
        [matrix[:, 0, p] + matrix[:, 1, q] + matrix[:, 2, r] for p, q, r in _PERMUTATIONS], axis=0
    )
    count_ = numpy.maximum((ids_a > 0).sum(axis=1), (ids_b > 0).sum(axis=1))
    count_ = numpy.maximum(count_, 1)  # `_NO_WORDS` against `_NO_WORDS`: 0 words
    room = result < 100.0 - UNORDERED_PENALTY
    result = numpy.where(room, numpy.maximum(result, best / count_ - UNORDERED_PENALTY), result)
    scores: list[float] = numpy.minimum(100.0, result).tolist()
    return scores


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
