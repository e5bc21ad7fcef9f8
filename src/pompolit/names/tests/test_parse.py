import pytest

from pompolit.names import Name, PartKind, parse_name

PARSED = [
    ("Кибальчич Николай Иванович", Name("Кибальчич", "Николай", "Иванович")),
    ("Николай Иванович Кибальчич", Name("Кибальчич", "Николай", "Иванович")),
    ("Nikolai Kibalchich", Name("Kibalchich", "Nikolai")),
    ("Nikolai Ivanovich Kibalchich", Name("Kibalchich", "Nikolai", "Ivanovich")),
    ("Kibalchich Nikolai Ivanovich", Name("Kibalchich", "Nikolai", "Ivanovich")),
    ("Н. И. Кибальчич", Name("Кибальчич", "Н.", "И.")),
    ("Кибальчич Н.И.", Name("Кибальчич", "Н.", "И.")),
    ("Н. Кибальчич", Name("Кибальчич", "Н.")),
    ("KIBALCHICH Nikolai", Name("KIBALCHICH", "Nikolai")),
    ("Nikolai KIBALCHICH", Name("KIBALCHICH", "Nikolai")),
    ("Кибальчич, Николай", Name("Кибальчич", "Николай")),
    ("Zhelyabov, Andrei Ivanovich", Name("Zhelyabov", "Andrei", "Ivanovich")),
    ("Алексей Навальный", Name("Навальный", "Алексей")),
    ("Навальный Алексей", Name("Навальный", "Алексей")),
    ("Юлия Навальная", Name("Навальная", "Юлия")),
    ("Перовская Софья Львовна", Name("Перовская", "Софья", "Львовна")),
    ("Sofia Perovskaya", Name("Perovskaya", "Sofia")),
    ("Фигнер Вера", Name("Фигнер", "Вера")),
    ("Кара-Мурза Владимир Владимирович", Name("Кара-Мурза", "Владимир", "Владимирович")),
    ("Римский-Корсаков Николай Андреевич", Name("Римский-Корсаков", "Николай", "Андреевич")),
    ("Петров-Водкин К. С.", Name("Петров-Водкин", "К.", "С.")),
    ("Мамедов Гасан Али оглы", Name("Мамедов", "Гасан", "Али оглы")),
    ("Виктор Серж", Name("Серж", "Виктор")),
    ("Ленин", Name("Ленин")),
    ("Коля", Name(given="Коля")),
    ("Семён Семёнович Горбунков", Name("Горбунков", "Семён", "Семёнович")),
    ("", Name()),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_name(text: str, expected: Name) -> None:
    assert parse_name(text) == expected


def test_name_parts_and_text() -> None:
    name = Name("Кибальчич", "Николай", "Иванович")
    assert name.parts() == [
        (PartKind.SURNAME, "Кибальчич"),
        (PartKind.GIVEN, "Николай"),
        (PartKind.PATRONYMIC, "Иванович"),
    ]
    assert str(name) == "Кибальчич Николай Иванович"
    assert Name().is_empty
