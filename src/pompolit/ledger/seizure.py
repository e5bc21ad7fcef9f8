"""Canaries for the vault's seizure test: a donation whose donor asked for a thank-you."""

from __future__ import annotations

import datetime
from collections.abc import Callable


def seed(canary: Callable[..., str]) -> None:
    from pompolit.ledger import services
    from pompolit.ledger.models import Fund

    services.record_donation(
        None, date=datetime.date(2025, 3, 14), amount=services.money("1500", "RUB"),
        fund=Fund.objects.get(code="general"), channel="bank_transfer",
        donor_name=canary("ledger.DonorIdentity.name"),
        donor_contact=canary("ledger.DonorIdentity.contact"),
    )
