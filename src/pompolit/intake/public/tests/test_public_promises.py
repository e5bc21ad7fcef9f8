"""What the public form promises and how it treats a sender (audit of issue 15): the storage
statement above the form and true; the hotline's phone wherever "call the hotline" is said;
mistakes that use up no allowance; names with a letter; the volunteer; a JSON body refused."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from pompolit.audit.models import AuditEntry
from pompolit.intake.bot.conversation import Incoming, State, answer
from pompolit.intake.models import Hotline, Report
from pompolit.intake.public import services
from pompolit.intake.public.tests.conftest import answered
from pompolit.intake.services import change_hotline

from .test_report_form_view import FORM, client, send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def phones(founders: Any, hotline: Any, spb_hotline: Any) -> None:
    change_hotline(
        founders[1],
        Hotline.objects.get(compartment=hotline),
        phone="+7 495 111-22-33",
        telegram="@moscow_hotline",
    )
    change_hotline(
        founders[1], Hotline.objects.get(compartment=spb_hotline), phone="+7 812 444-55-66"
    )


def test_what_is_stored_is_summed_up_above_the_form_and_said_in_full(hotline: Any) -> None:
    page = client().get(reverse("intake_public_report")).content.decode()
    summary = page.index('id="stored-summary"')
    assert summary < page.index('id="public-report"') < page.index("Send the report</button>")
    assert 'href="#h-stored"' in page[summary : page.index('id="public-report"')]
    full = page[page.index('id="h-stored"') :]
    # Accepted: the name is readable, and more people than the operators see it.
    assert "kept readable" in full and "coordinators and case workers" in full
    assert "Never stored: your IP address" in full
    assert "never a minor" in full
    assert "Only the operators of the town's hotline read them" not in page
    with translation.override("ru"):
        russian = Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("intake_public_report"))
    assert "координаторы" in russian.content.decode()


def test_the_form_the_answer_and_the_wait_page_give_the_hotlines_phones(
    phones: Any, unsealed_vault: Any
) -> None:
    form = client().get(reverse("intake_public_report")).content.decode()
    assert 'href="tel:+74951112233"' in form and "+7 812 444-55-66" in form
    assert "@moscow_hotline" in form
    received = send(client()).content.decode()  # Moscow picked: Moscow's phone only
    assert "+7 495 111-22-33" in received and "+7 812 444-55-66" not in received
    unknown = send(client("198.51.100.9"), city="").content.decode()  # town not known: all
    assert "+7 495 111-22-33" in unknown and "+7 812 444-55-66" in unknown
    with override_settings(POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP=0):
        waited = send(client(), city="Санкт-Петербург")
    assert waited.status_code == 429
    assert "+7 812 444-55-66" in waited.content.decode()
    assert "+7 495 111-22-33" not in waited.content.decode()


def test_a_changed_phone_is_on_the_next_answer_page(
    phones: Any, hotline: Any, founders: Any, unsealed_vault: Any
) -> None:
    assert "+7 495 111-22-33" in send(client()).content.decode()
    change_hotline(founders[1], Hotline.objects.get(compartment=hotline), phone="8 800 000-00-00")
    answer_page = send(client("198.51.100.1")).content.decode()
    assert "8 800 000-00-00" in answer_page and "111-22-33" not in answer_page


def test_the_command_sets_and_checks_a_hotlines_phone(hotline: Any, founders: Any) -> None:
    call_command(
        "intake",
        "hotline",
        "moscow-hotline",
        "--phone",
        "+7 (495) 123-45-67",
        "--telegram",
        "@hotline_msk",
    )
    made = Hotline.objects.get(compartment=hotline)
    assert (made.phone, made.telegram, made.city) == ("+7 (495) 123-45-67", "hotline_msk", "Москва")
    assert AuditEntry.objects.filter(action="intake.hotline_changed").count() == 1
    with pytest.raises(CommandError, match="phone number"):
        call_command("intake", "hotline", "moscow-hotline", "--phone", "call me maybe")
    call_command("intake", "hotline", "moscow-hotline", "--phone", "")
    assert Hotline.objects.get(compartment=hotline).phone == ""


@override_settings(POMPOLIT_INTAKE_REPORTS_PER_HOUR_NO_STAMP=1)
def test_forms_with_mistakes_use_up_none_of_the_allowance(
    hotline: Any, unsealed_vault: Any
) -> None:
    c = client()
    for _ in range(5):
        assert send(c, surname="", given="").status_code == 400
    assert send(c).status_code == 200  # the one report of the hour, after five mistakes
    assert send(c).status_code == 429
    assert Report.objects.count() == 1


@override_settings(POMPOLIT_INTAKE_POSTS_PER_HOUR=3)
def test_a_flood_of_broken_forms_is_stopped_cheaply(hotline: Any, unsealed_vault: Any) -> None:
    c = client()
    for _ in range(3):
        assert send(c, surname="", given="").status_code == 400
    assert send(c).status_code == 429  # even a good one: the network sent too much
    assert send(client("198.51.100.1"), surname="", given="").status_code == 400


@pytest.mark.parametrize("name", ["<>!@#$%", "\ufffd\ufffd\ufffd", "123 456", "---"])
def test_a_name_without_a_letter_is_refused(hotline: Any, unsealed_vault: Any, name: str) -> None:
    page = send(client(), surname=name, given="")
    assert page.status_code == 400
    assert "A name needs at least one letter" in page.content.decode()
    with pytest.raises(services.Refused) as refused:
        services.submit_public_report(answered(surname=name, given="!"), channel="web-form")
    assert "surname" in refused.value.errors
    assert not Report.objects.exists()


@pytest.mark.parametrize("surname", ["李", "O'Brien", "Ли", "Лебедев-2"])
def test_a_name_with_a_letter_of_any_script_is_taken(
    hotline: Any, unsealed_vault: Any, surname: str
) -> None:
    assert send(client(), surname=surname, given="").status_code == 200


def test_the_letter_rule_is_said_in_russian(hotline: Any, unsealed_vault: Any) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="ru").post(
        reverse("intake_public_report"), {**FORM, "surname": "<>!@", "given": ""}
    )
    assert "хотя бы одна буква" in page.content.decode()


def test_the_bot_asks_again_for_a_name_without_a_letter() -> None:
    with translation.override("en"):
        state, replies = answer(State("surname", "en"), Incoming(text="%%%"))
    assert state is not None and state.step == "surname"
    assert replies[0].text.startswith("A name needs at least one letter")


def test_a_volunteer_at_the_station_may_report_on_the_form(
    hotline: Any, unsealed_vault: Any
) -> None:
    page = client().get(reverse("intake_public_report")).content.decode()
    assert 'value="volunteer"' in page
    assert send(client(), reporter="volunteer").status_code == 200
    assert Report.objects.get().reporter == "volunteer"


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_body_that_is_not_a_form_is_refused_with_415(
    hotline: Any, unsealed_vault: Any, content_type: str
) -> None:
    for name in ("intake_public_report", "intake_public_status"):
        page = client().post(reverse(name), json.dumps(FORM), content_type=content_type)
        assert page.status_code == 415
        assert "not sent as a form" in page.content.decode()
    assert not Report.objects.exists()


def test_the_consent_claim_is_kept_for_the_operator(hotline: Any, unsealed_vault: Any) -> None:
    assert send(client(), consent="yes").status_code == 200
    assert Report.objects.get().claims["consent_to_name"] == "yes"
    assert send(client(), consent="maybe").status_code == 400
