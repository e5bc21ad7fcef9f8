"""Upcoming court hearings that may be published: "come to the hearing".

A hearing is public only when the case's consent in force names "hearings" (consent.FIELDS);
then its court, city, hall, time, kind and judge are shown with the prisoner's public name.
Closed hearings are left out: the public is not let in. Nothing here names an internal number:
a hearing is known outside by its random `public_token`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from pompolit.cases.models import HEARING_EVENT_TYPES, Hearing
from pompolit.cases.public.profiles import published_consents


@dataclass(frozen=True)
class PublicHearing:
    token: str
    public_id: str
    name: str
    day: datetime.date
    starts_at: datetime.time | None
    court: str
    city: str
    hall: str
    judge: str
    kind: str
    kind_label: str


def upcoming(*, start: datetime.date | None = None, days: int = 7, public_id: str = "",
             city: str = "", today: datetime.date | None = None) -> list[PublicHearing]:
    """Public hearings from `start` (today) for `days` days, by day, time and city."""
    today = today or timezone.localdate()
    start = start or today
    end = start + datetime.timedelta(days=days - 1)
    # Plain rows, not every published case as model instances: this runs for the hearings
    # page, the help page and every prisoner's calendar.
    consents = published_consents(today).select_related(None).prefetch_related(None)
    if public_id:
        consents = consents.filter(case__public_id=public_id)
    cases = {case_id: (shown_id, name) for case_id, scope, shown_id, name in consents.values_list(
        "case_id", "scope", "case__public_id", "case__person__display_name")
        if "hearings" in scope}
    # The days' hearings first (a few), then those of cases whose consent names hearings.
    found = (Hearing.objects.filter(closed=False, event__type__code__in=HEARING_EVENT_TYPES,
                                    event__date_lower__gte=start, event__date_upper__lte=end)
             .select_related("event"))
    if city:
        found = found.filter(city__iexact=city.strip())
    hearings = [
        PublicHearing(
            token=h.public_token, public_id=cases[h.event.case_id][0],
            name=cases[h.event.case_id][1], day=h.event.date_lower,
            starts_at=h.starts_at, court=h.court, city=h.city, hall=h.hall, judge=h.judge,
            kind=h.kind, kind_label=str(h.get_kind_display()),
        )
        for h in found if h.event.case_id in cases
    ]
    return sorted(hearings, key=lambda h: (h.day, h.city, h.starts_at or datetime.time.max,
                                           h.court, h.token))


def by_day_and_city(hearings: list[PublicHearing]
                    ) -> list[tuple[datetime.date, list[tuple[str, list[PublicHearing]]]]]:
    days: dict[datetime.date, dict[str, list[PublicHearing]]] = {}
    for h in hearings:
        days.setdefault(h.day, {}).setdefault(h.city, []).append(h)
    return [(day, list(cities.items())) for day, cities in days.items()]
