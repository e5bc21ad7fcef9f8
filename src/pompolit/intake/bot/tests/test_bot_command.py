"""`pompolit intake bot`: long polling queues what getUpdates brings; --webhook tells Telegram
the secret address and header."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pompolit.intake.bot.testing import text_update
from pompolit.intake.bot.views import webhook_header_secret, webhook_path_secret


@pytest.mark.django_db
def test_one_long_poll_answers_the_waiting_messages(
    bot_api: Any, hotline: Any, unsealed_vault: Any
) -> None:
    bot_api.pending.extend([text_update(11, "/start", language="en"),
                            text_update(12, "/start", language="ru")])
    call_command("intake", "bot", "--once", "--timeout", "0", stdout=StringIO())
    assert {m["chat_id"] for m in bot_api.sent} == {11, 12}
    assert bot_api.calls[0] == "getUpdates"


@pytest.mark.django_db
def test_setting_the_webhook(bot_api: Any) -> None:
    call_command("intake", "bot", "--webhook", "https://pomosch.example.org/", stdout=StringIO())
    assert bot_api.webhook["url"] == (
        f"https://pomosch.example.org/intake/telegram/{webhook_path_secret()}/"
    )
    assert bot_api.webhook["secret_token"] == webhook_header_secret()


@pytest.mark.django_db
def test_a_wrong_token_says_so_without_the_token(bot_api: Any, settings: Any) -> None:
    settings.POMPOLIT_TELEGRAM_TOKEN = "999:wrong-token-secret"
    with pytest.raises(CommandError) as raised:
        call_command("intake", "bot", "--once", stdout=StringIO())
    assert "wrong-token-secret" not in str(raised.value)
    assert raised.value.__cause__ is None
