"""Finding the same person registered twice: blocking, then scoring with evidence.

Blocking: two people become a candidate pair when they share a name key (`NameKey`, any of
their names) in the same birth year, or when one birth year is unknown and the key is rare.
Keys shared by too many people in one year say nothing and are skipped. A cheap comparison of
the folded names (rapidfuzz) drops hopeless pairs before the real one.

Scoring: `name_similarity` (the one place that asks the names library; the scan scores every
compared pair's names ahead, together, with `names.score_many`), then the
birth date (exact, agreeing as far as known, conflicting), facilities, regions, case numbers
and relatives' phones (their blind index: equal phones, never the phones themselves). Each
contribution is an `Evidence` line with a code, a weight and words for the coordinator.

Never automatic: the same full name with different birth years, or different patronymics,
make a `conflict` — the pair is shown as "different until a coordinator decides" and its score
is capped below the line where the scan calls a pair likely.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz

from pompolit.cases.duplicates import batch
from pompolit.cases.models import Case, Event, NameKey, Person, PersonName, Relative
from pompolit.cases.partial import PartialDate, as_partial
from pompolit.names import Name, prepare, score_many, similarity

# People sharing one key in one birth year: more than SMALL_BLOCK and the block is split by
# the given name's first sound; a part still bigger than BLOCK_LIMIT is a common word.
SMALL_BLOCK = 40
BLOCK_LIMIT = 80
# Keys looked at for people whose birth year is unknown: only the rarer ones.
UNKNOWN_YEAR_LIMIT = 40
# Folded surnames less alike than this (0..100) are not worth the real comparison; nor are
# given names less alike than GIVEN_PREFILTER that begin with different sounds.
SURNAME_PREFILTER = 70.0
GIVEN_PREFILTER = 55.0
# The score from which the scan lists a pair, and from which it calls a pair likely.
LISTED = 0.6
LIKELY = 0.7
CONFLICT_CAP = LIKELY - 0.01
# A full name this many people share, spelled the same, is weak evidence.
COMMON_NAME = 5


def name_similarity(a: Name, b: Name) -> float:
    """How alike two names are, 0..1. The only call of the names library's scorer here (the
    scan scores its pairs ahead, many at once: `score_names`)."""
    if a == b:  # the same spelling: nothing to weigh (namesakes are most pairs)
        return 1.0
    pair = _ordered(a, b)
    found = _NAME_SCORES.get(pair)
    if found is None:
        if len(_NAME_SCORES) >= MAX_NAME_SCORES:
            _NAME_SCORES.clear()
        found = _NAME_SCORES[pair] = similarity(*pair) / 100.0
    return found


def _ordered(a: Name, b: Name) -> tuple[Name, Name]:
    key_a, key_b = (a.surname, a.given, a.patronymic), (b.surname, b.given, b.patronymic)
    return (a, b) if key_a <= key_b else (b, a)


# Scores of pairs of names, 0..1: namesakes repeat the same pair many times over.
_NAME_SCORES: dict[tuple[Name, Name], float] = {}
MAX_NAME_SCORES = 400_000


def forget_name_scores() -> None:
    _NAME_SCORES.clear()


def score_names(pairs: Iterable[tuple[Name, Name]]) -> None:
    """Score these pairs of names ahead, all at once (`names.score_many`, on each name
    prepared once): `name_similarity` then finds them."""
    todo = {_ordered(a, b) for a, b in pairs if a != b}
    todo.difference_update(_NAME_SCORES)
    if not todo:
        return
    if len(_NAME_SCORES) + len(todo) > MAX_NAME_SCORES:
        _NAME_SCORES.clear()
    ordered = list(todo)
    prepared = {name: prepare(name) for pair in ordered for name in pair}
    scores = score_many([(prepared[a], prepared[b]) for a, b in ordered])
    _NAME_SCORES.update(zip(ordered, (value / 100.0 for value in scores), strict=True))


@dataclass
class Profile:
    """What the scan knows of one person: names, birth date and what their cases say."""

    pk: int
    birth: PartialDate | None = None
    names: list[Name] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)
    # (surname, given) of each name, folded to ASCII: for the cheap first comparison.
    parts: list[tuple[str, str]] = field(default_factory=list)
    # How many people of the registry have this person's first name, spelled the same.
    namesakes: int = 1
    compartments: set[int] = field(default_factory=set)
    facilities: set[int] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)
    case_numbers: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)

    def add_name(self, name: Name) -> None:
        self.names.append(name)
        self.folded.append(fold(name))
        self.parts.append((_ascii(name.surname), _ascii(name.given)))

    def add_case(self, compartment: int, facility: int | None, region: str | None,
                 number: str) -> None:
        """One of the person's cases: its compartment, current facility and number."""
        self.compartments.add(compartment)
        if facility:
            self.facilities.add(facility)
            self.regions.add(region or "")
        if number:
            self.case_numbers.add(number)


@lru_cache(maxsize=200_000)  # the registry's words repeat: a family's surname, given names
def _ascii(text: str) -> str:
    return anyascii(text).casefold().strip()


def fold(name: Name) -> str:
    return _ascii(" ".join(p for p in (name.surname, name.given, name.patronymic) if p))


def initial_class(word: str) -> str:
    """The first sound of a folded word, loosely: Юрий/Jurij/Iurii, Глеб/Hleb, Вера/Wera."""
    if not word:
        return ""
    if word.startswith(("ch", "kh", "h", "g")):
        return "g"
    first = word[0]
    for letters, sound in (("aeiouyj", "a"), ("vwf", "v"), ("ckq", "k"), ("sz", "s")):
        if first in letters:
            return sound
    return first


def _given_agree(a: str, b: str) -> bool:
    if not a or not b or initial_class(a) == initial_class(b):
        return True
    return fuzz.ratio(a, b) >= GIVEN_PREFILTER


def plausible(a: Profile, b: Profile) -> bool:
    """The cheap first comparison: some name of each with a near surname and a given name
    that may be the same (same first sound, or near)."""
    for surname_a, given_a in a.parts:
        for surname_b, given_b in b.parts:
            if fuzz.ratio(surname_a, surname_b) >= SURNAME_PREFILTER and _given_agree(
                given_a, given_b
            ):
                return True
    return False


# What each piece of evidence says, in the reader's language (stored by code and values).
EVIDENCE_TEXTS = {
    "name": gettext_lazy("names alike: %(a)s / %(b)s (%(score)s%%)"),
    "birth_exact": gettext_lazy("the same date of birth: %(a)s"),
    "birth_partial": gettext_lazy("dates of birth agree as far as known: %(a)s / %(b)s"),
    "birth_conflict": gettext_lazy("different dates of birth: %(a)s / %(b)s"),
    "birth_unknown": gettext_lazy("a date of birth is not known"),
    "patronymic_conflict": gettext_lazy("different patronymics: %(a)s / %(b)s"),
    "case_number": gettext_lazy("the same case number"),
    "phone": gettext_lazy("a relative with the same phone"),
    "facility": gettext_lazy("held in the same facility"),
    "place": gettext_lazy("held in the same region"),
    "compartments": gettext_lazy("in different compartments"),
    "common_name": gettext_lazy("a common name: %(count)s people have it"),
    "never_automatic": gettext_lazy("different people until a coordinator decides otherwise"),
}


# Evidence whose values are dates: kept as ISO text (data), written as the page writes dates.
DATE_EVIDENCE = frozenset({"birth_exact", "birth_partial", "birth_conflict"})


def _shown_date(value: object) -> object:
    try:
        return PartialDate.parse(str(value)).display()
    except (ValueError, ValidationError):
        return value


def evidence_text(code: str, values: dict[str, object] | None = None) -> str:
    text = EVIDENCE_TEXTS.get(code)
    if text is None:
        return code
    values = dict(values or {})
    if code in DATE_EVIDENCE:
        values = {key: _shown_date(value) for key, value in values.items()}
    return str(text) % values


@dataclass(frozen=True)
class Evidence:
    code: str
    weight: float
    values: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return evidence_text(self.code, dict(self.values))

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "weight": round(self.weight, 3), "values": dict(self.values)}


def _evidence(code: str, weight: float, **values: object) -> Evidence:
    return Evidence(code, weight, tuple((k, str(v)) for k, v in values.items()))


@dataclass(frozen=True)
class Candidate:
    low: int
    high: int
    score: float
    evidence: tuple[Evidence, ...]
    conflict: bool

    @property
    def likely(self) -> bool:
        return self.score >= LIKELY and not self.conflict


# -- loading ----------------------------------------------------------------------------------


def load_profiles(
    person_ids: Iterable[int] | None = None, *, names_only: bool = False
) -> dict[int, Profile]:
    """Profiles of the given people (all of them without ids), in a few queries; with
    `names_only`, their names and birth dates alone (what a typed name is compared with)."""
    ids = list(person_ids) if person_ids is not None else None
    if names_only and ids is not None:
        # One query: what a typed name is compared with.
        profiles: dict[int, Profile] = {}
        for pk, birth, surname, given, patronymic in PersonName.objects.filter(
            person_id__in=ids
        ).values_list("person_id", "person__birth_date", "surname", "given", "patronymic"):
            typed = profiles.setdefault(pk, Profile(pk, as_partial(birth)))
            typed.add_name(Name(surname, given, patronymic))
        return profiles
    people = Person.objects.all()
    names = PersonName.objects.all()
    cases = Case.objects.all()
    events = Event.objects.filter(facility__isnull=False)
    relatives = Relative.objects.exclude(phone_index="")
    if ids is not None:
        people = people.filter(pk__in=ids)
        names = names.filter(person_id__in=ids)
        cases = cases.filter(person_id__in=ids)
        events = events.filter(case__person_id__in=ids)
        relatives = relatives.filter(case__person_id__in=ids)
    profiles = {
        pk: Profile(pk, as_partial(birth))
        for pk, birth in people.values_list("pk", "birth_date").iterator(5000)
    }
    for pk, surname, given, patronymic in names.values_list(
        "person_id", "surname", "given", "patronymic"
    ).iterator(5000):
        if pk in profiles:
            profiles[pk].add_name(Name(surname, given, patronymic))
    for pk, compartment, facility, region, number in cases.values_list(
        "person_id",
        "compartment_id",
        "current_facility_id",
        "current_facility__region",
        "case_number_key",
    ).iterator(5000):
        profile = profiles.get(pk)
        if profile is not None:
            profile.add_case(compartment, facility, region, number)
    # Every facility of the timelines for a few people; the whole registry's scan compares the
    # current facilities only (its events are ten times as many rows as its people).
    for pk, facility, region in (
        events.values_list("case__person_id", "facility_id", "facility__region").distinct()
        if ids is not None
        else ()
    ):
        if pk in profiles:
            profiles[pk].facilities.add(facility)
            profiles[pk].regions.add(region or "")
    for pk, phone in relatives.values_list("case__person_id", "phone_index").iterator(5000):
        if pk in profiles and phone:
            profiles[pk].phones.add(phone)
    for profile in profiles.values():
        profile.regions.discard("")
    return profiles


def _key_rows() -> Iterator[tuple[int, str]]:
    table = NameKey._meta.db_table
    with connection.cursor() as cursor:
        # Not DISTINCT: a key twice (two names of one person) costs less than sorting them all.
        cursor.execute(f"SELECT person_id, key FROM {table}")  # noqa: S608
        while rows := cursor.fetchmany(20000):
            yield from rows


# -- blocking ---------------------------------------------------------------------------------


def candidate_pairs(
    keys: Iterable[tuple[int, str]],
    years: dict[int, int | None],
    initials: dict[int, frozenset[str]] | None = None,
) -> set[tuple[int, int]]:
    """Pairs of people sharing a key in one birth year (or one year unknown, rare keys only).
    A block too big to compare whole (a common surname in one year) is split by the first
    sound of the given names (`initials`); one still too big is skipped."""
    initials = initials or {}
    by_key: dict[str, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, key in keys:
        if pk in years:
            by_key[key][years[pk]].append(pk)
    pairs: set[tuple[int, int]] = set()
    for by_year in by_key.values():
        unknown = by_year.get(None, [])
        known_total = sum(len(v) for year, v in by_year.items() if year is not None)
        for year, people in by_year.items():
            if year is None:
                continue
            if len(people) <= SMALL_BLOCK:
                pairs.update(_ordered_pairs(people))
                continue
            by_initial: dict[str, list[int]] = defaultdict(list)
            for pk in people:
                for initial in initials.get(pk, ()):
                    by_initial[initial].append(pk)
            for group in by_initial.values():
                if len(group) <= BLOCK_LIMIT:
                    pairs.update(_ordered_pairs(group))
        if unknown and known_total + len(unknown) <= UNKNOWN_YEAR_LIMIT:
            everyone = [pk for v in by_year.values() for pk in v]
            pairs.update((min(a, b), max(a, b)) for a in unknown for b in everyone if a != b)
    return pairs


def _ordered_pairs(people: list[int]) -> Iterator[tuple[int, int]]:
    yield from combinations(sorted(set(people)), 2)


# -- scoring ----------------------------------------------------------------------------------


def _best_names(a: Profile, b: Profile) -> tuple[Name, Name]:
    best = (-1.0, 0, 0)
    for i, x in enumerate(a.folded):
        for j, y in enumerate(b.folded):
            ratio = fuzz.token_sort_ratio(x, y)
            if ratio > best[0]:
                best = (ratio, i, j)
    return a.names[best[1]], b.names[best[2]]


NAME_WEIGHTS = ((0.92, 0.55), (0.85, 0.45), (0.75, 0.3), (0.6, 0.1))


def name_weight(likeness: float) -> float:
    """Names decide most, but only when they are really alike: a near surname with another
    given name is a namesake, not evidence."""
    for bound, weight in NAME_WEIGHTS:
        if likeness >= bound:
            return weight
    return -0.2


def compare_births(a: PartialDate | None, b: PartialDate | None) -> str:
    """exact | agrees (as far as both are known) | conflict | unknown."""
    if a is None or b is None:
        return "unknown"
    if a.upper < b.lower or b.upper < a.lower:
        return "conflict"
    if a.precision == "day" and b.precision == "day":
        return "exact"
    return "agrees"


def _with_patronymic(names: list[Name]) -> Name | None:
    return next((n for n in names if n.patronymic), None)


def _birth_evidence(low: Profile, high: Profile) -> tuple[Evidence, bool]:
    """The birth dates' evidence, and whether the years differ (never automatic)."""
    birth = compare_births(low.birth, high.birth)
    if birth == "exact":
        return _evidence("birth_exact", 0.3, a=low.birth), False
    if birth == "unknown" or low.birth is None or high.birth is None:
        return _evidence("birth_unknown", 0.0), False
    if birth == "agrees":
        # Agreeing to the month says more than agreeing to the year.
        to_month = "year" not in (low.birth.precision, high.birth.precision)
        weight = 0.18 if to_month else 0.1
        return _evidence("birth_partial", weight, a=low.birth, b=high.birth), False
    different_year = low.birth.year != high.birth.year
    weight = -0.35 if different_year else -0.2
    return _evidence("birth_conflict", weight, a=low.birth, b=high.birth), different_year


def _record_evidence(low: Profile, high: Profile) -> list[Evidence]:
    """What the cases say: case numbers, relatives' phones, facilities, compartments."""
    evidence = []
    if low.case_numbers & high.case_numbers:
        evidence.append(_evidence("case_number", 0.35))
    if low.phones & high.phones:
        evidence.append(_evidence("phone", 0.35))
    if low.facilities & high.facilities:
        evidence.append(_evidence("facility", 0.12))
    elif low.regions & high.regions:
        evidence.append(_evidence("place", 0.05))
    if low.compartments and high.compartments and not low.compartments & high.compartments:
        evidence.append(_evidence("compartments", 0.0))
    return evidence


def can_reach(a: Profile, b: Profile, floor: float) -> bool:
    """Whether the pair could score `floor` with the best of names: the names cost the most
    to compare, so a pair that cannot is not compared at all. (The weights of
    `_birth_evidence` and `_record_evidence`, without making the evidence.)"""
    reach = NAME_WEIGHTS[0][1]
    if a.birth is not None and b.birth is not None:
        birth = compare_births(a.birth, b.birth)
        if birth == "exact":
            reach += 0.3
        elif birth == "agrees":
            reach += 0.1 if "year" in (a.birth.precision, b.birth.precision) else 0.18
        else:
            reach -= 0.35 if a.birth.year != b.birth.year else 0.2
    if reach >= floor:
        return True
    if not a.case_numbers.isdisjoint(b.case_numbers):
        reach += 0.35
    if not a.phones.isdisjoint(b.phones):
        reach += 0.35
    if not a.facilities.isdisjoint(b.facilities):
        reach += 0.12
    elif not a.regions.isdisjoint(b.regions):
        reach += 0.05
    return reach >= floor


def score_pair(a: Profile, b: Profile) -> Candidate:
    """The pair's score, and the evidence for it."""
    low, high = (a, b) if a.pk < b.pk else (b, a)
    return _score(low, high, *_best_names(low, high))


def _score(low: Profile, high: Profile, name_a: Name, name_b: Name) -> Candidate:
    """`score_pair` of `low` and `high` (the lower id first) whose most alike names are these."""
    birth, different_year = _birth_evidence(low, high)
    evidence = [birth, *_record_evidence(low, high)]
    name = name_similarity(name_a, name_b)
    evidence.insert(
        0,
        _evidence(
            "name", name_weight(name), a=_show(name_a), b=_show(name_b), score=round(name * 100)
        ),
    )
    namesakes = min(low.namesakes, high.namesakes)
    if name >= NAME_WEIGHTS[0][0] and namesakes >= COMMON_NAME:
        # Like a term-frequency adjustment: a name many people have says less.
        evidence.append(_evidence("common_name", -0.15, count=namesakes))
    conflict = different_year
    pa, pb = _with_patronymic(low.names), _with_patronymic(high.names)
    if (
        pa is not None
        and pb is not None
        and name_similarity(Name(patronymic=pa.patronymic), Name(patronymic=pb.patronymic)) < 0.8
    ):
        evidence.append(_evidence("patronymic_conflict", -0.3, a=pa.patronymic, b=pb.patronymic))
        conflict = True
    score = max(0.0, min(1.0, sum(e.weight for e in evidence)))
    if conflict:
        score = min(score, CONFLICT_CAP)
        evidence.append(_evidence("never_automatic", 0.0))
    return Candidate(low.pk, high.pk, round(score, 3), tuple(evidence), conflict)


def _show(name: Name) -> str:
    return " ".join(p for p in (name.surname, name.given, name.patronymic) if p)


# -- the scan ---------------------------------------------------------------------------------


@dataclass
class ScanStats:
    people: int = 0
    blocked_pairs: int = 0
    compared_pairs: int = 0
    listed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _initials(profile: Profile) -> frozenset[str]:
    """The first sounds of a person's given names (what splits a big block)."""
    return frozenset(initial_class(given) for _surname, given in profile.parts if given)


def scan(
    *,
    minimum: float = LISTED,
    progress: Callable[[str], None] | None = None,
    stats: ScanStats | None = None,
) -> list[Candidate]:
    """Every candidate pair in the registry scoring at least `minimum`, best first.

    The same pairs and scores as `candidate_pairs`, `can_reach`, `plausible` and `score_pair`
    give one pair at a time; blocking and the first comparisons run on the whole registry at
    once (`batch`)."""
    stats = stats if stats is not None else ScanStats()
    started = time.monotonic()
    registry = batch.load_registry(Profile)
    profiles = registry.profiles
    stats.people = len(profiles)
    spelled = Counter(p.folded[0] for p in profiles if p.folded)
    for profile in profiles:
        profile.namesakes = spelled[profile.folded[0]] if profile.folded else 1
    stats.seconds["load"] = time.monotonic() - started
    mark = time.monotonic()
    people, keys = batch.key_columns(registry, _key_rows())
    a, b = batch.block(
        registry, people, keys, _initials, SMALL_BLOCK, BLOCK_LIMIT, UNKNOWN_YEAR_LIMIT
    )
    del people, keys
    stats.blocked_pairs = len(a)
    stats.seconds["block"] = time.monotonic() - mark
    if progress:
        progress(f"{len(profiles):,} people, {len(a):,} pairs from blocking")
    mark = time.monotonic()
    kept = batch.reachable(registry, a, b, minimum)
    a, b = a[kept], b[kept]
    kept = batch.plausible(registry, a, b, SURNAME_PREFILTER, GIVEN_PREFILTER, initial_class)
    a, b = a[kept], b[kept]
    stats.compared_pairs = len(a)
    names = batch.best_names(registry, a, b)
    stats.seconds["compare"] = time.monotonic() - mark
    mark = time.monotonic()
    compared = [
        (profiles[x], profiles[y], pair)
        for x, y, pair in zip(a.tolist(), b.tolist(), names, strict=True)
    ]
    # The names of every compared pair, scored together (what `_score` will ask).
    score_names(_names_of(compared))
    found: list[Candidate] = []
    for low, high, (name_a, name_b) in compared:
        candidate = _score(low, high, name_a, name_b)
        if candidate.score >= minimum:
            found.append(candidate)
    stats.seconds["score"] = time.monotonic() - mark
    stats.listed = len(found)
    found.sort(key=lambda c: (-c.score, c.low, c.high))
    return found


def scan_pair_by_pair(*, minimum: float = LISTED) -> list[Candidate]:
    """What `scan` finds, one pair at a time (`candidate_pairs`, `can_reach`, `plausible`,
    `score_pair`): the reference the batch scan is checked against (tests, the bench's
    `--check`), far slower on a big registry."""
    profiles = load_profiles()
    years = {pk: (p.birth.year if p.birth else None) for pk, p in profiles.items()}
    spelled = Counter(p.folded[0] for p in profiles.values() if p.folded)
    for profile in profiles.values():
        profile.namesakes = spelled[profile.folded[0]] if profile.folded else 1
    initials = {pk: _initials(p) for pk, p in profiles.items()}
    found = []
    for low, high in candidate_pairs(_key_rows(), years, initials):
        a, b = profiles[low], profiles[high]
        if can_reach(a, b, minimum) and plausible(a, b):
            candidate = score_pair(a, b)
            if candidate.score >= minimum:
                found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.low, c.high))
    return found


def _names_of(
    compared: list[tuple[Profile, Profile, tuple[Name, Name]]],
) -> Iterator[tuple[Name, Name]]:
    """The pairs of names `_score` compares for these pairs of people."""
    for low, high, best in compared:
        yield best
        pa, pb = _with_patronymic(low.names), _with_patronymic(high.names)
        if pa is not None and pb is not None:
            yield Name(patronymic=pa.patronymic), Name(patronymic=pb.patronymic)


def matches_for(
    name: Name, birth: PartialDate | None, person_ids: Iterable[int], minimum: float = 0.0
) -> list[Candidate]:
    """Score a name being typed (person pk 0) against the given people; those who could not
    reach `minimum` are left out unscored. (No first-sight comparison of the parts here: a
    typed name's parts may come in any order.)"""
    typed = Profile(0, birth)
    typed.add_name(name)
    profiles = load_profiles(person_ids, names_only=True)
    found = [
        score_pair(typed, profile)
        for profile in profiles.values()
        if can_reach(typed, profile, minimum)
    ]
    return sorted(found, key=lambda c: -c.score)
