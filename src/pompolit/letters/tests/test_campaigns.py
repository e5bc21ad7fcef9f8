"""Holiday campaigns: only coordinators make them, they never overlap, the letters written
while one runs carry it, and its statistics count letters written, sent, delivered and
replies."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from pompolit.audit.models import AuditEntry
from pompolit.letters import campaigns, services, work
from pompolit.letters.models import Campaign, CardTheme, Status
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_member: Any) -> Member:
    made: Member = make_member("Ольга Любатович", Role.COORDINATOR)
    return made


def _new_year(actor: Member, starts: datetime.date, ends: datetime.date) -> Campaign:
    return campaigns.create_campaign(
        actor, name_en="New Year cards", name_ru="Новогодние открытки", starts_on=starts,
        ends_on=ends, suggestion_en="Wish them a happy New Year.",
        suggestion_ru="Поздравьте с Новым годом: расскажите, как вы встречаете праздник.",
        card_theme=CardTheme.NEW_YEAR)


def test_a_coordinator_makes_a_campaign_and_it_is_in_the_trail(coordinator: Member) -> None:
    made = _new_year(coordinator, datetime.date(2026, 12, 15), datetime.date(2027, 1, 10))
    assert campaigns.current(datetime.date(2027, 1, 1)) == made
    assert campaigns.current(datetime.date(2027, 1, 11)) is None
    entry = AuditEntry.objects.get(action="letters.campaign_created")
    assert entry.details == {"from": "2026-12-15", "to": "2027-01-10", "theme": "new_year"}
    with translation.override("ru"):
        assert campaigns.name(made) == "Новогодние открытки"
        assert campaigns.suggestion(made).startswith("Поздравьте")
    with translation.override("en"):
        assert campaigns.name(made) == "New Year cards"


def test_a_case_worker_may_not(moderator: Member) -> None:
    with pytest.raises(PermissionDenied):
        _new_year(moderator, datetime.date(2026, 12, 15), datetime.date(2027, 1, 10))
    assert not Campaign.objects.exists()


def test_campaigns_never_overlap_and_days_are_checked(coordinator: Member) -> None:
    _new_year(coordinator, datetime.date(2026, 12, 15), datetime.date(2027, 1, 10))
    with pytest.raises(ValidationError) as overlap:
        campaigns.create_campaign(coordinator, name_en="Orthodox Christmas",
                                  name_ru="Рождество", starts_on=datetime.date(2027, 1, 5),
                                  ends_on=datetime.date(2027, 1, 8))
    assert "Новогодние открытки" in str(overlap.value) or "New Year" in str(overlap.value)
    with pytest.raises(ValidationError) as backwards:
        campaigns.create_campaign(coordinator, name_en="Spring", name_ru="Весна",
                                  starts_on=datetime.date(2027, 3, 8),
                                  ends_on=datetime.date(2027, 3, 1))
    assert "ends_on" in backwards.value.message_dict
    with pytest.raises(ValidationError) as unnamed:
        campaigns.create_campaign(coordinator, name_en="Spring", name_ru="  ",
                                  starts_on=datetime.date(2027, 3, 1),
                                  ends_on=datetime.date(2027, 3, 8), card_theme="easter")
    assert set(unnamed.value.message_dict) == {"name_ru", "card_theme"}
    assert Campaign.objects.count() == 1


def test_letters_written_during_it_carry_it_and_are_counted(
        letters_world: World, moderator: Member, coordinator: Member) -> None:
    today = timezone.localdate()
    running = _new_year(coordinator, today - datetime.timedelta(days=2),
                        today + datetime.timedelta(days=5))
    to_alexey = letters_world.recipient(letters_world.writable[0])
    to_sasha = letters_world.recipient(letters_world.writable[1])
    first = services.write_letter(to_alexey, text="Алексей, с наступающим Новым годом!").letter
    second = services.write_letter(to_sasha, text="Саша, с Новым годом! Обнимаю.").letter
    third = services.write_letter(to_sasha, text="Саша, ёлка у нас уже стоит.").letter
    assert {first.campaign_id, second.campaign_id, third.campaign_id} == {running.pk}
    for letter in (first, second):
        work.move(moderator, letter, Status.APPROVED)
        work.move(moderator, letter, Status.SENT)
    work.move(moderator, second, Status.DELIVERED)
    work.add_reply(moderator, second, received_on=today, transcription="Спасибо за открытку!")
    [row] = campaigns.statistics(moderator)
    assert (row.campaign, row.written, row.on_paper, row.sent, row.delivered, row.replies) == (
        running, 3, 0, 2, 1, 1)


def test_no_campaign_no_mark(letters_world: World, coordinator: Member) -> None:
    _new_year(coordinator, datetime.date(2020, 12, 15), datetime.date(2021, 1, 10))
    letter = services.write_letter(letters_world.recipient(letters_world.writable[0]),
                                   text="Алексей, здравствуйте!").letter
    assert letter.campaign_id is None
