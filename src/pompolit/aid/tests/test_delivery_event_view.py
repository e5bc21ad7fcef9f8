"""A delivered item is logged on the case's timeline as what arrived (issue 13, point 9): a
parcel as "parcel delivered", never as "letter received"."""

from django.urls import reverse
from django.utils import translation

from pompolit.aid import lifecycle
from pompolit.aid.models import AidItem
from pompolit.aid.testing import PLANNED
from pompolit.ledger import services as ledger


def deliver(client, item, on="2026-11-26"):
    return client.post(
        reverse("aid_item_step", args=[item.case.compartment.slug, item.pk]),
        {"version": AidItem.objects.get(pk=item.pk).version, "step": "delivered", "on": on},
        follow=True,
    )


def sent(worker, item):
    import datetime

    approved = lifecycle.approve_item(worker, item, on=PLANNED)
    return lifecycle.send_item(worker, approved, on=datetime.date(2026, 11, 12), channel="post")


def test_a_delivered_parcel_is_a_parcel_on_the_timeline(client_for, worker, parcel):
    item = sent(worker, parcel())
    deliver(client_for(worker), item)
    event = item.case.events.order_by("-pk").first()
    assert event.type.code == "parcel-delivered"
    page = (
        client_for(worker)
        .get(reverse("case_detail", args=[item.case.compartment.slug, item.case.pk]))
        .content.decode()
    )
    assert "parcel delivered" in page and "letter received" not in page


def test_in_russian_the_timeline_says_the_parcel_was_received(client_for, worker, parcel):
    item = sent(worker, parcel())
    deliver(client_for(worker), item)
    with translation.override("ru"):
        assert item.case.events.order_by("-pk").first().type.label == "передача получена"


def test_a_money_transfer_delivered_is_a_transfer_received(client_for, worker, prisoner, funds):
    from pompolit.aid import services

    item = services.create_item(
        worker,
        prisoner,
        "money",
        funds["general"],
        planned_on=PLANNED,
        cost=ledger.money("3000", "RUB"),
        channel="post",
        money_to="prisoner",
    )
    deliver(client_for(worker), sent(worker, item))
    assert prisoner.events.order_by("-pk").first().type.code == "money-delivered"
