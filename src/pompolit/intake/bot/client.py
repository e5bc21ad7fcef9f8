"""The Bot API, through python-telegram-bot's `Bot`: sending replies and long polling.

The token is in every Bot API address, so nothing here lets an error's text out: a failed call
raises `BotApiError` with no message and no chained cause (a traceback stored with a failed
task, or a log line, must not carry the address).

A process keeps one `Bot` (its HTTP connections, and the event loop they belong to) and
answers every update through it: making a client and a loop for each update cost the worker
more than the rest of the answer. It is made again when the token or the address changes,
dropped after a failed call, never closed by a forked child (the parent's connections), and
closed at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from django.conf import settings
from telegram import Bot, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from pompolit.intake.bot.conversation import Reply


class BotApiError(Exception):
    """A Bot API call failed (which one is said; never the address, which holds the token)."""


class NoToken(Exception):
    pass


def make_bot() -> Bot:
    token = settings.POMPOLIT_TELEGRAM_TOKEN
    if not token:
        raise NoToken("Set POMPOLIT_TELEGRAM_TOKEN (or POMPOLIT_TELEGRAM_TOKEN_FILE).")
    return Bot(token, base_url=settings.POMPOLIT_TELEGRAM_API_URL, base_file_url=file_url())


def file_url() -> str:
    """Where files are downloaded from: beside the Bot API's address (".../bot" → ".../file/bot"),
    as Telegram's and a local Bot API server's are."""
    url = str(settings.POMPOLIT_TELEGRAM_API_URL)
    base, _slash, last = url.rstrip("/").rpartition("/")
    return f"{base}/file/{last}"


def keyboard(reply: Reply) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    rows: list[list[KeyboardButton]] = []
    if reply.location:
        rows.append([KeyboardButton(reply.location, request_location=True)])
    rows.extend([KeyboardButton(label) for label in row] for row in reply.buttons)
    if not rows:
        return ReplyKeyboardRemove()
    return ReplyKeyboardMarkup(rows, resize_keyboard=True)


async def _close(bot: Bot) -> None:
    # Without `initialize` (which would ask getMe) the HTTP clients are open from the start.
    await bot.request.shutdown()
    await bot._request[0].shutdown()


class _Session:
    """One Bot client, and the event loop its HTTP connections belong to, kept by the process
    (the worker answers update after update through the same connection) for one token and
    one Bot API address."""

    def __init__(self, key: tuple[int, str, str]) -> None:
        self.key = key
        self.bot = make_bot()
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        try:
            self.loop.run_until_complete(_close(self.bot))
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        except Exception:  # noqa: S110 - closing: nothing left to answer
            pass
        finally:
            self.loop.close()


_session: _Session | None = None
_lock = threading.Lock()
# A forked child must not close its parent's connections (a TLS close would end the parent's
# stream too): what it inherited is kept here, unused, until it exits.
_inherited: list[_Session] = []


def _key() -> tuple[int, str, str]:
    return (os.getpid(), str(settings.POMPOLIT_TELEGRAM_TOKEN),
            str(settings.POMPOLIT_TELEGRAM_API_URL))


def _current() -> _Session:
    """The process's session, made again when the token or the address has changed."""
    global _session
    key = _key()
    if _session is not None and _session.key != key:
        if _session.key[0] == key[0]:
            _session.close()
        else:
            _inherited.append(_session)
        _session = None
    if _session is None:
        _session = _Session(key)
    return _session


def close() -> None:
    """Close the kept Bot client (at the process's exit, or when a test is done with it)."""
    global _session
    with _lock:
        if _session is not None and _session.key[0] == os.getpid():
            _session.close()
        _session = None


def _after_fork_in_child() -> None:
    global _session, _lock
    if _session is not None:
        _inherited.append(_session)
    _session = None
    _lock = threading.Lock()  # another thread of the parent may have held it


atexit.register(close)
os.register_at_fork(after_in_child=_after_fork_in_child)


def _run[T](call: str, work: Callable[[Bot], Coroutine[Any, Any, T]]) -> T:
    """Run one Bot API exchange on the kept client; a failure drops the client (the next call
    starts with a new one) and says which call failed, never the address."""
    global _session
    with _lock:
        session = _current()
        try:
            return session.loop.run_until_complete(work(session.bot))
        except Exception:
            session.close()
            _session = None
            raise BotApiError(f"the Bot API call {call} failed") from None


def send(chat_id: int, replies: Sequence[Reply]) -> None:
    if not replies:
        return

    async def work(bot: Bot) -> None:
        for reply in replies:
            await bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply))

    _run("sendMessage", work)


def get_updates(offset: int | None, timeout: int) -> list[dict[str, Any]]:
    async def work(bot: Bot) -> list[dict[str, Any]]:
        updates = await bot.get_updates(
            offset=offset, timeout=timeout, allowed_updates=["message"],
            read_timeout=timeout + 10,
        )
        return [update.to_dict() for update in updates]

    return _run("getUpdates", work)


def set_webhook(url: str, secret_token: str) -> None:
    async def work(bot: Bot) -> None:
        await bot.set_webhook(url, secret_token=secret_token, allowed_updates=["message"])

    _run("setWebhook", work)


def delete_webhook() -> None:
    async def work(bot: Bot) -> None:
        await bot.delete_webhook()

    _run("deleteWebhook", work)


class TooLarge(Exception):
    pass


def download(file_id: str, max_bytes: int) -> bytes:
    """A file sent to the bot (a photo), through getFile; held in memory only."""

    async def work(bot: Bot) -> bytes:
        found = await bot.get_file(file_id)
        if (found.file_size or 0) > max_bytes:
            raise TooLarge
        data = bytes(await found.download_as_bytearray())
        if len(data) > max_bytes:
            raise TooLarge
        return data

    return _run("getFile", work)
