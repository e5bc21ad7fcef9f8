"""The hotline's events page: the list, an event added before the calls come, a typo
corrected; for the hotline's operators only."""

import pytest
from django.urls import reverse

from pompolit.intake.models import ProtestEvent, Reporter
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry, protest
from pompolit.members.roles import Role


@pytest.fixture
def url(hotline):
    return reverse("intake_event_list", args=[hotline.slug])


def edit_url(hotline, event):
    return reverse("intake_event_edit", args=[hotline.slug, event.pk])


def test_the_list_shows_the_hotlines_events_with_their_detentions(
    client_for, operator, hotline, url, pushkin_square
):
    record_report(operator, hotline, entry(event=pushkin_square), reporter=Reporter.RELATIVE)
    protest("Шествие по Невскому", "Санкт-Петербург")
    page = client_for(operator).get(url).content.decode()
    assert "Антивоенная акция на Пушкинской площади" in page
    assert "Шествие по Невскому" not in page
    assert "<td>1</td>" in page  # one detention
    assert f'href="{edit_url(hotline, pushkin_square)}"' in page


def test_an_event_is_added_and_the_page_says_so(client_for, operator, url):
    response = client_for(operator).post(
        url, {"name": "Пикет у Госдумы", "city": "Москва", "date": "07.12.2026"}, follow=True
    )
    assert ProtestEvent.objects.get().name == "Пикет у Госдумы"
    assert "Event added: Пикет у Госдумы (Москва, 07.12.2026)." in response.content.decode()


def test_an_event_added_twice_is_explained(client_for, operator, url, pushkin_square):
    response = client_for(operator).post(
        url, {"name": pushkin_square.name, "city": "Москва", "date": "06.03.2026"}
    )
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert ProtestEvent.objects.count() == 1


def test_a_typo_is_corrected(client_for, operator, hotline, pushkin_square):
    client = client_for(operator)
    assert pushkin_square.name in client.get(edit_url(hotline, pushkin_square)).content.decode()
    response = client.post(
        edit_url(hotline, pushkin_square),
        {"name": "Антивоенная акция на Пушкинской пл.", "city": "Москва", "date": "06.03.2026"},
        follow=True,
    )
    pushkin_square.refresh_from_db()
    assert pushkin_square.name == "Антивоенная акция на Пушкинской пл."
    assert "Event saved" in response.content.decode()


def test_an_event_another_hotline_uses_is_refused_with_a_reason(
    client_for, operator, spb_operator, hotline, spb_hotline, pushkin_square
):
    record_report(spb_operator, spb_hotline, entry(event=pushkin_square), reporter="relative")
    response = client_for(operator).post(
        edit_url(hotline, pushkin_square), {"name": "Акция", "city": "Москва", "date": "06.03.2026"}
    )
    assert "another hotline" in response.content.decode()
    pushkin_square.refresh_from_db()
    assert pushkin_square.name != "Акция"


def test_the_page_speaks_russian(client_for, operator, url):
    client = client_for(operator)
    client.cookies["django_language"] = "ru"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Акции и события" in page


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.COORDINATOR])
def test_only_the_hotlines_operators_keep_its_events(
    client_for, make_member, hotline, spb_operator, url, pushkin_square, role
):
    member = make_member("Николай Морозов", role, compartments=[hotline])
    for visitor in (member, spb_operator):
        client = client_for(visitor)
        assert client.get(url).status_code in {403, 404}
        assert client.get(edit_url(hotline, pushkin_square)).status_code in {403, 404}
