from django.urls import reverse

from pompolit.aid.models import AidItem

from .test_item_new_view import form


def url(item):
    return reverse("aid_item_edit", args=[item.case.compartment.slug, item.pk])


def test_two_case_workers_edit_one_item_the_second_is_told(client_for, worker, second_worker,
                                                           parcel, funds):
    item = parcel()
    first, second = client_for(worker), client_for(second_worker)
    assert first.get(url(item)).status_code == 200
    assert second.get(url(item)).status_code == 200
    saved = first.post(url(item), form(funds, version=1, amount="1700"))
    assert saved.status_code == 302
    stale = second.post(url(item), form(funds, version=1, amount="900"))
    text = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone else changed this item while you were editing it" in text
    kept = AidItem.objects.get(pk=item.pk)
    assert kept.cost_units == 170000 and kept.version == 2


def test_the_kind_cannot_change(client_for, worker, parcel, funds):
    item = parcel()
    response = client_for(worker).post(url(item), form(funds, version=1, kind="books"))
    assert "The kind cannot change" in response.content.decode()
