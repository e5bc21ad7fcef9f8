"""Money: Decimal with its currency, exact minor units, no float, no hidden rounding."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pompolit.ledger.money import Money, MoneyError, amount_text


def test_parse_accepts_what_people_type():
    assert Money.parse("1 500,50", "RUB", 2) == Money("RUB", Decimal("1500.50"))
    assert Money.parse("\u00a010\u00a0000", "RUB", 2).amount == 10000
    assert Money.parse("0.000001", "USDT", 6).to_minor(6) == 1


def test_more_places_than_the_currency_has_are_refused():
    with pytest.raises(MoneyError, match="EUR has 2 decimal places"):
        Money.parse("10.005", "EUR", 2)
    with pytest.raises(MoneyError, match="0 decimal places"):
        Money.parse("1.5", "JPY", 0)


def test_nonsense_and_floats_are_refused():
    with pytest.raises(MoneyError):
        Money.parse("десять", "RUB", 2)
    with pytest.raises(MoneyError):
        Money.parse("NaN", "RUB", 2)
    with pytest.raises(TypeError):
        Money("RUB", 1.5)  # type: ignore[arg-type]


@given(units=st.integers(min_value=-(10**15), max_value=10**15), exponent=st.integers(0, 8))
def test_minor_units_round_trip_exactly(units, exponent):
    money = Money.from_minor(units, "XXX", exponent)
    assert money.to_minor(exponent) == units
    assert Decimal(amount_text(units, exponent)) == money.amount
    assert amount_text(units, exponent) == format(money.amount, "f")


def test_amount_text_is_canonical():
    assert amount_text(150000, 2) == "1500.00"
    assert amount_text(-5, 2) == "-0.05"
    assert amount_text(7, 0) == "7"
    assert amount_text(1, 6) == "0.000001"
