"""The coordinators' planning page: propose, adjust, accept."""

import datetime

import pytest

from pompolit.aid.models import AidItem, Kind
from pompolit.aid.testing import P
from pompolit.cases import services as cases
from pompolit.cases.models import CaseStatus, EventType
from pompolit.names import Name

pytestmark = pytest.mark.django_db

URL = "/aid/plan/"


@pytest.fixture
def second(worker, compartment, colony):
    case = cases.open_case(
        worker, compartment=compartment, name=Name("Кибальчич", "Виктор", "Львович"),
        birth_date=P("1990"), status=CaseStatus.objects.get(code="sentenced"),
        opened_on=datetime.date(2024, 1, 1), priority=1,
    )
    cases.add_event(worker, case, type=EventType.objects.get(code="arrest"),
                    date=P("2024-01-10"), facility=colony)
    return case


def test_only_coordinators(client_for, worker, funds):
    assert client_for(worker).get(URL).status_code in (403, 404)


def test_propose_adjust_accept(client_for, coordinator, prisoner, second, funds):
    client = client_for(coordinator)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="budget-parcels-RUB"' in page.content.decode()
    form = {"month": "2026-12", "budget-parcels-RUB": "6000", "budget-general-RUB": "3000"}
    proposed = client.post(URL, {**form, "action": "propose"})
    text = proposed.content.decode()
    assert proposed.status_code == 200
    assert "Кибальчич" in text and "Чернышёв" in text
    assert "optimality gap" in text
    assert f'name="q-{second.pk}-food-parcel-parcels" value="1"' in text
    assert not AidItem.objects.exists()

    # The coordinator removes the letter lines and keeps the parcel.
    accepted = client.post(URL, {**form, "action": "accept",
                                 f"q-{second.pk}-food-parcel-parcels": "1",
                                 f"q-{prisoner.pk}-letter-general": "0"})
    assert accepted.status_code == 302
    items = list(AidItem.objects.all())
    assert [(i.case_id, i.kind) for i in items] == [(second.pk, Kind.PARCEL)]


def test_a_line_may_move_to_another_fund(client_for, coordinator, prisoner, second, funds):
    client = client_for(coordinator)
    form = {"month": "2026-12", "budget-parcels-RUB": "6000", "budget-general-RUB": "600"}
    proposed = client.post(URL, {**form, "action": "propose"}).content.decode()
    assert f'name="fund-{second.pk}-food-parcel-parcels"' in proposed
    assert '<option value="general"' in proposed
    client.post(URL, {**form, "action": "accept",
                      f"q-{second.pk}-food-parcel-parcels": "1",
                      f"fund-{second.pk}-food-parcel-parcels": "general"})
    # 5000 from a budget of 600: refused whole.
    assert not AidItem.objects.exists()
    form["budget-general-RUB"] = "6000"
    client.post(URL, {**form, "action": "accept",
                      f"q-{second.pk}-food-parcel-parcels": "1",
                      f"fund-{second.pk}-food-parcel-parcels": "general"})
    parcel = AidItem.objects.get(kind=Kind.PARCEL)
    assert parcel.fund.code == "general"
    # A fund that may not pay for the item is refused, and nothing is created.
    client.post(URL, {**form, "action": "accept",
                      f"q-{prisoner.pk}-transfer-general": "1",
                      f"fund-{prisoner.pk}-transfer-general": "parcels"})
    assert AidItem.objects.count() == 1


def test_tampered_lines_are_refused_whole(client_for, coordinator, prisoner, second, funds):
    client = client_for(coordinator)
    form = {"month": "2026-12", "budget-parcels-RUB": "6000", "action": "accept",
            f"q-{second.pk}-food-parcel-parcels": "1",
            f"q-{prisoner.pk}-food-parcel-parcels": "1"}
    page = client.post(URL, form, follow=True)
    assert "more than its budget" in page.content.decode()
    assert not AidItem.objects.exists()
    bad = client.post(URL, {"month": "2026-13", "budget-parcels-RUB": "1",
                            "action": "propose"}, follow=True)
    assert "Enter the month as Dec 2026, 12.2026 or 2026-12." in bad.content.decode()
    none = client.post(URL, {"month": "2026-12", "action": "propose"})
    assert "at least one fund" in none.content.decode()
