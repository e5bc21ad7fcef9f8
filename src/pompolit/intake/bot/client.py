"""The Bot API, through python-telegram-bot's `Bot`: sending replies and long polling.

The token is in every Bot API address, so nothing here lets an error's text out: a failed call
raises `BotApiError` with no message and no chained cause (a traceback stored with a failed
task, or a log line, must not carry the address).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
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
    # Without `initialize` (which would ask getMe each time) the HTTP clients are open anyway.
    await bot.request.shutdown()
    await bot._request[0].shutdown()


def _run(call: str, work: Any) -> Any:
    try:
        return asyncio.run(work)
    except Exception:
        raise BotApiError(f"the Bot API call {call} failed") from None


def send(chat_id: int, replies: Sequence[Reply]) -> None:
    if not replies:
        return
    bot = make_bot()

    async def work() -> None:
        try:
            for reply in replies:
                await bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply))
        finally:
            await _close(bot)

    _run("sendMessage", work())


def get_updates(offset: int | None, timeout: int) -> list[dict[str, Any]]:
    bot = make_bot()

    async def work() -> list[dict[str, Any]]:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=["message"],
                read_timeout=timeout + 10,
            )
            return [update.to_dict() for update in updates]
        finally:
            await _close(bot)

    result: list[dict[str, Any]] = _run("getUpdates", work())
    return result


def set_webhook(url: str, secret_token: str) -> None:
    bot = make_bot()

    async def work() -> None:
        try:
            await bot.set_webhook(url, secret_token=secret_token, allowed_updates=["message"])
        finally:
            await _close(bot)

    _run("setWebhook", work())


def delete_webhook() -> None:
    bot = make_bot()

    async def work() -> None:
        try:
            await bot.delete_webhook()
        finally:
            await _close(bot)

    _run("deleteWebhook", work())


class TooLarge(Exception):
    pass


def download(file_id: str, max_bytes: int) -> bytes:
    """A file sent to the bot (a photo), through getFile; held in memory only."""
    bot = make_bot()

    async def work() -> bytes:
        try:
            found = await bot.get_file(file_id)
            if (found.file_size or 0) > max_bytes:
                raise TooLarge
            data = bytes(await found.download_as_bytearray())
            if len(data) > max_bytes:
                raise TooLarge
            return data
        finally:
            await _close(bot)

    result: bytes = _run("getFile", work())
    return result
