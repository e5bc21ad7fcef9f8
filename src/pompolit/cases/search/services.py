"""One search box for case workers: names in any script, case numbers, places and notes.

Always starts from `visible_cases(member)`, so nothing outside the member's compartments can be
found. Names are looked up by their keys (`pompolit.names`): every word typed must match a key
of one of the person's names (any spelling, any case ending); notes, event summaries and places
through the keyed word index (`fulltext`: the text itself is encrypted); facilities by name or
town. When the name keys find fewer than `fuzzy.FUZZY_BELOW` people, the fuzzy fallback
(`fuzzy`: coarse keys and keys near them) adds candidates, ranked below every key match and
kept only when their name is close to the text. Matches are ranked: case number hits first,
then key matches by name similarity, then fuzzy matches, then the rest.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from pompolit.cases.models import Case, Facility, NameKey, PersonName, Priority
from pompolit.cases.search import fulltext, fuzzy
from pompolit.cases.services import number_key, sign_of_life_days, visible_cases
from pompolit.members.models import Member
from pompolit.names import Name, parse_name, prepare, query_key_groups, score_many
from pompolit.vault.errors import VaultSealed

LIMIT = 50


@dataclass(frozen=True)
class Filters:
    status: str = ""
    facility: int | None = None
    region: str = ""
    compartment: int | None = None
    overdue: bool = False


def filtered(member: Member, filters: Filters, today: datetime.date) -> QuerySet[Case]:
    cases = visible_cases(member)
    if filters.status:
        cases = cases.filter(status__code=filters.status)
    if filters.facility:
        cases = cases.filter(current_facility_id=filters.facility)
    if filters.region:
        cases = cases.filter(current_facility__region=filters.region)
    if filters.compartment:
        cases = cases.filter(compartment_id=filters.compartment)
    if filters.overdue:
        cutoff = today - datetime.timedelta(days=sign_of_life_days())
        cases = cases.filter(status__watch_sign_of_life=True).annotate(
            silent_since=Coalesce("last_contact_on", "opened_on")
        ).filter(silent_since__lt=cutoff)
    return cases


MAX_NAME_PEOPLE = 20_000


def _name_match(text: str) -> Q | None:
    """The people with a name matching every word. Their ids are read first (the index on the
    key answers it), each word's people intersected in the database — only those matching
    every word come back, not the thousands a common given name has: as a subquery of the
    cases, PostgreSQL's planner would walk every key."""
    groups = query_key_groups(text)
    if not groups:
        return None
    each = [NameKey.objects.filter(key__in=sorted(group)).order_by()
            .values_list("person_id", flat=True) for group in groups]
    found = each[0].intersection(*each[1:]) if len(each) > 1 else each[0]
    people = set(found[:MAX_NAME_PEOPLE])
    if len(people) >= MAX_NAME_PEOPLE:  # too common to list: let the database join
        return _name_subquery(groups)
    return Q(person_id__any_of=sorted(people))


def _name_subquery(groups: list[frozenset[str]]) -> Q:
    condition = Q()
    for group in groups:
        condition &= Q(person_id__in=NameKey.objects.filter(key__in=sorted(group))
                       .values("person_id"))
    return condition


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def _facility_match(text: str) -> Q | None:
    # Facilities are few (hundreds) and public: folded in Python, Cyrillic case included.
    folded = _fold(text)
    if len(folded) < 3:
        return None
    ids = [pk for pk, *labels in Facility.objects.values_list("pk", "name", "short_name", "city")
           if any(folded in _fold(label) for label in labels)]
    return Q(current_facility_id__in=ids) if ids else None


def _text_match(text: str, compartments: frozenset[int], wanted: int) -> list[int]:
    # Free text is searched through keys in the vault: sealed, names and numbers still answer.
    try:
        return fulltext.case_ids(text, compartments, wanted)
    except VaultSealed:
        return []


def _compartments(member: Member, filters: Filters) -> frozenset[int]:
    # Only narrows the full-text lookup; the cases found are still taken from visible_cases.
    allowed = member.compartment_ids()
    return allowed & {filters.compartment} if filters.compartment else allowed


def search_cases(member: Member, text: str = "", filters: Filters = Filters(), *,
                 today: datetime.date | None = None, limit: int = LIMIT) -> list[Case]:
    """Cases whose name, case number, notes, events or current facility match the text.

    Each kind of match is one index-driven query of at most `limit * 4` cases, all taken from
    `filtered` (so from `visible_cases`). The candidates are ranked on ids and names only —
    case-number hits, then name matches by similarity, then the rest by name — and only the
    `limit` best are loaded whole.
    """
    from django.utils import timezone

    cases = filtered(member, filters, today or timezone.localdate())
    text = " ".join(text.split())
    if not text:
        return case_page(member, filters, today=today, size=limit)
    wanted = limit * 4
    key = number_key(text)
    # A number is typed from its start: a prefix, which the index on the key can answer.
    by_number = (Q(case_number_key__gte=key, case_number_key__lt=key + "\U0010ffff")
                 if any(c.isdigit() for c in key) else None)
    number_hits: set[int] = set()
    if by_number is not None:
        number_hits = set(cases.filter(by_number).order_by()
                          .values_list("pk", flat=True)[:wanted])
    by_name = _name_match(text)
    name_hits: dict[int, int] = {}  # case → person; ranked by similarity, so fewer
    if by_name is not None:
        name_hits = dict(cases.filter(by_name).order_by()
                         .values_list("pk", "person_id")[:limit * 2])
    fuzzy_hits: dict[int, int] = {}  # case → person, found only by the fallback
    if by_name is not None and len(set(name_hits.values())) < fuzzy.FUZZY_BELOW:
        near = fuzzy.people(text) - set(name_hits.values())
        if near:
            fuzzy_hits = dict(cases.filter(person_id__any_of=sorted(near)).order_by()
                              .values_list("pk", "person_id")[:limit * 2])
    closeness = _closeness(text, set(name_hits.values()) | set(fuzzy_hits.values()))
    fuzzy_hits = {pk: person for pk, person in fuzzy_hits.items()
                  if closeness.get(person, 0.0) >= fuzzy.MIN_SIMILARITY}
    found = number_hits | set(name_hits) | set(fuzzy_hits)
    others: set[int] = set()
    # Other matches rank after every name match: when those fill the page, skip the rest.
    by_facility = _facility_match(text) if len(found) < limit else None
    if by_facility is not None:
        others |= set(cases.filter(by_facility).order_by().values_list("pk", flat=True)[:wanted])
    by_text = (_text_match(text, _compartments(member, filters), wanted)
               if len(found) < limit else [])
    if by_text:
        others |= set(cases.filter(pk__any_of=by_text).order_by().values_list("pk", flat=True))
    candidates = found | others
    if not candidates:
        return []
    display = dict(Case.objects.filter(pk__any_of=sorted(candidates))
                   .values_list("pk", "person__display_name"))

    def rank(pk: int) -> tuple[int, int, float, str, int]:
        if pk in name_hits:
            tier, best = 0, closeness.get(name_hits[pk], 0.0)
        elif pk in fuzzy_hits:
            tier, best = 1, closeness.get(fuzzy_hits[pk], 0.0)
        else:
            tier, best = 2, 0.0
        return (0 if pk in number_hits else 1, tier, -best, display.get(pk, ""), pk)

    best = sorted(candidates, key=rank)[:limit]
    loaded = {case.pk: case for case in _loaded(cases.filter(pk__any_of=best))}
    return [loaded[pk] for pk in best if pk in loaded]


# The list's orderings besides the default (priority, then name).
ORDERINGS: dict[str, tuple[str, ...]] = {
    "opened": ("-opened_on", "-pk"),  # one index scan, backwards (ties: newest first)
    "silence": ("last_contact_on", "pk"),
}


def case_page(member: Member, filters: Filters = Filters(), *, page: int = 0,
              order: str = "priority", today: datetime.date | None = None,
              size: int = LIMIT) -> list[Case]:
    """One page of the filtered list. By priority and name, one priority at a time: each query
    sorts one bucket (the urgent cases usually fill the first pages) instead of every case."""
    from django.utils import timezone

    cases = filtered(member, filters, today or timezone.localdate())
    if order != "priority":
        return list(_loaded(cases).order_by(*ORDERINGS[order])[page * size:(page + 1) * size])
    skip = page * size
    found: list[Case] = []
    for bucket in [cases.filter(priority=p) for p in sorted(Priority.values)] + [
            cases.exclude(priority__in=Priority.values)]:  # should another one ever be stored
        if len(found) >= size:
            break
        if skip:
            count = bucket.count()
            if skip >= count:
                skip -= count
                continue
        found += _loaded(bucket).order_by("priority", "person__display_name", "pk")[
            skip: skip + size - len(found)]
        skip = 0
    return found


# What the list (cases/case_list.html) shows of a case: the other columns are left unread,
# their values unconverted (dates parsed, ciphertext wrapped) — most of a page's cost.
SHOWN = (
    "priority", "case_number", "last_contact_on", "person__display_name",
    "status__label_en", "status__label_ru", "compartment__slug", "compartment__name",
    "current_facility__name", "current_facility__short_name", "current_facility__region",
)


def _loaded(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases as the list shows them; any other field is read on first use (a query)."""
    return cases.select_related(
        "person", "status", "current_facility", "compartment").only(*SHOWN)


def _closeness(text: str, person_ids: set[int]) -> dict[int, float]:
    """How close each person's closest name is to the text (`pompolit.names.similarity`)."""
    if not person_ids:
        return {}
    query = prepare(parse_name(text).folded())
    rows = list(PersonName.objects.filter(person_id__any_of=sorted(person_ids)).order_by()
                .values_list("person_id", "surname", "given", "patronymic"))
    names = [prepare(Name(*parts)) for _, *parts in rows]
    best: dict[int, float] = {}
    for (person_id, *_), value in zip(rows, score_many((query, n) for n in names), strict=True):
        best[person_id] = max(best.get(person_id, 0.0), value)
    return best
