"""Sending: groups per facility and channel, the PDF for the post, the service's ZIP with its
CSV and length limit, marking a group sent."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from pompolit.letters import batches, services, work
from pompolit.letters.models import Channel, Letter, Status
from pompolit.letters.testing import World, prisoner
from pompolit.members.models import Compartment, Member

pytestmark = pytest.mark.django_db


def _approved(world: World, moderator: Member, index: int, text: str) -> Letter:
    letter = services.write_letter(world.recipient(world.writable[index]), text=text,
                                   return_name="=Оля").letter
    return work.move(moderator, letter, Status.APPROVED)


def test_groups_per_facility_and_channel(letters_world: World, moderator: Member) -> None:
    _approved(letters_world, moderator, 0, "Привет в ИК-6!")
    _approved(letters_world, moderator, 1, "Привет в ИК-2!")
    found = {(g.facility, g.channel) for g in batches.groups(moderator)}
    assert found == {(letters_world.ik6.name, Channel.ELECTRONIC),
                     (letters_world.ik2.name, Channel.POST)}


def test_the_pdf_has_the_address_and_a_reply_form(letters_world: World,
                                                  moderator: Member) -> None:
    _approved(letters_world, moderator, 1, "Здравствуйте, Александра!")
    group = batches.groups(moderator)[0]
    html = batches.render_html(group)
    assert "Скочиленко" in html and "Здравствуйте, Александра!" in html
    assert "Reply form" in html
    assert batches.render_pdf(group)[:5] == b"%PDF-"


def test_the_service_zip_skips_letters_too_long_and_defuses_formulas(
        letters_world: World, moderator: Member) -> None:
    rules = letters_world.ik6.letter_rules
    rules.service_max_chars = 20
    rules.save()
    short = _approved(letters_world, moderator, 0, "Коротко: привет!")
    long = _approved(letters_world, moderator, 0, "Длинное письмо, которое служба не возьмёт.")
    group = batches.groups(moderator)[0]
    assert group.too_long == (long.pk,)
    archive = zipfile.ZipFile(io.BytesIO(batches.service_zip(group)))
    assert sorted(archive.namelist()) == [f"letter-{short.pk}.txt", "recipients.csv"]
    rows = list(csv.reader(io.StringIO(archive.read("recipients.csv").decode("utf-8-sig"))))
    assert rows[1][0] == str(short.pk) and not any(c.startswith("=") for c in rows[1])


def test_marking_sent_needs_a_fund(letters_world: World, moderator: Member,
                                   client_for: Any) -> None:
    """Each letter is paid as aid (letters/tests/test_costs.py): no fund, nothing is sent."""
    letter = _approved(letters_world, moderator, 1, "Привет!")
    client = client_for(moderator)
    response = client.post(reverse("letters_batch_sent",
                                   args=[letters_world.ik2.pk, Channel.POST]), follow=True)
    assert "Choose a fund that may pay for letters." in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Status.APPROVED


def test_the_batch_page_and_downloads(letters_world: World, moderator: Member,
                                      client_for: Any) -> None:
    _approved(letters_world, moderator, 0, "Привет в ИК-6!")
    client = client_for(moderator)
    page = client.get(reverse("letters_batches")).content.decode()
    assert letters_world.ik6.name in page
    download = client.get(reverse("letters_batch_zip",
                                  args=[letters_world.ik6.pk, Channel.ELECTRONIC]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split())
            for page in PdfReader(io.BytesIO(pdf)).pages]


def test_each_letter_has_its_pages_with_its_own_text_and_address_and_nothing_else(
        letters_world: World, moderator: Member, compartment: Compartment) -> None:
    """Five letters to two prisoners of one colony, laid out in one process and in parts of
    two letters on two processes: the same pages, each letter's page holding its own number,
    recipient, address and text and nobody else's, its reply form next."""
    kara_murza = prisoner(compartment, "Кара-Мурза Владимир Владимирович", letters_world.ik2,
                          scope=["name", "facility"])
    skochilenko = letters_world.writable[1]
    letters = []
    for n in range(5):
        to = (skochilenko, kara_murza)[n % 2]
        given = to.person.display_name.split()[1]
        letter = services.write_letter(letters_world.recipient(to),
                                       text=f"Письмо {n}: держитесь, {given}!").letter
        letters.append((work.move(moderator, letter, Status.APPROVED), to))
    group = batches.groups(moderator)[0]
    assert len(group.sheets) == 5
    pages = _pages(batches.render_pdf(group))
    assert pages == _pages(batches.render_pdf(group, part=2, processes=2))
    assert len(pages) == 10
    for index, (letter, to) in enumerate(letters):
        page, reply = pages[2 * index], pages[2 * index + 1]
        name = to.person.display_name
        assert re.findall(r"№ (\d+)", page) == [str(letter.pk)]
        assert name in page and "Явас" in page and f"Письмо {index}:" in page
        others = [other for other, _ in letters if other.pk != letter.pk]
        assert not any(f"Письмо {n}:" in page for n in range(5) if n != index)
        assert not any(f"№ {other.pk}" in page + reply for other in others)
        other_name = (kara_murza if to == skochilenko else skochilenko).person.display_name
        assert other_name not in page
        assert "Reply form" in reply and re.findall(r"№ (\d+)", reply) == [str(letter.pk)]
