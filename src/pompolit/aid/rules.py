"""The facility rules check: is this item allowed where the prisoner will be on its date?

`load(item)` gathers what the check needs in a few queries — the facility where the person is
on the planned date (or will be, if a transfer is recorded), the rule valid that day for
their regime, how many other parcels count in the rule's period, an exchange rate if the
money is in another currency than the limit. `check(facts, context)` is pure: it compares
and returns `Violation`s, each a code and its values, turned into a sentence in the reader's
language only when shown (so stored flags are translated too).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from pompolit.aid.models import COUNTED, AidItem, Kind, MoneyTo
from pompolit.aid.vocabulary import CATEGORIES, banned_categories, language_label
from pompolit.cases.custody import TRANSFER
from pompolit.cases.models import Case, Event, Facility, FacilityRule
from pompolit.core.dates import show_date
from pompolit.ledger.rates.conversion import rate_between

# Kinds that go into the facility, and so obey its rules.
TO_FACILITY = (Kind.PARCEL, Kind.BOOKS, Kind.MONEY, Kind.LETTER)
PARCEL_KINDS = (Kind.PARCEL, Kind.BOOKS)


@dataclass(frozen=True)
class Violation:
    code: str
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The sentence, in the reader's language (the values are kept as codes and numbers,
        so a flag stored yesterday reads in Russian today)."""
        return MESSAGES[self.code]() % _shown(self.values)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "values": self.values}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Violation:
        return cls(str(data.get("code", "")), dict(data.get("values") or {}))


MESSAGES = {
    "not_held": lambda: _(
        "We do not know where %(name)s is on %(day)s: there is no arrest or transfer "
        "recorded before that day."),
    "weight": lambda: _(
        "This parcel weighs %(kg)s kg; %(facility)s accepts at most %(max_kg)s kg per parcel."),
    "count": lambda: _(
        "This would be the %(ordinal)s parcel %(period)s; %(who)s allows %(allowed)d."),
    "banned": lambda: _(
        "The contents include %(category)s, which %(facility)s does not accept "
        "(“%(word)s”)."),
    "money_limit": lambda: _(
        "This transfer is %(amount)s; %(facility)s accepts at most %(limit)s per transfer."),
    "no_rate": lambda: _(
        "This transfer is in %(currency)s and the limit of %(facility)s is in %(limit_currency)s;"
        " add an exchange rate for %(day)s to check it."),
    "language": lambda: _(
        "This letter is in %(language)s; %(facility)s accepts letters only in %(allowed)s."),
}


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    shown = dict(values)
    if "day" in values:  # kept as ISO, shown as the reader's language writes dates
        shown["day"] = show_date(datetime.date.fromisoformat(str(values["day"])))
    if "n" in values:
        shown["ordinal"] = ordinal(int(values["n"]))
    if "months" in values:
        shown["period"] = period_words(int(values["months"]))
    if "regime" in values:
        labels = values["regime"]
        shown["who"] = labels.get("ru" if translation.get_language() == "ru" else "en", "")
    if "category" in values:
        category = CATEGORIES.get(values["category"])
        shown["category"] = category.label if category else values["category"]
    if "language" in values:
        shown["language"] = language_label(values["language"])
    if "allowed_languages" in values:
        shown["allowed"] = ", ".join(language_label(c) for c in values["allowed_languages"])
    return shown


def ordinal(number: int) -> str:
    if translation.get_language() == "ru":
        return f"{number}-я"
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def period_words(months: int) -> str:
    named = {1: _("in the month"), 3: _("in the quarter"), 6: _("in the half-year"),
             12: _("in the year")}
    return named.get(months) or _("in %(n)d months") % {"n": months}


def period_of(day: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The rule's period that holds `day`: calendar months, quarters, half-years and years
    (as facilities count them); other lengths count back from the day."""
    months = max(1, months)
    if 12 % months == 0:
        first_month = (day.month - 1) // months * months + 1
        start = datetime.date(day.year, first_month, 1)
    else:
        total = day.year * 12 + day.month - 1 - (months - 1)
        start = datetime.date(total // 12, total % 12 + 1, 1)
    total = start.year * 12 + start.month - 1 + months
    end = datetime.date(total // 12, total % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.3f}".rstrip("0").rstrip(".")


# -- what the check needs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """The item as the check sees it."""

    kind: str
    planned_on: datetime.date
    grams: int = 0
    categories: tuple[str, ...] = ()
    language: str = ""
    money_to: str = ""
    amount: Decimal = Decimal(0)
    currency: str = "RUB"


@dataclass(frozen=True)
class Context:
    name: str
    facility: Facility | None
    rule: FacilityRule | None
    # Other parcels counted in the rule's period, and the period's length.
    counted: int = 0
    # 1 item currency = rate × the rule's currency; None if there is none (or no need).
    rate: Decimal | None = None


CUSTODY_EFFECTS = ("arrest", TRANSFER, "release", "death")


def facility_on(case: Case, day: datetime.date) -> Facility | None:
    """Where the person is held on `day` (or will be, if a transfer is recorded for a day
    before it): the facility of the last arrest or transfer that began by then, unless a
    release or death came after it. One query, the way the custody timeline
    (cases/custody.py) orders events: by their earliest possible day."""
    last = (Event.objects.filter(case=case, type__custody_effect__in=CUSTODY_EFFECTS,
                                 date_lower__lte=day)
            .select_related("facility", "type").order_by("-date_lower", "-date_upper", "-pk")
            .first())
    if last is None or last.type.custody_effect not in ("arrest", TRANSFER):
        return None
    return last.facility


def rule_on(facility: Facility, day: datetime.date, regime_id: int | None) -> FacilityRule | None:
    """The rule valid that day, the regime's own before the facility-wide one (as
    `cases.services.rules_on`, in one query)."""
    valid = list(FacilityRule.objects.filter(facility=facility, valid_from__lte=day)
                 .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                 .filter(Q(regime__isnull=True) | Q(regime_id=regime_id))
                 .select_related("regime").order_by("-valid_from"))
    own = [rule for rule in valid if regime_id is not None and rule.regime_id == regime_id]
    candidates = own or [rule for rule in valid if rule.regime_id is None]
    return candidates[0] if candidates else None


def facts_of(item: AidItem) -> Facts:
    contents = list(item.contents.all()) if item.kind in PARCEL_KINDS else []
    return Facts(
        kind=item.kind, planned_on=item.planned_on, grams=sum(c.grams for c in contents),
        categories=tuple(c.category for c in contents), language=item.language,
        money_to=item.money_to, amount=Decimal(item.cost_units).scaleb(-item.currency.exponent),
        currency=item.currency_id,
    )


def load(item: AidItem, case: Case | None = None) -> Context:
    case = case or item.case
    name = case.person.display_name
    if item.kind not in TO_FACILITY:
        return Context(name, None, None)
    facility = facility_on(case, item.planned_on)
    if facility is None:
        return Context(name, None, None)
    rule = rule_on(facility, item.planned_on, case.sentence_regime_id)
    if rule is None:
        return Context(name, facility, None)
    counted = 0
    if item.kind in PARCEL_KINDS and rule.parcels_per_period is not None:
        start, end = period_of(item.planned_on, rule.period_months)
        counted = (AidItem.objects.filter(case=case, kind__in=PARCEL_KINDS, status__in=COUNTED)
                   .exclude(pk=item.pk)
                   .annotate(day=Coalesce("sent_on", "planned_on"))
                   .filter(day__gte=start, day__lte=end).count())
    rate = None
    if (item.kind == Kind.MONEY and rule.money_limit is not None
            and item.currency_id != rule.money_currency):
        found = rate_between(item.currency_id, rule.money_currency, item.planned_on)
        rate = found.value if found is not None else None
    return Context(name, facility, rule, counted, rate)


# -- the check itself ---------------------------------------------------------------------------


def check(facts: Facts, context: Context) -> list[Violation]:
    if facts.kind not in TO_FACILITY:
        return []
    if context.facility is None:
        return [Violation("not_held", {"name": context.name,
                                       "day": facts.planned_on.isoformat()})]
    rule = context.rule
    if rule is None:
        return []
    where = str(context.facility)
    found: list[Violation] = []
    if facts.kind in PARCEL_KINDS:
        found += _parcel(facts, context, rule, where)
    if facts.kind == Kind.MONEY and facts.money_to == MoneyTo.PRISONER:
        found += _money(facts, context, rule, where)
    if facts.kind == Kind.LETTER and rule.letter_languages and (
        facts.language not in rule.letter_languages
    ):
        found.append(Violation("language", {
            "language": facts.language, "facility": where,
            "allowed_languages": list(rule.letter_languages)}))
    return found


def _parcel(facts: Facts, context: Context, rule: FacilityRule, where: str) -> list[Violation]:
    found = []
    if rule.max_parcel_grams is not None and facts.grams > rule.max_parcel_grams:
        found.append(Violation("weight", {"kg": kg(facts.grams), "facility": where,
                                          "max_kg": kg(rule.max_parcel_grams)}))
    if rule.parcels_per_period is not None and context.counted + 1 > rule.parcels_per_period:
        regime = rule.regime if rule.regime_id else None
        found.append(Violation("count", {
            "n": context.counted + 1, "months": rule.period_months,
            "regime": ({"en": regime.label_en, "ru": regime.label_ru} if regime is not None
                       else {"en": where, "ru": where}),
            "allowed": rule.parcels_per_period}))
    banned = banned_categories(list(rule.banned_items or []))
    for code in _unique(facts.categories):
        if code in banned:
            found.append(Violation("banned", {"category": code, "facility": where,
                                              "word": banned[code]}))
    return found


def _money(facts: Facts, context: Context, rule: FacilityRule, where: str) -> list[Violation]:
    if rule.money_limit is None:
        return []
    limit_currency = rule.money_currency or "RUB"
    amount = facts.amount
    if facts.currency != limit_currency:
        if context.rate is None:
            return [Violation("no_rate", {"currency": facts.currency, "facility": where,
                                          "limit_currency": limit_currency,
                                          "day": facts.planned_on.isoformat()})]
        amount = facts.amount * context.rate
    if amount > rule.money_limit:
        shown = f"{facts.amount:f} {facts.currency}"
        if facts.currency != limit_currency:
            shown += f" (≈ {amount:.2f} {limit_currency})"
        return [Violation("money_limit", {"amount": shown, "facility": where,
                                          "limit": f"{rule.money_limit:f} {limit_currency}"})]
    return []


def _unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def check_item(item: AidItem) -> list[Violation]:
    """The facility rules check for one item, as it stands in the database."""
    return check(facts_of(item), load(item))


def facility_filter(facility: Facility) -> Q:
    """Items whose case is or was in this facility (for re-checking after a rule changes)."""
    return Q(case__events__facility=facility) | Q(case__current_facility=facility)
