"""Codes of the books are ASCII (docs/ledger.md, "Codes"): a code that only looks like another
is refused wherever the chart is edited, with the foreign letter named, and by the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from pompolit.ledger import services
from pompolit.ledger.campaigns import services as campaigns
from pompolit.ledger.codes import character_name
from pompolit.ledger.models import Account, Campaign, Currency, Donation, Fund, FundKind

CYRILLIC_E = "\u0435"  # «е», which looks exactly like the Latin «e»
LOOKALIKES = [
    f"{CYRILLIC_E}xpenses:transfers",
    "expenses:transfers\n",
    "expenses:tr\u0430nsfers",  # Cyrillic «а»
    "expenses:\u200btransfers",  # a zero-width space
    "Expenses:transfers",
    "expenses:transfers ",
    "expenses::transfers",
    "ехpenses",  # Cyrillic «е» and «х»
]


def test_the_message_names_the_foreign_letter_visibly():
    assert character_name(CYRILLIC_E) == "«е» (U+0435 CYRILLIC SMALL LETTER IE)"
    # What cannot be seen is described only.
    assert character_name("\u200b") == "(U+200B ZERO WIDTH SPACE)"
    assert character_name("\n") == "(U+000A)"


def test_a_cyrillic_letter_in_an_account_code_is_named(treasurer):
    with pytest.raises(ValidationError) as caught:
        services.create_account(treasurer, code=f"{CYRILLIC_E}xpenses:transfers",
                                name="Переводы", type="asset")
    message = " ".join(caught.value.messages)
    assert "«е» (U+0435 CYRILLIC SMALL LETTER IE) at position 1" in message
    assert not Account.objects.filter(name="Переводы").exists()


@pytest.mark.parametrize("code", LOOKALIKES)
def test_lookalike_account_fund_and_campaign_codes_are_refused(treasurer, code):
    with pytest.raises(ValidationError):
        services.create_account(treasurer, code=code, name="Переводы", type="expense")
    with pytest.raises(ValidationError):
        services.create_fund(treasurer, code=code, name="Фонд", kind=FundKind.UNRESTRICTED)
    with pytest.raises(ValidationError):
        campaigns.create_campaign(treasurer, code=code, name="Сбор", currency_code="RUB",
                                 starts_on=datetime.date(2025, 3, 1))
    assert not Account.objects.filter(name="Переводы").exists()
    assert not Fund.objects.filter(name="Фонд").exists()


@pytest.mark.parametrize("code", ["RUБ", "US D", "usd", "EUR\n", "R", "ЕUR"])
def test_lookalike_currency_codes_are_refused(treasurer, code):
    with pytest.raises(ValidationError):
        services.add_currency(treasurer, code=code, name="Валюта", exponent=2, official=False)
    assert not Currency.objects.filter(name="Валюта").exists()


def test_a_purpose_must_be_an_ascii_account_code(treasurer):
    with pytest.raises(ValidationError):
        services.create_fund(treasurer, code="legal", name="Юристы", kind=FundKind.PURPOSE,
                             purpose=f"{CYRILLIC_E}xpenses:legal")


def test_the_campaign_form_shows_the_foreign_letter(treasurer, client_for):
    response = client_for(treasurer).post(reverse("campaign_new"), {
        "code": f"app{CYRILLIC_E}al-2026", "name": "Сбор", "goal": "", "currency": "RUB",
        "starts_on": "2025-03-01"})
    assert response.status_code == 200
    assert "U+0435 CYRILLIC SMALL LETTER IE" in response.content.decode()
    assert not Campaign.objects.exists()


# -- the database refuses them too -------------------------------------------------------------


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize("code", LOOKALIKES)
def test_the_database_refuses_lookalike_codes(db, code):
    _refused(lambda: Account.objects.create(code=code, name="Переводы", type="asset"))
    _refused(lambda: Fund.objects.create(code=code, name="Фонд", kind="unrestricted"))
    _refused(lambda: Fund.objects.create(code="legal-2", name="Фонд", kind="purpose",
                                         purpose=code))
    _refused(lambda: Campaign.objects.create(code=code, name="Сбор", currency_id="RUB",
                                             starts_on=datetime.date(2025, 3, 1)))


@pytest.mark.parametrize("code", ["RUБ", "usd", "EUR\n", "ЕUR", "R1"])
def test_the_database_refuses_lookalike_currencies(db, code):
    _refused(lambda: Currency.objects.create(code=code, name="Валюта", exponent=2))


def test_the_database_refuses_a_channel_outside_the_alphabet(donate):
    donation = donate("1500", "RUB").donation
    _refused(lambda: Donation.objects.create(
        entry=donation.entry, channel="b\u0430nk", fund=donation.fund, currency_id="RUB",
        units=100, receipt_id="0" * 64))


def test_every_code_in_the_seeded_chart_passes(db):
    for code in Account.objects.values_list("code", flat=True):
        Account(code=code, name="x", type="asset").clean_fields(exclude=["name", "type"])
    assert Account.objects.filter(code="trading:usdt").count() == 0
    services.trading_account("USDT")
    assert Account.objects.filter(code="trading:usdt").exists()
