"""The hearings' calendars: iCalendar (RFC 5545, the `icalendar` library) and Atom.

UIDs are stable and tell nothing of internal counts: the case's public id and the hearing's
random public token (`cases.Hearing.public_token`). Times carry the group's zone
(settings.TIME_ZONE, POMPOLIT_TIME_ZONE) as TZID; a hearing without a time is an all-day event.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from pompolit.cases.public.hearings import PublicHearing, upcoming

# How far ahead the feeds look.
FEED_DAYS = 90
# A hearing's length when the court does not say (courts never do): two hours.
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def uid(hearing: PublicHearing, host: str) -> str:
    return f"{hearing.public_id}-{hearing.token}@{host}"


def summary(hearing: PublicHearing) -> str:
    return _("%(kind)s: %(name)s") % {"kind": hearing.kind_label, "name": hearing.name}


def location(hearing: PublicHearing) -> str:
    parts = [hearing.court, hearing.city]
    if hearing.hall:
        parts.append(_("hall %(hall)s") % {"hall": hearing.hall})
    return ", ".join(p for p in parts if p)


def calendar(hearings: list[PublicHearing], *, name: str, host: str,
             profile_url: Any = None) -> bytes:
    zone_name = settings.TIME_ZONE
    zone = zoneinfo.ZoneInfo(zone_name)
    cal = Calendar()
    cal.add("prodid", "-//Pompolit//hearings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone_name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    if any(h.starts_at for h in hearings):
        cal.add_component(Timezone.from_tzid(zone_name))
    for hearing in hearings:
        event = Event()
        event.add("uid", uid(hearing, host))
        event.add("dtstamp", stamp)
        if hearing.starts_at is not None:
            start = datetime.datetime.combine(hearing.day, hearing.starts_at, tzinfo=zone)
            event.add("dtstart", start)
            event.add("dtend", start + DEFAULT_LENGTH)
        else:
            event.add("dtstart", hearing.day)
            event.add("dtend", hearing.day + datetime.timedelta(days=1))
        event.add("summary", summary(hearing))
        event.add("location", location(hearing))
        lines = [hearing.kind_label]
        if hearing.judge:
            lines.append(_("Judge: %(judge)s") % {"judge": hearing.judge})
        if profile_url is not None:
            url = profile_url(hearing)
            event.add("url", url)
            lines.append(url)
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    body: bytes = cal.to_ical()
    return body


class HearingsAtom(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Upcoming court hearings")

    def link(self) -> str:
        return reverse("public_hearings")

    def subtitle(self) -> str:
        return _("Come to the hearing: support in the courtroom matters.")

    def items(self) -> list[PublicHearing]:
        return upcoming(days=FEED_DAYS)

    def item_title(self, item: PublicHearing) -> str:
        when = item.starts_at.strftime("%H:%M") if item.starts_at else ""
        return " ".join(p for p in (item.day.isoformat(), when, summary(item)) if p)

    def item_description(self, item: PublicHearing) -> str:
        return location(item)

    def item_link(self, item: PublicHearing) -> str:
        return reverse("public_case", args=[item.public_id]) + f"#hearing-{item.token}"

    def item_guid(self, item: PublicHearing) -> str:
        return f"urn:pompolit:hearing:{item.public_id}:{item.token}"

    def item_guid_is_permalink(self, item: PublicHearing) -> bool:
        return False

    def item_pubdate(self, item: PublicHearing) -> datetime.datetime:
        return datetime.datetime.combine(item.day, item.starts_at or datetime.time(0),
                                         tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    item_updateddate = item_pubdate


def host_of(request: HttpRequest) -> str:
    return request.get_host().split(":")[0] or "pompolit"
