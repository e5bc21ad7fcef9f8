"""Aid pages name the fund that pays, in the reader's language, never its code: the list of
aid waiting for approval, the approval page (the stored payload aside, folded), the item's page
and the case's aid; a parcel's contents by category name."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.aid import lifecycle, services
from pompolit.aid.services import ContentLine
from pompolit.aid.testing import rub

PLANNED = datetime.date(2026, 11, 10)
GENERAL = {"en": "General fund", "ru": "Общий фонд"}
FOOD = {"en": "food", "ru": "продукты питания"}


def reader(member, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(member)
    client.cookies["django_language"] = language
    return client


def shown(response):
    assert response.status_code == 200
    html = response.content.decode().split("<main", 1)[1]
    html = re.sub(r'<details class="card exact">.*?</details>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def parcel(worker, prisoner, funds):
    item = services.create_item(
        worker,
        prisoner,
        "parcel",
        funds["general"],
        planned_on=PLANNED,
        cost=rub("12500"),
        channel="post",
        contents=[ContentLine("food", 6, 15000, "")],
    )
    return item, lifecycle.request_item_approval(worker, item, reason="зимняя передача")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_aid_pages_name_the_fund_and_the_contents(parcel, coordinator, prisoner, language):
    item, request = parcel
    client = reader(coordinator, language)
    slug = prisoner.compartment.slug

    pages = {
        "waiting": shown(client.get(reverse("aid_approvals"))),
        "approval": shown(client.get(reverse("approval_detail", args=[request.pk]))),
        "item": shown(client.get(reverse("aid_item_detail", args=[slug, item.pk]))),
        "case": shown(client.get(reverse("aid_case", args=[slug, prisoner.pk]))),
    }

    for name, text in pages.items():
        assert GENERAL[language] in text, name
        assert not re.search(r"\bgeneral\b", text), name
    assert FOOD[language] in pages["item"]


@pytest.mark.parametrize(("language", "written_in"), [("en", "Russian"), ("ru", "Русский")])
def test_a_letters_page_names_its_language_in_the_readers_language(
    worker, prisoner, funds, language, written_in
):
    letter = services.create_item(
        worker, prisoner, "letter", funds["general"], planned_on=PLANNED, language="ru"
    )
    text = shown(
        reader(worker, language).get(
            reverse("aid_item_detail", args=[prisoner.compartment.slug, letter.pk])
        )
    )
    assert f"Language {written_in}" in text or f"Язык {written_in}" in text
