"""The Bot API: replies sent with a plain HTTP client, the rest (long polling, the webhook's
setting, files) through python-telegram-bot's `Bot`.

The token is in every Bot API address, so nothing here lets an error's text out: a failed call
raises `BotApiError` with no message and no chained cause (a traceback stored with a failed
task, or a log line, must not carry the address).

A process keeps one `Bot` (its HTTP connections, and the event loop they belong to) and
answers every update through it: making a client and a loop for each update cost the worker
more than the rest of the answer. It is made again when the token or the address changes,
dropped after a failed call, never closed by a forked child (the parent's connections), and
closed at exit. Replies, the worker's call for every update, are posted by a synchronous httpx
client of the same session instead of `Bot.send_message`: the library's event loop, its objects
and its asynchronous connection pool cost the worker about 2 ms of CPU a message, more than a
fifth of a whole update's answer (bench/intake_bot_parts.py).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import httpx
from django.conf import settings
from telegram import Bot

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


def keyboard(reply: Reply) -> dict[str, Any]:
    """The reply's keyboard as the Bot API takes it (ReplyKeyboardMarkup, or ReplyKeyboardRemove
    when the reply has no buttons)."""
    rows: list[list[dict[str, Any]]] = []
    if reply.location:
        rows.append([{"text": reply.location, "request_location": True}])
    rows.extend([{"text": label} for label in row] for row in reply.buttons)
    if not rows:
        return {"remove_keyboard": True}
    return {"keyboard": rows, "resize_keyboard": True}


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
        # The methods' address, as the library makes it: the API's address and the token.
        self.methods = f"{settings.POMPOLIT_TELEGRAM_API_URL}{settings.POMPOLIT_TELEGRAM_TOKEN}"
        # The library's own timeouts (HTTPXRequest): 5 s to connect, read and write, 1 s to
        # wait for a free connection.
        self.http = httpx.Client(timeout=httpx.Timeout(5.0, pool=1.0))

    def close(self) -> None:
        try:
            self.http.close()
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
    return (
        os.getpid(),
        str(settings.POMPOLIT_TELEGRAM_TOKEN),
        str(settings.POMPOLIT_TELEGRAM_API_URL),
    )


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


def _in_session[T](call: str, work: Callable[[_Session], T]) -> T:
    """Run one Bot API exchange on the kept session; a failure drops the session (the next call
    starts with a new one) and says which call failed, never the address."""
    global _session
    with _lock:
        session = _current()
        try:
            return work(session)
        except Exception:
            session.close()
            _session = None
            raise BotApiError(f"the Bot API call {call} failed") from None


def _run[T](call: str, work: Callable[[Bot], Coroutine[Any, Any, T]]) -> T:
    """An exchange through the library's `Bot`, on the session's event loop."""
    return _in_session(call, lambda session: session.loop.run_until_complete(work(session.bot)))


def send(chat_id: int, replies: Sequence[Reply]) -> None:
    """The replies to a chat, in their order; BotApiError when one is refused or fails."""
    if not replies:
        return

    def work(session: _Session) -> None:
        for reply in replies:
            answer = session.http.post(
                f"{session.methods}/sendMessage",
                json={"chat_id": chat_id, "text": reply.text, "reply_markup": keyboard(reply)},
            )
            if answer.status_code != 200 or answer.json().get("ok") is not True:
                raise BotApiError  # its text is said by _in_session

    _in_session("sendMessage", work)


def get_updates(offset: int | None, timeout: int) -> list[dict[str, Any]]:
    async def work(bot: Bot) -> list[dict[str, Any]]:
        updates = await bot.get_updates(
            offset=offset,
            timeout=timeout,
            allowed_updates=["message"],
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
