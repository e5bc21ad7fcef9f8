"""Lawyers on duty in Moscow (the hotline's fixtures are in intake/conftest.py)."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from pompolit.intake.duty import services
from pompolit.intake.models import DutyLawyer


@pytest.fixture
def pavlova(operator: Any, hotline: Any) -> DutyLawyer:
    """Мария Павлова, on duty since an hour ago, takes two detainees."""
    return services.add_lawyer(
        operator,
        hotline,
        name="Павлова Мария",
        phone="+7 916 123 45 67",
        capacity=2,
        on_duty_from=timezone.now() - datetime.timedelta(hours=1),
    )
