"""With the production backend (django-tasks-db): the webhook only queues the update, the
task row holds its id and nothing anyone typed, and the worker (run here in-process, as
`pompolit db_worker --batch` would) answers it."""

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
