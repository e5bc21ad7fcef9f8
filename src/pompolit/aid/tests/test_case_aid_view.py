from django.urls import reverse

from pompolit.aid import lifecycle
from pompolit.aid.testing import PLANNED


def test_the_aid_of_a_case(client_for, worker, parcel, prisoner):
    lifecycle.approve_item(worker, parcel(), on=PLANNED)
    parcel(category="alcohol")
    page = client_for(worker).get(reverse("aid_case", args=[prisoner.compartment.slug,
                                                            prisoner.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Aid to Чернышёв Алексей Игоревич" in text
    assert text.count("RUB\xa01,500.00") == 2 and "approved" in text and "draft" in text


def test_outsiders_get_404(client_for, outsider, prisoner):
    page = client_for(outsider).get(reverse("aid_case", args=[prisoner.compartment.slug,
                                                              prisoner.pk]))
    assert page.status_code == 404
