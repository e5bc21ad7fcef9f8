import datetime

from django.urls import reverse

from pompolit.aid import lifecycle, services
from pompolit.aid.models import AidItem, Status
from pompolit.aid.testing import PLANNED, rub


def page(client, item):
    return client.get(reverse("aid_item_detail", args=[item.case.compartment.slug, item.pk]))


def step(client, item, **data):
    return client.post(reverse("aid_item_step", args=[item.case.compartment.slug, item.pk]),
                       {"version": AidItem.objects.get(pk=item.pk).version, **data},
                       follow=True)


def test_a_parcel_from_draft_to_delivered_through_the_page(client_for, worker, parcel):
    client = client_for(worker)
    item = parcel()
    assert "Approve and reserve the money" in page(client, item).content.decode()
    text = step(client, item, step="approve", on="2026-11-10").content.decode()
    assert "Approved; the cost is reserved in the fund." in text
    text = step(client, item, step="send", on="2026-11-12", channel="post",
                tracking_number="80085612345678").content.decode()
    assert "Recorded as sent; the payment is posted." in text
    assert "80085612345678" in text
    text = step(client, item, step="delivered", on="2026-11-26").content.decode()
    assert AidItem.objects.get(pk=item.pk).status == Status.DELIVERED
    item.case.refresh_from_db()
    assert item.case.last_contact_on == datetime.date(2026, 11, 26)


def test_violations_are_shown_and_approval_refused(client_for, worker, parcel):
    client = client_for(worker)
    item = parcel(grams=24000)
    text = page(client, item).content.decode()
    assert "This parcel weighs 24 kg; ИК-6 accepts at most 20 kg per parcel." in text
    text = step(client, item, step="approve").content.decode()
    assert "This parcel weighs 24 kg" in text
    assert AidItem.objects.get(pk=item.pk).status == Status.DRAFT


def test_a_stale_step_is_refused(client_for, worker, second_worker, parcel):
    client = client_for(worker)
    item = parcel()
    old = item.version
    services.update_item(second_worker, item, version=old, cost=rub("1900"))
    response = client.post(reverse("aid_item_step", args=[item.case.compartment.slug, item.pk]),
                           {"version": old, "step": "approve"}, follow=True)
    assert "Someone else changed this item" in response.content.decode()
    assert AidItem.objects.get(pk=item.pk).status == Status.DRAFT


def test_above_the_threshold_the_page_asks_a_coordinator(client_for, worker, prisoner, funds):
    client = client_for(worker)
    item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("40000"))
    assert "Ask a coordinator to approve" in page(client, item).content.decode()
    text = step(client, item, step="request").content.decode()
    assert "A coordinator is asked to approve it." in text
    assert lifecycle.pending_request(item) is not None


def test_a_flagged_item_shows_why(client_for, worker, parcel):
    item = lifecycle.approve_item(worker, parcel(), on=PLANNED)
    AidItem.objects.filter(pk=item.pk).update(flags=[{"code": "weight", "values": {
        "kg": "18", "facility": "ИК-6", "max_kg": "15"}}])
    text = page(client_for(worker), item).content.decode()
    assert "This parcel weighs 18 kg; ИК-6 accepts at most 15 kg per parcel." in text


def test_the_tracking_number_is_not_in_the_database_in_clear(client_for, worker, parcel):
    item = lifecycle.approve_item(worker, parcel(), on=PLANNED)
    lifecycle.send_item(worker, item, on=PLANNED, channel="courier",
                        tracking_number="CDEK-1234567")
    raw = AidItem.objects.filter(pk=item.pk).values_list("tracking_number", flat=True).get()
    assert "1234567" not in raw


def test_outsiders_get_404(client_for, outsider, parcel):
    assert page(client_for(outsider), parcel()).status_code == 404
