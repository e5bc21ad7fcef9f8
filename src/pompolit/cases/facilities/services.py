"""Facilities and their rules: the rule valid on any day, kept with its history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pompolit.audit.services import record
from pompolit.cases.models import Facility, FacilityRule, Regime
from pompolit.core.dates import show_date
from pompolit.members import policy
from pompolit.members.models import Member


def create_facility(actor: Member, **fields: Any) -> Facility:
    policy.require(actor, policy.CASE_WORKER,
                   refusal=_("Only case workers keep the list of facilities."))
    facility = Facility(**fields)
    facility.full_clean()
    with transaction.atomic():
        facility.save()
        record("cases.facility_created", actor=actor, obj=facility)
    return facility


@dataclass(frozen=True)
class RuleTerms:
    max_parcel_grams: int | None = None
    parcels_per_period: int | None = None
    period_months: int = 12
    banned_items: tuple[str, ...] = ()
    letter_languages: tuple[str, ...] = ()
    money_limit: Decimal | None = None
    money_currency: str = "RUB"
    source: str = ""


def add_rule(actor: Member, facility: Facility, *, valid_from: datetime.date,
             regime: Regime | None = None, valid_to: datetime.date | None = None,
             terms: RuleTerms = RuleTerms()) -> FacilityRule:
    """A rule from a date on. The open rule it replaces ends the day before; history stays."""
    policy.require(actor, policy.CASE_WORKER,
                   refusal=_("Only case workers keep the facilities' rules."))
    same = FacilityRule.objects.filter(facility=facility, regime=regime)
    with transaction.atomic():
        clash = same.filter(valid_from__gte=valid_from).first() or same.filter(
            valid_from__lt=valid_from, valid_to__gte=valid_from).first()
        if clash is not None:
            raise ValidationError({"valid_from": _(
                "A rule for the same regime is already valid from %(start)s%(end)s. Rules keep "
                "their history: add the new rule from a later date."
            ) % {"start": show_date(clash.valid_from),
                 "end": _(" until %(day)s") % {"day": show_date(clash.valid_to)}
                 if clash.valid_to else ""}})
        previous = same.filter(valid_from__lt=valid_from, valid_to__isnull=True).first()
        if previous is not None:
            previous.valid_to = valid_from - datetime.timedelta(days=1)
            previous.save(update_fields=["valid_to"])
        rule = FacilityRule(
            facility=facility, regime=regime, valid_from=valid_from, valid_to=valid_to,
            max_parcel_grams=terms.max_parcel_grams, parcels_per_period=terms.parcels_per_period,
            period_months=terms.period_months, banned_items=list(terms.banned_items),
            letter_languages=list(terms.letter_languages), money_limit=terms.money_limit,
            money_currency=terms.money_currency, source=terms.source, created_by=actor,
        )
        rule.full_clean()
        rule.save()
        record("cases.facility_rule_added", actor=actor, obj=facility,
               details={"rule": rule.pk, "from": str(valid_from),
                        "regime": regime.code if regime else ""})
    return rule


def rules_on(facility: Facility, day: datetime.date, regime: Regime | None = None
             ) -> FacilityRule | None:
    """The rule valid that day: the regime's own if there is one, else the facility-wide one."""
    valid = FacilityRule.objects.filter(facility=facility, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    ).select_related("regime")
    if regime is not None:
        own = valid.filter(regime=regime).order_by("-valid_from").first()
        if own is not None:
            return own
    return valid.filter(regime__isnull=True).order_by("-valid_from").first()
