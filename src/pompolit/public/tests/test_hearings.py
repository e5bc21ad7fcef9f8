"""Public hearings: only with the consent's "hearings", never closed ones; the page groups
them by day and city; the iCalendar feeds (all, per city, per prisoner) parse back with
`icalendar` with stable UIDs and the group's zone; the Atom feed lists them."""

import datetime

from defusedxml import ElementTree as ET
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from pompolit.cases.public import hearings
from pompolit.public.conftest import visitor


def test_only_consented_open_hearings_are_public(calendar_of):
    found = hearings.upcoming()
    assert [h.token for h in found] == [calendar_of["gorinov"].public_token,
                                        calendar_of["skochilenko"].public_token]
    assert found[0].name == "Горинов Алексей" and found[0].court == "Мещанский районный суд"


def test_the_page_lists_this_week_by_day_and_city(calendar_of):
    page = visitor("ru").get(reverse("public_hearings")).content.decode()
    assert "Мещанский районный суд" in page and "Василеостровский районный суд" in page
    assert page.index("Москва") < page.index("Санкт-Петербург")
    assert "11:00" in page and "Приходите на заседание" in page and "зал 7" in page
    assert "Кара-Мурза" not in page  # no consent for hearings
    assert "Владимирский" not in page  # not this week
    one_city = visitor().get(reverse("public_hearings"), {"city": "Москва"}).content.decode()
    assert "Горинов" in one_city and "Скочиленко" not in one_city


def test_the_page_without_hearings_says_so(published):
    assert "No public hearings this week." in visitor().get(
        reverse("public_hearings")).content.decode()


@override_settings(TIME_ZONE="Europe/Samara")
def test_the_calendar_of_all_parses_back_with_stable_uids_and_the_zone(calendar_of):
    body = visitor().get(reverse("public_hearings_ics"))
    assert body["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(body.content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    gorinov = calendar_of["gorinov"]
    case_id = gorinov.event.case.public_id
    uid = f"{case_id}-{gorinov.public_token}@testserver"
    assert set(events) == {uid, f"{calendar_of['skochilenko'].event.case.public_id}-"
                                f"{calendar_of['skochilenko'].public_token}@testserver",
                           f"{case_id}-{calendar_of['gorinov_late'].public_token}@testserver"}
    event = events[uid]
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Samara"
    assert event["dtstart"].params["TZID"] == "Europe/Samara"
    # On the day recorded (the fixture wrote it in the test zone, which may already be
    # tomorrow in Samara), at 11:00 in the group's zone.
    assert (start.date(), start.time()) == (gorinov.event.date_lower, datetime.time(11, 0))
    assert "dtstamp" in event
    assert "Горинов Алексей" in str(event["summary"])
    assert "Мещанский районный суд" in str(event["location"])
    assert [c["tzid"] for c in cal.walk("VTIMEZONE")] == ["Europe/Samara"]
    # A hearing without a time is a whole day.
    skochilenko = next(e for e in events.values() if "Скочиленко" in str(e["summary"]))
    assert skochilenko.decoded("dtstart") == calendar_of["skochilenko"].event.date_lower
    # Stable: asked again, the same UIDs.
    again = Calendar.from_ical(visitor().get(reverse("public_hearings_ics")).content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(events)


def test_the_calendar_of_a_city(calendar_of):
    cal = Calendar.from_ical(visitor().get(reverse("public_hearings_ics"),
                                           {"city": "Владимир"}).content)
    assert [str(e["location"]) for e in cal.walk("VEVENT")] == [
        "Владимирский областной суд, Владимир, hall 7"]


def test_the_calendar_of_a_prisoner_and_404_for_one_not_public(calendar_of, published):
    url = reverse("public_case_hearings_ics", args=[published["gorinov"].public_id])
    cal = Calendar.from_ical(visitor().get(url).content)
    assert len(cal.walk("VEVENT")) == 2
    assert "Горинов" in str(cal["x-wr-calname"])
    hidden = reverse("public_case_hearings_ics", args=[published["hidden"].public_id])
    assert visitor().get(hidden).status_code == 404
    # Published, but without "hearings": an empty calendar, nothing of the hearing.
    kara = reverse("public_case_hearings_ics", args=[published["kara"].public_id])
    assert Calendar.from_ical(visitor().get(kara).content).walk("VEVENT") == []


def test_the_atom_feed(calendar_of):
    response = visitor().get(reverse("public_hearings_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(titles) == 3 and "Горинов Алексей" in titles[0]
    ids = [e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert all(i.startswith("urn:pompolit:hearing:") for i in ids)
