"""Correcting a letter campaign: coordinators only, the same rules as a new one (no overlap
but with itself), the form keeps what was typed on a mistake, and the change is in the trail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.letters import campaigns
from pompolit.letters.models import Campaign, CardTheme
from pompolit.members.models import Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db

DAY = datetime.date


@pytest.fixture
def coordinator(make_member: Any) -> Member:
    made: Member = make_member("Ольга Любатович", Role.COORDINATOR)
    return made


@pytest.fixture
def new_year(coordinator: Member) -> Campaign:
    return campaigns.create_campaign(
        coordinator, name_en="New Year cards", name_ru="Новогодние открытки",
        starts_on=DAY(2026, 12, 15), ends_on=DAY(2027, 1, 10),
        suggestion_en="Wish them a happy New Year.", card_theme=CardTheme.NEW_YEAR)


def fields(**changes: Any) -> dict[str, Any]:
    return {"name_en": "New Year cards", "name_ru": "Новогодние открытки",
            "starts_on": DAY(2026, 12, 15), "ends_on": DAY(2027, 1, 10),
            "suggestion_en": "Wish them a happy New Year.", "suggestion_ru": "",
            "card_theme": CardTheme.NEW_YEAR, **changes}


def test_a_coordinator_corrects_the_days_and_it_is_in_the_trail(
        coordinator: Member, new_year: Campaign) -> None:
    saved = campaigns.edit_campaign(coordinator, new_year, **fields(
        ends_on=DAY(2027, 1, 14), suggestion_ru="  Поздравьте с Новым годом.  "))
    saved.refresh_from_db()
    assert saved.ends_on == DAY(2027, 1, 14)
    assert saved.suggestion_ru == "Поздравьте с Новым годом."
    entry = AuditEntry.objects.get(action="letters.campaign_edited")
    assert entry.details == {"changed": ["ends_on", "suggestion_ru"], "from": "2026-12-15",
                             "to": "2027-01-14"}
    assert entry.actor_id == coordinator.pk


def test_nothing_changed_nothing_recorded(coordinator: Member, new_year: Campaign) -> None:
    campaigns.edit_campaign(coordinator, new_year, **fields())
    assert not AuditEntry.objects.filter(action="letters.campaign_edited").exists()


def test_the_same_rules_as_a_new_one(coordinator: Member, new_year: Campaign) -> None:
    spring = campaigns.create_campaign(
        coordinator, name_en="Spring", name_ru="Весна", starts_on=DAY(2027, 3, 1),
        ends_on=DAY(2027, 3, 8))
    with pytest.raises(ValidationError) as overlap:
        campaigns.edit_campaign(coordinator, spring, **fields(
            name_en="Spring", name_ru="Весна", starts_on=DAY(2027, 1, 10),
            ends_on=DAY(2027, 1, 20)))
    assert "overlap the campaign" in str(overlap.value.message_dict["starts_on"])
    with pytest.raises(ValidationError) as wrong:
        campaigns.edit_campaign(coordinator, new_year, **fields(
            name_ru=" ", ends_on=DAY(2026, 12, 1)))
    assert set(wrong.value.message_dict) == {"name_ru", "ends_on"}
    new_year.refresh_from_db()
    assert new_year.name_ru == "Новогодние открытки" and new_year.ends_on == DAY(2027, 1, 10)


def test_a_case_worker_may_not(moderator: Member, new_year: Campaign, client_for: Any) -> None:
    with pytest.raises(PermissionDenied):
        campaigns.edit_campaign(moderator, new_year, **fields(name_en="Mine"))
    client = client_for(moderator)
    assert reverse("letter_campaign_edit", args=[new_year.pk]) not in client.get(
        reverse("letter_campaigns")).content.decode()
    assert client.get(reverse("letter_campaign_edit", args=[new_year.pk])).status_code in (
        302, 403)


def test_the_form_is_filled_in_and_saves(coordinator: Member, new_year: Campaign,
                                         client_for: Any) -> None:
    client = client_for(coordinator)
    url = reverse("letter_campaign_edit", args=[new_year.pk])
    assert url in client.get(reverse("letter_campaigns")).content.decode()
    page = client.get(url).content.decode()
    assert 'value="New Year cards"' in page and "Wish them a happy New Year." in page
    response = client.post(url, {
        "name_en": "New Year and Christmas cards", "name_ru": "Новогодние открытки",
        "starts_on": "15.12.2026", "ends_on": "14.01.2027", "card_theme": "new_year"},
        follow=True)
    assert "is saved" in response.content.decode()
    new_year.refresh_from_db()
    assert new_year.name_en == "New Year and Christmas cards"
    assert new_year.ends_on == DAY(2027, 1, 14) and new_year.suggestion_en == ""


def test_the_form_keeps_what_was_typed_on_a_mistake(coordinator: Member, new_year: Campaign,
                                                     client_for: Any) -> None:
    campaigns.create_campaign(coordinator, name_en="Spring", name_ru="Весна",
                              starts_on=DAY(2027, 3, 1), ends_on=DAY(2027, 3, 8))
    page = client_for(coordinator).post(reverse("letter_campaign_edit", args=[new_year.pk]), {
        "name_en": "Cards until spring", "name_ru": "Открытки до весны",
        "starts_on": "15.12.2026", "ends_on": "02.03.2027",
        "suggestion_en": "Write about the winter."}).content.decode()
    assert "overlap the campaign" in page
    assert 'value="Cards until spring"' in page and "Write about the winter." in page
    new_year.refresh_from_db()
    assert new_year.name_en == "New Year cards"


def test_an_unknown_campaign_is_a_404(coordinator: Member, client_for: Any) -> None:
    assert client_for(coordinator).get(
        reverse("letter_campaign_edit", args=[999])).status_code == 404
