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
    assert "No published releases in the next 30 days." in page


def test_the_list_links_here(published):
    page = visitor().get(reverse("public_case_list")).content.decode()
    assert reverse("public_help_now") in page and reverse("public_hearings") in page


def test_releases_in_the_next_30_days_only_with_the_sentence_published(
        open_case, worker, facilities, published):
    from pompolit.cases import services
    from pompolit.cases.testing import event_type

    def sentenced(surname, given, *, release=None, months=None, scope=("name", "sentence")):
        case = open_case(surname, given, status=status("sentenced"), sentence_months=months,
                         expected_release=release)
        services.add_event(worker, case, type=event_type("arrest"), date=P("2021-01-10"),
                           facility=facilities["orenburg"])
        publish(worker, case, list(scope))
        return case

    sentenced("Скоровыходов", "Пётр", release=P(days(12).isoformat()))
    sentenced("Тихий", "Марк", release=P(days(5).isoformat()), scope=["name"])
    sentenced("Нескоро", "Ефим", release=P(days(45).isoformat()))
    sentenced("Годичный", "Лука", release=P(str(days(3).year)))
    # No typed date: arrested on the 10th of a month, the sentence ends in the same month as
    # today, so the estimate (to the month) falls in the window.
    today = days(0)
    months = (today.year - 2021) * 12 + today.month - 1
    sentenced("Оценочный", "Глеб", months=months)

    mine = {"Скоровыходов Пётр", "Тихий Марк", "Нескоро Ефим", "Годичный Лука", "Оценочный Глеб"}
    found = [r for r in helpnow.releases() if r.profile.name in mine]
    assert [(r.profile.name, str(r.on), r.estimated) for r in found] == [
        ("Оценочный Глеб", f"{today.year:04d}-{today.month:02d}", True),
        ("Скоровыходов Пётр", days(12).isoformat(), False),
    ]
    page = visitor("ru").get(reverse("public_help_now")).content.decode()
    assert "Выйдут на свободу в ближайшие 30 дней" in page
    assert "Скоровыходов Пётр" in page and days(12).strftime("%d.%m.%Y") in page
    assert "Оценочный Глеб" in page and "(оценка)" in page
    assert "Тихий" not in page and "Нескоро" not in page and "Годичный" not in page


def test_the_profile_shows_the_expected_release_with_the_sentence(open_case, worker, published):
    case = open_case("Сроков", "Иван", status=status("sentenced"), sentence_term="5 лет",
                     expected_release=P("2029-04"))
    publish(worker, case, ["name", "sentence"])
    page = visitor("ru").get(reverse("public_case", args=[case.public_id])).content.decode()
    assert "Ожидаемое освобождение" in page and "04.2029" in page
    kept_back = open_case("Молчанов", "Ян", status=status("sentenced"),
                          expected_release=P("2029-04"))
    publish(worker, kept_back, ["name"])
    page = visitor("ru").get(reverse("public_case", args=[kept_back.public_id])).content.decode()
    assert "Ожидаемое освобождение" not in page
