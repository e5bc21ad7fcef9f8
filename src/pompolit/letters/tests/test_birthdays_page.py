"""The public "write to them this week": only people a stranger may write to, whose consent
publishes the birthday and whose birth date is known to the day, birthday in the next 7 days;
the day and month are shown, never the year."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pompolit.cases.models import Person
from pompolit.cases.partial import PartialDate
from pompolit.letters import birthdays
from pompolit.letters.testing import World

pytestmark = pytest.mark.django_db


def _born(case_person_id: int, date: str) -> None:
    person = Person.objects.get(pk=case_person_id)
    person.birth_date = PartialDate.parse(date)
    person.save()


def _in(days: int, year: int = 1961) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{year}-{day.month:02d}-{day.day:02d}"


def test_this_week_only(letters_world: World) -> None:
    _born(letters_world.writable[0].person_id, _in(6))
    assert [r.name for _day, r in birthdays.this_week()] == ["Горинов Алексей Александрович"]
    _born(letters_world.writable[0].person_id, _in(7))
    assert birthdays.this_week() == []


def test_partial_dates_and_hidden_people_are_left_out(letters_world: World) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=2)
    _born(letters_world.writable[0].person_id, f"1961-{soon.month:02d}")  # the month only
    _born(letters_world.hidden[2].person_id, _in(2))  # relatives only there
    _born(letters_world.hidden[3].person_id, _in(2))  # released
    _born(letters_world.writable[1].person_id, _in(2))  # her consent keeps the birthday
    assert birthdays.this_week() == []
    _born(letters_world.writable[0].person_id, "1961")  # the year only
    assert birthdays.this_week() == []


def test_next_birthday_of_partial_and_leap_dates() -> None:
    today = datetime.date(2026, 12, 28)
    assert birthdays.next_birthday(PartialDate.parse("1990-01-02"), today) == datetime.date(
        2027, 1, 2)
    assert birthdays.next_birthday(PartialDate.parse("1990-12"), today) is None
    assert birthdays.next_birthday(PartialDate.parse("1990"), today) is None
    assert birthdays.next_birthday(None, today) is None
    assert birthdays.next_birthday(PartialDate.parse("1996-02-29"),
                                   datetime.date(2027, 2, 20)) == datetime.date(2027, 3, 1)


def test_the_page_shows_day_and_month_never_the_year(letters_world: World) -> None:
    _born(letters_world.writable[0].person_id, _in(3, year=1961))
    day = timezone.localdate() + datetime.timedelta(days=3)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("letters_birthdays"))
    page = english.content.decode()
    assert "Горинов Алексей Александрович" in page and "1961" not in page
    assert day.strftime("%B") in page and "Write a letter" in page
    assert reverse("letter_write", args=[letters_world.writable[0].public_id]) in page
    russian = Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("letters_birthdays")).content.decode()
    assert "Написать письмо" in russian and "1961" not in russian


def test_an_empty_week(letters_world: World) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("letters_birthdays")).content.decode()
    assert "Nobody we can write to has a birthday this week." in page
