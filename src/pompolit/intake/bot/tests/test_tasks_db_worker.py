"""With the production backend (django-tasks-db): the webhook only queues the update, the
task row holds its id and nothing anyone typed, and the worker (run here in-process, as
`pompolit db_worker --batch` would) answers it."""

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client, override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from pompolit.intake.bot import services
from pompolit.intake.bot.models import BotConversation, BotUpdate
from pompolit.intake.bot.testing import text_update

from .conftest import post_update

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker(monkeypatch: Any) -> None:
    # The worker drops stale connections between tasks; here the test's transaction is the
    # connection, so it stays.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    ).run()


@pytest.mark.django_db
def test_the_worker_answers_what_the_webhook_queued(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any, monkeypatch: Any
) -> None:
    with override_settings(TASKS=DB_TASKS):
        assert post_update(client, text_update(777, "Смирнова Анна, 2001")).status_code == 200
        assert bot_api.sent == []  # nothing answered on the request's path
        queued = DBTaskResult.objects.get()
        assert queued.args_kwargs == {"args": [BotUpdate.objects.get().pk], "kwargs": {}}
        run_worker(monkeypatch)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert not BotUpdate.objects.exists()
    assert len(bot_api.sent) == 2 and bot_api.sent[0]["chat_id"] == 777


@pytest.mark.django_db
def test_an_update_handled_twice_is_answered_once(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any
) -> None:
    # Several workers never take the same task (django-tasks-db claims it under a row lock,
    # SKIP LOCKED); and were one run twice, the update is deleted by the first.
    with override_settings(TASKS=DB_TASKS):
        post_update(client, text_update(778, "/start"))
    update_id = BotUpdate.objects.get().pk
    services.handle_update(update_id)
    services.handle_update(update_id)
    assert [m["chat_id"] for m in bot_api.sent] == [778, 778]


@pytest.mark.django_db
def test_a_first_message_that_meets_another_workers_new_conversation_is_answered(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any, monkeypatch: Any
) -> None:
    # Two first messages of one chat in two workers: both find no conversation, the second
    # insert hits the unique chat key. Its message is applied again, not lost.
    save = BotConversation.save
    collided: list[bool] = []

    def save_once_too_late(self: BotConversation, *args: Any, **kwargs: Any) -> None:
        if self.pk is None and not collided:
            collided.append(True)
            raise IntegrityError("duplicate key value violates unique constraint")
        save(self, *args, **kwargs)

    monkeypatch.setattr(BotConversation, "save", save_once_too_late)
    post_update(client, text_update(779, "/start", language="en"))
    assert collided
    assert bot_api.texts(779)[1] == "Who are you?"
    assert len(bot_api.sent) == 2
    assert BotConversation.objects.get().step == "reporter"


def queue(client: Client, *updates: dict[str, Any]) -> list[int]:
    """Post updates to the webhook with the production backend: queued, not answered; their
    rows' ids, in the order posted."""
    with override_settings(TASKS=DB_TASKS):
        for update in updates:
            assert post_update(client, update).status_code == 200
    return list(BotUpdate.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_chats_messages_are_answered_in_order_whichever_task_a_worker_takes_first(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any
) -> None:
    # Two workers took the tasks of "/start" and of the answer sent right after it; the one
    # with the answer's task got to the chat first. It answers "/start" first all the same.
    first, second = queue(
        client, text_update(780, "/start", language="en"), text_update(780, "A relative")
    )
    services.handle_update(second)
    assert bot_api.texts(780)[1:] == ["Who are you?", "The detained person's surname?"]
    assert BotConversation.objects.get().step == "surname"
    assert not BotUpdate.objects.exists()
    services.handle_update(first)  # its update was answered in the chat's turn
    assert len(bot_api.sent) == 3


@pytest.mark.django_db
def test_updates_that_reach_the_server_out_of_order_are_answered_in_telegrams_order(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any
) -> None:
    # Telegram posts to the webhook over several connections: a later update may be queued
    # first. Its update numbers "increase sequentially", and the worker follows them.
    start = text_update(781, "/start", language="en")
    answer = text_update(781, "A relative")
    assert answer["update_id"] > start["update_id"]
    queue(client, answer, start)
    services.handle_update(BotUpdate.objects.order_by("pk").first().pk)  # type: ignore[union-attr]
    assert BotConversation.objects.get().step == "surname"
    assert bot_api.texts(781)[-1] == "The detained person's surname?"


@pytest.mark.django_db
def test_an_update_queued_before_updates_carried_their_chat_is_still_answered(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any
) -> None:
    (pk,) = queue(client, text_update(782, "/start", language="en"))
    BotUpdate.objects.filter(pk=pk).update(chat_key="", telegram_id=None)
    services.handle_update(pk)
    assert bot_api.texts(782)[1] == "Who are you?"
    assert not BotUpdate.objects.exists()


@pytest.mark.django_db
def test_an_update_keeps_its_chat_only_as_the_blind_index(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any
) -> None:
    queue(client, text_update(783, "/start"))
    row = BotUpdate.objects.values("chat_key", "telegram_id").get()
    # The keyed digest the conversation is found by (the key lives only in the unsealed
    # vault), never the id itself.
    assert row["chat_key"] == services.blind_digest(services.CHAT_SCOPE, "783")
    assert len(row["chat_key"]) == 64
    assert isinstance(row["telegram_id"], int)


CHAT_KEY = "9f" * 32


def someone_else_may_take(chat_key: str) -> bool:
    """Could another database session take the chat's turn now? (Asked from a thread: its
    own connection; the lock is let go at once.)"""
    from django.db import connection

    answer: list[bool] = []

    def ask() -> None:
        key = int(chat_key[:8], 16) - 2**31
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_lock(%s, %s)", [services.CHAT_LOCK_SPACE, key]
                )
                answer.append(cursor.fetchone()[0])
                if answer[0]:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, %s)", [services.CHAT_LOCK_SPACE, key]
                    )
        finally:
            connection.close()

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    return answer[0]


@pytest.mark.django_db
def test_a_chats_turn_is_held_by_one_database_session_at_a_time() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock; SQLite's file lock is the next test")
    assert someone_else_may_take(CHAT_KEY)
    with services.chat_turn(CHAT_KEY):
        assert not someone_else_may_take(CHAT_KEY)
        assert someone_else_may_take("a0" * 32)  # another chat is not held up
    assert someone_else_may_take(CHAT_KEY)


def another_process_may_take(lock_file: Path, chat_key: str) -> bool:
    bucket = int(chat_key[:8], 16) % 65536
    probe = (
        "import fcntl, sys\n"
        f"f = open({str(lock_file)!r}, 'ab')\n"
        f"try: fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, {bucket})\n"
        "except OSError: sys.exit(3)\n"
    )
    return subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def test_on_sqlite_a_chats_turn_is_a_lock_beside_the_database_file(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's file lock; PostgreSQL's advisory lock is the test before")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "pompolit.sqlite3"))
    lock_file = tmp_path / "bot-chats.lock"
    with services.chat_turn(CHAT_KEY):
        assert not another_process_may_take(lock_file, CHAT_KEY)
        assert another_process_may_take(lock_file, "a0" * 32)
    assert another_process_may_take(lock_file, CHAT_KEY)
    assert lock_file.read_bytes() == b""  # nothing is written in it


@pytest.mark.django_db
def test_a_message_that_fails_does_not_keep_the_chats_next_ones_waiting(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any, monkeypatch: Any
) -> None:
    # The task of the second message took the chat's turn, and the first message failed
    # (Telegram down for a moment): the second is answered all the same, then the task fails.
    _first, second = queue(
        client, text_update(784, "/start", language="en"), text_update(784, "/start")
    )
    answer = services._answer
    calls: list[int] = []

    def first_fails(body: dict[str, Any]) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise services.client.BotApiError("Telegram did not answer")
        answer(body)

    monkeypatch.setattr(services, "_answer", first_fails)
    with pytest.raises(services.client.BotApiError):
        services.handle_update(second)
    assert len(calls) == 2
    assert not BotUpdate.objects.exists()
    assert "горячей линии" in bot_api.texts(784)[0]


@pytest.mark.django_db
def test_an_update_telegram_sends_again_is_not_applied_twice(
    client: Client, bot_api: Any, hotline: Any, unsealed_vault: Any
) -> None:
    # Telegram posts an update again when the webhook answered late. A need toggled twice
    # would be switched off again; the second copy is not applied, whether it comes later or
    # waits in the queue beside the first.
    for text in ["/start", "A witness", "Petrov", "Skip", "Skip", "Skip", "Don't know",
                 "Skip", "Skip", "Skip", "Skip"]:
        post_update(client, text_update(785, text, language="en"))
    assert bot_api.texts(785)[-1].startswith("What do they need urgently?")
    water = text_update(785, "Water", language="en")
    post_update(client, water)
    answered = len(bot_api.sent)
    post_update(client, water)
    assert len(bot_api.sent) == answered
    assert BotConversation.objects.get().answers["needs"] == ["water"]
    twice = text_update(785, "Food", language="en")
    queue(client, twice, twice)
    services.handle_update(BotUpdate.objects.order_by("pk").first().pk)  # type: ignore[union-attr]
    assert BotConversation.objects.get().answers["needs"] == ["water", "food"]
    assert not BotUpdate.objects.exists()
