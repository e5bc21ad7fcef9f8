"""The hotline's fixtures: two hotline compartments (Moscow, St Petersburg), an operator of
each, Moscow police stations, a protest; the vault unsealed (relatives and needs are
encrypted)."""

from collections.abc import Callable
from typing import Any

import pytest

from pompolit.cases.models import Facility
from pompolit.core.testing import english  # noqa: F401 (autouse fixtures)
from pompolit.intake.models import ProtestEvent
from pompolit.intake.services import open_hotline
from pompolit.intake.testing import protest, station
from pompolit.members.models import Compartment, Member
from pompolit.members.roles import Role
from pompolit.members.services import create_compartment
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares

__all__ = ["unsealed_vault", "vault_agent", "vault_shares"]


@pytest.fixture
def hotline(founders: Any) -> Compartment:
    compartment = create_compartment(
        founders[1],
        name="Московская горячая линия",
        slug="moscow-hotline",
        description="Задержания в Москве",
    )
    open_hotline(founders[1], compartment, city="Москва")
    return compartment


@pytest.fixture
def spb_hotline(founders: Any) -> Compartment:
    compartment = create_compartment(
        founders[1],
        name="Петербургская горячая линия",
        slug="spb-hotline",
        description="Задержания в Петербурге",
    )
    open_hotline(founders[1], compartment, city="Санкт-Петербург")
    return compartment


@pytest.fixture
def operator(
    make_member: Callable[..., Member], hotline: Compartment, unsealed_vault: Any
) -> Member:
    """Анна, hotline operator in Moscow."""
    return make_member("Анна Якимова", Role.HOTLINE_OPERATOR, compartments=[hotline])


@pytest.fixture
def spb_operator(
    make_member: Callable[..., Member], spb_hotline: Compartment, unsealed_vault: Any
) -> Member:
    return make_member("Людмила Волкенштейн", Role.HOTLINE_OPERATOR, compartments=[spb_hotline])


@pytest.fixture
def stations(db: Any) -> dict[str, Facility]:
    return {
        "tverskoy": station("ОВД «Тверской»", street="ул. Петровка, д. 38"),
        "kitay": station("ОВД «Китай-город»", street="Старая пл., д. 6"),
        "meshchansky": station("ОВД «Мещанский»", street="ул. Гиляровского, д. 10"),
    }


@pytest.fixture
def pushkin_square(db: Any) -> ProtestEvent:
    return protest()
