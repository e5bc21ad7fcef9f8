"""Aid's money inputs answer huge and odd amounts with a form error, never a 500, and store
nothing beyond the books' bound (ledger.money.MAX_UNITS; the database refuses it too)."""

import pytest
from django.db import IntegrityError, transaction

from pompolit.aid.models import AidItem
from pompolit.ledger.money import MAX_UNITS

from .test_item_new_view import form, url

ODD = ["92233720368547758.07", "9" * 30 + ".99", "1E+30", "Infinity", "NaN", "0x10", "-1",
       "1_000"]


@pytest.mark.parametrize("amount", ODD)
def test_the_item_form_refuses_odd_costs(client_for, worker, prisoner, funds, amount):
    response = client_for(worker).post(url(prisoner), form(funds, amount=amount))
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert not AidItem.objects.exists()


@pytest.mark.parametrize("amount", ODD)
def test_the_plan_refuses_odd_budgets(client_for, coordinator, prisoner, funds, amount):
    response = client_for(coordinator).post("/aid/plan/", {
        "month": "2026-12", "budget-parcels-RUB": amount, "action": "propose"})
    assert response.status_code == 200
    assert not AidItem.objects.exists()


def test_the_database_refuses_a_cost_beyond_the_bound(client_for, worker, prisoner, funds):
    client_for(worker).post(url(prisoner), form(funds))
    item = AidItem.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AidItem.objects.filter(pk=item.pk).update(cost_units=MAX_UNITS + 1)
