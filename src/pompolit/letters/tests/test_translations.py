"""Translation tasks: a volunteer sees only the letters waiting in the languages they declared;
the translation is kept encrypted, in a language the censor reads; the moderator cannot
approve before it is there; the letter is sent in it; opening and translating are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pompolit.audit.models import AuditEntry
from pompolit.letters import batches, services, translations, work
from pompolit.letters.models import Channel, Letter, Status, Translation
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db
GEORGIAN = "გამარჯობა, ალექსანდრა! ყოველდღე ვფიქრობთ შენზე."
ENGLISH = "Dear Sasha, we think of you every day here in Lisbon. Stay strong!"


@pytest.fixture
def translator(make_member: Any) -> Member:
    made: Member = make_member("Нино Чавчавадзе", Role.HOTLINE_OPERATOR)
    return made


def _asking(world: World, text: str, index: int = 1) -> Letter:
    return services.write_letter(world.recipient(world.writable[index]), text=text,
                                 wants_translation=True).letter


def test_the_queue_holds_only_the_declared_languages(
        letters_world: World, translator: Member) -> None:
    georgian, english = _asking(letters_world, GEORGIAN), _asking(letters_world, ENGLISH)
    services.write_letter(letters_world.recipient(letters_world.writable[0]),
                          text="Алексей, здравствуйте!")
    assert list(translations.tasks(translator)) == []
    assert translations.declare_languages(translator, ["ka", "xx"]) == ["ka"]
    assert [lt.pk for lt in translations.tasks(translator)] == [georgian.pk]
    translations.declare_languages(translator, ["ka", "en"])
    assert {lt.pk for lt in translations.tasks(translator)} == {georgian.pk, english.pk}
    assert AuditEntry.objects.filter(action="letters.translator_languages").count() == 2


def test_a_translation_is_kept_encrypted_and_audited(
        letters_world: World, translator: Member) -> None:
    letter = _asking(letters_world, GEORGIAN)
    translations.declare_languages(translator, ["ka"])
    assert translations.open_task(translator, letter.pk) == letter
    made = translations.translate(translator, letter, language="ru",
                                  text="Здравствуй, Александра! Каждый день думаем о тебе.")
    assert translations.latest(letter) == made
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM letters_translation WHERE id = %s", [made.pk])
        stored = cursor.fetchone()[0]
    assert "Александра" not in str(stored)
    opened = AuditEntry.objects.get(action="letters.translation_opened")
    assert opened.details == {"case": letter.case_id, "language": "ka"}
    done = AuditEntry.objects.get(action="letters.translated")
    assert done.details == {"case": letter.case_id, "from": "ka", "to": "ru",
                            "translation": made.pk}


def test_what_is_refused(letters_world: World, translator: Member, moderator: Member) -> None:
    letter = _asking(letters_world, GEORGIAN)
    with pytest.raises(ValidationError):  # Georgian was not declared
        translations.translate(translator, letter, language="ru", text="Здравствуй!")
    translations.declare_languages(translator, ["ka"])
    with pytest.raises(ValidationError) as wrong:
        translations.translate(translator, letter, language="en", text="Hello!")
    assert "language" in wrong.value.message_dict
    with pytest.raises(ValidationError) as empty:
        translations.translate(translator, letter, language="ru", text="   ")
    assert "text" in empty.value.message_dict
    work.move(moderator, letter, Status.REJECTED, note="Не по правилам.")
    assert translations.open_task(translator, letter.pk) is None  # moderated: out of the queue
    assert not Translation.objects.exists()


def test_approval_waits_for_the_translation_and_the_letter_goes_in_it(
        letters_world: World, translator: Member, moderator: Member) -> None:
    letter = _asking(letters_world, GEORGIAN)
    with pytest.raises(ValidationError) as waiting:
        work.move(moderator, letter, Status.APPROVED)
    assert "translat" in " ".join(waiting.value.messages)
    translations.declare_languages(translator, ["ka"])
    translations.translate(translator, letter, language="ru", text="Первый черновик.")
    translations.translate(translator, letter, language="ru",
                           text="Здравствуй, Александра! Каждый день думаем о тебе.")
    work.move(moderator, letter, Status.APPROVED)
    group = batches.group(moderator, letters_world.ik2.pk, Channel.POST)
    assert group is not None
    [sheet] = group.sheets
    assert sheet.text == "Здравствуй, Александра! Каждый день думаем о тебе."
    assert "Здравствуй, Александра" in batches.render_html(group)


def test_a_letter_already_readable_needs_no_translation(
        letters_world: World, moderator: Member) -> None:
    letter = _asking(letters_world, "Саша, привет! Пишу по-русски, перевод не нужен.")
    assert not translations.needs_translation(letter)
    assert work.move(moderator, letter, Status.APPROVED).status == Status.APPROVED
