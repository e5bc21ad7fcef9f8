"""Facilities: rules with validity dates (history kept), the rule valid on a day, addresses."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pompolit.cases import services as cases
from pompolit.cases.facilities import addresses, services
from pompolit.cases.models import FacilityRule
from pompolit.cases.testing import P

D = datetime.date


@pytest.fixture
def ik6_rules(worker, facilities, regimes):
    ik6 = facilities["ik6"]
    old = services.add_rule(worker, ik6, valid_from=D(2016, 1, 1), terms=services.RuleTerms(
        max_parcel_grams=20000, parcels_per_period=6, banned_items=("алкоголь", "сим-карты"),
        letter_languages=("ru",), money_limit=Decimal("10000"), source="ПВР ИУ 2016"))
    strict = services.add_rule(worker, ik6, valid_from=D(2016, 1, 1), regime=regimes["strict"],
                               terms=services.RuleTerms(max_parcel_grams=20000,
                                                        parcels_per_period=4))
    new = services.add_rule(worker, ik6, valid_from=D(2022, 7, 17), terms=services.RuleTerms(
        max_parcel_grams=20000, parcels_per_period=6, banned_items=("алкоголь",),
        source="Приказ Минюста № 110"))
    return old, strict, new


def test_a_new_rule_closes_the_old_one_and_both_are_kept(ik6_rules):
    old, _strict, new = ik6_rules
    old.refresh_from_db()
    assert old.valid_to == D(2022, 7, 16) and new.valid_to is None
    assert FacilityRule.objects.count() == 3


def test_the_rule_valid_on_a_day(ik6_rules, facilities, regimes):
    old, strict, new = ik6_rules
    ik6 = facilities["ik6"]
    assert services.rules_on(ik6, D(2020, 5, 1)) == old
    assert services.rules_on(ik6, D(2022, 7, 16)) == old
    assert services.rules_on(ik6, D(2022, 7, 17)) == new
    assert services.rules_on(ik6, D(2015, 12, 31)) is None
    # A regime's own rule wins; a regime without one gets the facility-wide rule.
    assert services.rules_on(ik6, D(2023, 1, 1), regimes["strict"]) == strict
    assert services.rules_on(ik6, D(2023, 1, 1), regimes["general"]) == new


def test_a_rule_cannot_rewrite_a_period_already_covered(worker, ik6_rules, facilities):
    with pytest.raises(ValidationError, match="already valid from 17 Jul 2022"):
        services.add_rule(worker, facilities["ik6"], valid_from=D(2020, 1, 1))


def test_a_russian_address_ends_with_the_postal_code(facilities, open_case, worker):
    ik6 = facilities["ik6"]
    assert addresses.facility_address(ik6) == [
        "ФКУ ИК-6 УФСИН России по Омской области", "ул. Семиреченская, д. 101", "г. Омск",
        "Омская область", "644010"]
    case = open_case("Чернышёв", "Алексей", "Игоревич", birth_date=P("1987-04-02"))
    from pompolit.cases.testing import event_type

    cases.add_event(worker, case, type=event_type("arrest"), date=P("2022-03-06"),
                    facility=ik6)
    case.refresh_from_db()
    assert addresses.letter_address(case)[0] == "Чернышёв Алексей Игоревич, 1987 г. р."


def test_a_foreign_address_puts_the_postal_code_before_the_town(worker, facilities):
    from pompolit.cases.models import FacilityType

    prison = services.create_facility(
        worker, name="Prison de Fresnes", type=FacilityType.objects.get(code="prison"),
        country="FR", region="Val-de-Marne", city="Fresnes", street="1 allée des Thuyas",
        postal_code="94261")
    assert addresses.facility_address(prison) == [
        "Prison de Fresnes", "1 allée des Thuyas", "94261 Fresnes", "Val-de-Marne", "FR"]
