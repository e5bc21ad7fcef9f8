"""One search box for case workers: names in any script, case numbers, places and notes.

Always starts from `visible_cases(member)`, so nothing outside the member's compartments can be
found. Names are looked up by their keys (`pompolit.names`): every word typed must match a key
of one of the person's names (any spelling, any case ending); notes, event summaries and places
through the full-text index (`fulltext`); facilities by name or town. Matches are ranked: case
number hits first, then by name similarity.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from pompolit.cases import fulltext
from pompolit.cases.models import Case, Facility, NameKey
from pompolit.cases.services import number_key, sign_of_life_days, visible_cases
from pompolit.members.models import Member
from pompolit.names import query_key_groups, similarity

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


def _name_match(text: str) -> Q | None:
    groups = query_key_groups(text)
    if not groups:
        return None
    condition = Q()
    for group in groups:
        condition &= Q(person_id__in=NameKey.objects.filter(key__in=sorted(group))
                       .values("person_id"))
    return condition


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


def _compartments(member: Member, filters: Filters) -> frozenset[int]:
    # Only narrows the full-text lookup; the cases found are still taken from visible_cases.
    allowed = member.compartment_ids()
    return allowed & {filters.compartment} if filters.compartment else allowed


def search_cases(member: Member, text: str = "", filters: Filters = Filters(), *,
                 today: datetime.date | None = None, limit: int = LIMIT) -> list[Case]:
    """Cases whose name, case number, notes, events or current facility match the text.

    Each kind of match is one index-driven query of at most `limit * 4` cases, all taken from
    `filtered` (so from `visible_cases`); the union is ranked.
    """
    from django.utils import timezone

    cases = filtered(member, filters, today or timezone.localdate())
    text = " ".join(text.split())
    if not text:
        return list(cases.select_related("person", "status", "current_facility", "compartment")
                    .order_by("priority", "person__display_name", "pk")[:limit])
    wanted = limit * 4
    key = number_key(text)
    by_number = Q(case_number_key__contains=key) if any(c.isdigit() for c in key) else None
    found: dict[int, None] = {}
    for condition in (by_number, _name_match(text), _facility_match(text)):
        if condition is not None:
            found.update(dict.fromkeys(
                cases.filter(condition).order_by().values_list("pk", flat=True)[:wanted]))
    by_text = fulltext.case_ids(text, _compartments(member, filters), wanted)
    if by_text:
        found.update(dict.fromkeys(
            cases.filter(pk__in=by_text).order_by().values_list("pk", flat=True)))
    results = _with_names(list(
        cases.filter(pk__in=list(found)[:wanted])
        .select_related("person", "status", "current_facility", "compartment")
    ))

    def rank(case: Case) -> tuple[int, float, str]:
        number_hit = bool(by_number is not None and key in case.case_number_key)
        names = getattr(case.person, "all_names", [])
        best = max((similarity(text, n) for n in names), default=0.0)
        return (0 if number_hit else 1, -best, case.person.display_name)

    return sorted(results, key=rank)[:limit]


def _with_names(cases: list[Case]) -> list[Case]:
    from pompolit.cases.models import PersonName

    names: dict[int, list[str]] = {}
    for name in PersonName.objects.filter(person_id__in={c.person_id for c in cases}):
        names.setdefault(name.person_id, []).append(str(name))
    for case in cases:
        case.person.all_names = names.get(case.person_id, [])  # type: ignore[attr-defined]
    return cases
