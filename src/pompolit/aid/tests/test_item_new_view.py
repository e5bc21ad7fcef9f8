from django.urls import reverse

from pompolit.aid.models import AidItem
from pompolit.aid.testing import PLANNED


def form(funds, **changes):
    data = {"kind": "parcel", "fund": funds["parcels"].pk, "planned_on": PLANNED.isoformat(),
            "amount": "1 500,50".replace(" ", "").replace(",", "."), "currency": "RUB",
            "channel": "post", "line1_category": "vegetables", "line1_description": "лук",
            "line1_quantity": "3", "line1_grams": "3000", "line2_category": "hygiene",
            "line2_description": "мыло хозяйственное", "line2_quantity": "4",
            "line2_grams": "800"}
    data.update(changes)
    return data


def url(case, name="aid_item_new"):
    return reverse(name, args=[case.compartment.slug, case.pk])


def test_the_form_shows_the_case_and_the_contents_lines(client_for, worker, prisoner, funds):
    page = client_for(worker).get(url(prisoner) + "?kind=parcel")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Чернышёв Алексей Игоревич" in text and "line8_grams" in text
    assert 'hx-post="' + url(prisoner, "aid_item_check") in text


def test_a_draft_is_saved(client_for, worker, prisoner, funds):
    response = client_for(worker).post(url(prisoner), form(funds))
    item = AidItem.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{item.pk}/")
    assert item.cost_units == 150050 and item.total_grams == 3800


def test_absurd_weights_come_back_with_the_reason(client_for, worker, prisoner, funds):
    response = client_for(worker).post(url(prisoner), form(funds, line1_grams="-5"))
    assert response.status_code == 200
    assert "Line 1: the weight must be from 1 g to 50 kg." in response.content.decode()
    assert not AidItem.objects.exists()


def test_an_incomplete_line_is_refused(client_for, worker, prisoner, funds):
    response = client_for(worker).post(url(prisoner), form(funds, line1_grams=""))
    assert "Line 1: give the category, the quantity and the weight." in (
        response.content.decode())


def test_the_live_check_fragment(client_for, worker, prisoner, funds):
    client = client_for(worker)
    heavy = client.post(url(prisoner, "aid_item_check"),
                        form(funds, line1_grams="22000", line2_category="alcohol"),
                        HTTP_HX_REQUEST="true")
    text = heavy.content.decode()
    assert heavy.status_code == 200 and 'id="rule-check"' in text
    assert "This parcel weighs 22.8 kg; ИК-6 accepts at most 20 kg per parcel." in text
    assert "alcohol" in text and "<html" not in text
    fine = client.post(url(prisoner, "aid_item_check"), form(funds), HTTP_HX_REQUEST="true")
    assert "rules on that day." in fine.content.decode()
    assert not AidItem.objects.exists()


def test_in_russian(client_for, worker, prisoner, funds):
    client = client_for(worker)
    client.cookies["django_language"] = "ru"
    page = client.get(url(prisoner), HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200


def test_someone_from_another_compartment_gets_404(client_for, outsider, prisoner, funds):
    assert client_for(outsider).get(url(prisoner)).status_code == 404
