"""What a fresh database holds, and that every ledger field is classified."""

from pompolit.ledger.models import Account, Currency, Fund
from pompolit.vault.fields.checks import check_classification


def test_the_seed_has_the_common_currencies_with_their_minor_units(db):
    exponents = dict(Currency.objects.values_list("code", "exponent"))
    assert {code: exponents[code] for code in ("RUB", "EUR", "USD", "GEL", "KZT", "AMD",
                                               "TRY", "ILS", "GBP")} == dict.fromkeys(
        ["RUB", "EUR", "USD", "GEL", "KZT", "AMD", "TRY", "ILS", "GBP"], 2)
    assert exponents["USDT"] == 6 and not Currency.objects.get(code="USDT").official


def test_the_seed_has_a_starting_chart_and_the_general_fund(db):
    types = dict(Account.objects.values_list("code", "type"))
    assert types["assets:bank"] == "asset" and types["income:donations"] == "income"
    assert types["net-assets:interfund"] == "net_assets"
    assert not Fund.objects.get(code="general").restricted


def test_every_ledger_field_is_classified(db):
    assert [e for e in check_classification() if "ledger." in e.msg] == []
