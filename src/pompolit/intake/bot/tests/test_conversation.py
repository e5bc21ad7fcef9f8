"""A whole conversation with the bot through the webhook, the worker's task (run at once in the
tests) and a fake Bot API server: the report ends in quarantine with a private code."""

import datetime
import time
from typing import Any

import pytest
from django.utils import timezone, translation

from pompolit.intake.bot import services
from pompolit.intake.bot.conversation import STEPS
from pompolit.intake.bot.models import BotConversation, BotUpdate
from pompolit.intake.bot.testing import location_update
from pompolit.intake.models import Channel, Quarantine, Report
from pompolit.intake.public.services import status_for_code

from .conftest import post_update

CHAT = 5550001


def ru(text: str) -> str:
    with translation.override("ru"):
        return translation.gettext(text)


def en(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def code_in(reply: str) -> str:
    lines = [line for line in reply.splitlines() if line.strip()]
    return lines[1].strip()


@pytest.mark.django_db
def test_a_relative_reports_in_russian_and_gets_a_code(
    say: Any, bot_api: Any, hotline: Any, spb_hotline: Any
) -> None:
    replies = say(CHAT, "/start")
    assert "горячей линии" in replies[0]
    assert replies[1] == ru("Who are you?")
    assert ru("A relative") in bot_api.buttons()
    say(CHAT, ru("A relative"))
    assert bot_api.buttons() == ["Москва", "Санкт-Петербург", ru("Don't know")]
    say(CHAT, "Москва")
    say(CHAT, "Смирнова")
    say(CHAT, "Анна")
    say(CHAT, "Сергеевна")
    assert say(CHAT, "в начале нулевых")[0] == ru("Write a date as 14.05.2001, or just the year.")
    say(CHAT, "14.05.2001")
    say(CHAT, ru("No"))
    say(CHAT, "19:30")
    assert bot_api.last()["reply_markup"]["keyboard"][0][0]["request_location"] is True
    say(CHAT, "Пушкинская площадь, у памятника")
    say(CHAT, "ОВД «Тверской»")
    say(CHAT, "Антивоенная акция на Пушкинской площади")
    say(CHAT, ru("Water"))
    assert "✅ " + ru("Water") in bot_api.buttons()
    say(CHAT, ru("Medicine"))
    say(CHAT, ru("Done"))
    assert bot_api.texts()[-1] == ru("Which medicine?")
    say(CHAT, "инсулин")
    say(CHAT, ru("No"))
    say(CHAT, ru("Yes"))
    assert bot_api.texts()[-1].startswith("Задержанный согласен, чтобы его имя")
    say(CHAT, ru("Yes"))  # agreed to be named: a claim for the operator, nothing published
    say(CHAT, "+7 916 123-45-67, мама")
    confirm = say(CHAT, "Её увезли в автозаке №3, с ней человек двадцать.")[0]
    assert "Смирнова Анна Сергеевна" in confirm and "инсулин" in confirm
    assert BotConversation.objects.get().step == "confirm"

    final = say(CHAT, ru("Send the report now"))[0]

    report = Report.objects.get()
    assert report.channel == Channel.TELEGRAM
    assert report.quarantine == Quarantine.PENDING
    assert report.compartment == hotline
    assert report.claims["name"] == {
        "surname": "Смирнова", "given": "Анна", "patronymic": "Сергеевна"
    }
    assert report.claims["needs"] == ["medicine", "water"]
    assert report.claims["medicine"] == "инсулин"
    assert report.claims["devices_seized"] is True
    assert report.claims["consent_to_name"] == "yes"
    assert report.reporter_contact == "+7 916 123-45-67, мама"
    assert status_for_code(code_in(final)) is not None
    # Nothing is left of the conversation, and nothing ties the report to the chat.
    assert not BotConversation.objects.exists()
    assert not BotUpdate.objects.exists()
    assert str(CHAT) not in repr(report.claims) + (report.text or "")


@pytest.mark.django_db
def test_the_place_may_be_shared_as_a_location(say: Any, client: Any, bot_api: Any,
                                               hotline: Any) -> None:
    for text in ["/start", en("A witness"), "Petrov", en("Skip"), en("Skip"), en("Skip"),
                 en("Don't know"), en("Skip")]:
        say(CHAT, text, language="en")
    assert bot_api.texts()[-1].startswith("Where were they detained?")
    post_update(client, location_update(CHAT, 55.7655, 37.6055, language="en"))
    assert bot_api.texts()[-1].startswith("Where are they now")
    for text in [en("Skip"), en("Skip"), en("Done"), en("No"), en("No"), en("Don't know"),
                 en("Skip"), en("Skip")]:
        say(CHAT, text, language="en")
    assert "location shared" in bot_api.texts()[-1]
    final = say(CHAT, en("Send the report now"), language="en")[0]
    assert final.startswith("Thank you")
    report = Report.objects.get()
    assert (report.claims["latitude"], report.claims["longitude"]) == (55.7655, 37.6055)
    assert report.reporter == "witness"


@pytest.mark.django_db
def test_english_by_the_phone_language_and_a_switch_to_russian(say: Any, bot_api: Any,
                                                               hotline: Any) -> None:
    assert say(CHAT, "/start", language="en")[1] == "Who are you?"
    assert say(CHAT, "/ru", language="en") == [ru("Who are you?")]
    assert BotConversation.objects.get().language == "ru"
    # The language stays with the conversation, whatever the phone says.
    assert say(CHAT, "?", language="en")[1] == ru("Who are you?")


@pytest.mark.django_db
def test_cancel_deletes_the_answers(say: Any, hotline: Any) -> None:
    say(CHAT, "/start")
    say(CHAT, ru("I was detained"))
    say(CHAT, "Иванов")
    assert BotConversation.objects.get().answers["surname"] == "Иванов"
    say(CHAT, "/cancel")
    assert not BotConversation.objects.exists()


def half_an_hour_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=31)


@pytest.mark.django_db
def test_an_expired_conversation_is_not_continued_before_the_sweep(say: Any,
                                                                   hotline: Any) -> None:
    say(CHAT, "/start")
    say(CHAT, ru("I was detained"))
    say(CHAT, "Иванов")
    BotConversation.objects.update(updated_at=half_an_hour_ago())
    services._swept_at = time.monotonic()  # the sweep has just run: not due for a minute
    replies = say(CHAT, "Петров")
    assert "горячей линии" in replies[0]
    assert BotConversation.objects.get().answers == {}


@pytest.mark.django_db
def test_the_sweep_of_other_chats_runs_at_most_once_a_minute(say: Any, hotline: Any) -> None:
    say(CHAT, "/start")
    BotConversation.objects.update(updated_at=half_an_hour_ago())
    services._swept_at = time.monotonic()
    say(CHAT + 1, "/start")
    assert BotConversation.objects.filter(updated_at__lt=half_an_hour_ago()).count() == 1
    services._swept_at -= services.SWEEP_SECONDS
    say(CHAT + 2, "/start")
    assert not BotConversation.objects.filter(updated_at__lt=half_an_hour_ago()).exists()
    assert BotConversation.objects.count() == 2


@pytest.mark.django_db
def test_every_step_has_a_question_in_both_languages(hotline: Any, unsealed_vault: Any) -> None:
    from pompolit.intake.bot.conversation import State, ask

    for language in ("en", "ru"):
        with translation.override(language):
            for step in STEPS:
                assert ask(State(step, language, {"needs": ["water"]})).text
