import unicodedata

import pytest

from pompolit.names import Name, Script, detect_script, search_keys
from pompolit.names.normalize import clean, tokens
from pompolit.names.script import fix_homoglyphs


def test_stress_marks_are_dropped_but_short_i_and_yo_survive() -> None:
    assert clean("Ки\u0301бальчич") == "Кибальчич"
    assert clean("Никола\u0301и\u0306") == "Николай"  # a stress mark, then a decomposed й
    assert clean("Пётр") == "Петр"  # ё is spelled е everywhere


def test_decomposed_and_composed_forms_give_the_same_keys() -> None:
    composed = "Хрущёв Йосиф"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert search_keys(decomposed) == search_keys(composed)


def test_compatibility_characters_are_folded() -> None:
    # Full-width Latin letters, as some input methods produce them.
    assert search_keys("Ｎａｖａｌｎｙ") == search_keys("Navalny")


@pytest.mark.parametrize(
    ("mixed", "fixed"),
    [
        ("Кибальчич".replace("а", "a"), "Кибальчич"),  # Latin a
        ("Навальный".replace("а", "a").replace("Н", "H"), "Навальный"),
        ("Перовская".replace("е", "e").replace("о", "o").replace("р", "p").replace("с", "c"),
         "Перовская"),
        ("Nаvаlny", "Navalny"),  # Cyrillic а in a Latin word
    ],
)
def test_homoglyphs_are_mended_to_the_word_script(mixed: str, fixed: str) -> None:
    assert detect_script(mixed) is Script.MIXED
    assert fix_homoglyphs(mixed) == fixed
    assert search_keys(mixed) == search_keys(fixed)


def test_script_detection() -> None:
    assert Name("Кибальчич", "Николай").script is Script.CYRILLIC
    assert Name("Kibalchich", "Nikolai").script is Script.LATIN
    assert Name("Kibalchich", "Николай").script is Script.MIXED
    assert detect_script("ნინო") is Script.OTHER
    assert detect_script("- 1 -") is Script.NONE


def test_tokens_keep_hyphenated_words_initials_and_commas() -> None:
    assert tokens("Кара–Мурза, В. В.") == ["Кара-Мурза", ",", "В.", "В."]
    assert tokens("Н.И. Кибальчич") == ["Н.", "И.", "Кибальчич"]
    assert tokens("«Кибальчич»  (Серж)") == ["Кибальчич", "Серж"]


def test_other_scripts_get_keys_through_anyascii() -> None:
    assert search_keys("Σωκράτης")
    assert search_keys("ნინო") & search_keys("Nino")
