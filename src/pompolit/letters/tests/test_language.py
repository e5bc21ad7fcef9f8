"""The script a letter is written in, as the censor's rule needs it."""

from __future__ import annotations

import pytest

from pompolit.letters.language import detect


@pytest.mark.parametrize(("text", "language"), [
    ("Здравствуйте! Как вы?", "ru"),
    ("Привіт! Як справи? Її немає.", "uk"),
    ("Добры дзень! Як ўсё?", "be"),
    ("Hello from Berlin, 2026!", "en"),
    ("გამარჯობა", "ka"),
    ("12345 !!! ...", ""),
    ("", ""),
    ("Привет, это мой letter", "ru"),
])
def test_detects_the_script(text: str, language: str) -> None:
    assert detect(text) == language
