"""The webhook: only Telegram (the secret address and the secret header) is heard; what it
posts is queued encrypted and answered by the task; a chat that writes too fast is dropped."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.intake.bot import services
from pompolit.intake.bot.models import BotConversation
from pompolit.intake.bot.testing import text_update

from .conftest import post_update, webhook_url


@pytest.mark.django_db
def test_a_wrong_header_is_not_heard(client: Client, bot_api: Any, unsealed_vault: Any) -> None:
    response = post_update(client, text_update(1, "/start"), header="guessed")
    assert response.status_code == 404
    assert bot_api.sent == []


@pytest.mark.django_db
def test_a_wrong_address_is_not_heard(client: Client, bot_api: Any, unsealed_vault: Any) -> None:
    from pompolit.intake.bot.views import webhook_header_secret

    url = reverse("intake_telegram_webhook", kwargs={"token": "a" * 32})
    response = client.post(
        url, text_update(1, "/start"), content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": webhook_header_secret()},
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_without_a_token_there_is_no_webhook(client: Client, settings: Any) -> None:
    settings.POMPOLIT_TELEGRAM_TOKEN = ""
    response = client.post("/intake/telegram/anything/", {}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_get_is_refused(client: Client, bot_api: Any) -> None:
    assert client.get(webhook_url()).status_code == 405


@pytest.mark.django_db
def test_group_chats_and_garbage_are_ignored(client: Client, bot_api: Any,
                                             unsealed_vault: Any) -> None:
    group = text_update(2, "/start")
    group["message"]["chat"]["type"] = "group"
    assert post_update(client, group).status_code == 200
    assert post_update(client, {"update_id": 1}).status_code == 200
    assert bot_api.sent == []
    assert not BotConversation.objects.exists()


@pytest.mark.django_db
def test_a_chat_writing_too_fast_is_dropped(client: Client, bot_api: Any, settings: Any,
                                            hotline: Any, unsealed_vault: Any) -> None:
    settings.POMPOLIT_BOT_MESSAGES_PER_MINUTE = 3
    for _ in range(5):
        assert post_update(client, text_update(3, "/start", language="en")).status_code == 200
    assert len([m for m in bot_api.sent if m["chat_id"] == 3]) == 3 * 2
    # Another chat is not held back.
    post_update(client, text_update(4, "/start", language="en"))
    assert len([m for m in bot_api.sent if m["chat_id"] == 4]) == 2


def test_the_rate_window_moves_on(settings: Any) -> None:
    settings.POMPOLIT_BOT_MESSAGES_PER_MINUTE = 2
    services._recent.clear()
    assert services.within_rate(9, now=100.0)
    assert services.within_rate(9, now=101.0)
    assert not services.within_rate(9, now=102.0)
    assert services.within_rate(9, now=161.0)
