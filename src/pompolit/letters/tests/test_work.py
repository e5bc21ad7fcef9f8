"""Moderation, sending, tracking and replies: who may, which steps follow which, reasons."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from pompolit.audit.descriptions import describe
from pompolit.audit.models import AuditEntry
from pompolit.cases.testing import leaks_in, phone_photo
from pompolit.letters import services, work
from pompolit.letters.models import Letter, LetterStep, Reply, Status
from pompolit.letters.testing import World
from pompolit.members.models import Member

pytestmark = pytest.mark.django_db


def _letter(world: World) -> Letter:
    return services.write_letter(world.recipient(world.writable[0]),
                                 text="Здравствуйте! Держитесь, мы помним о вас.").letter


def test_approve_send_deliver_with_history(letters_world: World, moderator: Member) -> None:
    letter = _letter(letters_world)
    assert list(work.queue(moderator)) == [letter]
    work.move(moderator, letter, Status.APPROVED)
    work.move(moderator, letter, Status.SENT)
    work.move(moderator, letter, Status.DELIVERED)
    assert Letter.objects.get(pk=letter.pk).status == Status.DELIVERED
    assert [s.to_status for s in LetterStep.objects.filter(letter=letter)] == [
        Status.WAITING, Status.APPROVED, Status.SENT, Status.DELIVERED]
    assert list(work.queue(moderator)) == []


def test_sending_back_and_rejecting_need_a_reason(letters_world: World,
                                                  moderator: Member) -> None:
    letter = _letter(letters_world)
    with pytest.raises(ValidationError, match="Say why"):
        work.move(moderator, letter, Status.SENT_BACK)
    work.move(moderator, letter, Status.SENT_BACK,
              note="Уберите, пожалуйста, абзац о приговоре: цензор его не пропустит.")
    step = LetterStep.objects.filter(letter=letter).last()
    assert step is not None and "приговоре" in step.note


def test_steps_out_of_order_are_refused(letters_world: World, moderator: Member) -> None:
    letter = _letter(letters_world)
    with pytest.raises(ValidationError, match="cannot become"):
        work.move(moderator, letter, Status.DELIVERED)
    work.move(moderator, letter, Status.REJECTED, note="Угрозы адресату.")
    with pytest.raises(ValidationError):
        work.move(moderator, letter, Status.APPROVED)


def test_only_moderators_handle_letters(letters_world: World, make_member) -> None:
    treasurer = make_member("Казначей Фёдор", "treasurer")
    letter = _letter(letters_world)
    with pytest.raises(PermissionDenied):
        work.queue(treasurer)
    with pytest.raises(PermissionDenied):
        work.move(treasurer, letter, Status.APPROVED)


def test_a_step_is_never_edited_or_deleted(letters_world: World, moderator: Member) -> None:
    letter = _letter(letters_world)
    step = LetterStep.objects.get(letter=letter)
    with pytest.raises(ValueError):
        step.save()
    with pytest.raises(ValueError):
        step.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        LetterStep.objects.filter(pk=step.pk).update(to_status=Status.DELIVERED)


def test_a_reply_scan_is_cleaned_and_the_writer_reads_it(letters_world: World,
                                                         moderator: Member) -> None:
    written = services.write_letter(letters_world.recipient(letters_world.writable[0]),
                                    text="Как вы там?")
    with pytest.raises(ValidationError, match="was sent"):
        work.add_reply(moderator, written.letter, received_on=datetime.date(2026, 11, 2),
                       transcription="Спасибо!")
    work.move(moderator, written.letter, Status.APPROVED)
    work.move(moderator, written.letter, Status.SENT)
    with pytest.raises(ValidationError):
        work.add_reply(moderator, written.letter, received_on=datetime.date(2026, 11, 2))
    work.add_reply(moderator, written.letter, received_on=datetime.date(2026, 11, 2),
                   scan=phone_photo(), transcription="Спасибо за письмо! Здесь холодно.")
    reply = Reply.objects.get(letter=written.letter)
    assert leaks_in(reply.scan.read()) == []
    found = services.letters_of(written.code)[0]
    assert [r.transcription for r in found.replies.all()] == [
        "Спасибо за письмо! Здесь холодно."]


def test_statistics_per_prisoner_and_block_rate(letters_world: World,
                                                moderator: Member) -> None:
    for outcome in (Status.DELIVERED, Status.BLOCKED):
        letter = _letter(letters_world)
        work.move(moderator, letter, Status.APPROVED)
        work.move(moderator, letter, Status.SENT)
        work.move(moderator, letter, outcome, note="" if outcome == Status.DELIVERED
                  else "Цензор: упоминание статьи.")
    stats = work.statistics(moderator)
    assert stats["cases"][0]["letters"] == 2
    assert stats["facilities"][0]["block_rate"] == 50


def test_every_step_is_described_in_the_trail(letters_world: World, moderator: Member) -> None:
    letter = _letter(letters_world)
    work.move(moderator, letter, Status.APPROVED)
    for entry in AuditEntry.objects.filter(action__startswith="letters."):
        assert describe(entry) and "%(" not in describe(entry)
