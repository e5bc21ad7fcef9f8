"""One search box for case workers: names in any script, case numbers, places and notes.

Always starts from `visible_cases(member)`, so nothing outside the member's compartments can be
found. Names are looked up by their keys (`pompolit.names`): every word typed must match a key
of one of the person's names (any spelling, any case ending); matches are ranked by similarity.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from pompolit.cases.models import Case, NameKey
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
        condition &= Q(Exists(NameKey.objects.filter(person_id=OuterRef("person_id"),
                                                     key__in=sorted(group))))
    return condition


def _text_match(text: str) -> Q:
    # Places and notes: a plain substring (SQLite folds only ASCII case; see docs/cases.md).
    condition = Q(notes__icontains=text) | Q(current_facility__name__icontains=text)
    condition |= Q(current_facility__city__icontains=text)
    condition |= Q(events__place__icontains=text) | Q(events__summary__icontains=text)
    return condition


def search_cases(member: Member, text: str = "", filters: Filters = Filters(), *,
                 today: datetime.date | None = None, limit: int = LIMIT) -> list[Case]:
    from django.utils import timezone

    cases = filtered(member, filters, today or timezone.localdate()).select_related(
        "person", "status", "current_facility", "compartment"
    )
    text = " ".join(text.split())
    if not text:
        return list(cases.order_by("priority", "person__display_name", "pk")[:limit])
    by_name = _name_match(text)
    key = number_key(text)
    by_number = Q(case_number_key__contains=key) if any(c.isdigit() for c in key) else None
    condition = _text_match(text)
    for extra in (by_name, by_number):
        if extra is not None:
            condition |= extra
    # Rank: a case number hit first, then the closest name, then the rest by name.
    found = list(cases.filter(condition).distinct()[: limit * 4])
    found = _with_names(found)

    def rank(case: Case) -> tuple[int, float, str]:
        number_hit = bool(by_number is not None and key in case.case_number_key)
        names = getattr(case.person, "all_names", [])
        best = max((similarity(text, n) for n in names), default=0.0)
        return (0 if number_hit else 1, -best, case.person.display_name)

    return sorted(found, key=rank)[:limit]


def _with_names(cases: list[Case]) -> list[Case]:
    from pompolit.cases.models import PersonName

    names: dict[int, list[str]] = {}
    for name in PersonName.objects.filter(person_id__in={c.person_id for c in cases}):
        names.setdefault(name.person_id, []).append(str(name))
    for case in cases:
        case.person.all_names = names.get(case.person_id, [])  # type: ignore[attr-defined]
    return cases
