"""Converting money between currencies at the rates entered: the one conversion every report
and rule uses (fund balances, campaign progress, the two-person threshold, aid's money limits).

`convert(money, into, on)` finds, in this order, a rate entered for `money`'s currency into
`into` (1 currency = rate × into), the inverse rate (1 into = rate × currency), or two rates
into the base currency (conf.base_currency()) — each the latest entered on or before `on`. It
returns the amount, not rounded (each caller rounds as its report does), with the rate and the
rows it came from, or None when the rates to do it were never entered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from pompolit.ledger import conf
from pompolit.ledger.money import Money
from pompolit.ledger.rates.models import ExchangeRate


@dataclass(frozen=True)
class Rate:
    """1 `currency` = `value` × `into`, from the entered rates named in `rates`: one rate, its
    inverse, or two rates through the base currency; `on` is the oldest of their days."""

    currency: str
    into: str
    value: Decimal
    on: datetime.date
    rates: tuple[ExchangeRate, ...]


@dataclass(frozen=True)
class Converted:
    """`money` in the other currency, not rounded; `rate` is None when nothing needed
    converting (the same currency)."""

    money: Money
    rate: Rate | None

    @property
    def rates(self) -> tuple[ExchangeRate, ...]:
        return self.rate.rates if self.rate is not None else ()


def rate_on(currency_code: str, on: datetime.date, base_code: str) -> ExchangeRate | None:
    """The latest rate entered for a day on or before `on`: 1 `currency_code` = rate × base."""
    return (ExchangeRate.objects.filter(currency_id=currency_code, base_id=base_code, on__lte=on)
            .order_by("-on").first())


def rate_between(currency: str, into: str, on: datetime.date) -> Rate | None:
    """How many `into` one `currency` is worth on `on`: a direct rate, an inverse one, or
    through the base currency; None if the rates to do it were never entered."""
    direct = rate_on(currency, on, into)
    if direct is not None:
        return Rate(currency, into, direct.rate, direct.on, (direct,))
    inverse = rate_on(into, on, currency)
    if inverse is not None:
        return Rate(currency, into, 1 / inverse.rate, inverse.on, (inverse,))
    base = conf.base_currency()
    if base not in (currency, into):
        there, back = rate_on(currency, on, base), rate_on(into, on, base)
        if there is not None and back is not None:
            return Rate(currency, into, there.rate / back.rate, min(there.on, back.on),
                        (there, back))
    return None


def convert(money: Money, into: str, on: datetime.date) -> Converted | None:
    """`money` in `into` at the rates of `on` (not rounded), or None for want of a rate."""
    if money.currency == into:
        return Converted(money, None)
    rate = rate_between(money.currency, into, on)
    if rate is None:
        return None
    return Converted(Money(into, money.amount * rate.value), rate)


def convert_to_minor(money: Money, into: str, exponent: int,
                     on: datetime.date) -> tuple[Money | None, Rate | None]:
    """As `convert`, rounded half to even to `into`'s minor unit (10^-exponent), as the reports
    show it: (the amount, the rate used — None for the same currency), or (None, None) for want
    of a rate."""
    found = convert(money, into, on)
    if found is None:
        return None, None
    if found.rate is None:
        return money, None
    step = Decimal(1).scaleb(-exponent)
    return Money(into, found.money.amount.quantize(step, rounding=ROUND_HALF_EVEN)), found.rate
