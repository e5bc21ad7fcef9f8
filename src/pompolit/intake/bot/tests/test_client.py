"""The worker keeps one Bot client: update after update goes through the same connection; a
new token or address, a failed call or a fork gets a client of its own."""

import os
import warnings
from typing import Any

import pytest

from pompolit.intake.bot import client
from pompolit.intake.bot.conversation import Reply
from pompolit.intake.bot.testing import TOKEN, fake_bot_api

GREETING = [Reply("Здравствуйте! Это бот горячей линии."),
            Reply("Кто вы?", buttons=(("Родственник", "Свидетель"),))]


def test_replies_to_many_chats_go_through_one_connection(bot_api: Any) -> None:
    for chat in (101, 102, 103):
        client.send(chat, GREETING)
    assert [m["chat_id"] for m in bot_api.sent] == [101, 101, 102, 102, 103, 103]
    assert len(bot_api.connections) == 1


def test_a_new_address_or_token_gets_a_new_client(bot_api: Any, settings: Any) -> None:
    client.send(201, GREETING[:1])
    with fake_bot_api(token="987654321:AnotherBotsToken") as other:
        settings.POMPOLIT_TELEGRAM_API_URL = other.url
        settings.POMPOLIT_TELEGRAM_TOKEN = other.token
        client.send(202, GREETING[:1])
        assert other.texts() == [GREETING[0].text]
    settings.POMPOLIT_TELEGRAM_API_URL = bot_api.url
    settings.POMPOLIT_TELEGRAM_TOKEN = TOKEN
    client.send(203, GREETING[:1])
    assert [m["chat_id"] for m in bot_api.sent] == [201, 203]


def test_after_a_failed_call_the_next_one_starts_afresh(bot_api: Any, settings: Any) -> None:
    client.send(301, GREETING[:1])
    with fake_bot_api() as gone:
        settings.POMPOLIT_TELEGRAM_API_URL = gone.url
    with pytest.raises(client.BotApiError) as raised:
        client.send(302, GREETING[:1])  # nobody listens there any more
    assert gone.url not in str(raised.value) and raised.value.__cause__ is None
    settings.POMPOLIT_TELEGRAM_API_URL = bot_api.url
    client.send(303, GREETING[:1])
    assert [m["chat_id"] for m in bot_api.sent] == [301, 303]


def test_a_forked_child_answers_through_a_connection_of_its_own(bot_api: Any) -> None:
    client.send(401, GREETING[:1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with the server's thread
        pid = os.fork()
    if pid == 0:  # the child: answers through a client of its own, then exits
        code = 1
        try:
            client.send(402, GREETING[:1])
            client.close()
            code = 0
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    client.send(403, GREETING[:1])
    assert [m["chat_id"] for m in bot_api.sent] == [401, 402, 403]
    assert len(bot_api.connections) == 2  # the parent's, still open, and the child's
