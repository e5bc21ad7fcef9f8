"""The approval page of a parcel above the threshold: the coordinator reads what they approve —
the prisoner as far as they may see (docs/security.md, "What an approver sees"), the contents
and weight, the facility and the live rules check, the fund and its balance before and after —
and after the decision, what happened."""

import datetime
import re

import pytest
from django.urls import reverse

from pompolit.aid import lifecycle, services
from pompolit.aid.services import ContentLine
from pompolit.aid.testing import rub
from pompolit.members import approvals
from pompolit.members.roles import Role

PLANNED = datetime.date(2026, 11, 10)


@pytest.fixture
def request_for_parcel(worker, prisoner, funds):
    """A 12 500 ₽ parcel from the fund «Передачи» (50 000 ₽), 18 kg, asked for by Николай."""
    item = services.create_item(
        worker, prisoner, "parcel", funds["parcels"], planned_on=PLANNED, cost=rub("12500"),
        channel="post", contents=[ContentLine("food", 6, 15000, "сухари, сахар, гречка"),
                                  ContentLine("tea-coffee", 3, 3000, "чай чёрный")])
    return item, lifecycle.request_item_approval(worker, item, reason="зимняя передача")


def _text(response):
    # The page as a reader sees it: no tags, spaces squeezed.
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_coordinator_outside_the_compartment_sees_the_case_not_the_name(
    client_for, make_member, request_for_parcel
):
    item, request = request_for_parcel
    vera = make_member("Ольга Любатович", Role.COORDINATOR)
    response = client_for(vera).get(reverse("approval_detail", args=[request.pk]))
    page = _text(response)

    assert response.context["can_decide"]
    assert "Чернышёв" not in page and "сухари" not in page
    assert f"Parcel for the prisoner of case #{item.case_id}" in page
    assert "ИК-6" in page  # the facility: public knowledge
    assert "food" in page and "18 kg" in page
    assert "The item passes the facility" in page
    assert "RUB 12,500.00" in page and "Передачи" in page
    assert "RUB 50,000.00" in page and "RUB 37,500.00" in page  # the fund before and after
    # No link to a page that would refuse her with 403.
    assert reverse("aid_item_detail", args=[item.compartment.slug, item.pk]) not in page
    assert "You do not work in this compartment" in page
    # The exact payload is still there, folded; its fingerprint shows.
    assert '<details class="card exact">' in response.content.decode()
    assert request.payload_digest in page


def test_a_coordinator_in_the_compartment_sees_the_name_and_a_link(
    client_for, coordinator, request_for_parcel
):
    item, request = request_for_parcel
    response = client_for(coordinator).get(reverse("approval_detail", args=[request.pk]))
    html = response.content.decode()

    assert "Чернышёв Алексей Игоревич" in html
    assert "сухари, сахар, гречка" in html
    assert reverse("aid_item_detail", args=[item.compartment.slug, item.pk]) in html


def test_the_rules_check_is_live(client_for, make_member, worker, parcel, request_for_parcel):
    # Two more parcels approved in the quarter since it was asked: the strict regime allows two.
    for _ in range(2):
        lifecycle.approve_item(worker, parcel(grams=1000), on=PLANNED)
    _item, request = request_for_parcel
    vera = make_member("Ольга Любатович", Role.COORDINATOR)
    page = _text(client_for(vera).get(reverse("approval_detail", args=[request.pk])))

    assert "This would be the 3rd parcel in the quarter" in page
    assert "RUB 50,000.00" not in page  # the two others took 3 000 ₽ from the fund
    assert "RUB 47,000.00" in page and "RUB 34,500.00" in page


def test_a_fund_that_cannot_pay_is_said_before_approving(
    client_for, make_member, worker, prisoner, funds
):
    item = services.create_item(worker, prisoner, "parcel", funds["parcels"],
                                planned_on=PLANNED, cost=rub("60000"), channel="post",
                                contents=[ContentLine("food", 1, 2000, "мёд")])
    request = lifecycle.request_item_approval(worker, item)
    vera = make_member("Ольга Любатович", Role.COORDINATOR)
    page = _text(client_for(vera).get(reverse("approval_detail", args=[request.pk])))
    assert "holds only RUB 50,000.00 and may not go below zero" in page


def test_after_approval_the_page_says_what_happened(
    client_for, make_member, request_for_parcel
):
    _item, request = request_for_parcel
    vera = make_member("Ольга Любатович", Role.COORDINATOR)
    approvals.approve(request.pk, vera, seen_digest=request.payload_digest)
    page = _text(client_for(vera).get(reverse("approval_detail", args=[request.pk])))

    assert "What happened" in page and "What will happen" not in page
    assert "Approved by Ольга Любатович on" in page and "and carried out on" in page
    assert "Fund balance after" not in page  # no projection of what is done


def test_the_list_shows_the_summary_line(client_for, make_member, request_for_parcel):
    item, _request = request_for_parcel
    vera = make_member("Ольга Любатович", Role.COORDINATOR)
    page = _text(client_for(vera).get(reverse("approval_list")))
    assert (f"Parcel for the prisoner of case #{item.case_id}: RUB 12,500.00 from the fund "
            "“Передачи”") in page
    assert "Чернышёв" not in page
