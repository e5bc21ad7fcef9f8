"""The fixtures of every test of the registry, its feature subpackages' too: a registry with
history in it — exiles in Orenburg, the Lubyanka, the Solovki camp, a modern colony; two
compartments and a case worker in each, so isolation can be checked. Small helpers (P,
event_type, status, TODAY) are in `cases/testing.py`."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from pompolit.cases import services
from pompolit.cases.facilities import services as facility_services
from pompolit.cases.models import Case, Facility, FacilityType, Regime
from pompolit.cases.testing import P, event_type, status
from pompolit.core.testing import english  # noqa: F401 (autouse fixtures)
from pompolit.members.models import Compartment, Member
from pompolit.members.roles import Role
from pompolit.members.services import create_compartment
from pompolit.names import Name
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares

__all__ = ["unsealed_vault", "vault_agent", "vault_shares"]


@pytest.fixture
def moscow(founders: Any) -> Compartment:
    return create_compartment(founders[1], name="Москва", slug="moscow",
                              description="Задержанные в Москве")


@pytest.fixture
def worker(make_member: Callable[..., Member], compartment: Compartment,
           unsealed_vault: Any) -> Member:
    """Николай, case worker of the Orenburg exiles (the vault unsealed: notes are encrypted)."""
    return make_member("Николай Морозов", Role.CASE_WORKER, compartments=[compartment])


@pytest.fixture
def outsider(make_member: Callable[..., Member], moscow: Compartment) -> Member:
    """A case worker of another compartment: must see nothing of Orenburg."""
    return make_member("Анна Якимова", Role.CASE_WORKER, compartments=[moscow])


@pytest.fixture
def facilities(worker: Member) -> dict[str, Facility]:
    def make(name: str, type_code: str, **fields: Any) -> Facility:
        return facility_services.create_facility(
            worker, name=name, type=FacilityType.objects.get(code=type_code), **fields
        )

    return {
        "lubyanka": make("Внутренняя тюрьма ОГПУ", "prison", short_name="Лубянка",
                         region="Москва", city="Москва", street="ул. Большая Лубянка, д. 2"),
        "butyrka": make("Бутырская тюрьма", "prison", short_name="Бутырки", region="Москва",
                        city="Москва", street="ул. Новослободская, д. 45"),
        "solovki": make("Соловецкий лагерь особого назначения", "camp", short_name="СЛОН",
                        region="Архангельская губерния", city="Соловецкие острова"),
        "orenburg": make("Оренбург, место ссылки", "exile", short_name="Оренбург",
                         region="Оренбургская губерния", city="Оренбург"),
        "ik6": make("ФКУ ИК-6 УФСИН России по Омской области", "colony", short_name="ИК-6",
                    region="Омская область", city="г. Омск", street="ул. Семиреченская, д. 101",
                    postal_code="644010", letter_service="ФСИН-письмо"),
    }


@pytest.fixture
def open_case(worker: Member, compartment: Compartment) -> Callable[..., Case]:
    def make(surname: str, given: str = "", patronymic: str = "", *,
             who: Member | None = None, where: Compartment | None = None,
             **fields: Any) -> Case:
        return services.open_case(
            who or worker, compartment=where or compartment,
            name=Name(surname, given, patronymic), **fields,
        )

    return make


@pytest.fixture
def exile(open_case: Callable[..., Case], worker: Member,
          facilities: dict[str, Facility]) -> Case:
    """An SR arrested in Moscow in 1922, held in the Lubyanka, exiled to Orenburg in 1925."""
    case = open_case("Ремизова", "Анна", "Петровна", birth_date=P("1897"),
                     status=status("in-exile"), case_number="ГПУ № 7-1922",
                     opened_on=datetime.date(1922, 3, 1))
    services.add_event(worker, case, type=event_type("arrest"), date=P("1922-03"),
                       facility=facilities["lubyanka"], place="Москва")
    services.add_event(worker, case, type=event_type("transfer"), date=P("1922-09-14"),
                       facility=facilities["solovki"])
    services.add_event(worker, case, type=event_type("transfer"), date=P("1925"),
                       facility=facilities["orenburg"], summary="Сослана на три года")
    services.add_event(worker, case, type=event_type("letter"), date=P("1925-11-02"),
                       summary="Письмо сестре: просит тёплые вещи")
    case.refresh_from_db()
    return case


@pytest.fixture
def regimes(db: Any) -> dict[str, Regime]:
    return {r.code: r for r in Regime.objects.all()}
