"""The public site's fixtures: the registry's (cases/conftest.py), and modern prisoners
published with different consents (`published`)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pompolit.cases import conftest as registry
from pompolit.cases import services
from pompolit.cases.models import Case, Facility, Regime
from pompolit.cases.public import consent
from pompolit.cases.testing import P, days, event_type, status
from pompolit.core.testing import english  # noqa: F401 (autouse fixtures)
from pompolit.members.models import Member
from pompolit.vault.testing import unsealed_vault, vault_agent, vault_shares

__all__ = ["unsealed_vault", "vault_agent", "vault_shares"]

# The registry's fixtures, reused.
exile, facilities, moscow, open_case, outsider, regimes, worker = (
    registry.exile, registry.facilities, registry.moscow, registry.open_case, registry.outsider,
    registry.regimes, registry.worker)

EVERYTHING = ["name", "status", "charges", "sentence", "facility", "birthday", "interests"]


def visitor(language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    return client


def publish(member: Member, case: Case, scope: list[str], **fields: Any) -> None:
    values = {"given_by": "prisoner", "given_on": days(-10), "scope": scope}
    consent.give(member, case, **{**values, **fields})


@pytest.fixture
def published(open_case: Callable[..., Case], worker: Member,
              facilities: dict[str, Facility], regimes: dict[str, Regime]) -> dict[str, Case]:
    """Four prisoners of today: three published (with more or less), one not at all."""

    def prisoner(surname: str, given: str, *, born: str, months: int | None,
                 facility: str, article: str, scope: list[str], letters: bool = True,
                 interests: str = "") -> Case:
        case = open_case(surname, given, birth_date=P(born), status=status("sentenced"),
                         sentence_term=f"{months // 12} лет" if months else "",
                         sentence_months=months, receives_letters=letters,
                         sentence_regime=regimes["general"])
        services.add_event(worker, case, type=event_type("arrest"), date=P("2022-03"),
                           facility=facilities[facility])
        services.add_charge(worker, case, code="УК РФ", article=article)
        if scope:
            publish(worker, case, scope, interests=interests)
        case.refresh_from_db()
        return case

    return {
        "gorinov": prisoner("Горинов", "Алексей", born="1961-09-21", months=84,
                            facility="ik6", article="207.3 ч. 2", scope=EVERYTHING,
                            interests="история, шахматы"),
        "skochilenko": prisoner("Скочиленко", "Александра", born="1990-09-13", months=84,
                                facility="butyrka", article="207.3 ч. 2", letters=False,
                                scope=["name", "status", "facility", "interests"],
                                interests="музыка, комиксы"),
        "kara": prisoner("Кара-Мурза", "Владимир", born="1981-09-07", months=300,
                         facility="solovki", article="275", scope=["name", "charges"]),
        "hidden": prisoner("Скрытый", "Пётр", born="1970-01-01", months=36,
                           facility="ik6", article="280.3", scope=[]),
    }


def add_hearing(worker: Member, case: Case, day: datetime.date, **details: Any) -> Any:
    values = {"court": "Мещанский районный суд", "city": "Москва", "hall": "7",
              "judge": "Сергеев С. С.", "starts_at": datetime.time(11, 0), "kind": "custody"}
    values.update(details)
    return services.add_event(worker, case, type=event_type("hearing"), date=P(str(day)),
                              hearing=values).hearing


@pytest.fixture
def calendar_of(published: dict[str, Case], worker: Member) -> dict[str, Any]:
    """Hearings of three prisoners: two public this week, one in 40 days, one closed, one
    whose consent does not name hearings."""
    publish(worker, published["gorinov"], [*EVERYTHING, "hearings"], interests="история")
    publish(worker, published["skochilenko"], ["name", "hearings"])
    return {
        "gorinov": add_hearing(worker, published["gorinov"], days(1)),
        "gorinov_late": add_hearing(worker, published["gorinov"], days(40), city="Владимир",
                                 court="Владимирский областной суд", kind="appeal"),
        "skochilenko": add_hearing(worker, published["skochilenko"], days(2),
                                   city="Санкт-Петербург",
                                   court="Василеостровский районный суд", starts_at=None),
        "closed": add_hearing(worker, published["skochilenko"], days(3), closed=True),
        "kara": add_hearing(worker, published["kara"], days(1)),  # consent without "hearings"
    }
