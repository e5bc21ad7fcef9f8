"""Matches as a name is typed: within the member's compartments, and only the fact of one
elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pompolit.cases.duplicates import services
from pompolit.cases.models import Case
from pompolit.cases.testing import P
from pompolit.members.models import Compartment, Member


@pytest.fixture
def sokolova(open_case: Callable[..., Case]) -> Case:
    return open_case("Соколова", "Мария", "Андреевна", birth_date=P("1987-04-12"))


def test_a_latin_spelling_finds_the_person_in_my_compartment(
    sokolova: Case, worker: Member
) -> None:
    found = services.possible_matches(worker, "Sokolova Maria", P("1987-04-12"))
    [match] = found.visible
    assert match.person == sokolova.person_id
    assert match.cases == ((sokolova.compartment.slug, sokolova.compartment.name, sokolova.pk),)
    assert not found.elsewhere


def test_a_match_in_another_compartment_is_only_a_fact(sokolova: Case, outsider: Member) -> None:
    found = services.possible_matches(outsider, "Sokolova Maria", P("1987"))
    assert found.visible == []
    assert found.elsewhere


def test_a_different_person_is_no_match(sokolova: Case, worker: Member) -> None:
    found = services.possible_matches(worker, "Петров Иван", None)
    assert found.visible == [] and not found.elsewhere


def test_a_namesake_born_in_another_year_is_no_match(sokolova: Case, worker: Member) -> None:
    found = services.possible_matches(worker, "Соколова Мария Андреевна", P("1960"))
    assert found.visible == []


def test_an_auditor_may_not_ask(
    sokolova: Case, make_member: Callable[..., Member], compartment: Compartment
) -> None:
    auditor = make_member("Ревизор", "auditor", compartments=[compartment])
    with pytest.raises(PermissionDenied):
        services.possible_matches(auditor, "Sokolova", None)


def test_a_hotline_operator_may_ask(
    sokolova: Case, make_member: Callable[..., Member], compartment: Compartment, db: Any
) -> None:
    operator = make_member("Дежурная", "hotline_operator", compartments=[compartment])
    assert services.possible_matches(operator, "Sokolova Maria", None).visible
