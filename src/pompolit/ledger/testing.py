"""The ledger's test builders and fixtures, for its own tests (ledger/conftest.py imports the
fixtures) and other apps' (the URL × role access matrix, core/tests/test_access_matrix.py).

- fixtures: `treasurer`, the funds `general`, `lawyers` (a purpose fund), `parcels_for_case`
  (a case fund), the campaign `appeal`, and `donate(amount, currency, …)`;
- `make_books`: three months of books of a small group, for the statement tests;
- `matrix_*`: one object of each kind the access matrix's URLs name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from pompolit.ledger import services
from pompolit.ledger.bank_import import services as bank_import
from pompolit.ledger.bank_import.models import BankMapping, ImportRule
from pompolit.ledger.campaigns import services as campaigns
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.expenses.models import Expense
from pompolit.ledger.models import Account, Donation, EntryKind, Fund, FundKind
from pompolit.ledger.rates import services as rates
from pompolit.ledger.statements.models import Statement
from pompolit.members.models import Member
from pompolit.members.roles import Role

FEBRUARY = datetime.date(2025, 2, 10)
MARCH = datetime.date(2025, 3, 14)
APRIL = datetime.date(2025, 4, 2)
AFTER_MARCH = datetime.date(2025, 4, 5)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def treasurer(make_member: Callable[..., Member]) -> Member:
    return make_member("Мария Ошанина", Role.TREASURER)


@pytest.fixture
def general(db: None) -> Fund:
    return Fund.objects.get(code="general")


@pytest.fixture
def lawyers(treasurer: Member) -> Fund:
    return services.create_fund(
        treasurer, code="lawyers", name="Адвокаты для фигурантов «дела Сети»",
        kind=FundKind.PURPOSE, purpose="expenses:legal",
    )


@pytest.fixture
def parcels_for_case(treasurer: Member) -> Fund:
    return services.create_fund(
        treasurer, code="case-17", name="Передачи для подзащитного по делу № 17",
        kind=FundKind.CASE, case_ref="17",
    )


@pytest.fixture
def appeal(treasurer: Member) -> Campaign:
    return campaigns.create_campaign(
        treasurer, code="appeal-2025", name="Сбор на апелляцию", currency_code="EUR",
        starts_on=datetime.date(2025, 3, 1), goal=services.money(Decimal(5000), "EUR"),
    )


@pytest.fixture
def donate(treasurer: Member, general: Fund) -> Callable[..., services.RecordedDonation]:
    """donate("1500", "RUB", fund=…): a bank transfer recorded by the treasurer."""

    def run(amount: str, currency: str, *, fund: Fund | None = None,
            channel: str = "bank_transfer", date: datetime.date = MARCH,
            **kwargs: Any) -> services.RecordedDonation:
        return services.record_donation(
            treasurer, date=date, amount=services.money(amount, currency),
            fund=fund or general, channel=channel, **kwargs,
        )

    return run


# -- three months of books --------------------------------------------------------------------


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
    rates.set_rate(treasurer, on=datetime.date(2025, 3, 31), currency_code="EUR",
                      rate=Decimal("98.4567"))
    codes["april"] = services.record_donation(
        treasurer, date=APRIL, amount=money("100", "RUB"), fund=general, channel="cash").code
    return codes


def matrix_statement(world: Any) -> str:
    """The period of a published statement, for the access matrix's URLs."""
    from pompolit.ledger.statements import services as statements

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


# -- for the access matrix --------------------------------------------------------------------


def matrix_expense(world: Any) -> int:
    found = Expense.objects.first()
    if found is None:
        # The case worker's own expense: they may see it, as treasurers and auditors may.
        submitter = world.members["case_worker"]
        found = Expense.objects.create(
            submitted_by=submitter, incurred_on=datetime.date(2025, 3, 14),
            fund=Fund.objects.get(code="general"),
            account=Account.objects.get(code="expenses:legal"), category="lawyer",
            currency_id="RUB", units=150000)
    return found.pk


def matrix_donation(world: Any) -> Any:
    """A donation not reversed, so that its correction form opens."""
    found = Donation.objects.filter(entry__reversal__isnull=True).first()
    if found is None:
        found = services.record_donation(
            world.members["treasurer"], date=datetime.date(2025, 3, 14),
            amount=services.money("1500", "RUB"), fund=Fund.objects.get(code="general"),
            channel="bank_transfer").donation
    return found


def matrix_campaign(world: Any) -> int:
    found, _created = Campaign.objects.get_or_create(
        code="appeal-2025",
        defaults={"name": "Сбор на апелляцию", "currency_id": "EUR", "goal_units": 500000,
                  "starts_on": datetime.date(2025, 3, 1)},
    )
    return found.pk


def matrix_mapping(world: Any) -> int:
    found = BankMapping.objects.filter(code="sberbank").first()
    if found is None:
        preset = bank_import.PRESETS["sberbank"]
        found = bank_import.save_mapping(None, code="sberbank", name=preset["name"],
                                         columns=preset["columns"], encoding="cp1251")
    return found.pk


def matrix_rule(world: Any) -> int:
    found = ImportRule.objects.filter(name="Пожертвования").first()
    if found is None:
        found = bank_import.add_rule(None, name="Пожертвования", outcome="donation",
                                     fund=services.fund("general"),
                                     reference_contains="пожертвование")
    return found.pk
