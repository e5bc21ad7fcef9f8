"""Search: a name in any script or case ending, a case number, a place; filters; and never a
case from a compartment the member does not see."""

import pytest

from pompolit.cases import services
from pompolit.cases.models import NameKind
from pompolit.cases.search import Filters, search_cases
from pompolit.names import Name

from .conftest import TODAY, P, event_type, status


@pytest.fixture
def registry(worker, open_case, facilities, exile):
    kibalchich = open_case("Кибальчич", "Виктор", "Львович", case_number="1-12/2022",
                           status=status("sentenced"))
    services.add_name(worker, kibalchich, Name("Серж", "Виктор"), NameKind.PSEUDONYM)
    services.add_event(worker, kibalchich, type=event_type("arrest"), date=P("2022-03-06"),
                       facility=facilities["ik6"], place="Омск")
    chernyshev = open_case("Чернышёв", "Алексей", "Игоревич", case_number="1-7/2023",
                           status=status("on-trial"), notes="Голодовка в СИЗО, нужен врач")
    services.add_name(worker, chernyshev, Name("Chernyshov", "Aleksei"), NameKind.ALIAS)
    navalnaya = open_case("Навальная", "Юлия")
    return {"kibalchich": kibalchich, "chernyshev": chernyshev, "navalnaya": navalnaya,
            "remizova": exile}


def names(results):
    return [c.person.display_name for c in results]


@pytest.mark.parametrize("query", ["Kibaltchiche", "Kibalchich", "Kibal'chich", "кибальчич",
                                   "Кибальчича", "Виктор Серж", "Victor Serge",
                                   "Kibalchich Viktor"])
def test_a_name_is_found_in_any_spelling(registry, worker, query):
    assert names(search_cases(worker, query, today=TODAY))[0] == "Кибальчич Виктор Львович"


def test_every_word_must_match(registry, worker):
    assert names(search_cases(worker, "Кибальчич Алексей", today=TODAY)) == []
    assert names(search_cases(worker, "Алексей Чернышова", today=TODAY)) == [
        "Чернышёв Алексей Игоревич"]


def test_a_feminine_form_does_not_find_the_masculine_by_case_ending(registry, worker):
    found = names(search_cases(worker, "Навальной", today=TODAY))
    assert found == ["Навальная Юлия"]


def test_a_case_number_in_any_punctuation(registry, worker):
    assert names(search_cases(worker, "1-12/2022", today=TODAY)) == ["Кибальчич Виктор Львович"]
    assert names(search_cases(worker, "№ 1 12 2022", today=TODAY))[0] == (
        "Кибальчич Виктор Львович")


def test_places_and_notes(registry, worker):
    assert names(search_cases(worker, "Омск", today=TODAY)) == ["Кибальчич Виктор Львович"]
    assert names(search_cases(worker, "врач", today=TODAY)) == ["Чернышёв Алексей Игоревич"]


def test_filters(registry, worker, facilities):
    assert names(search_cases(worker, filters=Filters(status="on-trial"), today=TODAY)) == [
        "Чернышёв Алексей Игоревич"]
    assert names(search_cases(worker, filters=Filters(facility=facilities["orenburg"].pk),
                              today=TODAY)) == ["Ремизова Анна Петровна"]
    assert names(search_cases(worker, filters=Filters(region="Омская область"),
                              today=TODAY)) == ["Кибальчич Виктор Львович"]
    overdue = names(search_cases(worker, filters=Filters(overdue=True), today=TODAY))
    assert "Ремизова Анна Петровна" in overdue


def test_nothing_is_found_outside_the_members_compartments(registry, outsider, compartment):
    assert search_cases(outsider, "Кибальчич", today=TODAY) == []
    assert search_cases(outsider, "1-12/2022", today=TODAY) == []
    assert search_cases(outsider, "", filters=Filters(compartment=compartment.pk),
                        today=TODAY) == []
