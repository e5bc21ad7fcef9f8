"""Amounts on pages read as each language writes money; nothing is rounded away."""

from decimal import Decimal

import pytest
from django.utils import translation

from pompolit.ledger.money import Money
from pompolit.ledger.templatetags.money import money

NBSP = "\xa0"
NNBSP = "\u202f"


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(("value", "arg", "russian", "english"), [
    (Money("RUB", Decimal("17000.00")), "", "17 000,00 ₽", "RUB 17,000.00"),
    ("1500.00 EUR", "", "1 500,00 €", "€1,500.00"),
    (Decimal("-25"), "USD", "-25,00 $", "-$25.00"),
    ("0.000001 USDT", "", "0,000001 USDT", "USDT 0.000001"),
])
def test_amounts_are_written_the_readers_way(value, arg, russian, english):
    with translation.override("ru"):
        assert plain(money(value, arg)) == russian
    with translation.override("en"):
        assert plain(money(value, arg)) == english


def test_what_is_not_an_amount_is_shown_as_it_is():
    assert money("no rate") == "no rate"
    assert money(None) == ""
