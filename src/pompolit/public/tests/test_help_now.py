""""Who you can help right now": published birthdays of the next two weeks (never one the
consent keeps back, never one known only by its year), hearings this week, both languages."""

import datetime

from django.urls import reverse

from pompolit.cases.testing import P, days, status
from pompolit.public import helpnow
from pompolit.public.conftest import publish, visitor


def _born_on(day: datetime.date, years: int) -> P:
    return P(f"{day.year - years:04d}-{day.month:02d}-{day.day:02d}")


def test_birthdays_in_the_next_two_weeks_only_when_published(open_case, worker, published):
    soon = open_case("Белоусов", "Игорь", birth_date=_born_on(days(3), 40),
                     status=status("sentenced"))
    publish(worker, soon, ["name", "birthday"])
    kept_back = open_case("Тайнов", "Олег", birth_date=_born_on(days(2), 30),
                          status=status("sentenced"))
    publish(worker, kept_back, ["name"])
    later = open_case("Позднеев", "Ян", birth_date=_born_on(days(20), 30),
                      status=status("sentenced"))
    publish(worker, later, ["name", "birthday"])
    year_only = open_case("Годов", "Лев", birth_date=P(str(days(1).year - 50)),
                          status=status("sentenced"))
    publish(worker, year_only, ["name", "birthday"])
    found = helpnow.birthdays()
    assert [(b.profile.name, b.day, b.age) for b in found] == [("Белоусов Игорь", days(3), 40)]
    page = visitor("ru").get(reverse("public_help_now")).content.decode()
    assert "Кому можно помочь прямо сейчас" in page
    assert "Белоусов Игорь" in page and "исполняется 40" in page
    assert "Тайнов" not in page and "Позднеев" not in page and "Годов" not in page


def test_hearings_this_week(calendar_of):
    page = visitor().get(reverse("public_help_now")).content.decode()
    assert "Мещанский районный суд" in page and "Василеостровский районный суд" in page
    assert "Владимирский" not in page


def test_an_empty_week_says_so(published):
    page = visitor().get(reverse("public_help_now")).content.decode()
    assert "No published birthdays in the next two weeks." in page
    assert "No public hearings this week." in page


def test_the_list_links_here(published):
    page = visitor().get(reverse("public_case_list")).content.decode()
    assert reverse("public_help_now") in page and reverse("public_hearings") in page
