"""Objects of aid for other apps' tests (the URL × role access matrix)."""

from __future__ import annotations

import datetime
from typing import Any

from pompolit.aid.models import AidItem


def matrix_item(world: Any) -> AidItem:
    """A draft parcel for the matrix case; made once per world."""
    made: AidItem | None = world.extra.get("aid_item")
    if made is None:
        from pompolit.cases.testing import matrix
        from pompolit.ledger.models import Fund

        case = matrix(world).case
        made = world.extra["aid_item"] = AidItem.objects.create(
            case=case, compartment=case.compartment, kind="parcel",
            fund=Fund.objects.get(code="general"), currency_id="RUB", cost_units=150000,
            planned_on=datetime.date(2026, 11, 10), created_by=world.members["coordinator"],
        )
    return made
