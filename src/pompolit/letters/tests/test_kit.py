"""The letter-evening cards: a page per prisoner a stranger may write to, with the address
and what to know; nobody else; moderators only."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Consent
from pompolit.cases.photos import services as photos
from pompolit.cases.testing import phone_photo
from pompolit.letters import kit
from pompolit.letters.testing import EVERYTHING, World
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
    assert entry.details == {"cards": 2, "photos": 0}


def test_the_photo_is_on_the_card_only_where_the_consent_names_it(
        letters_world: World, moderator: Member, client_for: Any, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    gorinov, skochilenko = letters_world.writable
    for case in (gorinov, skochilenko):
        photos.set_photo(moderator, case, phone_photo())
    # Горинов's latest consent names the photo too; Скочиленко's names only name and facility.
    Consent.objects.create(case=gorinov, given_by="prisoner", given_on=datetime.date(2026, 2, 1),
                           scope=[*EVERYTHING, "photo"])
    found = {card.name: card for card in kit.cards(moderator)}
    with_photo = found[gorinov.person.display_name]
    assert with_photo.photo.startswith("data:image/jpeg;base64,")
    assert found[skochilenko.person.display_name].photo == ""
    html = kit.render_html(list(found.values()))
    assert html.count("data:image/jpeg;base64,") == 1
    response = client_for(moderator).get(reverse("letters_kit_cards"))
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2 and len(pages[0].images) == 1  # a card is still one page
    entry = AuditEntry.objects.filter(action="letters.kit_printed").get()
    assert entry.details == {"cards": 2, "photos": 1}
