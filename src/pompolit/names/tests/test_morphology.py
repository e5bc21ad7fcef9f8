import pytest

from pompolit.names import query_keys, search_keys
from pompolit.names.morphology import nominatives, readings

CASE_FORMS = [
    # (nominative as registered, what a case worker may type)
    ("Навальный", "Навального"),  # genitive
    ("Навальный", "Навальному"),  # dative
    ("Навальный", "Навальным"),  # instrumental
    ("Навальный", "о Навальном"),  # prepositional, with its preposition
    ("Навальная", "Навальной"),  # feminine adjectival surname
    ("Навальная", "Навальную"),
    ("Кибальчич", "Кибальчичу"),
    ("Кибальчич", "Кибальчича"),
    ("Перовская", "Перовской"),
    ("Перовская", "Перовскую"),
    ("Желябов", "Желябовым"),
    ("Желябов", "Желябова"),
    ("Иванова", "Ивановой"),
    ("Иванов", "Иванова"),  # genitive of Иванов is also the feminine nominative
    ("Яшин", "Яшину"),
    ("Толстой", "Толстого"),
    ("Гоголь", "Гоголя"),
    ("Фигнер", "Фигнер"),  # a woman's -ер surname does not decline
    ("Шевченко", "Шевченко"),  # nor does -енко
    ("Кара-Мурза", "Кара-Мурзы"),
    ("Николай", "Николаю"),
    ("Софья", "Софьей"),
    ("Алексей", "Алексея"),
    ("Илья", "Ильи"),
    ("Иванович", "Ивановичем"),
    ("Ивановна", "Ивановны"),
    ("Кибальчич Николай Иванович", "Кибальчича Николая Ивановича"),
]


@pytest.mark.parametrize(("registered", "typed"), CASE_FORMS)
def test_an_oblique_case_finds_the_nominative(registered: str, typed: str) -> None:
    assert query_keys(typed) & search_keys(registered)


def test_nominative_keeps_gender() -> None:
    assert nominatives("Навальной") == {"навальная"}
    assert nominatives("Навального") == {"навальный"}
    assert nominatives("Перовской") == {"перовская"}


def test_a_word_that_can_be_nominative_is_left_alone() -> None:
    assert nominatives("Петрова") == {"петрова"}
    assert nominatives("Кириллов") == {"кириллов"}  # not "of the Kirills"


def test_queries_look_for_every_reading_but_keep_gender() -> None:
    assert readings("Иванова") == {"иванова", "иванов"}
    assert query_keys("Иванова") & search_keys("Иванов")
    assert not query_keys("Ивановой") & search_keys("Иванов")
    assert not query_keys("Навальной") & search_keys("Навальный")


def test_a_plural_surname_finds_husband_and_wife() -> None:
    assert query_keys("Навальных") & search_keys("Навальный")
    assert query_keys("Навальных") & search_keys("Навальная")


def test_the_index_does_not_mix_up_genders() -> None:
    assert not search_keys("Навальный") & search_keys("Навальная")
    assert not search_keys("Иванов") & search_keys("Иванова")
