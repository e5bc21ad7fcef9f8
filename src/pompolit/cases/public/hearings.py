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
    cases = {c.case_id: c.case for c in published_consents(today)
             if "hearings" in c.scope}
    if public_id:
        cases = {pk: case for pk, case in cases.items() if case.public_id == public_id}
    found = (Hearing.objects.filter(event__case__in=list(cases), closed=False,
                                    event__type__code__in=HEARING_EVENT_TYPES,
                                    event__date_lower__gte=start, event__date_upper__lte=end)
             .select_related("event"))
    if city:
        found = found.filter(city__iexact=city.strip())
    hearings = [
        PublicHearing(
            token=h.public_token, public_id=cases[h.event.case_id].public_id,
            name=cases[h.event.case_id].person.display_name, day=h.event.date_lower,
            starts_at=h.starts_at, court=h.court, city=h.city, hall=h.hall, judge=h.judge,
            kind=h.kind, kind_label=str(h.get_kind_display()),
        )
        for h in found
    ]
    return sorted(hearings, key=lambda h: (h.day, h.city, h.starts_at or datetime.time.max,
                                           h.court, h.token))


def by_day_and_city(hearings: list[PublicHearing]
                    ) -> list[tuple[datetime.date, list[tuple[str, list[PublicHearing]]]]]:
    days: dict[datetime.date, dict[str, list[PublicHearing]]] = {}
    for h in hearings:
        days.setdefault(h.day, {}).setdefault(h.city, []).append(h)
    return [(day, list(cities.items())) for day, cities in days.items()]
