"""Campaigns: creating and changing them, and their progress, computed from the books
(docs/ledger.md, *Campaigns*).

Progress is the income posted to the campaign's donations dated within its period, less
the reversals of those donations (counted under the donation they reverse, as statements do),
per currency; each currency is converted into the campaign's currency (rates.conversion) at
the latest rates on or before the day the progress is for (the campaign's last day, or today
while it runs), and the rate is shown. A currency without a rate is named and left out of the total.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.ledger import dates, services
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.models import AccountType, Currency, Posting
from pompolit.ledger.money import Money, MoneyError
from pompolit.ledger.rates.conversion import Rate, convert_to_minor
from pompolit.members import policy
from pompolit.members.models import Member


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
        converted, rate = convert_to_minor(money, target.code, target.exponent, on)
        if converted is None:
            missing.append(money.currency)
        else:
            total += converted.amount
        raised.append(Raised(money, converted, rate))
    goal = (Money.from_minor(campaign.goal_units, target.code, target.exponent)
            if campaign.goal_units is not None else None)
    return Progress(campaign, on, raised, Money(target.code, total.quantize(step)), goal,
                    missing)


def goal_units(found: Currency, goal: Money | None, starts_on: datetime.date,
               ends_on: datetime.date | None = None) -> int | None:
    """A campaign's goal in minor units, bounded like every amount; its days from the books'
    first day to dates.PLAN_YEARS_AHEAD years ahead (a campaign is planned ahead)."""
    try:
        units = goal.to_minor(found.exponent) if goal is not None else None
    except MoneyError as error:
        raise ValidationError({"goal": str(error)}) from None
    if units is not None and units <= 0:
        raise ValidationError({"goal": _("A goal must be more than zero.")})
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        problem = dates.plan_date_error(day) if day is not None else None
        if problem is not None:
            raise ValidationError({field: problem})
    return units


def create_campaign(
    actor: Member | None, *, code: str, name: str, currency_code: str, starts_on: datetime.date,
    ends_on: datetime.date | None = None, goal: Money | None = None, foreign_chapter: bool = False,
) -> Campaign:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    found = services.currency(currency_code)
    new = Campaign(code=code, name=name, currency=found, starts_on=starts_on, ends_on=ends_on,
                   goal_units=goal_units(found, goal, starts_on, ends_on),
                   foreign_chapter=foreign_chapter)
    new.full_clean()
    with transaction.atomic():
        new.save()
        record("ledger.campaign_created", actor=actor, obj=new, details={"code": code})
    return new


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
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    found = services.currency(currency_code)
    campaign.name, campaign.currency = name, found
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.goal_units = goal_units(found, goal, starts_on, ends_on)
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
