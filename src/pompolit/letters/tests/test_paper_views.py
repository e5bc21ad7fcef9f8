"""The paper letters' page: the form enters them, the list shows them, the sheet is a PDF
whose printing is in the trail; in English and Russian."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.letters.models import Channel, Letter, PaperEntry
from pompolit.letters.testing import World
from pompolit.members.models import Member

pytestmark = pytest.mark.django_db


def test_the_form_enters_the_letters(letters_world: World, moderator: Member,
                                     client_for: Any) -> None:
    client = client_for(moderator)
    page = client.get(reverse("letters_paper")).content.decode()
    assert "Скочиленко Александра Юрьевна — ИК-2" in page
    assert "Родственникам Сергей" not in page  # only those on the evening's cards
    response = client.post(reverse("letters_paper"), {
        "prisoner": letters_world.writable[1].public_id, "count": "4",
        "written_on": timezone.localdate().strftime("%d.%m.%Y"), "evening": "Берлин, кафе «Ост»",
        "campaign": "", "note": ""}, follow=True)
    page = response.content.decode()
    assert "4 letters to Скочиленко Александра Юрьевна entered" in page
    assert "Берлин, кафе «Ост»" in page
    assert Letter.objects.filter(channel=Channel.PAPER).count() == 4
    assert PaperEntry.objects.get().count == 4


def test_a_prisoner_not_on_the_cards_is_refused(letters_world: World, moderator: Member,
                                                client_for: Any) -> None:
    page = client_for(moderator).post(reverse("letters_paper"), {
        "prisoner": letters_world.hidden[2].public_id, "count": "1",
        "written_on": timezone.localdate().strftime("%d.%m.%Y")}).content.decode()
    assert "Select a valid choice" in page
    assert not Letter.objects.exists()


def test_the_page_in_russian(letters_world: World, moderator: Member, client_for: Any) -> None:
    client = client_for(moderator)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("letters_paper"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Письма, написанные на бумаге" in page and "Лист для вечера писем (PDF)" in page


def test_the_sheet_pdf(letters_world: World, moderator: Member, client_for: Any) -> None:
    response = client_for(moderator).get(reverse("letters_paper_sheet"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.get(action="letters.paper_sheet_printed").details == {
        "prisoners": 2}
