"""Who a stranger may write to, and the random pick that favours those with fewest letters.

A prisoner can be written to when the consent in force names their facility ("facility and
address for letters": otherwise there is no address to give), they are still held (not
released, emigrated or dead), their current facility is known, and its letter rules let
strangers write (letters delivered, not "relatives only"). Nobody else ever appears on a
writer's page: not in the pick, not in a search.

The pick weighs each person by 1 / (1 + n)², n being the letters written to them this month
(waiting, approved, sent or delivered): someone with no letter is four times as likely as
someone with one, nine times as likely as someone with two — so letters spread towards
everyone having a few before anyone has many.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from pompolit.aid.services import GONE_STATUSES
from pompolit.cases.models import Case, Consent
from pompolit.letters.models import COUNTED, Letter, LetterRules

_random = random.SystemRandom()


@dataclass(frozen=True)
class Recipient:
    case_id: int
    public_id: str
    name: str
    facility_id: int
    facility: str
    city: str
    region: str
    birthday: str  # the partial date as stored, "" unless the consent names the birthday
    letters_this_month: int
    photo: bool = False  # the consent in force names the photo (the letter-evening cards)

    @property
    def weight(self) -> float:
        return weight(self.letters_this_month)


def weight(letters: int) -> float:
    return 1.0 / (1 + max(letters, 0)) ** 2


def month_start(today: datetime.date | None = None) -> datetime.datetime:
    today = today or timezone.localdate()
    return datetime.datetime(today.year, today.month, 1,
                             tzinfo=timezone.get_current_timezone())


def letters_this_month(today: datetime.date | None = None,
                       case_id: int | None = None) -> dict[int, int]:
    letters = Letter.objects.filter(created_at__gte=month_start(today), status__in=COUNTED)
    if case_id is not None:
        letters = letters.filter(case_id=case_id)
    rows = letters.values("case_id").annotate(n=Count("pk")).values_list("case_id", "n")
    return dict(rows)


def closed_facilities() -> set[int]:
    """Facilities whose letter rules keep strangers out."""
    return set(LetterRules.objects.filter(CLOSED).values_list("facility_id", flat=True))


CLOSED = Q(relatives_only=True) | Q(accepts_letters=False)


def _in_force(today: datetime.date) -> QuerySet[Consent]:
    """The consents in force that give a facility and address for letters, of people still
    held in a facility that lets strangers write, and whose case workers have not marked them
    as unable to receive letters (`Case.receives_letters`). The scope is matched as text in SQL
    ('"facility"' inside the JSON list: no other code contains it), so no row is decoded. One
    query: the closed facilities are a subquery, not a list read first."""
    latest = Consent.objects.filter(case=OuterRef("case")).order_by("-pk").values("pk")[:1]
    closed = LetterRules.objects.filter(CLOSED).values("facility_id")
    return (Consent.objects.filter(pk=Subquery(latest), withdrawn=False,
                                   case__current_facility__isnull=False,
                                   case__receives_letters=True,
                                   scope__icontains='"facility"')
            .exclude(expires_on__lt=today).exclude(case__status__code__in=GONE_STATUSES)
            .exclude(case__current_facility_id__in=closed))


def recipients(today: datetime.date | None = None, *,
               case_id: int | None = None) -> list[Recipient]:
    """Everyone a stranger may write to, by name (or only the case `case_id`: one query, their
    letters this month counted in it)."""
    today = today or timezone.localdate()
    consents = _in_force(today)
    counts: dict[int, int] = {}
    if case_id is not None:
        theirs = (Letter.objects.filter(case=OuterRef("case"), created_at__gte=month_start(today),
                                        status__in=COUNTED)
                  .order_by().values("case").annotate(n=Count("pk")).values("n"))
        consents = consents.filter(case_id=case_id).annotate(
            counted=Coalesce(Subquery(theirs), 0))
    else:
        consents = consents.annotate(counted=Value(0))
        counts = letters_this_month(today)
    rows = consents.values_list(
        "scope", "case_id", "case__public_id", "case__person__display_name",
        "case__current_facility_id", "case__current_facility__name",
        "case__current_facility__short_name", "case__current_facility__city",
        "case__current_facility__region", "case__person__birth_date", "counted")
    found = []
    for (scope, case_id, public_id, name, facility_id, facility, short, city, region,
         birth, counted) in rows:
        if "facility" not in scope:
            continue
        found.append(Recipient(
            case_id=case_id, public_id=public_id, name=name, facility_id=facility_id,
            facility=short or facility, city=city, region=region,
            birthday=str(birth or "") if "birthday" in scope else "",
            letters_this_month=counted or counts.get(case_id, 0), photo="photo" in scope))
    found.sort(key=lambda r: (r.name, r.case_id))
    return found


def choose(candidates: Sequence[Recipient]) -> Recipient | None:
    if not candidates:
        return None
    return _random.choices(list(candidates), weights=[r.weight for r in candidates], k=1)[0]


# Who may be written to changes rarely (a consent, a transfer, a facility's rules), and
# reading it is most of a pick's time: the list of case ids is kept in this process for
# CACHE_SECONDS, with this month's counts made into running sums of the weights, so a draw is
# one random number and a binary search. The one chosen is always checked afresh (one query
# for the person, one for their letters), and a pick that finds the list stale reads it again,
# so nobody who can no longer be written to is ever offered.
CACHE_SECONDS = 30
_eligible: dict[str, Any] = {}


@dataclass(frozen=True)
class _Draw:
    """The case ids that may be written to and the running sums of their weights (a weight
    half a minute old still spreads the letters)."""

    ids: list[int]
    sums: list[float]

    def one(self) -> int:
        point = _random.random() * self.sums[-1]
        return self.ids[min(bisect.bisect_right(self.sums, point), len(self.ids) - 1)]


def _eligible_draw(today: datetime.date, fresh: bool = False) -> _Draw:
    now = time.monotonic()
    if (not fresh and _eligible.get("day") == today
            and now - _eligible.get("at", -CACHE_SECONDS) < CACHE_SECONDS):
        draw: _Draw = _eligible["draw"]
        return draw
    ids = list(_in_force(today).order_by().values_list("case_id", flat=True))
    counts = letters_this_month(today)
    draw = _Draw(ids, list(itertools.accumulate(weight(counts.get(i, 0)) for i in ids)))
    _eligible.update(day=today, at=now, draw=draw)
    return draw


def pick(today: datetime.date | None = None) -> Recipient | None:
    """The draw reads only the case ids and this month's counts (kept CACHE_SECONDS); the one
    chosen is then loaded whole, and checked."""
    today = today or timezone.localdate()
    for fresh in (False, True):
        draw = _eligible_draw(today, fresh)
        if not draw.ids:
            continue
        found = _by_case(draw.one(), today)
        if found:
            return found[0]
    return None


def _by_case(case_id: int, today: datetime.date) -> list[Recipient]:
    return recipients(today, case_id=case_id)


def recipient(public_id: str, today: datetime.date | None = None) -> Recipient | None:
    """One person a stranger may write to, by public id; None for anyone else."""
    case_id = (Case.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
               if public_id else None)
    found = recipients(today, case_id=case_id) if case_id is not None else []
    return found[0] if found else None


def writable(public_ids: Sequence[str], today: datetime.date | None = None) -> set[str]:
    """Which of these public ids a stranger may write to now (the public list's "write a
    letter" links): one query for the page, the same rules as `recipients`."""
    if not public_ids:
        return set()
    rows = (_in_force(today or timezone.localdate())
            .filter(case__public_id__in=list(public_ids))
            .values_list("scope", "case__public_id"))
    return {public_id for scope, public_id in rows if "facility" in scope}


def search(text: str, recipients_: Sequence[Recipient]) -> list[Recipient]:
    """By any part of the name, the town, the region or the facility, case-free."""
    words = text.casefold().split()
    return [r for r in recipients_
            if all(any(w in part.casefold() for part in (r.name, r.city, r.region, r.facility))
                   for w in words)]


def birthdays(days: int = 14, today: datetime.date | None = None
              ) -> list[tuple[datetime.date, Recipient]]:
    """People a stranger may write to whose birthday (published with their consent, day and
    month known) falls in the next `days` days, the soonest first: a birthday card campaign."""
    from pompolit.cases.partial import PartialDate

    today = today or timezone.localdate()
    found = []
    for person in recipients(today):
        if not person.birthday:
            continue
        born = PartialDate.parse(person.birthday)
        if born is None or born.month is None or born.day is None:
            continue
        for year in (today.year, today.year + 1):
            try:
                day = datetime.date(year, born.month, born.day)
            except ValueError:  # 29 February in a common year: the 1st of March
                day = datetime.date(year, 3, 1)
            if 0 <= (day - today).days < days:
                found.append((day, person))
                break
    return sorted(found, key=lambda pair: (pair[0], pair[1].name))
