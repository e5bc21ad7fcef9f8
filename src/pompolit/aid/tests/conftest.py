"""A small world for aid: a modern colony with rules that changed, exiles in Orenburg, funds
with money in roubles, euros and dollars, and the people who send, approve and pay."""

import datetime
from decimal import Decimal

import pytest

from pompolit.aid import services
from pompolit.cases import services as cases
from pompolit.cases.facilities import services as facilities
from pompolit.cases.models import CaseStatus, EventType, FacilityType, Regime
from pompolit.cases.partial import PartialDate
from pompolit.core.testing import english, log_signing_key  # noqa: F401 (autouse fixtures)
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Channel, FundKind
from pompolit.members.roles import Role
from pompolit.members.services import create_compartment
from pompolit.names import Name

PLANNED = datetime.date(2026, 11, 10)


def P(text):
    return PartialDate.parse(text)


@pytest.fixture
def worker(make_member, compartment, unsealed_vault):
    """Николай, case worker of the compartment."""
    return make_member("Николай Морозов", Role.CASE_WORKER, compartments=[compartment])


@pytest.fixture
def second_worker(make_member, compartment):
    return make_member("Людмила Волкенштейн", Role.CASE_WORKER, compartments=[compartment])


@pytest.fixture
def coordinator(make_member, compartment):
    """Екатерина, coordinator who also works in the compartment."""
    return make_member("Екатерина Пешкова", Role.COORDINATOR, Role.CASE_WORKER,
                       compartments=[compartment])


@pytest.fixture
def outsider(make_member, founders):
    moscow = create_compartment(founders[1], name="Москва", slug="moscow", description="")
    return make_member("Анна Якимова", Role.CASE_WORKER, compartments=[moscow])


@pytest.fixture
def colony(worker):
    """ИК-6: 20 kg parcels; 6 a year for all, from 2022 a strict regime of its own: 2 a
    quarter; alcohol, SIM cards and home-made food banned; letters in Russian; 10 000 ₽."""
    facility = facilities.create_facility(
        worker, name="ФКУ ИК-6 УФСИН России по Омской области", short_name="ИК-6",
        type=FacilityType.objects.get(code="colony"), region="Омская область", city="г. Омск",
        street="ул. Семиреченская, д. 101", postal_code="644010",
    )
    facilities.add_rule(worker, facility, valid_from=datetime.date(2016, 1, 1),
                        terms=facilities.RuleTerms(
                            max_parcel_grams=20000, parcels_per_period=6, period_months=12,
                            banned_items=("алкоголь", "сим-карты",
                                          "продукты домашнего приготовления"),
                            letter_languages=("ru",), money_limit=Decimal(10000)))
    facilities.add_rule(worker, facility, valid_from=datetime.date(2022, 7, 17),
                        regime=Regime.objects.get(code="strict"),
                        terms=facilities.RuleTerms(
                            max_parcel_grams=20000, parcels_per_period=2, period_months=3,
                            banned_items=("алкоголь", "сим-карты"), letter_languages=("ru",),
                            money_limit=Decimal(10000)))
    return facility


@pytest.fixture
def prisoner(worker, compartment, colony):
    """Чернышёв, strict regime, in ИК-6 since March 2023."""
    case = cases.open_case(
        worker, compartment=compartment, name=Name("Чернышёв", "Алексей", "Игоревич"),
        birth_date=P("1987-04"), status=CaseStatus.objects.get(code="sentenced"),
        sentence_regime=Regime.objects.get(code="strict"), case_number="1-7/2023",
        opened_on=datetime.date(2023, 3, 6),
    )
    cases.add_event(worker, case, type=EventType.objects.get(code="arrest"),
                    date=P("2023-03-06"), facility=colony)
    case.refresh_from_db()
    return case


@pytest.fixture
def treasurer(make_member):
    return make_member("Сергей Кравчинский", Role.TREASURER)


@pytest.fixture
def funds(treasurer):
    """parcels (purpose expenses:parcels): 50 000 ₽ and 300 €; general: 200 000 ₽, 1 000 $;
    lawyers (expenses:legal): 100 000 ₽."""
    parcels = ledger.create_fund(treasurer, code="parcels", name="Передачи",
                                 kind=FundKind.PURPOSE, purpose="expenses:parcels")
    lawyers = ledger.create_fund(treasurer, code="lawyers", name="Адвокаты",
                                 kind=FundKind.PURPOSE, purpose="expenses:legal")
    general = ledger.fund("general")
    day = datetime.date(2026, 11, 1)
    for fund, amount, code in ((parcels, "50000", "RUB"), (parcels, "300", "EUR"),
                               (general, "200000", "RUB"), (general, "1000", "USD"),
                               (lawyers, "100000", "RUB")):
        ledger.record_donation(treasurer, date=day, amount=ledger.money(amount, code),
                               fund=fund, channel=Channel.BANK_TRANSFER)
    return {"parcels": parcels, "lawyers": lawyers, "general": general}


def rub(amount):
    return ledger.money(amount, "RUB")


@pytest.fixture
def parcel(worker, prisoner, funds):
    """make a draft parcel: parcel(grams=..., categories=...)."""
    def make(grams=5000, category="food", cost="1500", planned_on=PLANNED, **fields):
        return services.create_item(
            worker, prisoner, "parcel", funds["parcels"], planned_on=planned_on,
            cost=rub(cost) if isinstance(cost, str) else cost,
            contents=[services.ContentLine(category, 1, grams, "чай, сахар, сухари")],
            channel="post", **fields,
        )
    return make
