"""Issue 14: the name search's fuzzy fallback. When the keys find nothing or too little, the
coarse keys and the keys near them find the person in another language's spelling, with a
dropped letter or a typo — ranked below every key match, never a person of another gender or
with another given name, never outside the member's compartments."""

import pytest

from pompolit.cases import services
from pompolit.cases.models import NameKind
from pompolit.cases.search import fuzzy
from pompolit.cases.search.services import search_cases
from pompolit.cases.testing import TODAY
from pompolit.names import Name


@pytest.fixture
def registry(worker, open_case):
    made = {
        "bialiatski": open_case("Беляцкий", "Алесь", "Викторович"),
        "kalesnikava": open_case("Колесникова", "Мария", "Александровна"),
        "sharansky": open_case("Щаранский", "Натан"),
        "hryniewiecki": open_case("Гриневицкий", "Игнатий", "Иоахимович"),
        "sentsov": open_case("Сенцов", "Олег", "Геннадьевич"),
        "sokolov": open_case("Соколов", "Иван", "Петрович"),
        "sokolova": open_case("Соколова", "Мария", "Петровна"),
        "brother": open_case("Соколов", "Андрей", "Петрович"),
        "navalny": open_case("Навальный", "Алексей", "Анатольевич"),
    }
    return made


def names(results):
    return [c.person.display_name for c in results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bialiatski", "Беляцкий Алесь Викторович"),  # Belarusian, press
        ("Бяляцкі Алесь", "Беляцкий Алесь Викторович"),  # Belarusian Cyrillic
        ("Ales Bialiacki", "Беляцкий Алесь Викторович"),  # official Belarusian romanisation
        ("Białacki", "Беляцкий Алесь Викторович"),  # Polish
        ("Kalesnikava", "Колесникова Мария Александровна"),
        ("Марыя Калеснікава", "Колесникова Мария Александровна"),
        ("Sharansky", "Щаранский Натан"),  # a letter of щ dropped by the press
        ("Hryniewiecki", "Гриневицкий Игнатий Иоахимович"),  # Polish, a vowel apart: near keys
        ("Sentsov Oleh Hennadiiovych", "Сенцов Олег Геннадьевич"),  # Ukrainian romanisation
    ],
)
def test_the_fallback_finds_what_the_keys_do_not(registry, worker, query, expected):
    assert names(search_cases(worker, query, today=TODAY)) == [expected]


def test_key_matches_rank_above_the_fallback(registry, worker, open_case):
    open_case("Шаранский", "Павел")
    assert names(search_cases(worker, "Sharansky", today=TODAY)) == [
        "Шаранский Павел",
        "Щаранский Натан",
    ]


def test_a_man_never_comes_back_for_a_womans_name(registry, worker):
    assert names(search_cases(worker, "Навальной", today=TODAY)) == []
    assert names(search_cases(worker, "Navalnaya", today=TODAY)) == []


def test_kin_with_the_same_surname_stay_apart(registry, worker):
    assert names(search_cases(worker, "Sokolov", today=TODAY)) == [
        "Соколов Андрей Петрович",
        "Соколов Иван Петрович",
    ]
    assert names(search_cases(worker, "Соколов Иван", today=TODAY)) == ["Соколов Иван Петрович"]
    assert names(search_cases(worker, "Sokolova Maria", today=TODAY)) == ["Соколова Мария Петровна"]
    assert names(search_cases(worker, "Соколов Пётр", today=TODAY)) == []


def test_an_alias_is_reached_by_the_fallback_too(registry, worker):
    services.add_name(worker, registry["sentsov"], Name("Сєнцов", "Олег"), NameKind.ALIAS)
    assert names(search_cases(worker, "Sientsou", today=TODAY)) == ["Сенцов Олег Геннадьевич"]


def test_nothing_from_a_compartment_the_member_does_not_see(registry, outsider):
    assert search_cases(outsider, "Bialiatski", today=TODAY) == []
    assert search_cases(outsider, "Sharansky", today=TODAY) == []


def test_the_fallback_is_not_asked_when_the_keys_find_enough(worker, open_case, monkeypatch):
    for given in ["Иван", "Пётр", "Андрей", "Олег", "Павел"]:
        open_case("Петров", given)

    def refuse(text):
        raise AssertionError("the fallback ran")

    monkeypatch.setattr(fuzzy, "people", refuse)
    assert len(search_cases(worker, "Петров", today=TODAY)) == 5


def test_on_postgresql_the_coarse_keys_have_a_trigram_index(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    fuzzy.has_trigrams.cache_clear()
    assert fuzzy.has_trigrams(connection.alias)
