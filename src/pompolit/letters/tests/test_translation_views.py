"""The translator's pages: declaring languages, the queue, translating one letter; the
moderator's page shows original and translation side by side."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pompolit.letters import services, translations
from pompolit.letters.models import Translation
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db
GEORGIAN = "გამარჯობა, ალექსანდრა! ყოველდღე ვფიქრობთ შენზე."


@pytest.fixture
def translator(make_member: Any) -> Member:
    made: Member = make_member("Нино Чавчавадзе", Role.HOTLINE_OPERATOR)
    return made


def test_declare_then_translate(letters_world: World, translator: Member,
                                client_for: Any) -> None:
    letter = services.write_letter(letters_world.recipient(letters_world.writable[1]),
                                   text=GEORGIAN, wants_translation=True).letter
    client = client_for(translator)
    page = client.get(reverse("letter_translations")).content.decode()
    assert "I can translate from" in page and GEORGIAN not in page
    client.post(reverse("letter_translations"), {"languages": ["ka", "hy"]})
    assert translations.languages_of(translator) == ["hy", "ka"]
    page = client.get(reverse("letter_translations")).content.decode()
    assert reverse("letter_translate", args=[letter.pk]) in page and "Georgian" in page
    page = client.get(reverse("letter_translate", args=[letter.pk])).content.decode()
    assert GEORGIAN in page
    response = client.post(reverse("letter_translate", args=[letter.pk]), {
        "language": "ru", "text": "Здравствуй, Александра!"}, follow=True)
    assert "the translation is saved" in response.content.decode()
    assert Translation.objects.get().text == "Здравствуй, Александра!"


def test_a_letter_not_in_ones_languages_is_a_404(letters_world: World, translator: Member,
                                                  client_for: Any) -> None:
    letter = services.write_letter(letters_world.recipient(letters_world.writable[1]),
                                   text=GEORGIAN, wants_translation=True).letter
    translations.declare_languages(translator, ["en"])
    client = client_for(translator)
    assert client.get(reverse("letter_translate", args=[letter.pk])).status_code == 404
    assert client.post(reverse("letter_translate", args=[letter.pk]),
                       {"language": "ru", "text": "Привет"}).status_code == 404


def test_the_moderator_reads_both(letters_world: World, translator: Member, moderator: Member,
                                  client_for: Any) -> None:
    letter = services.write_letter(letters_world.recipient(letters_world.writable[1]),
                                   text=GEORGIAN, wants_translation=True).letter
    client = client_for(moderator)
    page = client.get(reverse("letter_detail", args=[letter.pk])).content.decode()
    assert "Not translated yet" in page
    translations.declare_languages(translator, ["ka"])
    translations.translate(translator, letter, language="ru", text="Здравствуй, Александра!")
    page = client.get(reverse("letter_detail", args=[letter.pk])).content.decode()
    assert GEORGIAN in page and "Здравствуй, Александра!" in page
    assert "The letter is sent in this translation." in page
