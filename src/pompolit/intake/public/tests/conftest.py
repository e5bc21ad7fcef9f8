"""The public intake's fixtures: the hotline's (intake/conftest.py), and answers as a relative
would give them."""

from dataclasses import replace
from typing import Any

import pytest

from pompolit.intake.public.services import PublicAnswers

ANSWERS = PublicAnswers(
    surname="Смирнова",
    given="Анна",
    patronymic="Сергеевна",
    birth="2001",
    is_minor=None,
    detained_at_text="19:30",
    place_text="Пушкинская площадь, у памятника",
    now_at_text="ОВД «Тверской»",
    city="Москва",
    event_text="Антивоенная акция на Пушкинской площади",
    needs=frozenset({"water", "charger"}),
    medicine_text="",
    injured=False,
    devices_seized=True,
    reporter="relative",
    contact="+7 916 123-45-67, мама",
    note="Её увезли в автозаке №3, с ней человек двадцать.",
)


@pytest.fixture
def answers() -> PublicAnswers:
    return ANSWERS


def answered(**changes: Any) -> PublicAnswers:
    return replace(ANSWERS, **changes)


from pompolit.core.tests.test_browser import browser_page, demo_server  # noqa: E402, F401
