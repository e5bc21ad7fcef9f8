"""The writer's pages: pick, search, write with live checks, the code once, the status page;
only prisoners who can be written to; no address kept; hostile input escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from pompolit.cases.testing import phone_photo
from pompolit.letters import services, work
from pompolit.letters.models import Letter, Status
from pompolit.letters.testing import World
from pompolit.members.models import Member

pytestmark = pytest.mark.django_db

TEXT = "Здравствуйте! Пишу вам из Перми. У нас первый снег, и я думаю о вас."


@pytest.fixture
def visitor() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_home_counts_and_search_shows_only_those_who_can_be_written_to(
        visitor: Client, letters_world: World) -> None:
    page = visitor.get(reverse("letters_home")).content.decode()
    assert "2 people can receive letters" in page
    found = visitor.post(reverse("letters_home"), {"q": "омск"}).content.decode()
    assert "Горинов" in found and "Без Согласия" not in found
    nobody = visitor.post(reverse("letters_home"), {"q": "Родственникам"}).content.decode()
    assert "Nobody found." in nobody


def test_pick_goes_to_someone_who_can_be_written_to(visitor: Client,
                                                     letters_world: World) -> None:
    response = visitor.get(reverse("letter_pick"))
    ids = {c.public_id for c in letters_world.writable}
    assert response.status_code == 302 and response["Location"].rstrip("/").split("/")[-1] in ids


@pytest.mark.parametrize("index", range(4))
def test_nobody_else_has_a_write_page(visitor: Client, letters_world: World, index: int) -> None:
    case = letters_world.hidden[index]
    assert visitor.get(reverse("letter_write", args=[case.public_id])).status_code == 404


def test_the_page_says_what_to_know_from_the_rules(visitor: Client,
                                                   letters_world: World) -> None:
    case = letters_world.writable[0]
    page = visitor.get(reverse("letter_write", args=[case.public_id])).content.decode()
    assert "At most 2000 characters." in page and "Russian" in page
    assert "the criminal case and the trial" in page and "the war" in page


def test_writing_shows_the_code_once_and_the_status_page_finds_it(
        visitor: Client, letters_world: World, moderator: Member) -> None:
    case = letters_world.writable[0]
    page = visitor.post(reverse("letter_write", args=[case.public_id]),
                        {"text": TEXT, "return_name": "Оля"}).content.decode()
    code = re.search(r"<strong>([0-9A-Z]{4}(?:-[0-9A-Z]{2,4}){6})</strong>", page)
    assert code is not None, page
    letter = Letter.objects.get()
    assert letter.status == Status.WAITING
    work.move(moderator, letter, Status.APPROVED)
    work.move(moderator, letter, Status.SENT)
    work.move(moderator, letter, Status.BLOCKED, note="Цензор не пропустил: упомянут суд.")
    status = visitor.post(reverse("letter_status"), {"code": code.group(1)}).content.decode()
    assert "blocked by the censor" in status and "упомянут суд" in status
    wrong = visitor.post(reverse("letter_status"), {"code": "0000"}).content.decode()
    assert "not a letter code" in wrong


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(
        visitor: Client, letters_world: World) -> None:
    case = letters_world.writable[0]
    page = visitor.post(reverse("letter_write", args=[case.public_id]),
                        {"text": "Hello from Lisbon, dear friend!", "return_name": "Ана"})
    html = page.content.decode()
    assert "seems to be in English" in html and "Hello from Lisbon" in html and "Ана" in html
    assert Letter.objects.count() == 0


def test_live_check_partial(visitor: Client, letters_world: World) -> None:
    case = letters_world.writable[0]
    html = visitor.post(reverse("letter_check", args=[case.public_id]),
                        {"text": "а" * 2100}).content.decode()
    assert "Characters: 2100 of 2000" in html and "at most 2000" in html
    assert Letter.objects.count() == 0


def test_an_image_goes_with_the_letter(visitor: Client, letters_world: World) -> None:
    case = letters_world.writable[0]
    visitor.post(reverse("letter_write", args=[case.public_id]), {
        "text": TEXT, "images": [SimpleUploadedFile("кот.jpg", phone_photo(), "image/jpeg")]})
    assert Letter.objects.get().images.count() == 1


@override_settings(POMPOLIT_LETTERS_PER_NETWORK_HOUR=2)
def test_a_network_is_limited_without_its_address_being_kept(visitor: Client,
                                                            letters_world: World) -> None:
    from pompolit.cases.testing import everything_stored

    url = reverse("letter_write", args=[letters_world.writable[0].public_id])
    for _ in range(3):
        page = visitor.post(url, {"text": TEXT}, REMOTE_ADDR="198.51.100.77").content.decode()
    assert "Too many letters" in page and Letter.objects.count() == 2
    other = visitor.post(url, {"text": TEXT}, REMOTE_ADDR="203.0.113.5")
    assert "Too many letters" not in other.content.decode()
    stored = "\n".join(everything_stored())
    assert "198.51.100" not in stored and "203.0.113" not in stored


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                     "\"><b>жирный</b>"])
def test_hostile_input_is_escaped_everywhere(visitor: Client, letters_world: World,
                                             moderator: Member, client_for: Any,
                                             hostile: str) -> None:
    case = letters_world.writable[0]
    page = visitor.post(reverse("letter_write", args=[case.public_id]),
                        {"text": hostile, "return_name": hostile, "code": hostile})
    assert hostile not in page.content.decode()
    written = services.write_letter(letters_world.recipient(case), text=hostile + " письмо",
                                    return_name=hostile, wants_translation=True)
    work.move(moderator, written.letter, Status.SENT_BACK, note=hostile)
    detail = client_for(moderator).get(reverse("letter_detail", args=[written.letter.pk]))
    assert hostile not in detail.content.decode()
    status = visitor.post(reverse("letter_status"), {"code": written.code})
    assert hostile not in status.content.decode()
    check = visitor.post(reverse("letter_check", args=[case.public_id]), {"text": hostile})
    assert hostile not in check.content.decode()
    search = visitor.post(reverse("letters_home"), {"q": hostile})
    assert hostile not in search.content.decode()
