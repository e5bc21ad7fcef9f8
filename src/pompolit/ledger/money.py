"""Money: a `Decimal` amount with its currency, never a float.

The books store amounts as integers in the currency's minor units (kopecks, cents, the
sixth decimal of USDT): sums are then exact on both databases — SQLite has no decimal type
and would add DecimalFields as floating point. `Money` converts at the edges and refuses an
amount finer than its currency allows, or larger than the books hold (`MAX_UNITS`).

Bounds (docs/ledger.md, "Bounds on amounts"): a single amount is at most `MAX_UNITS` minor
units in any currency (10¹⁵: ten trillion roubles, ten million bitcoin), so that even
thousands of the largest amounts add up well inside a 64-bit integer (9.2·10¹⁸); a fund's
balance is at most `MAX_BALANCE_UNITS`. The database refuses larger values too (CHECKs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# Enough for USDT's 6 and bitcoin's 8 places; a BigIntegerField then still holds 9·10¹⁰ BTC.
MAX_EXPONENT = 8
# The largest single amount, in minor units of any currency; the CHECKs use the same numbers.
MAX_UNITS = 10**15
# The largest balance of a fund in one currency: a thousand of the largest amounts.
MAX_BALANCE_UNITS = 10**18
# Exchange rates (1 unit = rate × base): up to MAX_RATE, with at most RATE_PLACES decimals
# (so at least MIN_RATE).
MIN_RATE = Decimal("1e-10")
MAX_RATE = Decimal("1e12")
RATE_PLACES = 10
# What a person may type as an amount: digits (ASCII only), one optional decimal point and
# sign. Not "1E+30", "Infinity", "NaN", "0x10", "1_000" or other digits Decimal would take.
AMOUNT_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
# Longer text is refused before it is read as a number (a 5,000-digit "amount").
MAX_AMOUNT_TEXT = 40


class MoneyError(ValueError):
    """An amount that cannot be money in its currency; the message is for the person typing."""


def max_amount(exponent: int) -> Decimal:
    """The largest amount of a currency with `exponent` decimal places (MAX_UNITS minor units)."""
    return Decimal(MAX_UNITS).scaleb(-exponent)


def check_bounds(amount: Decimal, currency: str, exponent: int) -> None:
    """Refuse an amount beyond what the books hold in `currency`, naming the limit. The one
    bound every path uses: forms, imports (bank CSV, camt.053), rates, commands, aid."""
    if not amount.is_finite():
        raise MoneyError(_("An amount must be a finite number."))
    if abs(amount) > max_amount(exponent):
        raise MoneyError(
            _("%(amount)s %(currency)s is more than the books accept for one amount: at most "
              "%(limit)s %(currency)s.")
            % {"amount": _shown(amount), "currency": currency,
               "limit": f"{max_amount(exponent):,f}".replace(",", " ")}
        )


def _shown(amount: Decimal) -> str:
    """A huge amount shortened for a message: digits, not an exponent."""
    text = f"{amount:f}"
    return text if len(text) <= MAX_AMOUNT_TEXT else f"{text[:MAX_AMOUNT_TEXT - 1]}…"


def parse_amount_text(text: str) -> Decimal:
    """What a person typed ("1 500,50", "-10.5") as a Decimal; MoneyError for anything else:
    scientific notation, infinities, hexadecimal, non-ASCII digits, absurd lengths."""
    cleaned = (str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
               .replace(",", "."))
    if len(cleaned) > MAX_AMOUNT_TEXT or not AMOUNT_TEXT.fullmatch(cleaned):
        raise MoneyError(
            _("“%(text)s” is not an amount: write digits with a decimal point or comma, "
              "like 1 500,50.") % {"text": str(text)[:40]}
        )
    return Decimal(cleaned)


def check_rate(rate: Decimal) -> None:
    """An exchange rate: finite, positive, between MIN_RATE and MAX_RATE, and no more
    decimal places than the books keep (RATE_PLACES) — never silently rounded."""
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
        raise MoneyError(_("A rate must be a finite number more than zero."))
    if rate > MAX_RATE:
        raise MoneyError(
            _("A rate of %(rate)s is out of range: at most %(max)s.")
            % {"rate": _shown(rate), "max": f"{MAX_RATE:,f}".replace(",", " ")}
        )
    # Below MIN_RATE a rate has more places than RATE_PLACES: refused here too.
    if rate != rate.quantize(MIN_RATE, rounding="ROUND_DOWN"):
        raise MoneyError(
            _("A rate has at most %(places)d decimal places; %(rate)s has more.")
            % {"places": RATE_PLACES, "rate": _shown(rate)}
        )


def parse_rate(text: str | Decimal) -> Decimal:
    """A rate as a person or a file wrote it ("98,40"), checked by `check_rate`."""
    rate = text if isinstance(text, Decimal) else parse_amount_text(text)
    check_rate(rate)
    return rate


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
            amount = parse_amount_text(str(text))
        money = cls(currency, amount)
        money.to_minor(exponent)  # refuses more places than the currency has, and too much
        return money

    @classmethod
    def from_minor(cls, units: int, currency: str, exponent: int) -> Money:
        step = Decimal(1).scaleb(-exponent)
        return cls(currency, Decimal(units).scaleb(-exponent).quantize(step))

    def to_minor(self, exponent: int) -> int:
        check_bounds(self.amount, self.currency, exponent)
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
