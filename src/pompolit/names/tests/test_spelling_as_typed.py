"""A name is kept as typed (ё, accents, apostrophes, dashes) and folded only for matching."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pompolit.names import Name, parse_name, prepare, query_keys, score, search_keys, tidy
from pompolit.names.normalize import clean, spelled_tokens, tokens
from pompolit.names.tests.real_names import GIVEN, SURNAMES

AS_TYPED = [
    ("Тестов Пётр", Name("Тестов", "Пётр")),
    ("Пётр Семёнов", Name("Семёнов", "Пётр")),
    ("Ёлкина Алёна", Name("Ёлкина", "Алёна")),
    ("Lech Wałęsa", Name("Wałęsa", "Lech")),
    ("Hans Müller", Name("Müller", "Hans")),
    ("Seán O’Brien", Name("O’Brien", "Seán")),
    ("O'Brien, Seán", Name("O'Brien", "Seán")),
    ("Кузьмина-Караваева Елизавета Юрьевна", Name("Кузьмина-Караваева", "Елизавета", "Юрьевна")),
    ("Кузьмина–Караваева Е. Ю.", Name("Кузьмина–Караваева", "Е.", "Ю.")),
    ("СЕМЁНОВ Пётр", Name("СЕМЁНОВ", "Пётр")),
    ("Семёнов, Фёдор Артёмович", Name("Семёнов", "Фёдор", "Артёмович")),
]


@pytest.mark.parametrize(("text", "expected"), AS_TYPED)
def test_parse_name_keeps_the_spelling(text: str, expected: Name) -> None:
    assert parse_name(text) == expected


def test_a_name_is_folded_only_for_matching() -> None:
    assert parse_name("Пётр Семёнов").folded() == Name("Семенов", "Петр")
    assert parse_name("Lech Wałęsa").folded() == Name("Wałesa", "Lech")
    assert Name("Şahin").folded() == Name("Sahin")
    assert Name("Кузьмина–Караваева").folded() == Name("Кузьмина-Караваева")


def test_decomposed_letters_are_kept_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Семёнов Пётр")
    assert parse_name(decomposed) == Name("Семёнов", "Пётр")
    assert tidy(decomposed) == "Семёнов Пётр"


def test_tidy_drops_only_spaces_controls_and_invisibles() -> None:
    assert tidy("  Ёлкина \t Алёна\n") == "Ёлкина Алёна"
    assert tidy("Ива\u00adнов\u200b") == "Иванов"  # soft hyphen, zero-width space
    assert tidy("\u200fŞahin\x00") == "Şahin"
    assert tidy("Wałęsa O’Brien Кузьмина–Караваева") == "Wałęsa O’Brien Кузьмина–Караваева"
    assert parse_name("Ива\u00adнов Пётр") == Name("Иванов", "Пётр")


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("Семёнов Пётр", "Семенов Петр"),
        ("Ёлкина Алёна", "Елкина Алена"),
        ("Wałęsa Lech", "Walesa Lech"),
        ("Şahin Ahmet", "Sahin Ahmet"),
        ("Müller Hans", "Mueller Hans"),
        ("O’Brien Seán", "O'Brien Sean"),
        ("Кузьмина–Караваева Елизавета", "Кузьмина-Караваева Елизавета"),
    ],
)
def test_kept_spellings_are_found_with_and_without_marks(typed: str, plain: str) -> None:
    stored = search_keys(parse_name(typed))
    assert query_keys(plain) & stored
    assert query_keys(typed) & search_keys(parse_name(plain))
    assert score(prepare(typed), prepare(plain)) >= 80  # the hotline proposes from 80


def test_a_double_surname_is_found_by_either_half_whatever_its_dash() -> None:
    for dash in "-–—":
        stored = search_keys(Name(f"Кузьмина{dash}Караваева", "Елизавета"))
        assert query_keys("Караваева") & stored
        assert query_keys("Кузьмина") & stored


@given(st.sampled_from(SURNAMES), st.sampled_from(GIVEN), st.sampled_from(["", "ё", "\u0301"]))
def test_the_folded_parse_is_the_matching_parse(surname: str, first: str, mark: str) -> None:
    """What matching reads of a typed name is what the folded text gives: keys and
    similarity are those of before (when names were kept folded)."""
    text = f"{surname}{mark} {first}"
    name = parse_name(text)
    assert name.folded() == parse_name(clean(text)).folded()
    assert search_keys(name.folded()) == search_keys(text)
    assert [typed for typed, _ in spelled_tokens(text)] == tidy(text).split()
    assert [folded for _, folded in spelled_tokens(text)] == tokens(text)
