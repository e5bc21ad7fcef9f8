import pytest

from pompolit.names import Name, similarity

SAME_PERSON = [
    ("Кибальчич Николай Иванович", "Кибальчич Николай Иванович"),
    ("Кибальчич Николай Иванович", "Nikolai Kibalchich"),
    ("Кибальчич Николай Иванович", "Николай Кибальчич"),  # no patronymic
    ("Кибальчич Николай Иванович", "Н. И. Кибальчич"),  # initials
    ("Кибальчич Николай Иванович", "KIBALTCHICHE Nicolas"),  # French
    ("Кибальчич Николай Иванович", "Kibaltschitsch, Nikolai Iwanowitsch"),  # German
    ("Кибальчич Николай Иванович", "Коля Кибальчич"),  # diminutive
    ("Перовская Софья Львовна", "Соня Перовская"),
    ("Перовская Софья Львовна", "Sofia Perovskaya"),
    ("Навальный Алексей Анатольевич", "Alexei Navalny"),
    ("Петров Александр Иванович", "Саша Петров"),
    ("Петров Александр Иванович", "Шура Петров"),
    ("Семенова Евгения", "Женя Семёнова"),
    ("Мария Алёхина", "Маша Алехина"),
]

DIFFERENT_PERSON = [
    ("Кибальчич Николай Иванович", "Желябов Андрей Иванович"),
    ("Кибальчич Николай Иванович", "Кибальчич Виктор Львович"),
    ("Навальный Алексей Анатольевич", "Навальная Юлия Борисовна"),
    ("Петров Александр Иванович", "Петрова Александра Ивановна"),
    ("Иванов Иван", "Петров Пётр"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_same_person_scores_high(a: str, b: str) -> None:
    assert similarity(a, b) >= 85


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PERSON)
def test_different_people_score_below_the_same_person(a: str, b: str) -> None:
    assert similarity(a, b) < 80
    assert similarity(a, b) < min(similarity(x, y) for x, y in SAME_PERSON)


@pytest.mark.parametrize(("a", "b"), SAME_PERSON + DIFFERENT_PERSON)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0 <= similarity(a, b) <= 100


def test_ordering_for_one_query() -> None:
    query = "Кибальчича Николая"
    ranked = sorted(
        [
            "Желябов Андрей Иванович",
            "Кибальчич Николай Иванович",
            "Кибальчич Виктор Львович",
            "Кибальчич Н. И.",
            "Николаев Кирилл",
        ],
        key=lambda candidate: similarity(query, candidate),
        reverse=True,
    )
    assert ranked[0] == "Кибальчич Николай Иванович"
    assert ranked[1] == "Кибальчич Н. И."
    assert ranked[-1] in {"Желябов Андрей Иванович", "Николаев Кирилл"}


def test_swapped_order_is_tolerated() -> None:
    swapped = Name(surname="Николай", given="Кибальчич")
    assert similarity(swapped, "Кибальчич Николай") >= 90


def test_initials_must_agree() -> None:
    assert similarity("Кибальчич Н. И.", "Кибальчич Николай Иванович") > similarity(
        "Кибальчич В. Л.", "Кибальчич Николай Иванович"
    )
    assert similarity("Ю. Навальная", "Юлия Навальная") >= 85
    assert similarity("Yu. Navalnaya", "Юлия Навальная") >= 85


def test_a_name_without_surname_is_weak_evidence() -> None:
    assert similarity("Коля", "Кибальчич Николай") < 70


def test_empty_names() -> None:
    assert similarity("", "Кибальчич") == 0
    assert similarity(Name(), Name()) == 0


def test_one_letter_apart_is_between_same_and_different() -> None:
    assert 60 < similarity("Захаров Андрей", "Сахаров Андрей") < 90
    assert similarity("Захаров", "Сахаров") < 80
