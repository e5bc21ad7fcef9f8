"""What aid's tests build: a small world — a modern colony with rules that changed, exiles in
Orenburg, funds with money in roubles, euros and dollars, and the people who send, approve and
pay — as fixtures (`aid/conftest.py` makes them visible to every aid feature's tests), the
builders `P`, `rub`, `PLANNED`, and `matrix_item` for the URL × role access matrix."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from pompolit.aid import services
from pompolit.aid.models import AidItem
from pompolit.cases import services as cases
from pompolit.cases.facilities import services as facilities
from pompolit.cases.models import Case, CaseStatus, EventType, Facility, FacilityType, Regime
from pompolit.cases.partial import PartialDate
from pompolit.ledger import services as ledger
from pompolit.ledger.models import Channel, Fund, FundKind
from pompolit.ledger.money import Money
from pompolit.members.models import Compartment, Member
from pompolit.members.roles import Role
from pompolit.members.services import create_compartment
from pompolit.names import Name

# make_member("Николай", Role.CASE_WORKER, compartments=[c]) (the root conftest.py)
MakeMember = Callable[..., Member]

PLANNED = datetime.date(2026, 11, 10)


def P(text: str) -> PartialDate:
    return PartialDate.parse(text)


@pytest.fixture
def worker(make_member: MakeMember, compartment: Compartment, unsealed_vault: Any) -> Member:
    """Николай, case worker of the compartment."""
    return make_member("Николай Морозов", Role.CASE_WORKER, compartments=[compartment])


@pytest.fixture
def second_worker(make_member: MakeMember, compartment: Compartment) -> Member:
    return make_member("Людмила Волкенштейн", Role.CASE_WORKER, compartments=[compartment])


@pytest.fixture
def coordinator(make_member: MakeMember, compartment: Compartment) -> Member:
    """Екатерина, coordinator who also works in the compartment."""
    return make_member("Екатерина Пешкова", Role.COORDINATOR, Role.CASE_WORKER,
                       compartments=[compartment])


@pytest.fixture
def outsider(make_member: MakeMember, founders: tuple[Member, Member]) -> Member:
    moscow = create_compartment(founders[1], name="Москва", slug="moscow", description="")
    return make_member("Анна Якимова", Role.CASE_WORKER, compartments=[moscow])


@pytest.fixture
def colony(worker: Member) -> Facility:
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
                       banned_items=("алкоголь", "сим-карты", "продукты домашнего приготовления"),
                       letter_languages=("ru",), money_limit=Decimal(10000)))
    facilities.add_rule(worker, facility, valid_from=datetime.date(2022, 7, 17),
                   regime=Regime.objects.get(code="strict"),
                   terms=facilities.RuleTerms(
                       max_parcel_grams=20000, parcels_per_period=2, period_months=3,
                       banned_items=("алкоголь", "сим-карты"), letter_languages=("ru",),
                       money_limit=Decimal(10000)))
    return facility


@pytest.fixture
def prisoner(worker: Member, compartment: Compartment, colony: Facility) -> Case:
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
def treasurer(make_member: MakeMember) -> Member:
    return make_member("Сергей Кравчинский", Role.TREASURER)


@pytest.fixture
def funds(treasurer: Member) -> dict[str, Fund]:
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


def rub(amount: str | Decimal | int) -> Money:
    return ledger.money(amount, "RUB")


@pytest.fixture
def parcel(worker: Member, prisoner: Case, funds: dict[str, Fund]) -> Callable[..., AidItem]:
    """make a draft parcel: parcel(grams=..., categories=...)."""
    def make(grams: int = 5000, category: str = "food", cost: str | Money = "1500",
             planned_on: datetime.date = PLANNED, **fields: Any) -> AidItem:
        return services.create_item(
            worker, prisoner, "parcel", funds["parcels"], planned_on=planned_on,
            cost=rub(cost) if isinstance(cost, str) else cost,
            contents=[services.ContentLine(category, 1, grams, "чай, сахар, сухари")],
            channel="post", **fields,
        )
    return make


# -- for the access matrix (core/tests/test_access_matrix.py) ------------------------------


def matrix_item(world: Any) -> AidItem:
    """A draft parcel for the matrix case; made once per world."""
    made: AidItem | None = world.extra.get("aid_item")
    if made is None:
        from pompolit.cases.testing import matrix

        case = matrix(world).case
        made = world.extra["aid_item"] = AidItem.objects.create(
            case=case, compartment=case.compartment, kind="parcel",
            fund=Fund.objects.get(code="general"), currency_id="RUB", cost_units=150000,
            planned_on=datetime.date(2026, 11, 10), created_by=world.members["coordinator"],
        )
    return made
