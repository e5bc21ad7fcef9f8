"""A campaign for the access matrix test (core/tests/test_access_matrix.py)."""

import datetime
from typing import Any

from pompolit.ledger.models import Campaign


def matrix_campaign(world: Any) -> int:
    found, _created = Campaign.objects.get_or_create(
        code="appeal-2025",
        defaults={"name": "Сбор на апелляцию", "currency_id": "EUR", "goal_units": 500000,
                  "starts_on": datetime.date(2025, 3, 1)},
    )
    return found.pk
