"""The bot's work: take an update in (webhook or long poll), answer it in the worker.

`accept_update` is what the webhook view and `pompolit intake bot` call: it drops what is not
a private chat's message, limits each chat's rate, keeps the update encrypted and enqueues
`handle_telegram_update`, the task that calls `handle_update`: the conversation is
read, advanced (`conversation.respond`) and written back or deleted in one transaction, and
the replies are sent through the Bot API (`client`).

Several workers may run at once (docs/tasks.md). A chat is answered by one of them at a time
(`chat_turn`), and that one answers the chat's waiting updates oldest first, whichever of their
tasks it was given: two messages sent a moment apart are applied to the conversation, and
answered, in the order they were sent.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.tasks import task
from django.utils import timezone, translation

from pompolit.intake.bot import client
from pompolit.intake.bot import photos as bot_photos
from pompolit.intake.bot.conversation import Incoming, Reply, State, language_of, respond
from pompolit.intake.bot.models import BotConversation, BotUpdate
from pompolit.vault.fields.blind import blind_digest
from pompolit.vault.keys.keyring import ring

CHAT_SCOPE = "intake.telegram-chat"

# The rate limit's key lives only in this process's memory: its table of recent messages says
# nothing about which chats wrote, even to someone reading the process's memory later on.
_RATE_KEY = secrets.token_bytes(32)
_recent: dict[bytes, deque[float]] = {}


def _message(body: dict[str, Any]) -> dict[str, Any] | None:
    message = body.get("message")
    if not isinstance(message, dict):
        return None
    chat = message.get("chat")
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    if not isinstance(chat.get("id"), int):
        return None
    return message


def _number(body: dict[str, Any]) -> int | None:
    """Telegram's update_id: they "increase sequentially" (Bot API, Update)."""
    number = body.get("update_id")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def within_rate(chat_id: int, *, now: float | None = None) -> bool:
    """At most POMPOLIT_BOT_MESSAGES_PER_MINUTE messages per chat per minute, in this
    process; counted by a keyed digest of the chat id, never the id."""
    now = time.monotonic() if now is None else now
    key = hmac.new(_RATE_KEY, str(chat_id).encode(), hashlib.sha256).digest()
    hits = _recent.setdefault(key, deque())
    while hits and hits[0] <= now - 60:
        hits.popleft()
    if len(hits) >= settings.POMPOLIT_BOT_MESSAGES_PER_MINUTE:
        return False
    hits.append(now)
    if len(_recent) > 100_000:  # a flood of new chats: forget the quiet ones
        for quiet in [k for k, v in _recent.items() if not v or v[-1] <= now - 60]:
            del _recent[quiet]
    return True


def accept_update(body: dict[str, Any]) -> bool:
    """Queue one update from Telegram for the worker; False when it is dropped (not a
    private chat's message, or the chat writes too fast)."""
    message = _message(body)
    if message is None or not within_rate(message["chat"]["id"]):
        return False
    encrypted: dict[str, Any] = {"body": body}  # the field's stubs see its column's text
    row = BotUpdate.objects.create(
        chat_key=blind_digest(CHAT_SCOPE, str(message["chat"]["id"])),
        telegram_id=_number(body),
        **encrypted,
    )
    handle_telegram_update.enqueue(row.pk)
    return True


def forget_expired(now: datetime.datetime | None = None) -> int:
    """Delete conversations untouched for POMPOLIT_BOT_CONVERSATION_MINUTES."""
    limit = (now or timezone.now()) - datetime.timedelta(
        minutes=settings.POMPOLIT_BOT_CONVERSATION_MINUTES
    )
    deleted, _kinds = BotConversation.objects.filter(updated_at__lt=limit).delete()
    bot_photos.forget_abandoned(limit)
    return deleted


# The sweep of expired conversations runs at most this often in a process: in a surge, once
# for every update was a quarter of the handler's database time. A conversation found
# expired is not continued either way (`handle_update`).
SWEEP_SECONDS = 60.0
# A conversation remembers the update numbers of its last messages: one Telegram sends again
# (when the webhook's answer was late) is not applied twice.
SEEN_KEPT = 30
_swept_at: float | None = None


def forget_expired_now_and_then() -> None:
    global _swept_at
    now = time.monotonic()
    if _swept_at is None or now - _swept_at >= SWEEP_SECONDS:
        _swept_at = now
        forget_expired()


def _expired(stored: BotConversation) -> bool:
    return stored.updated_at < timezone.now() - datetime.timedelta(
        minutes=settings.POMPOLIT_BOT_CONVERSATION_MINUTES
    )


def _advance(
    chat_key: str,
    incoming: Incoming,
    photo: bot_photos.Fetched | None,
    user_language: str,
    number: int | None = None,
) -> list[Reply]:
    """The chat's conversation moved one step, under its lock, in one transaction."""
    with transaction.atomic():
        stored = BotConversation.objects.select_for_update().filter(chat_key=chat_key).first()
        state = State(stored.step, stored.language, dict(stored.answers or {})) if stored else None
        if stored is not None and state is not None and _expired(stored):
            # Past its time and not yet swept: its answers and photos go, as the sweep's would.
            bot_photos.settle(state, None)
            stored.delete()
            stored = state = None
        if stored is not None and number is not None and number in stored.seen:
            return []  # Telegram sent it again (its webhook call timed out): answered already
        command = incoming.text.strip().split(" ")[0].split("@")[0].lower()
        language = (
            command[1:] if command in ("/ru", "/en") else state.language if state else user_language
        )
        with translation.override(language):
            if photo is not None:
                after, replies = bot_photos.take(
                    state,
                    photo,
                    language=language,
                    minutes=settings.POMPOLIT_BOT_CONVERSATION_MINUTES,
                )
            else:
                after, replies = respond(
                    state,
                    incoming,
                    language=language,
                    minutes=settings.POMPOLIT_BOT_CONVERSATION_MINUTES,
                )
        bot_photos.settle(state, after)
        if after is None:
            if stored is not None:
                stored.delete()
        else:
            stored = stored or BotConversation(chat_key=chat_key)
            stored.step, stored.language, stored.answers = after.step, after.language, after.answers
            if number is not None:
                stored.seen = [*stored.seen, number][-SEEN_KEPT:]
            stored.updated_at = timezone.now()
            stored.save()
    return replies


# pg_advisory_lock(space, key): the two-number form, apart from the audit's one-number lock.
CHAT_LOCK_SPACE = 7450002


@contextmanager
def chat_turn(chat_key: str) -> Iterator[None]:
    """Hold the chat's turn: another worker wanting it waits until this one is done.

    PostgreSQL: a session advisory lock on the first 32 bits of the chat's blind index (two
    chats may share one, and then wait for each other: harmless). SQLite: a lock on one byte of
    a file beside the database, picked the same way (an in-memory database has one process)."""
    bucket = int(chat_key[:8], 16)
    if connection.vendor == "postgresql":
        key = bucket - 2**31  # int4
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [CHAT_LOCK_SPACE, key])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [CHAT_LOCK_SPACE, key])
        return
    database = str(connection.settings_dict["NAME"])
    if database in ("", ":memory:") or "mode=memory" in database:
        yield
        return
    with (Path(database).parent / "bot-chats.lock").open("ab") as file:
        fcntl.lockf(file, fcntl.LOCK_EX, 1, bucket % 65536)
        try:
            yield
        finally:
            fcntl.lockf(file, fcntl.LOCK_UN, 1, bucket % 65536)


def _take(*, pk: int | None = None, chat_key: str = "") -> dict[str, Any] | None:
    """The oldest waiting update of the chat (or the update `pk`), deleted; its body.

    One statement, DELETE … RETURNING (PostgreSQL, and SQLite since 3.35): of two runs taking
    the same update one gets it and the other nothing, and a taken update is gone before it
    is answered. (A transaction with a row lock, a select and a delete cost a task four
    statements.)"""
    table = BotUpdate._meta.db_table
    column, value = ("id", pk) if pk is not None else ("chat_key", chat_key)
    taken = list(
        BotUpdate.objects.raw(
            f"DELETE FROM {table} WHERE id = (SELECT id FROM {table} WHERE {column} = %s "  # noqa: S608 - names from the model
            "ORDER BY telegram_id IS NULL, telegram_id, id LIMIT 1) "
            "RETURNING id, vault_row_id, body",
            [value],
        )
    )
    if not taken:
        return None
    body: dict[str, Any] = taken[0].body
    return body


def handle_update(update_id: int) -> None:
    """The worker's task: answer the queued update `update_id` and, first, the older updates of
    its chat still waiting; each is deleted as it is taken."""
    chat_key = BotUpdate.objects.filter(pk=update_id).values_list("chat_key", flat=True).first()
    if chat_key is None:
        return  # answered already (in its chat's turn, or by a run of the same task)
    forget_expired_now_and_then()
    if not chat_key:  # queued before updates carried their chat: answered alone, as then
        body = _take(pk=update_id)
        if body is not None:
            _answer(body)
        return
    failed: Exception | None = None
    with chat_turn(chat_key):
        while (body := _take(chat_key=chat_key)) is not None:
            try:
                _answer(body)
            except Exception as error:
                # This update is lost, as a failed task's always was. The chat's other
                # waiting updates are still answered here: this task may be theirs, or theirs
                # may find them gone. The task is recorded as failed after them.
                failed = failed or error
    if failed is not None:
        raise failed


def _answer(body: dict[str, Any]) -> None:
    message = _message(body)
    if message is None:
        return
    number = _number(body)
    chat_id: int = message["chat"]["id"]
    # A photo is downloaded and cleaned before the conversation is locked (intake/bot/photos.py).
    photo = bot_photos.fetch(message) if "photo" in message else None
    location = message.get("location") or {}
    incoming = Incoming(
        text=str(message.get("text") or ""),
        latitude=location.get("latitude"),
        longitude=location.get("longitude"),
    )
    chat_key = blind_digest(CHAT_SCOPE, str(chat_id))
    user_language = language_of((message.get("from") or {}).get("language_code"))
    try:
        replies = _advance(chat_key, incoming, photo, user_language, number)
    except IntegrityError:
        # Another worker began this chat's conversation at the same moment (two first
        # messages): its row is there now, and this message is applied to it in turn.
        replies = _advance(chat_key, incoming, photo, user_language, number)
    client.send(chat_id, replies)


@task
def handle_telegram_update(update_id: int) -> None:
    """The worker's task: answer one message to the bot (queued by `accept_update`)."""
    ring.begin()
    handle_update(update_id)
