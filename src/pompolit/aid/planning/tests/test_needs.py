"""A prisoner's needs a month (aid/planning/needs.py) and what they change in the plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pompolit.aid.models import MonthlyNeeds
from pompolit.aid.planning import needs
from pompolit.aid.planning import services as plan_service
from pompolit.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 12, 1)


def _allocation(inputs, result, case):
    key = next(k for k, c in inputs.cases.items() if c.pk == case.pk)
    return next(a for a in result.allocations if a.prisoner == key)


def test_default_set_and_audited(worker, prisoner):
    assert needs.needs_of(prisoner) == {"food-parcel": 1, "transfer": 1, "letter": 1}
    needs.set_needs(worker, prisoner, parcels=0, transfers=2, letters=3)
    assert needs.needs_of(prisoner) == {"food-parcel": 0, "transfer": 2, "letter": 3}
    row = MonthlyNeeds.objects.get(case=prisoner)
    assert row.compartment_id == prisoner.compartment_id and row.updated_by == worker
    needs.set_needs(worker, prisoner, parcels=1, transfers=0, letters=8)
    assert MonthlyNeeds.objects.count() == 1
    entries = list(AuditEntry.objects.filter(action="aid.needs_changed").order_by("seq"))
    assert len(entries) == 2
    assert entries[1].details["before"] == {"parcels": 0, "transfers": 2, "letters": 3}
    assert entries[1].details["after"] == {"parcels": 1, "transfers": 0, "letters": 8}


@pytest.mark.parametrize("fields", [{"parcels": -1}, {"parcels": 5}, {"transfers": 5},
                                    {"letters": 9}, {"letters": "2"}, {"letters": True}])
def test_bad_numbers_are_refused_and_nothing_saved(worker, prisoner, fields):
    given = {"parcels": 1, "transfers": 1, "letters": 1, **fields}
    with pytest.raises(ValidationError) as caught:
        needs.set_needs(worker, prisoner, **given)
    assert set(caught.value.error_dict) == set(fields)
    assert not MonthlyNeeds.objects.exists()
    assert not AuditEntry.objects.filter(action="aid.needs_changed").exists()


def test_needs_for_is_one_query(worker, prisoner):
    needs.set_needs(worker, prisoner, parcels=0, transfers=0, letters=2)
    with CaptureQueriesContext(connection) as queries:
        found = needs.needs_for([prisoner.pk, prisoner.pk + 1000])
    assert len(queries) == 1
    assert found[prisoner.pk] == {"food-parcel": 0, "transfer": 0, "letter": 2}
    assert found[prisoner.pk + 1000] == needs.DEFAULT


def test_two_letters_needed_two_planned(coordinator, prisoner, funds):
    budgets = plan_service.resolve_budgets(["general=3000"])
    inputs, result = plan_service.propose(coordinator, MONTH, budgets)
    letters = [line.quantity for line in _allocation(inputs, result, prisoner).lines
               if line.item == "letter"]
    assert letters == [1]  # the default: one of each

    needs.set_needs(coordinator, prisoner, parcels=0, transfers=0, letters=2)
    inputs, result = plan_service.propose(coordinator, MONTH, budgets)
    assert inputs.prisoners[0].needs == {"food-parcel": 0, "transfer": 0, "letter": 2}
    lines = _allocation(inputs, result, prisoner).lines
    assert [(line.item, line.quantity) for line in lines] == [("letter", 2)]


def test_nothing_needed_nothing_planned(coordinator, prisoner, funds):
    needs.set_needs(coordinator, prisoner, parcels=0, transfers=0, letters=0)
    budgets = plan_service.resolve_budgets(["general=30000"])
    inputs, result = plan_service.propose(coordinator, MONTH, budgets)
    allocation = _allocation(inputs, result, prisoner)
    assert list(allocation.lines) == []
    assert any("Nothing is asked" in plan_service.explain(r) for r in allocation.reasons)
