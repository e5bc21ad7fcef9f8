"""Money: a `Decimal` amount with its currency, never a float.

The books store amounts as integers in the currency's minor units (kopecks, cents, the
sixth decimal of USDT): sums are then exact on both databases — SQLite has no decimal type
and would add DecimalFields as floating point. `Money` converts at the edges and refuses an
amount finer than its currency allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Enough for USDT's 6 and bitcoin's 8 places; a BigIntegerField then still holds 9·10¹⁰ BTC.
MAX_EXPONENT = 8


class MoneyError(ValueError):
    """An amount that cannot be money in its currency; the message is for the person typing."""


@dataclass(frozen=True, order=True)
class Money:
    currency: str
    amount: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or isinstance(self.amount, bool):
            raise TypeError(f"Money needs a Decimal amount, not {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise MoneyError(_("An amount must be a finite number."))

    @classmethod
    def parse(cls, text: str | Decimal | int, currency: str, exponent: int) -> Money:
        """From what a person typed: spaces and a decimal comma are fine ("1 500,50")."""
        if isinstance(text, Decimal | int) and not isinstance(text, bool):
            amount = Decimal(text)
        else:
            cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
            try:
                amount = Decimal(cleaned)
            except InvalidOperation:
                raise MoneyError(
                    _("“%(text)s” is not an amount.") % {"text": str(text)[:40]}
                ) from None
        money = cls(currency, amount)
        money.to_minor(exponent)  # refuses more places than the currency has
        return money

    @classmethod
    def from_minor(cls, units: int, currency: str, exponent: int) -> Money:
        step = Decimal(1).scaleb(-exponent)
        return cls(currency, Decimal(units).scaleb(-exponent).quantize(step))

    def to_minor(self, exponent: int) -> int:
        scaled = self.amount.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            raise MoneyError(
                _("%(currency)s has %(places)d decimal places; %(amount)s has more.")
                % {"currency": self.currency, "places": exponent, "amount": self.amount}
            )
        return int(scaled)

    def __neg__(self) -> Money:
        return Money(self.currency, -self.amount)

    def __str__(self) -> str:
        return f"{self.amount:f} {self.currency}"


def amount_text(units: int, exponent: int) -> str:
    """The canonical text of an amount in the leaf: "-1500.00", "10", "0.000001"."""
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(exponent + 1, "0")
    if exponent == 0:
        return sign + digits
    return f"{sign}{digits[:-exponent]}.{digits[-exponent:]}"
