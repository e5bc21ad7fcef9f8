"""The public counts page: per day, per town, per event, a chart and tables; never a name."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.intake.services import record_report
from pompolit.intake.testing import EVENING, entry

pytestmark = pytest.mark.django_db


def test_anyone_sees_numbers_and_no_names(
    operator: Any, hotline: Any, stations: Any, pushkin_square: Any
) -> None:
    for name in ("Смирнова Анна Сергеевна", "Лебедев Кирилл Андреевич"):
        record_report(
            operator, hotline,
            entry(name, detained_at=EVENING, event=pushkin_square, facility=stations["tverskoy"]),
            reporter="relative",
        )
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("intake_public_counts_page"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "2 detentions of 2 people" in body
    assert "2026-03-06" in body and "Антивоенная акция на Пушкинской площади" in body
    assert 'src="data:image/svg+xml;base64,' in body
    assert "Смирнова" not in body and "Лебедев" not in body and "Тверской" not in body


def test_an_empty_count_says_so(db: Any) -> None:
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("intake_public_counts_page"))
    assert "No detentions recorded." in body.content.decode()
