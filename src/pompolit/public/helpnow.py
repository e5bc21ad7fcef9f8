""""Who you can help right now": birthdays in the next two weeks, releases in the next 30 days,
hearings this week.

Only what the consents publish: a birthday appears only when the consent names the birthday
and the registry knows its day; a release only when the consent names the sentence and the
expected release is known at least to the month (typed by the case worker, or estimated from
the arrest and the sentence: cases/release.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from pompolit.cases.models import Consent
from pompolit.cases.partial import PartialDate
from pompolit.cases.public.hearings import PublicHearing, upcoming
from pompolit.cases.public.profiles import PublicProfile, profile, published_consents
from pompolit.cases.release import released_within

BIRTHDAY_DAYS = 14
RELEASE_DAYS = 30
HEARING_DAYS = 7


@dataclass(frozen=True)
class Birthday:
    day: datetime.date
    age: int | None  # the age they turn that day
    profile: PublicProfile


def _next(month: int, day: int, today: datetime.date) -> datetime.date | None:
    for year in (today.year, today.year + 1):
        try:
            when = datetime.date(year, month, day)
        except ValueError:  # 29 February of a year that has none
            continue
        if when >= today:
            return when
    return None


# (consent in force, its profile): read and projected here, or handed over by a caller that has
# projected every published case already (the static export).
Published = Iterable[tuple[Consent, PublicProfile | None]]


def _published(today: datetime.date, published: Published | None) -> Published:
    if published is not None:
        return published
    return ((c, profile(c.case, c, today)) for c in published_consents(today))


def birthdays(today: datetime.date | None = None, days: int = BIRTHDAY_DAYS,
              published: Published | None = None) -> list[Birthday]:
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=days - 1)
    found = []
    for consent, shown in _published(today, published):
        if "birthday" not in consent.scope:
            continue
        if shown is None or shown.birth_month_day is None:
            continue
        when = _next(*shown.birth_month_day, today)
        if when is not None and when <= last:
            born = consent.case.person.birth_date
            age = when.year - born.year if born is not None else None
            found.append(Birthday(day=when, age=age, profile=shown))
    return sorted(found, key=lambda b: (b.day, b.profile.name))


@dataclass(frozen=True)
class Release:
    on: PartialDate  # a month or a day
    estimated: bool
    profile: PublicProfile


def releases(today: datetime.date | None = None, days: int = RELEASE_DAYS,
             published: Published | None = None) -> list[Release]:
    today = today or timezone.localdate()
    found = []
    for consent, shown in _published(today, published):
        if "sentence" not in consent.scope:
            continue
        if shown is None or not shown.expected_release:
            continue
        on = PartialDate.parse(shown.expected_release)
        if released_within(on, today, days):
            found.append(Release(on=on, estimated=shown.release_estimated, profile=shown))
    return sorted(found, key=lambda r: (r.on.sort_key(), r.profile.name))


def hearings(today: datetime.date | None = None) -> list[PublicHearing]:
    return upcoming(days=HEARING_DAYS, today=today)


def context(today: datetime.date | None = None,
            published: Published | None = None) -> dict[str, Any]:
    """The help page's context (views.help_now)."""
    if published is not None:
        published = list(published)
    return {"birthdays": birthdays(today, published=published),
            "releases": releases(today, published=published), "hearings": hearings(today)}
