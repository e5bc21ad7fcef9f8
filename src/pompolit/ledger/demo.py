"""A few months of plausible books for the demo (`pompolit ledger demo`), through the services."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from pompolit.ledger import services
from pompolit.ledger.bank_import import services as bank_import
from pompolit.ledger.campaigns import services as campaigns
from pompolit.ledger.expenses import services as expenses
from pompolit.ledger.expenses.models import ExpenseCategory
from pompolit.ledger.models import Channel, Fund, FundKind
from pompolit.ledger.rates import services as rates
from pompolit.ledger.statements import services as statements
from pompolit.members.models import Member

D = datetime.date


def loaded() -> bool:
    return Fund.objects.filter(code="lawyers").exists()


@transaction.atomic
def load(treasurer: Member) -> str:
    """Funds, a campaign, donations in three currencies, expenses and two published monthly
    statements; returns a donor's receipt code to try on the public page."""
    rng = random.Random(1918)  # noqa: S311  (demo data, not secrets)
    general = services.fund("general")
    lawyers = services.create_fund(
        treasurer, code="lawyers", name="Адвокаты", kind=FundKind.PURPOSE,
        purpose="expenses:legal",
    )
    parcels = services.create_fund(
        treasurer, code="parcels", name="Передачи в Оренбург", kind=FundKind.PURPOSE,
        purpose="expenses:parcels",
    )
    campaign = campaigns.create_campaign(
        treasurer, code="lawyer-2026", name="Адвокат для Чернышёва", currency_code="RUB",
        starts_on=D(2026, 9, 1), ends_on=D(2026, 12, 31),
        goal=services.money("300000", "RUB"),
    )
    day = D(2026, 9, 1)
    while day <= D(2026, 11, 25):
        for code in ("EUR", "USD"):
            rate = {"EUR": Decimal("98.40"), "USD": Decimal("91.10")}[code]
            drift = Decimal(rng.randint(-150, 150)) / 100
            rates.set_rate(treasurer, on=day, currency_code=code, rate=rate + drift)
        day += datetime.timedelta(days=7)
    funds = [general, lawyers, parcels]
    channels = [Channel.BANK_TRANSFER, Channel.CARD, Channel.CASH, Channel.CRYPTO,
                Channel.FOREIGN_CHAPTER]
    first_code = ""
    for n in range(45):
        on = D(2026, 9, 1) + datetime.timedelta(days=rng.randint(0, 85))
        currency = rng.choice(["RUB", "RUB", "RUB", "EUR", "USD"])
        amount = (
            rng.choice(["500", "1000", "1500", "3000", "5000", "10000"]) if currency == "RUB"
            else rng.choice(["10", "20", "25", "50", "100"])
        )
        fund = rng.choice(funds)
        channel = rng.choice(channels)
        if channel == Channel.CRYPTO:
            channel = Channel.BANK_TRANSFER
        recorded = services.record_donation(
            treasurer, date=on, amount=services.money(amount, currency), fund=fund,
            channel=channel, campaign=campaign if fund == lawyers else None,
        )
        if n == 0:
            first_code = recorded.code
    for month, amount, fund, account, category in (
        (9, "4500", lawyers, "expenses:legal", ExpenseCategory.LAWYER),
        (10, "1600", parcels, "expenses:parcels", ExpenseCategory.PARCEL),
        (10, "1200", parcels, "expenses:parcels", ExpenseCategory.PARCEL),
        (11, "900", parcels, "expenses:parcels", ExpenseCategory.PARCEL),
    ):
        expense = expenses.submit_expense(
            treasurer, incurred_on=D(2026, month, 20), amount=services.money(amount, "RUB"),
            fund=fund, account=services.account(account), category=category,
        )
        if not expenses.needs_approval(expense):
            expenses.pay_expense(treasurer, expense, date=D(2026, month, 22))
    for period in ("2026-09", "2026-10"):
        statements.publish(treasurer, period, today=D(2026, 11, 27))
    _imports(treasurer, general, lawyers, campaign)
    # Two donors asked for a thank-you: their identities are kept, encrypted.
    for amount, name, contact in (("2000", "Лев Тихомиров", "@tikhomirov"),
                                  ("7500", "Вера Фигнер", "figner@example.org")):
        services.record_donation(
            treasurer, date=D(2026, 11, 18), amount=services.money(amount, "RUB"),
            fund=general, channel=Channel.BANK_TRANSFER, donor_name=name,
            donor_contact=contact)
    return first_code

def _imports(treasurer: Member, general: Fund, lawyers: Fund, campaign: Any) -> None:
    """The two banks' presets as mappings, and the rules a treasurer would set up."""
    for code, preset in bank_import.PRESETS.items():
        bank_import.save_mapping(treasurer, code=code, name=preset["name"],
                                 columns=preset["columns"], encoding=preset["encoding"],
                                 delimiter=preset["delimiter"])
    bank_import.add_rule(treasurer, name="На адвоката", outcome="donation", fund=lawyers,
                         campaign=campaign, reference_contains="адвокат", priority=10)
    bank_import.add_rule(treasurer, name="Пожертвования", outcome="donation", fund=general,
                         reference_contains="пожертвование", priority=20)
    bank_import.add_rule(treasurer, name="Комиссии банка", outcome="fee", fund=general,
                         reference_contains="комиссия", priority=30)
