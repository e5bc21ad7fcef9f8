"""Birthday cards: who has a birthday in the next two weeks, only with a published birthday."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pompolit.cases.models import Person
from pompolit.cases.partial import PartialDate
from pompolit.letters import pick
from pompolit.letters.testing import World

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 24)


def _born(world: World, index: int, date: str) -> None:
    person = Person.objects.get(pk=world.writable[index].person_id)
    person.birth_date = PartialDate.parse(date)
    person.save()


def test_birthdays_in_the_next_two_weeks_across_the_new_year(letters_world: World) -> None:
    _born(letters_world, 0, "1961-01-03")  # the consent publishes his birthday
    found = pick.birthdays(today=TODAY)
    assert [(day, r.name) for day, r in found] == [
        (datetime.date(2027, 1, 3), "Горинов Алексей Александрович")]
    assert pick.birthdays(today=datetime.date(2026, 12, 1)) == []


def test_no_birthday_unless_published_and_known_to_the_day(letters_world: World) -> None:
    _born(letters_world, 1, "1990-12-25")  # her consent does not name the birthday
    _born(letters_world, 0, "1961-12")  # the month only
    assert pick.birthdays(today=TODAY) == []


def test_the_writers_page_lists_them(letters_world: World) -> None:
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=3)
    _born(letters_world, 0, f"1961-{soon.month:02d}-{soon.day:02d}")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("letters_home")).content.decode()
    assert "Birthdays in the next two weeks" in page and "Горинов" in page
