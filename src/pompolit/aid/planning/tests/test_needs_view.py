"""The needs form on a case's aid page (views.aid_needs)."""

import pytest
from django.urls import reverse

from pompolit.aid.models import MonthlyNeeds
from pompolit.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _url(case, name="aid_needs"):
    return reverse(name, args=[case.compartment.slug, case.pk])


def test_the_page_shows_the_needs(client_for, worker, prisoner):
    page = client_for(worker).get(_url(prisoner, "aid_case"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Needs a month" in text and 'name="letters"' in text and 'value="1"' in text


def test_saving_the_needs(client_for, worker, prisoner):
    page = client_for(worker).post(_url(prisoner), {"parcels": "2", "transfers": "0",
                                                   "letters": "4"})
    assert page.status_code == 302 and page.url == _url(prisoner, "aid_case")
    row = MonthlyNeeds.objects.get(case=prisoner)
    assert (row.parcels, row.transfers, row.letters) == (2, 0, 4)
    assert AuditEntry.objects.filter(action="aid.needs_changed").count() == 1
    text = client_for(worker).get(_url(prisoner, "aid_case")).content.decode()
    assert 'name="letters" value="4"' in text


@pytest.mark.parametrize("data", [{"parcels": "-1", "transfers": "1", "letters": "1"},
                                  {"parcels": "1", "transfers": "1", "letters": "99"},
                                  {"parcels": "1", "transfers": "x", "letters": "1"},
                                  {"parcels": "1", "letters": "1"}])
def test_bad_input_shows_an_error_and_keeps_what_was_typed(client_for, worker, prisoner,
                                                            data):
    page = client_for(worker).post(_url(prisoner), data)
    text = page.content.decode()
    assert page.status_code == 400
    assert "Please correct the marked fields below." in text
    assert 'class="errors"' in text
    for name, value in data.items():
        assert f'name="{name}" value="{value}"' in text
    assert not MonthlyNeeds.objects.exists()
    assert not AuditEntry.objects.filter(action="aid.needs_changed").exists()


def test_outsiders_are_refused(client_for, outsider, prisoner):
    page = client_for(outsider).post(_url(prisoner), {"parcels": "0", "transfers": "0",
                                                      "letters": "0"})
    assert page.status_code in (403, 404)
    assert not MonthlyNeeds.objects.exists()


def test_only_post(client_for, worker, prisoner):
    assert client_for(worker).get(_url(prisoner)).status_code == 405


def test_csrf_is_checked(client_for, worker, prisoner):
    client = client_for(worker)
    client.handler.enforce_csrf_checks = True
    page = client.post(_url(prisoner), {"parcels": "0", "transfers": "0", "letters": "0"})
    assert page.status_code == 403
    assert not MonthlyNeeds.objects.exists()
