"""The bot's fixtures: a fake Bot API server on 127.0.0.1 with the settings pointing at it, the
hotline's (intake/conftest.py), and a helper that posts an update to the webhook as Telegram
would."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pompolit.intake.bot import client, services
from pompolit.intake.bot.testing import TOKEN, FakeBotApi, fake_bot_api, text_update


@pytest.fixture
def bot_api(settings: Any) -> Iterator[FakeBotApi]:
    with fake_bot_api() as api:
        settings.POMPOLIT_TELEGRAM_TOKEN = TOKEN
        settings.POMPOLIT_TELEGRAM_API_URL = api.url
        services._recent.clear()
        services._swept_at = None
        yield api
        client.close()  # the next test's server is another


def webhook_url() -> str:
    from pompolit.intake.bot.views import webhook_path_secret

    return reverse("intake_telegram_webhook", kwargs={"token": webhook_path_secret()})


def post_update(client: Client, update: dict[str, Any], *, header: str | None = None) -> Any:
    from pompolit.intake.bot.views import webhook_header_secret

    return client.post(
        webhook_url(),
        update,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": header or webhook_header_secret()},
    )


@pytest.fixture
def say(
    client: Client, bot_api: FakeBotApi, unsealed_vault: Any
) -> Callable[..., list[str]]:
    """say(chat, "text") posts the message to the webhook and returns the bot's replies."""

    def run(chat_id: int, text: str, *, language: str = "ru") -> list[str]:
        before = len(bot_api.sent)
        response = post_update(client, text_update(chat_id, text, language=language))
        assert response.status_code == 200
        return [m["text"] for m in bot_api.sent[before:] if m["chat_id"] == chat_id]

    return run
