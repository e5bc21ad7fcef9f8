"""The letter-evening cards: a page per prisoner a stranger may write to, with the address
and what to know; nobody else; moderators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.letters import kit
from pompolit.letters.testing import World
from pompolit.members.models import Member

pytestmark = pytest.mark.django_db


def test_cards_only_for_those_who_may_be_written_to(letters_world: World,
                                                    moderator: Member) -> None:
    found = kit.cards(moderator)
    names = [card.name for card in found]
    assert names == sorted(c.person.display_name for c in letters_world.writable)
    gorinov = next(card for card in found if card.name.startswith("Горинов"))
    assert "ул. Семиреченская, д. 101" in gorinov.address
    assert gorinov.rules.max_chars == 2000
    html = kit.render_html(found)
    assert "Скочиленко Александра Юрьевна" in html and "Без Согласия" not in html
    assert "Родственникам" not in html and "Освобождённый" not in html
    assert "What to know before writing" in html
    assert "г. р." not in html  # no year of birth, as on the public pages


def test_the_cards_pdf(letters_world: World, moderator: Member, client_for: Any) -> None:
    response = client_for(moderator).get(reverse("letters_kit_cards"))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    entry = AuditEntry.objects.filter(action="letters.kit_printed").get()
    assert entry.details == {"cards": 2}
