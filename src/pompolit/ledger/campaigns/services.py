"""Campaigns and their progress, computed from the books (docs/ledger.md, *Campaigns*).

Progress is the income posted to the campaign's donations dated within its period, less
the reversals of those donations (counted under the donation they reverse, as statements do),
per currency; each currency is converted into the campaign's currency at the latest rate on
or before the day the progress is for (the campaign's last day, or today while it runs), and
the rate is shown. A currency without a rate is named and left out of the total.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.ledger import conf, services
from pompolit.ledger.models import AccountType, Campaign, Currency, ExchangeRate, Posting
from pompolit.ledger.money import Money
from pompolit.members.models import Member
from pompolit.members.roles import Role


@dataclass(frozen=True)
class Rate:
    """1 `currency` = `value` × the campaign's currency, from the entered rates named here."""

    currency: str
    value: Decimal
    on: datetime.date
    # What was entered: one rate, its inverse, or two rates through the base currency.
    rates: tuple[ExchangeRate, ...]


@dataclass(frozen=True)
class Raised:
    money: Money
    converted: Money | None
    rate: Rate | None


@dataclass(frozen=True)
class Progress:
    campaign: Campaign
    on: datetime.date
    raised: list[Raised]
    total: Money
    goal: Money | None
    missing_rates: list[str]

    @property
    def percent(self) -> int | None:
        if self.goal is None or self.goal.amount <= 0:
            return None
        return int(self.total.amount * 100 / self.goal.amount)


def conversion(currency: str, into: str, on: datetime.date) -> Rate | None:
    """How many `into` one `currency` is worth on `on`: a direct rate, an inverse one, or
    through the base currency; None if the rates to do it were never entered."""
    direct = services.rate_on(currency, on, into)
    if direct is not None:
        return Rate(currency, direct.rate, direct.on, (direct,))
    inverse = services.rate_on(into, on, currency)
    if inverse is not None:
        return Rate(currency, 1 / inverse.rate, inverse.on, (inverse,))
    base = conf.base_currency()
    if base not in (currency, into):
        there, back = services.rate_on(currency, on, base), services.rate_on(into, on, base)
        if there is not None and back is not None:
            return Rate(currency, there.rate / back.rate, min(there.on, back.on), (there, back))
    return None


def progress(campaign: Campaign, today: datetime.date | None = None) -> Progress:
    today = today or timezone.localdate()
    on = min(today, campaign.ends_on) if campaign.ends_on else today
    target: Currency = campaign.currency
    period = Q(entry__date__gte=campaign.starts_on)
    if campaign.ends_on:
        period &= Q(entry__date__lte=campaign.ends_on)
    sums = (
        Posting.objects.filter(period, account__type=AccountType.INCOME)
        .filter(Q(entry__donation__campaign=campaign)
                | Q(entry__reverses__donation__campaign=campaign))
        .values("currency_id", "currency__exponent").annotate(total=Sum("units"))
        .order_by("currency_id")
    )
    step = Decimal(1).scaleb(-target.exponent)
    raised, total, missing = [], Decimal(0), []
    for row in sums:
        units = -int(row["total"])  # income is a credit
        if units == 0:
            continue
        money = Money.from_minor(units, row["currency_id"], row["currency__exponent"])
        rate = None if money.currency == target.code else conversion(money.currency,
                                                                     target.code, on)
        converted: Money | None
        if money.currency == target.code:
            converted = money
        elif rate is not None:
            converted = Money(target.code, (money.amount * rate.value).quantize(
                step, rounding=ROUND_HALF_EVEN))
        else:
            converted = None
            missing.append(money.currency)
        if converted is not None:
            total += converted.amount
        raised.append(Raised(money, converted, rate))
    goal = (Money.from_minor(campaign.goal_units, target.code, target.exponent)
            if campaign.goal_units is not None else None)
    return Progress(campaign, on, raised, Money(target.code, total.quantize(step)), goal,
                    missing)


def goal_text(campaign: Campaign) -> str:
    if campaign.goal_units is None:
        return ""
    return str(Money.from_minor(campaign.goal_units, campaign.currency_id,
                                campaign.currency.exponent).amount)


def update_campaign(
    actor: Member | None, campaign: Campaign, *, name: str, currency_code: str,
    starts_on: datetime.date, ends_on: datetime.date | None = None, goal: Money | None = None,
    foreign_chapter: bool = False,
) -> Campaign:
    """Everything but the code, which is published in the leaves of its donations."""
    services._require(actor, Role.TREASURER)
    found = services.currency(currency_code)
    campaign.name, campaign.currency = name, found
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.goal_units = services.campaign_goal_units(found, goal, starts_on, ends_on)
    campaign.foreign_chapter = foreign_chapter
    campaign.full_clean()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A campaign cannot end before it starts.")})
    with transaction.atomic():
        campaign.save()
        record("ledger.campaign_changed", actor=actor, obj=campaign,
               details={"code": campaign.code, "currency": found.code,
                        "starts_on": starts_on.isoformat(),
                        "ends_on": ends_on.isoformat() if ends_on else None,
                        "goal_units": campaign.goal_units, "foreign_chapter": foreign_chapter})
    return campaign
