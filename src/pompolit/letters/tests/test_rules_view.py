"""The facility's letter rules: the defaults, the page that changes them, what they change."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pompolit.letters import pick, rules
from pompolit.letters.models import LetterRules
from pompolit.letters.testing import World
from pompolit.members.models import Member

pytestmark = pytest.mark.django_db


def test_a_facility_without_rules_gets_the_defaults(letters_world: World) -> None:
    found = rules.rules_for(letters_world.ik2)
    assert found.languages == ("ru",) and found.max_chars == 6000 and not found.recorded
    assert found.open_to_writers and found.images_allowed == 0


def test_the_page_saves_the_rules_and_the_writers_see_them(letters_world: World,
                                                           moderator: Member,
                                                           client_for: Any) -> None:
    client = client_for(moderator)
    url = reverse("letter_rules", args=[letters_world.ik2.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"accepts_letters": "on", "languages": ["ru", "uk"],
                                 "max_chars": "1500", "topics_to_avoid": ["war"],
                                 "postcards_accepted": "on"})
    assert response.status_code == 302
    saved = LetterRules.objects.get(facility=letters_world.ik2)
    assert saved.languages == ["ru", "uk"] and saved.max_chars == 1500
    page = client.get(reverse("letter_write",
                              args=[letters_world.writable[1].public_id])).content.decode()
    assert "At most 1500 characters." in page and "Ukrainian" in page


def test_relatives_only_takes_the_prisoners_off_the_writers_pages(letters_world: World,
                                                                  moderator: Member) -> None:
    rules.save_rules(moderator, letters_world.ik2, relatives_only=True)
    assert letters_world.writable[1].pk not in {r.case_id for r in pick.recipients()}


def test_nonsense_is_refused(letters_world: World, moderator: Member, client_for: Any) -> None:
    with pytest.raises(ValidationError):
        rules.save_rules(moderator, letters_world.ik2, languages=["klingon"])
    page = client_for(moderator).post(reverse("letter_rules", args=[letters_world.ik2.pk]),
                                      {"max_chars": "-5"}).content.decode()
    assert "max_chars" in page and not LetterRules.objects.filter(
        facility=letters_world.ik2).exists()


def test_only_moderators_change_rules(letters_world: World, make_member: Any) -> None:
    treasurer = make_member("Казначей Фёдор", "treasurer")
    with pytest.raises(PermissionDenied):
        rules.save_rules(treasurer, letters_world.ik2, max_chars=100)
