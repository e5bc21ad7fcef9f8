"""The facility's new-rule page: its date is typed as the reader's language writes dates (or as
ISO), the hint says so, and a wrong date is refused saying what was expected."""

import datetime

import pytest
from django.urls import reverse

from pompolit.cases.models import FacilityRule


def rule_form(valid_from):
    return {
        "regime": "",
        "valid_from": valid_from,
        "max_parcel_kg": "20",
        "parcels_per_period": "6",
        "period_months": "12",
        "banned_items": "алкоголь",
        "letter_languages": "ru",
        "money_limit": "",
        "money_currency": "RUB",
        "source": "Приказ Минюста № 110",
    }


def in_language(client, language):
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("typed", ["01.01.2026", "2026-01-01"])
def test_the_rule_form_takes_the_first_of_january_in_either_language(
    worker, facilities, client_for, language, typed
):
    ik6 = facilities["ik6"]
    client = in_language(client_for(worker), language)
    response = client.post(reverse("facility_rule_add", args=[ik6.pk]), rule_form(typed))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert FacilityRule.objects.get(facility=ik6).valid_from == datetime.date(2026, 1, 1)


def test_the_english_page_takes_the_month_s_name_too(worker, facilities, client_for):
    ik6 = facilities["ik6"]
    response = client_for(worker).post(
        reverse("facility_rule_add", args=[ik6.pk]), rule_form("1 Jan 2026")
    )
    assert response.status_code == 302
    assert FacilityRule.objects.get(facility=ik6).valid_from == datetime.date(2026, 1, 1)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_wrong_date_is_refused_saying_what_was_expected(worker, facilities, client_for, language):
    ik6 = facilities["ik6"]
    client = in_language(client_for(worker), language)
    page = client.post(reverse("facility_rule_add", args=[ik6.pk]), rule_form("01/13/2026"))
    html = page.content.decode()
    assert page.status_code == 200 and not FacilityRule.objects.exists()
    assert "31.12.2026" in html and "2026-12-31" in html
    assert "Enter a valid date" not in html and "Введите правильную дату" not in html


@pytest.mark.parametrize(("language", "own"), [("en", "31 Dec 2026"), ("ru", "31.12.2026")])
def test_the_hint_under_the_date_names_the_accepted_forms(
    worker, facilities, client_for, language, own
):
    client = in_language(client_for(worker), language)
    html = client.get(reverse("facility_rule_add", args=[facilities["ik6"].pk])).content.decode()
    assert 'id="id_valid_from_helptext"' in html
    assert own in html and "2026-12-31" in html
    assert 'type="date"' not in html
