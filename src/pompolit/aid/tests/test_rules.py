import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from pompolit.aid import lifecycle, rules, services
from pompolit.aid.models import AidItem
from pompolit.aid.services import ContentLine
from pompolit.aid.testing import PLANNED, P, rub
from pompolit.cases import services as cases
from pompolit.cases.facilities import services as facilities
from pompolit.cases.models import EventType, FacilityType
from pompolit.ledger import services as ledger
from pompolit.ledger.rates import services as rates


def messages(item):
    return [v.message for v in rules.check_item(AidItem.objects.get(pk=item.pk))]


def test_a_parcel_within_the_rules_passes(parcel):
    assert messages(parcel(grams=19500)) == []


def test_too_heavy(parcel):
    assert messages(parcel(grams=24000)) == [
        "This parcel weighs 24 kg; ИК-6 accepts at most 20 kg per parcel."]


def test_banned_category_by_the_facility_own_word(parcel):
    assert messages(parcel(category="sim-cards")) == [
        "The contents include SIM cards and phones, which ИК-6 does not accept "
        "(“сим-карты”)."]


def test_the_third_parcel_in_the_quarter_under_strict_regime(parcel, worker):
    for day in (datetime.date(2026, 10, 2), datetime.date(2026, 11, 1)):
        lifecycle.approve_item(worker, parcel(planned_on=day), on=day)
    third = parcel(planned_on=datetime.date(2026, 12, 20))
    assert messages(third) == [
        "This would be the 3rd parcel in the quarter; strict regime allows 2."]
    # The next quarter starts afresh.
    assert messages(parcel(planned_on=datetime.date(2027, 1, 5))) == []


def test_before_the_strict_rule_the_facility_wide_rule_counts(parcel, worker):
    # Until 17 July 2022 the strict regime had no rule of its own: 6 a year for everyone.
    day = datetime.date(2023, 5, 1)
    assert rules.check_item(parcel(planned_on=day)) == []


def test_messages_in_russian(parcel):
    item = parcel(grams=24000, category="alcohol")
    with translation.override("ru"):
        texts = messages(item)
    assert len(texts) == 2
    assert all("ИК-6" in text for text in texts)


def test_the_facility_where_the_prisoner_will_be_after_a_recorded_transfer(
        parcel, worker, prisoner):
    far = facilities.create_facility(worker,
                                     name="ФКУ ИК-17 УФСИН России по Красноярскому краю",
                                     short_name="ИК-17",
                                     type=FacilityType.objects.get(code="colony"))
    facilities.add_rule(worker, far, valid_from=datetime.date(2020, 1, 1),
                        terms=facilities.RuleTerms(max_parcel_grams=10000))
    cases.add_event(worker, prisoner, type=EventType.objects.get(code="transfer"),
                    date=P("2026-11-05"), facility=far)
    assert messages(parcel(grams=15000, planned_on=PLANNED)) == [
        "This parcel weighs 15 kg; ИК-17 accepts at most 10 kg per parcel."]
    assert messages(parcel(grams=15000, planned_on=datetime.date(2026, 11, 1))) == []


def test_money_limit_in_roubles_and_in_euros(worker, prisoner, funds, treasurer):
    def transfer(amount, currency):
        return services.create_item(worker, prisoner, "money", funds["general"],
                                    planned_on=PLANNED, cost=ledger.money(amount, currency),
                                    money_to="prisoner")

    assert messages(transfer("12000", "RUB")) == [
        "This transfer is 12000.00 RUB; ИК-6 accepts at most 10000.00 RUB per transfer."]
    assert messages(transfer("9999.99", "RUB")) == []
    euros = transfer("150", "EUR")
    assert "add an exchange rate for 10 Nov 2026" in messages(euros)[0]
    rates.set_rate(treasurer, on=datetime.date(2026, 11, 1), currency_code="EUR",
                    rate=Decimal("98.40"))
    assert messages(euros) == [
        "This transfer is 150.00 EUR (≈ 14760.00 RUB); ИК-6 accepts at most 10000.00 RUB "
        "per transfer."]


def test_letter_language(worker, prisoner, funds):
    letter = services.create_item(worker, prisoner, "letter", funds["general"],
                                  planned_on=PLANNED, language="en")
    assert messages(letter) == ["This letter is in English; ИК-6 accepts letters only in "
                                "Russian."]


def test_nobody_knows_where(worker, compartment, funds):
    case = cases.open_case(worker, compartment=compartment,
                           name=cases.Name("Спиридонова", "Мария"))
    item = services.create_item(worker, case, "letter", funds["general"], planned_on=PLANNED,
                                language="ru")
    assert "We do not know where Спиридонова Мария is on 10 Nov 2026" in messages(item)[0]


def test_lawyer_fee_has_no_facility_rules(worker, prisoner, funds):
    item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("40000"))
    assert messages(item) == []


@pytest.mark.parametrize(("day", "months", "start", "end"), [
    ("2026-11-10", 3, "2026-10-01", "2026-12-31"),
    ("2026-02-28", 1, "2026-02-01", "2026-02-28"),
    ("2026-08-01", 6, "2026-07-01", "2026-12-31"),
    ("2026-08-01", 12, "2026-01-01", "2026-12-31"),
    ("2026-02-10", 5, "2025-10-01", "2026-02-28"),
])
def test_periods(day, months, start, end):
    got = rules.period_of(datetime.date.fromisoformat(day), months)
    assert got == (datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))


def test_flags_keep_codes_and_read_in_either_language():
    flag = rules.Violation("count", {"n": 3, "months": 3, "allowed": 2,
                                     "regime": {"en": "strict regime", "ru": "строгий режим"}})
    stored = rules.Violation.from_dict(flag.as_dict())
    assert stored.message == "This would be the 3rd parcel in the quarter; strict regime allows 2."
    with translation.override("ru"):
        assert "3-я" in stored.message


def test_absurd_lines_never_reach_the_check(worker, prisoner, funds):
    with pytest.raises(Exception, match="quantity"):
        services.create_item(worker, prisoner, "parcel", funds["parcels"], planned_on=PLANNED,
                             contents=[ContentLine("food", -3, 100)])
