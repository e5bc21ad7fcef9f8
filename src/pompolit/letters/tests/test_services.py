"""Writing a letter: the checks, the code shown once, encryption at rest, flags for the
moderator, hostile input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pompolit.audit.models import AuditEntry
from pompolit.cases.testing import leaks_in, phone_photo
from pompolit.letters import codes, services
from pompolit.letters.models import Letter, LetterImage, LetterStep, Status
from pompolit.letters.rules import Rules
from pompolit.letters.testing import World

pytestmark = pytest.mark.django_db

TEXT = "Здравствуйте, Алексей Александрович! Пишу вам из Екатеринбурга: у нас выпал снег."


def test_a_letter_waits_for_moderation_with_a_code_shown_once(letters_world: World) -> None:
    to = letters_world.recipient(letters_world.writable[0])
    written = services.write_letter(to, text=TEXT, return_name="Маша из Екатеринбурга")
    letter = Letter.objects.get(pk=written.letter.pk)
    assert letter.status == Status.WAITING and letter.language == "ru"
    assert letter.text == TEXT and letter.return_name == "Маша из Екатеринбурга"
    assert len(codes.new_code()) == 28 and len(written.code) == 28
    # Only the hash is kept, and it finds the letter again.
    assert written.code not in letter.writer_hash
    assert [found.pk for found in services.letters_of(written.code)] == [letter.pk]
    assert LetterStep.objects.get(letter=letter).to_status == Status.WAITING


def test_the_text_and_the_return_name_are_not_stored_in_clear(letters_world: World) -> None:
    from pompolit.cases.testing import everything_stored

    to = letters_world.recipient(letters_world.writable[0])
    services.write_letter(to, text="Канарейка-письмо-3141", return_name="Канарейка-имя-2718")
    stored = "\n".join(everything_stored())
    assert "Канарейка-письмо-3141" not in stored and "Канарейка-имя-2718" not in stored


def test_a_code_the_writer_holds_follows_both_letters(letters_world: World) -> None:
    first = services.write_letter(letters_world.recipient(letters_world.writable[0]), text=TEXT)
    services.write_letter(letters_world.recipient(letters_world.writable[1]),
                          text="Привет из Казани!", code=codes.grouped(first.code).lower())
    assert len(services.letters_of(first.code)) == 2


def test_a_mistyped_code_is_refused_with_a_reason(letters_world: World) -> None:
    with pytest.raises(codes.CodeError):
        services.letters_of("not-a-code")
    to = letters_world.recipient(letters_world.writable[0])
    with pytest.raises(ValidationError) as refused:
        services.write_letter(to, text=TEXT, code="1234")
    assert "code" in refused.value.error_dict


def test_too_long_for_the_facility(letters_world: World) -> None:
    to = letters_world.recipient(letters_world.writable[0])  # ИК-6: 2000 characters
    with pytest.raises(ValidationError) as refused:
        services.write_letter(to, text="а" * 2001)
    assert "2001" in str(refused.value)


def test_a_foreign_language_needs_a_translation(letters_world: World) -> None:
    to = letters_world.recipient(letters_world.writable[0])
    with pytest.raises(ValidationError) as refused:
        services.write_letter(to, text="Dear Alexei, greetings from Lisbon!")
    assert "English" in str(refused.value)
    written = services.write_letter(to, text="Dear Alexei, greetings from Lisbon!",
                                    wants_translation=True)
    assert written.letter.wants_translation and written.letter.language == "en"


def test_topics_the_censor_blocks_are_flagged_never_refused(letters_world: World) -> None:
    to = letters_world.recipient(letters_world.writable[0])  # ИК-6 avoids case and war
    written = services.write_letter(to, text="Надеюсь, суд вас оправдает, и война кончится.")
    assert written.letter.status == Status.WAITING
    assert written.letter.flags == ["case", "war"]


def test_images_are_re_encoded_without_metadata_and_limited(letters_world: World) -> None:
    to = letters_world.recipient(letters_world.writable[0])  # ИК-6: two images
    written = services.write_letter(to, text=TEXT, images=[phone_photo()])
    stored = LetterImage.objects.get(letter=written.letter).image.read()
    assert stored[:2] == b"\xff\xd8" and leaks_in(stored) == []
    with pytest.raises(ValidationError) as refused:
        services.write_letter(to, text=TEXT, images=[phone_photo()] * 3)
    assert "images" in refused.value.error_dict
    with pytest.raises(ValidationError) as unreadable:
        services.write_letter(to, text=TEXT, images=[b"<script>alert(1)</script>"])
    assert "images" in unreadable.value.error_dict


def test_no_images_where_the_facility_takes_none(letters_world: World) -> None:
    to = letters_world.recipient(letters_world.writable[1])  # ИК-2: no rules, no images
    with pytest.raises(ValidationError, match="does not accept images"):
        services.write_letter(to, text=TEXT, images=[phone_photo()])


def test_the_audit_entry_names_no_writer_and_no_text(letters_world: World) -> None:
    to = letters_world.recipient(letters_world.writable[0])
    written = services.write_letter(to, text=TEXT)
    entry = AuditEntry.objects.get(action="letters.letter_written")
    assert entry.actor_id is None and entry.client == ""
    assert TEXT not in str(entry.details) and written.code not in str(entry.details)


@pytest.mark.parametrize("hostile", [
    "<script>alert('x')</script>", "'; DROP TABLE letters_letter; --", "\x00\u202e\ufeff",
    "{{ request }}{% debug %}", "=HYPERLINK(\"http://evil\")", "ы" * 1990,
])
def test_hostile_text_is_kept_as_text(letters_world: World, hostile: str) -> None:
    to = letters_world.recipient(letters_world.writable[0])
    written = services.write_letter(to, text=hostile + " привет", return_name=hostile[:100],
                                    wants_translation=True)
    assert Letter.objects.get(pk=written.letter.pk).text == (hostile + " привет").strip()


def test_the_live_check_counts_and_detects() -> None:
    rules = Rules(languages=("ru",), max_chars=10)
    found = services.check_letter(rules, "Привет, мир! Как дела?")
    assert found.chars == 22 and found.language == "ru" and "text" in found.problems
    assert services.check_letter(rules, "Привет").ok
    assert services.check_letter(Rules(languages=("uk",)), "Привіт, друже!").ok
