"""The public prisoner list: filters, name search in any script, sorting and pages.

Filters are checked on what the consent publishes: every published case's filterable fields
(`profiles.facets`, the same scope rules as the profile, kept in memory while the registry does
not change: public/kept.py), then the page's cases projected through `profile()` and checked
again. A region, an age or a sentence that the consent does not publish matches nothing, so a
filter can never reveal what the page would not show. The name is found in the database, by
the keys of the primary name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from pompolit.cases.models import NameKey
from pompolit.cases.public.profiles import (
    PublicProfile,
    facets,
    profile,
    published_consents,
)
from pompolit.names import query_key_groups
from pompolit.public import kept

PAGE_SIZE = 30
SORTS = ("name", "age", "sentence", "region")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    region: str = ""
    facility: str = ""
    status: str = ""
    article: str = ""
    sentence_min_years: int | None = None
    sentence_max_years: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    letters: bool = False
    interest: str = ""
    sort: str = "name"


@dataclass(frozen=True)
class Page:
    profiles: list[PublicProfile]
    number: int
    pages: int
    total: int


@dataclass(frozen=True)
class Choices:
    regions: list[str] = field(default_factory=list)
    facilities: list[str] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def matches(p: PublicProfile, f: Filters) -> bool:
    """The filters, on what the page shows: the rule that decides."""
    if f.region and p.region != f.region:
        return False
    if f.facility and p.facility != f.facility:
        return False
    if f.status and p.status_code != f.status:
        return False
    if f.letters and not p.receives_letters:
        return False
    if f.sentence_min_years is not None or f.sentence_max_years is not None:
        if p.sentence_months is None:
            return False
        if f.sentence_min_years is not None and p.sentence_months < f.sentence_min_years * 12:
            return False
        if f.sentence_max_years is not None and p.sentence_months > f.sentence_max_years * 12:
            return False
    if f.age_min is not None or f.age_max is not None:
        if p.age is None:
            return False
        if f.age_min is not None and p.age < f.age_min:
            return False
        if f.age_max is not None and p.age > f.age_max:
            return False
    if f.article and not any(_folded(f.article) in _folded(c) for c in p.charges):
        return False
    return not (f.interest and not any(_folded(f.interest) in _folded(i)
                                       for i in p.interests))


def _sort_key(sort: str) -> object:
    def by_name(p: PublicProfile) -> tuple[str, str]:
        return (_folded(p.name), p.public_id)

    if sort == "age":  # youngest first; unknown ages last
        return lambda p: (p.age is None, p.age or 0, *by_name(p))
    if sort == "sentence":  # longest first
        return lambda p: (p.sentence_months is None, -(p.sentence_months or 0), *by_name(p))
    if sort == "region":
        return lambda p: (not p.region, _folded(p.region), *by_name(p))
    return by_name


@dataclass(frozen=True)
class _Row:
    """One published case's filterable fields, with the texts the filters compare already
    folded (folding 5,000 names, charges and interests on every request was a third of it)."""
    pk: int
    profile: PublicProfile
    charges: tuple[str, ...]
    interests: tuple[str, ...]


def _rows(today: datetime.date, sort: str) -> list[_Row]:
    """Every published case's filterable fields (charges too, for the article filter), in the
    order of `sort`, kept while the registry does not change (public/kept.py): a request
    filters them, and the order holds (the key ends in the unique public id)."""
    def build() -> list[_Row]:
        key = _sort_key(sort)
        return sorted(
            (_Row(pk, p, tuple(_folded(c) for c in p.charges),
                  tuple(_folded(i) for i in p.interests)) for pk, p in _facets(today)),
            key=lambda row: key(row.profile))  # type: ignore[operator]

    return kept.kept(("rows", today, sort), build)


def _facets(today: datetime.date) -> list[tuple[int, PublicProfile]]:
    return kept.kept(("facets", today), lambda: facets(
        published_consents(today), today, with_charges=True))


def _named(text: str, today: datetime.date) -> set[int]:
    """The consents in force whose case's primary name the text finds, by the name keys."""
    consents = published_consents(today).select_related(None).prefetch_related(None)
    for group in query_key_groups(" ".join(text.split())):
        # The primary name only: another spelling is not public, and finding by it would tell it.
        consents = consents.filter(Exists(NameKey.objects.filter(
            person_id=OuterRef("case__person_id"), name__is_primary=True,
            key__in=sorted(group))))
    return set(consents.values_list("pk", flat=True))


def search(f: Filters, page: int = 1, *, today: datetime.date | None = None,
           page_size: int = PAGE_SIZE) -> Page:
    today = today or timezone.localdate()
    # Filtered on plain rows kept in each sort's order (profiles.facets: the same scope rules;
    # the texts folded once, not per request), then only the page is projected through
    # profile() — and checked again, so that what is shown is decided by the one projection
    # the rest of the site uses.
    named = _named(f.q, today) if f.q.strip() else None
    article, interest = _folded(f.article), _folded(f.interest)
    rest = replace(f, article="", interest="")
    plain = not anything_filtered(replace(rest, q=""))  # nothing more for `matches` to check
    light = [row.pk for row in _rows(today, f.sort if f.sort in SORTS else "name")
             if (named is None or row.pk in named)
             and (not f.article or any(article in c for c in row.charges))
             and (not f.interest or any(interest in i for i in row.interests))
             and (plain or matches(row.profile, rest))]
    pages = max(1, -(-len(light) // page_size))
    number = min(max(1, page), pages)
    start = (number - 1) * page_size
    wanted = light[start:start + page_size]
    loaded = {c.pk: c for c in published_consents(today).filter(pk__in=wanted)}
    shown = [p for pk in wanted if pk in loaded
             and (p := profile(loaded[pk].case, loaded[pk], today)) is not None and matches(p, f)]
    return Page(shown, number, pages, len(light))


def choices(today: datetime.date | None = None) -> Choices:
    """The filters' choices, from what published profiles show and nothing else. Read from the
    columns, not by projecting every case, and kept while the registry does not change: this
    runs on every page of the list."""
    today = today or timezone.localdate()
    return kept.kept(("choices", today, translation.get_language()), lambda: _choices(today))


def _choices(today: datetime.date) -> Choices:
    rows = (published_consents(today).select_related(None).prefetch_related(None)
            .values_list("scope", "interests", "case__current_facility__region",
                         "case__current_facility__name", "case__status__code",
                         "case__status__label_en", "case__status__label_ru"))
    regions: set[str] = set()
    facilities: set[str] = set()
    statuses: dict[str, tuple[str, str]] = {}
    interests: dict[str, str] = {}
    for scope, interest_text, region, facility, code, label_en, label_ru in rows:
        if "facility" in scope and facility:
            facilities.add(facility)
            if region:
                regions.add(region)
        if "status" in scope and code:
            statuses[code] = (label_en, label_ru)
        if "interests" in scope:
            for interest in interest_text.split(","):
                if interest.strip():
                    interests.setdefault(_folded(interest), interest.strip())
    ru = translation.get_language() == "ru"
    return Choices(
        regions=sorted(regions), facilities=sorted(facilities),
        statuses=sorted(((c, labels[1] if ru else labels[0]) for c, labels in statuses.items()),
                        key=lambda s: s[1]),
        interests=sorted(interests.values(), key=_folded),
    )


def anything_filtered(f: Filters) -> bool:
    return f != Filters(sort=f.sort)

