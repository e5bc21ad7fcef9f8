"""The volunteers' pages: the queue with its flags, a letter's decisions, replies, statistics."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pompolit.cases.testing import phone_photo
from pompolit.letters import services, work
from pompolit.letters.models import Letter, Reply, Status
from pompolit.letters.testing import World
from pompolit.members.models import Member

pytestmark = pytest.mark.django_db


def _letter(world: World, text: str = "Здравствуйте! Держитесь.") -> Letter:
    return services.write_letter(world.recipient(world.writable[0]), text=text).letter


def test_the_queue_shows_waiting_letters_and_their_flags(letters_world: World,
                                                         moderator: Member,
                                                         client_for: Any) -> None:
    _letter(letters_world, "Надеюсь, суд разберётся.")
    page = client_for(moderator).get(reverse("letters_queue")).content.decode()
    assert "Горинов" in page and "the criminal case and the trial" in page
    # The text itself is not on the list.
    assert "суд разберётся" not in page


def test_a_moderator_approves_and_the_letter_leaves_the_queue(letters_world: World,
                                                              moderator: Member,
                                                              client_for: Any) -> None:
    letter = _letter(letters_world)
    client = client_for(moderator)
    detail = client.get(reverse("letter_detail", args=[letter.pk])).content.decode()
    assert "Держитесь" in detail and "644010" in detail
    response = client.post(reverse("letter_step", args=[letter.pk]), {"to": Status.APPROVED})
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Status.APPROVED


def test_rejecting_without_a_reason_is_refused_on_the_page(letters_world: World,
                                                           moderator: Member,
                                                           client_for: Any) -> None:
    letter = _letter(letters_world)
    client = client_for(moderator)
    page = client.post(reverse("letter_step", args=[letter.pk]), {"to": Status.REJECTED},
                       follow=True).content.decode()
    assert "Say why" in page and Letter.objects.get(pk=letter.pk).status == Status.WAITING


def test_a_step_not_allowed_now_is_refused(letters_world: World, moderator: Member,
                                           client_for: Any) -> None:
    letter = _letter(letters_world)
    client_for(moderator).post(reverse("letter_step", args=[letter.pk]),
                               {"to": Status.DELIVERED})
    assert Letter.objects.get(pk=letter.pk).status == Status.WAITING


def test_a_reply_is_uploaded(letters_world: World, moderator: Member, client_for: Any) -> None:
    letter = _letter(letters_world)
    work.move(moderator, letter, Status.APPROVED)
    work.move(moderator, letter, Status.SENT)
    client = client_for(moderator)
    assert client.get(reverse("letter_reply", args=[letter.pk])).status_code == 200
    response = client.post(reverse("letter_reply", args=[letter.pk]), {
        "received_on": "2026-11-20", "transcription": "Спасибо! Получил ваше письмо.",
        "scan": SimpleUploadedFile("скан.jpg", phone_photo(), "image/jpeg")})
    assert response.status_code == 302
    assert Reply.objects.get(letter=letter).transcription == "Спасибо! Получил ваше письмо."


def test_a_reply_form_keeps_what_was_typed(letters_world: World, moderator: Member,
                                           client_for: Any) -> None:
    letter = _letter(letters_world)
    page = client_for(moderator).post(reverse("letter_reply", args=[letter.pk]), {
        "received_on": "2026-11-20", "transcription": "Ответ пришёл"}).content.decode()
    assert "Only a letter that was sent" in page and "Ответ пришёл" in page


def test_statistics_page(letters_world: World, moderator: Member, client_for: Any) -> None:
    _letter(letters_world)
    page = client_for(moderator).get(reverse("letters_stats")).content.decode()
    assert "Горинов" in page


def test_others_are_refused(letters_world: World, make_member: Any, client_for: Any) -> None:
    treasurer = make_member("Казначей Фёдор", "treasurer")
    letter = _letter(letters_world)
    client = client_for(treasurer)
    assert client.get(reverse("letters_queue")).status_code == 403
    assert client.get(reverse("letter_detail", args=[letter.pk])).status_code == 403


def test_a_page_of_the_queue_is_in_order_and_reads_no_text(letters_world: World,
                                                           moderator: Member,
                                                           client_for: Any) -> None:
    made = [_letter(letters_world, f"Письмо номер {n}. Держитесь!") for n in range(5)]
    page = work.page_of(work.queue(moderator), 2, "2")
    assert [letter.pk for letter in page] == [made[2].pk, made[3].pk]
    assert page.paginator.count == 5 and page.has_next() and page.has_previous()
    assert {"text", "return_name"} <= page[0].get_deferred_fields()
    assert page[0].case.person.display_name == "Горинов Алексей Александрович"
    shown = client_for(moderator).get(reverse("letters_queue") + "?page=2").content.decode()
    assert f">{made[0].pk}<" in shown and "Письмо номер" not in shown
