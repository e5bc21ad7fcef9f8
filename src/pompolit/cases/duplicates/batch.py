"""The whole registry's scan in arrays: blocking and the first comparisons of millions of pairs
at once, with the same decisions as the functions of `scan.py` that look at one pair.

`scan.scan` loads every person once (`load_registry`: a few streamed queries), then:

- `block`: the pairs of `scan.candidate_pairs` — people sharing a name key in one birth year
  (big blocks split by the given name's first sound, a part still too big skipped), or one
  year unknown and the key rare — from the name keys read as integer columns, grouped by
  sorting, every pair of a block at once (numpy);
- `reachable`: `scan.can_reach` for every pair at once (birth dates as day numbers; case
  numbers, phones, facilities and regions as one code a person, the few people with several
  asked one by one);
- `plausible`: `scan.plausible` — the folded surnames' and given names' ratios computed once
  for each distinct pair of words (rapidfuzz's `cpdist`, in C, on every core), then looked up
  for every pair of names of every pair of people;
- `best_names`: `scan._best_names` the same way (token-sort ratios of the folded full names).

Each returns exactly what the one-pair function gives (the scan's tests and
`bench/duplicates_bench.py --check` compare them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy
from django.db import connection
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from pompolit.cases.models import Case, Person, PersonName, Relative
from pompolit.cases.partial import PartialDate
from pompolit.names import Name

# `scan.Profile` (not imported: `scan` imports this module).
Profile = Any
Array = numpy.ndarray[Any, Any]
# Pairs of a block made at once, at most (about 50 MB of int64 a column).
CHUNK = 4_000_000


@lru_cache(maxsize=65536)
def _birth(text: str) -> PartialDate | None:
    """The stored ISO text of a birth date (what `PartialDateField` reads), parsed once each."""
    return PartialDate.parse(text) if text else None


class Interned(dict[Any, int]):
    """Values numbered from 1 in the order first seen (0: none)."""

    def __missing__(self, value: Any) -> int:
        number = self[value] = len(self) + 1
        return number

    def values_by_number(self) -> list[Any]:
        found: list[Any] = [None] * (len(self) + 1)
        for value, number in self.items():
            found[number] = value
        return found


def _code(values: set[Any], numbers: Interned) -> int:
    """A person's set as one code: 0 empty, -1 several (asked one by one), else its number."""
    if not values:
        return 0
    if len(values) > 1:
        return -1
    return numbers[next(iter(values))]


@dataclass
class Registry:
    """Every person of the registry (`profiles`, in person id order: row i is `profiles[i]`)
    and what blocking and the first comparisons read, as columns."""

    profiles: list[Profile]
    pks: Array  # person id of each row, ascending
    year: Array  # birth year, 0 unknown
    lower: Array  # birth date's first and last possible day (proleptic ordinals)
    upper: Array
    day: Array  # the birth date is known to the day
    to_year: Array  # the birth date is known to the year only
    case_number: Array  # `_code`s of the profile's sets
    phone: Array
    facility: Array
    region: Array
    name_start: Array  # the row's names: name_start .. name_start + name_count
    name_count: Array
    surname: Array  # of each name: numbers of its folded surname, given name, full name
    given: Array
    folded: Array
    surnames: list[str]  # by number (0: None)
    givens: list[str]
    foldeds: list[str]

    def row_of(self, pks: Array) -> Array:
        return numpy.searchsorted(self.pks, pks)


def load_registry(make: Callable[[int, PartialDate | None], Profile]) -> Registry:
    """Every person's profile, as `scan.load_profiles()` makes them, and the registry's
    columns. Streamed queries, no sorting but the names' order within a person."""
    profiles: dict[int, Profile] = {}
    people = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, birth_date FROM {people} ORDER BY id")  # noqa: S608
        while rows := cursor.fetchmany(20000):
            for pk, birth in rows:
                profiles[pk] = make(pk, _birth(birth))
    # In each person's order of names (primary first): the first is the one namesakes count.
    for pk, surname, given, patronymic in (
        PersonName.objects.order_by("person_id", "-is_primary", "pk")
        .values_list("person_id", "surname", "given", "patronymic")
        .iterator(20000)
    ):
        profile = profiles.get(pk)
        if profile is not None:
            profile.add_name(Name(surname, given, patronymic))
    for pk, compartment, facility, region, number in (
        Case.objects.order_by()
        .values_list(
            "person_id",
            "compartment_id",
            "current_facility_id",
            "current_facility__region",
            "case_number_key",
        )
        .iterator(20000)
    ):
        profile = profiles.get(pk)
        if profile is not None:
            profile.add_case(compartment, facility, region, number)
    for pk, phone in (
        Relative.objects.exclude(phone_index="")
        .order_by()
        .values_list("case__person_id", "phone_index")
        .iterator(20000)
    ):
        profile = profiles.get(pk)
        if profile is not None and phone:
            profile.phones.add(phone)
    for profile in profiles.values():
        profile.regions.discard("")
    return columns(list(profiles.values()))


def columns(profiles: list[Profile]) -> Registry:
    """The registry's columns for these profiles (in person id order)."""
    profiles = sorted(profiles, key=lambda p: p.pk)
    n = len(profiles)
    numbers = {kind: Interned() for kind in ("case", "phone", "facility", "region")}
    surnames, givens, foldeds = Interned(), Interned(), Interned()
    pks = numpy.fromiter((p.pk for p in profiles), dtype=numpy.int64, count=n)
    year = numpy.zeros(n, dtype=numpy.int32)
    lower = numpy.zeros(n, dtype=numpy.int32)
    upper = numpy.zeros(n, dtype=numpy.int32)
    day = numpy.zeros(n, dtype=bool)
    to_year = numpy.zeros(n, dtype=bool)
    codes = numpy.zeros((4, n), dtype=numpy.int64)
    name_count = numpy.zeros(n, dtype=numpy.int64)
    surname: list[int] = []
    given: list[int] = []
    folded: list[int] = []
    bounds = _bounds
    for row, profile in enumerate(profiles):
        birth = profile.birth
        if birth is not None:
            year[row] = birth.year
            lower[row], upper[row] = bounds(birth)
            day[row] = birth.day is not None
            to_year[row] = birth.month is None
        codes[0, row] = _code(profile.case_numbers, numbers["case"])
        codes[1, row] = _code(profile.phones, numbers["phone"])
        codes[2, row] = _code(profile.facilities, numbers["facility"])
        codes[3, row] = _code(profile.regions, numbers["region"])
        name_count[row] = len(profile.parts)
        for (surname_, given_), whole in zip(profile.parts, profile.folded, strict=True):
            surname.append(surnames[surname_])
            given.append(givens[given_])
            folded.append(foldeds[whole])
    name_start = numpy.zeros(n, dtype=numpy.int64)
    if n:
        name_start[1:] = numpy.cumsum(name_count)[:-1]
    return Registry(
        profiles=profiles,
        pks=pks,
        year=year,
        lower=lower,
        upper=upper,
        day=day,
        to_year=to_year,
        case_number=codes[0],
        phone=codes[1],
        facility=codes[2],
        region=codes[3],
        name_start=name_start,
        name_count=name_count,
        surname=numpy.array(surname, dtype=numpy.int64),
        given=numpy.array(given, dtype=numpy.int64),
        folded=numpy.array(folded, dtype=numpy.int64),
        surnames=surnames.values_by_number(),
        givens=givens.values_by_number(),
        foldeds=foldeds.values_by_number(),
    )


@lru_cache(maxsize=65536)
def _bounds(birth: PartialDate) -> tuple[int, int]:
    return birth.lower.toordinal(), birth.upper.toordinal()


# -- blocking ---------------------------------------------------------------------------------


def key_columns(registry: Registry, rows: Iterable[tuple[int, str]]) -> tuple[Array, Array]:
    """The name keys (person id, key) as two columns: the person's row and the key's number;
    keys of people not in the registry are left out."""
    keys = Interned()
    people: list[int] = []
    numbers: list[int] = []
    for pk, key in rows:
        people.append(pk)
        numbers.append(keys[key])
    if not people:
        empty = numpy.zeros(0, dtype=numpy.int64)
        return empty, empty
    pks = numpy.array(people, dtype=numpy.int64)
    key_numbers = numpy.array(numbers, dtype=numpy.int64)
    row = registry.row_of(pks)
    inside = row < len(registry.pks)
    inside[inside] = registry.pks[row[inside]] == pks[inside]
    return row[inside], key_numbers[inside]


def _groups(labels: Array) -> tuple[Array, Array, Array]:
    """The order that sorts `labels`, and each run of equal labels' start and size in it."""
    order = numpy.argsort(labels, kind="stable")
    ordered = labels[order]
    if not len(ordered):
        empty = numpy.zeros(0, dtype=numpy.int64)
        return order, empty, empty
    starts = numpy.flatnonzero(numpy.r_[True, ordered[1:] != ordered[:-1]])
    sizes = numpy.diff(numpy.r_[starts, len(ordered)])
    return order, starts, sizes


def _within(members: Array, starts: Array, sizes: Array) -> Iterator[Array]:
    """Every pair of members of each group (a run of `members`) as codes low·2³² + high, the
    two different, in chunks."""
    cost = sizes * sizes
    first = 0
    while first < len(starts):
        total = numpy.cumsum(cost[first:])
        last = first + max(1, int(numpy.searchsorted(total, CHUNK, side="right")))
        part_starts, part_sizes, part_cost = starts[first:last], sizes[first:last], cost[first:last]
        group = numpy.repeat(numpy.arange(len(part_starts)), part_cost)
        offset = numpy.arange(int(part_cost.sum())) - numpy.repeat(
            numpy.cumsum(part_cost) - part_cost, part_cost
        )
        size = part_sizes[group]
        a = members[part_starts[group] + offset // size]
        b = members[part_starts[group] + offset % size]
        keep = a < b
        yield a[keep] << 32 | b[keep]
        first = last


def _across(
    left: Array,
    left_starts: Array,
    left_sizes: Array,
    right: Array,
    right_starts: Array,
    right_sizes: Array,
) -> Array:
    """Every pair (one of a group of `left`, one of the same group of `right`) as codes
    low·2³² + high, the two different."""
    cost = left_sizes * right_sizes
    group = numpy.repeat(numpy.arange(len(left_starts)), cost)
    offset = numpy.arange(int(cost.sum())) - numpy.repeat(numpy.cumsum(cost) - cost, cost)
    a = left[left_starts[group] + offset // right_sizes[group]]
    b = right[right_starts[group] + offset % right_sizes[group]]
    low, high = numpy.minimum(a, b), numpy.maximum(a, b)
    keep = low != high
    codes: Array = low[keep] << 32 | high[keep]
    return codes


def block(
    registry: Registry,
    people: Array,
    keys: Array,
    initials: Callable[[Profile], Iterable[str]],
    small_block: int,
    block_limit: int,
    unknown_year_limit: int,
) -> tuple[Array, Array]:
    """`scan.candidate_pairs` on the key columns: the pairs as two columns of rows, low
    first (rows are in person id order), each pair once."""
    found: list[Array] = []
    year = registry.year[people].astype(numpy.int64)
    known = year > 0
    # People sharing a key in one (known) birth year. Sizes count a person once for each of
    # their names with the key, as `candidate_pairs` does.
    block_label = keys[known] * 10000 + year[known]
    block_people = people[known]
    order, starts, sizes = _groups(block_label)
    members = block_people[order]
    small = sizes <= small_block
    found.extend(_within(members, starts[small], sizes[small]))
    # Bigger blocks, split by the first sounds of the given names (each person once a sound
    # of theirs, once for each of their names with the key).
    big = numpy.flatnonzero(~small)
    if len(big):
        sounds = Interned()
        big_rows = numpy.concatenate(
            [members[starts[g] : starts[g] + sizes[g]] for g in big.tolist()]
        )
        big_group = numpy.repeat(big, sizes[big])
        by_row: dict[int, list[int]] = {}
        for row in numpy.unique(big_rows).tolist():
            by_row[row] = [sounds[s] for s in initials(registry.profiles[row])]
        counts = numpy.array([len(by_row[r]) for r in big_rows.tolist()], dtype=numpy.int64)
        split_rows = numpy.repeat(big_rows, counts)
        split_sound = numpy.array(
            [s for r in big_rows.tolist() for s in by_row[r]], dtype=numpy.int64
        )
        split_label = numpy.repeat(big_group, counts) * (len(sounds) + 1) + split_sound
        order_, starts_, sizes_ = _groups(split_label)
        fits = sizes_ <= block_limit
        found.extend(_within(split_rows[order_], starts_[fits], sizes_[fits]))
    # People whose birth year is unknown, against everyone with the key, when the key is rare.
    order, starts, sizes = _groups(keys)
    by_key = people[order]
    unknown_in = (
        numpy.add.reduceat((~known[order]).astype(numpy.int64), starts) if len(starts) else starts
    )
    rare = (unknown_in > 0) & (sizes <= unknown_year_limit)
    if rare.any():
        unknown_keys = keys[~known]
        unknown_order, unknown_starts, unknown_sizes = _groups(unknown_keys)
        unknown_people = people[~known][unknown_order]
        rare_keys = keys[order[starts[rare]]]
        where = numpy.searchsorted(unknown_keys[unknown_order][unknown_starts], rare_keys)
        found.append(
            _across(
                by_key,
                starts[rare],
                sizes[rare],
                unknown_people,
                unknown_starts[where],
                unknown_sizes[where],
            )
        )
    if not found:
        empty = numpy.zeros(0, dtype=numpy.int64)
        return empty, empty
    codes = numpy.unique(numpy.concatenate(found))
    return codes >> 32, codes & 0xFFFFFFFF


# -- the first comparisons ----------------------------------------------------------------------


def _shared(codes: Array, a: Array, b: Array, several: Callable[[int, int], bool]) -> Array:
    """Whether the two people of each pair share a value of a set given as `_code`s."""
    first, second = codes[a], codes[b]
    shared: Array = (first == second) & (first > 0)
    ask = numpy.flatnonzero((first < 0) | (second < 0))
    if len(ask):
        shared[ask] = [several(x, y) for x, y in zip(a[ask].tolist(), b[ask].tolist(), strict=True)]
    return shared


def reachable(registry: Registry, a: Array, b: Array, floor: float) -> Array:
    """`scan.can_reach` of each pair (same weights, added in the same order: the same floats)."""
    profiles = registry.profiles
    both = (registry.year[a] > 0) & (registry.year[b] > 0)
    conflict = (registry.upper[a] < registry.lower[b]) | (registry.upper[b] < registry.lower[a])
    exact = ~conflict & registry.day[a] & registry.day[b]
    to_year = registry.to_year[a] | registry.to_year[b]
    change = numpy.where(
        exact,
        0.3,
        numpy.where(
            ~conflict,
            numpy.where(to_year, 0.1, 0.18),
            numpy.where(registry.year[a] != registry.year[b], -0.35, -0.2),
        ),
    )
    best_name = 0.55  # scan.NAME_WEIGHTS[0][1]
    reach = numpy.where(both, best_name + numpy.where(both, change, 0.0), best_name)
    enough = reach >= floor
    rest = numpy.flatnonzero(~enough)
    if not len(rest):
        return enough
    ra, rb, reach = a[rest], b[rest], reach[rest]

    def several(name: str) -> Callable[[int, int], bool]:
        return lambda x, y: not getattr(profiles[x], name).isdisjoint(getattr(profiles[y], name))

    reach = reach + numpy.where(
        _shared(registry.case_number, ra, rb, several("case_numbers")), 0.35, 0.0
    )
    reach = reach + numpy.where(_shared(registry.phone, ra, rb, several("phones")), 0.35, 0.0)
    facility = _shared(registry.facility, ra, rb, several("facilities"))
    region = ~facility & _shared(registry.region, ra, rb, several("regions"))
    reach = reach + numpy.where(facility, 0.12, numpy.where(region, 0.05, 0.0))
    enough[rest] = reach >= floor
    return enough


def _name_pairs(registry: Registry, a: Array, b: Array) -> tuple[Array, Array, Array]:
    """Every pair of names of each pair of people, in `scan`'s order (a's names, then b's):
    the pair's index and the two names' indexes."""
    count_a, count_b = registry.name_count[a], registry.name_count[b]
    cost = count_a * count_b
    pair = numpy.repeat(numpy.arange(len(a)), cost)
    offset = numpy.arange(int(cost.sum())) - numpy.repeat(numpy.cumsum(cost) - cost, cost)
    per = count_b[pair]
    first = registry.name_start[a][pair] + offset // per
    second = registry.name_start[b][pair] + offset % per
    return pair, first, second


def _ratios(words: list[str], first: Array, second: Array, scorer: Callable[..., float]) -> Array:
    """`scorer(words[x], words[y])` of each pair of word numbers, computed once for each
    distinct pair (the scorers are symmetric), with rapidfuzz's cpdist on every core."""
    low, high = numpy.minimum(first, second), numpy.maximum(first, second)
    codes, inverse = numpy.unique(low << 32 | high, return_inverse=True)
    if not len(codes):
        return numpy.zeros(0)
    x = (codes >> 32).tolist()
    y = (codes & 0xFFFFFFFF).tolist()
    values = cpdist(
        [words[i] for i in x],
        [words[i] for i in y],
        scorer=scorer,
        dtype=numpy.float64,
        workers=-1,
    )
    found: Array = numpy.asarray(values)[inverse.reshape(-1)]
    return found


def plausible(
    registry: Registry,
    a: Array,
    b: Array,
    surname_floor: float,
    given_floor: float,
    sound: Callable[[str], str],
) -> Array:
    """`scan.plausible` of each pair: some name of each with near folded surnames and given
    names that may be the same (one missing, the same first sound, or near)."""
    pair, first, second = _name_pairs(registry, a, b)
    surname = _ratios(
        registry.surnames, registry.surname[first], registry.surname[second], fuzz.ratio
    )
    near = surname >= surname_floor
    pair, first, second = pair[near], first[near], second[near]
    given_a, given_b = registry.given[first], registry.given[second]
    sounds = Interned()
    by_given = numpy.array(
        [0] + [sounds[sound(word)] for word in registry.givens[1:]], dtype=numpy.int64
    )
    blank = numpy.array([True] + [not word for word in registry.givens[1:]], dtype=bool)
    agree = blank[given_a] | blank[given_b] | (by_given[given_a] == by_given[given_b])
    rest = numpy.flatnonzero(~agree)
    if len(rest):
        agree[rest] = (
            _ratios(registry.givens, given_a[rest], given_b[rest], fuzz.ratio) >= given_floor
        )
    found = numpy.zeros(len(a), dtype=bool)
    found[pair[agree]] = True
    return found


def best_names(registry: Registry, a: Array, b: Array) -> list[tuple[Name, Name]]:
    """`scan._best_names` of each pair (a the lower id): the pair of names, one of each,
    whose folded forms are the most alike (token-sort ratio; the first such pair)."""
    if not len(a):
        return []
    pair, first, second = _name_pairs(registry, a, b)
    ratio = _ratios(
        registry.foldeds, registry.folded[first], registry.folded[second], fuzz.token_sort_ratio
    )
    starts = numpy.flatnonzero(numpy.r_[True, pair[1:] != pair[:-1]])
    best = numpy.maximum.reduceat(ratio, starts)
    position = numpy.arange(len(pair))
    chosen = numpy.minimum.reduceat(numpy.where(ratio == best[pair], position, len(pair)), starts)
    profiles = registry.profiles
    found = []
    for x, y, i, j in zip(
        a.tolist(),
        b.tolist(),
        (first[chosen] - registry.name_start[a]).tolist(),
        (second[chosen] - registry.name_start[b]).tolist(),
        strict=True,
    ):
        found.append((profiles[x].names[i], profiles[y].names[j]))
    return found
