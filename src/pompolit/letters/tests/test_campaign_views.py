"""The campaigns' pages: the list with statistics for moderators, the form for coordinators,
and the writer's page showing the campaign that runs, in English and Russian."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pompolit.letters import campaigns
from pompolit.letters.models import Campaign
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_member: Any) -> Member:
    made: Member = make_member("Ольга Любатович", Role.COORDINATOR)
    return made


def test_a_coordinator_makes_one_through_the_form(coordinator: Member, client_for: Any) -> None:
    client = client_for(coordinator)
    assert "Suggestion for writers" in client.get(reverse("letter_campaign_new")).content.decode()
    response = client.post(reverse("letter_campaign_new"), {
        "name_en": "New Year cards", "name_ru": "Новогодние открытки",
        "starts_on": "15 Dec 2026", "ends_on": "10.01.2027",
        "suggestion_en": "Wish them a happy New Year.", "suggestion_ru": "Поздравьте их!",
        "card_theme": "new_year"}, follow=True)
    page = response.content.decode()
    assert "New Year cards" in page and "is saved" in page
    made = Campaign.objects.get()
    assert (made.starts_on, made.ends_on) == (datetime.date(2026, 12, 15),
                                              datetime.date(2027, 1, 10))


def test_the_form_says_what_is_wrong(coordinator: Member, client_for: Any) -> None:
    page = client_for(coordinator).post(reverse("letter_campaign_new"), {
        "name_en": "Spring", "name_ru": "Весна", "starts_on": "08.03.2027",
        "ends_on": "01.03.2027"}).content.decode()
    assert "The last day cannot be before the first." in page
    assert not Campaign.objects.exists()


def test_a_case_worker_reads_the_statistics_but_makes_none(
        moderator: Member, coordinator: Member, client_for: Any) -> None:
    campaigns.create_campaign(coordinator, name_en="New Year cards",
                              name_ru="Новогодние открытки",
                              starts_on=datetime.date(2026, 12, 15),
                              ends_on=datetime.date(2027, 1, 10))
    client = client_for(moderator)
    page = client.get(reverse("letter_campaigns")).content.decode()
    assert "New Year cards" in page and "Letters written" in page
    assert reverse("letter_campaign_new") not in page
    assert client.get(reverse("letter_campaign_new")).status_code in (302, 403)


def test_the_write_page_shows_the_running_campaign(
        letters_world: World, coordinator: Member) -> None:
    today = timezone.localdate()
    campaigns.create_campaign(
        coordinator, name_en="New Year cards", name_ru="Новогодние открытки",
        starts_on=today, ends_on=today + datetime.timedelta(days=10),
        suggestion_en="Wish them a happy New Year.",
        suggestion_ru="Расскажите, как вы встречаете Новый год.", card_theme="new_year")
    url = reverse("letter_write", args=[letters_world.writable[0].public_id])
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert "New Year cards" in english and "Wish them a happy New Year." in english
    assert "theme-new_year" in english
    russian = Client(HTTP_ACCEPT_LANGUAGE="ru").get(url).content.decode()
    assert "Новогодние открытки" in russian and "как вы встречаете" in russian
    home = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("letters_home")).content.decode()
    assert "New Year cards" in home
