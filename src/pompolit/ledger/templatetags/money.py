"""`{{ amount|money }}`: an amount as the reader's language writes money — "17 000,00 ₽" in
Russian, "RUB 17,000.00" in English — formatted by Babel from the CLDR data. The canonical
text ("17000.00 RUB") stays in downloads and leaves; this is only for reading.

Accepts a `Money`, its text ("1500.00 RUB"), or a number with the currency as the argument
(`{{ total|money:"EUR" }}`). Digits finer than the currency's usual two (a crypto amount) are
kept, never rounded away.
"""

import re
from decimal import Decimal, InvalidOperation

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

from pompolit.ledger.money import Money

register = template.Library()


def _locale() -> Locale:
    try:
        return Locale.parse(to_locale(get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


# CLDR's currency spacing, which Babel leaves out: a code written in letters keeps a
# no-break space from the digits ("RUB 17,000.00", not "RUB17,000.00").
_LETTER_THEN_DIGIT = re.compile(r"([^\W\d_])(?=[-−]?\d)")
_DIGIT_THEN_LETTER = re.compile(r"(\d)(?=[^\W\d_])")


def format_money(amount: Decimal, currency: str) -> str:
    text = format_currency(amount, currency, locale=_locale(), currency_digits=False,
                           decimal_quantization=False)
    return _DIGIT_THEN_LETTER.sub("\\1\xa0", _LETTER_THEN_DIGIT.sub("\\1\xa0", text))


@register.filter
def money(value: Money | str | Decimal | int | None, currency: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Money):
        return format_money(value.amount, value.currency)
    if isinstance(value, str) and not currency:
        number, _space, code = value.strip().rpartition(" ")
        if not number:
            return value
        try:
            return format_money(Decimal(number), code)
        except InvalidOperation:
            return value
    try:
        return format_money(Decimal(value), currency)
    except InvalidOperation:
        return str(value)
