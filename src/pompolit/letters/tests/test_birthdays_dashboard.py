"""The dashboard's birthdays: a case worker's own compartments only, consent or not, birth date
known to the day, in the next 14 days; with a link to write where strangers may and a card to
print, which is refused for a case outside the member's compartments."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Case, Person
from pompolit.cases.partial import PartialDate
from pompolit.letters import birthdays
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db


def _born(person_id: int, days: int, year: int = 1985) -> None:
    day = timezone.localdate() + datetime.timedelta(days=days)
    person = Person.objects.get(pk=person_id)
    person.birth_date = PartialDate(year, day.month, day.day)
    person.save()


def test_the_members_compartments_only(letters_world: World, moderator: Member,
                                       make_member: Any) -> None:
    _born(letters_world.writable[0].person_id, 10)
    _born(letters_world.hidden[0].person_id, 1)  # no consent: still theirs to remember
    _born(letters_world.hidden[3].person_id, 2)  # released: no card
    _born(letters_world.writable[1].person_id, 14)  # too far
    found = birthdays.upcoming(moderator)
    assert [(b.case.person.display_name, b.writable) for b in found] == [
        ("Без Согласия Иван", False), ("Горинов Алексей Александрович", True)]
    stranger: Member = make_member("Герман Лопатин", Role.CASE_WORKER)  # no compartment
    assert birthdays.upcoming(stranger) == []
    treasurer: Member = make_member("Дмитрий Клеменц", Role.TREASURER)
    assert birthdays.upcoming(treasurer) == []


def test_a_month_only_birth_date_is_left_out(letters_world: World, moderator: Member) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=3)
    person = Person.objects.get(pk=letters_world.writable[0].person_id)
    person.birth_date = PartialDate(1961, soon.month)
    person.save()
    assert birthdays.upcoming(moderator) == []


def test_the_panel_on_the_dashboard(letters_world: World, moderator: Member,
                                    client_for: Any) -> None:
    _born(letters_world.writable[0].person_id, 4)
    _born(letters_world.hidden[0].person_id, 5)
    page = client_for(moderator).get(reverse("dashboard")).content.decode()
    assert "Birthdays in the next 14 days" in page
    assert reverse("letter_write", args=[letters_world.writable[0].public_id]) in page
    assert reverse("letter_write", args=[letters_world.hidden[0].public_id]) not in page
    assert reverse("letters_birthday_card", args=[letters_world.hidden[0].pk]) in page


def test_no_panel_without_birthdays(letters_world: World, moderator: Member,
                                    client_for: Any) -> None:
    page = client_for(moderator).get(reverse("dashboard")).content.decode()
    assert "Birthdays in the next" not in page


def test_the_card(letters_world: World, moderator: Member, client_for: Any,
                  make_member: Any) -> None:
    _born(letters_world.hidden[0].person_id, 5)
    case = Case.objects.select_related("person", "current_facility").get(
        pk=letters_world.hidden[0].pk)
    html = birthdays.render_card_html(case, birthdays.rules_for(letters_world.ik6),
                                      timezone.localdate())
    assert "С днём рождения!" in html and "644010" in html and "Без Согласия Иван" in html
    response = client_for(moderator).get(reverse("letters_birthday_card", args=[case.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="letters.birthday_card_printed",
                                     object_id=str(case.pk)).count() == 1
    other: Member = make_member("Герман Лопатин", Role.CASE_WORKER)
    assert client_for(other).get(
        reverse("letters_birthday_card", args=[case.pk])).status_code == 404
