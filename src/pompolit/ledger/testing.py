"""Three months of books of a small group, for the statement tests (not a test module)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from pompolit.ledger import services
from pompolit.ledger.models import EntryKind, Fund
from pompolit.members.models import Member

FEBRUARY = datetime.date(2025, 2, 10)
MARCH = datetime.date(2025, 3, 14)
APRIL = datetime.date(2025, 4, 2)
AFTER_MARCH = datetime.date(2025, 4, 5)


def expense(actor: Member, fund: Fund, amount: str, currency: str, *, category: str,
            date: datetime.date) -> Any:
    money = services.money(amount, currency)
    return services.post_entry(actor, kind=EntryKind.EXPENSE, date=date, lines=[
        services.Line(services.account(category), fund, money),
        services.Line(services.account("assets:bank"), fund, -money),
    ])


def make_books(treasurer: Member, general: Fund, lawyers: Fund, appeal: Any) -> dict[str, Any]:
    """February and March, and one entry already posted in April; returns receipt codes."""
    money = services.money
    codes = {}
    codes["february"] = services.record_donation(
        treasurer, date=FEBRUARY, amount=money("5000", "RUB"), fund=general,
        channel="bank_transfer").code
    services.record_donation(treasurer, date=FEBRUARY, amount=money("300", "EUR"), fund=lawyers,
                             channel="card", campaign=appeal)
    codes["march"] = services.record_donation(
        treasurer, date=MARCH, amount=money("1 500,50", "EUR"), fund=lawyers,
        channel="foreign_chapter", campaign=appeal).code
    wrong = services.record_donation(treasurer, date=MARCH, amount=money("20000", "RUB"),
                                     fund=general, channel="cash")
    codes["reversed"] = wrong.code
    services.reverse_entry(treasurer, wrong.donation.entry, date=MARCH, memo="не та сумма")
    services.record_donation(treasurer, date=MARCH, amount=money("25.5", "USDT"), fund=general,
                             channel="crypto")
    expense(treasurer, lawyers, "800", "EUR", category="expenses:legal", date=MARCH)
    expense(treasurer, general, "1200", "RUB", category="expenses:parcels", date=MARCH)
    services.record_exchange(
        treasurer, date=MARCH, fund=general, sold_from=services.account("assets:bank"),
        sold=money("3000", "RUB"), bought_into=services.account("assets:bank"),
        bought=money("30", "EUR"),
    )
    services.set_rate(treasurer, on=datetime.date(2025, 3, 31), currency_code="EUR",
                      rate=Decimal("98.4567"))
    codes["april"] = services.record_donation(
        treasurer, date=APRIL, amount=money("100", "RUB"), fund=general, channel="cash").code
    return codes


def matrix_statement(world: Any) -> str:
    """The period of a published statement, for the access matrix's URLs."""
    from pompolit.ledger import statements
    from pompolit.ledger.models import Statement

    found = Statement.objects.filter(period="2020-01").first()
    if found is not None:
        return found.period
    import tempfile
    from pathlib import Path

    from django.test import override_settings

    from pompolit.tlog import services as tlog

    treasurer = world.members["treasurer"]
    services.record_donation(treasurer, date=datetime.date(2020, 1, 15),
                             amount=services.money("100", "RUB"),
                             fund=Fund.objects.get(code="general"), channel="cash")
    # The test settings have no log key: sign with a throw-away one.
    with tempfile.TemporaryDirectory() as folder, override_settings(
        POMPOLIT_LOG_KEY_FILE=Path(folder) / "log.key"
    ):
        tlog.generate_signing_key()
        return statements.publish(treasurer, "2020-01").period
