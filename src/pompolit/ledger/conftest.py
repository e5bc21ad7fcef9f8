"""Books with real-looking funds: a general fund, a purpose fund for lawyers, a case fund."""

import datetime
from decimal import Decimal

import pytest

from pompolit.core.testing import english, log_signing_key  # noqa: F401 (autouse fixtures)
from pompolit.ledger import services
from pompolit.ledger.models import Fund, FundKind
from pompolit.members.roles import Role
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares

__all__ = ["unsealed_vault", "vault_agent", "vault_shares"]

MARCH = datetime.date(2025, 3, 14)


@pytest.fixture
def treasurer(make_member):
    return make_member("Мария Ошанина", Role.TREASURER)


@pytest.fixture
def general(db):
    return Fund.objects.get(code="general")


@pytest.fixture
def lawyers(treasurer):
    return services.create_fund(
        treasurer, code="lawyers", name="Адвокаты для фигурантов «дела Сети»",
        kind=FundKind.PURPOSE, purpose="expenses:legal",
    )


@pytest.fixture
def parcels_for_case(treasurer):
    return services.create_fund(
        treasurer, code="case-17", name="Передачи для подзащитного по делу № 17",
        kind=FundKind.CASE, case_ref="17",
    )


@pytest.fixture
def appeal(treasurer):
    return services.create_campaign(
        treasurer, code="appeal-2025", name="Сбор на апелляцию", currency_code="EUR",
        starts_on=datetime.date(2025, 3, 1), goal=services.money(Decimal(5000), "EUR"),
    )


@pytest.fixture
def donate(treasurer, general):
    """donate("1500", "RUB", fund=…): a bank transfer recorded by the treasurer."""

    def run(amount, currency, *, fund=None, channel="bank_transfer", date=MARCH, **kwargs):
        return services.record_donation(
            treasurer, date=date, amount=services.money(amount, currency),
            fund=fund or general, channel=channel, **kwargs,
        )

    return run
