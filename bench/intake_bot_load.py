"""Load on the Telegram bot's webhook: a bounded asyncio client, 127.0.0.1 only.

Start a server with a bot token (any; the webhook's secrets derive from it) and the vault
unsealed, e.g. the demo on PostgreSQL under gunicorn:

    POMPOLIT_DEMO=1 POMPOLIT_TELEGRAM_TOKEN=123:bench POMPOLIT_DATABASE_URL=postgres://... \\
        .venv/bin/gunicorn pompolit.wsgi --bind 127.0.0.1:8130 --workers 3
    POMPOLIT_TELEGRAM_TOKEN=123:bench .venv/bin/python bench/intake_bot_load.py \\
        --url http://127.0.0.1:8130 --chats 500 --concurrency 50

Each simulated chat sends a whole conversation (the 18 answers a report takes), one message
after another, with `--concurrency` chats at a time; the webhook stores each update encrypted
and queues its task (the worker, run apart, answers). Reports/s counts finished
conversations; p50/p95 are per webhook request.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import os
import statistics
import time
from urllib.parse import urlsplit

import httpx

ANSWERS = [
    "/start", "Родственник", "Москва", "Смирнова", "Анна", "Сергеевна", "2001", "Нет", "19:30",
    "Пушкинская площадь", "ОВД «Тверской»", "Антивоенная акция", "Вода", "Готово", "Нет",
    "Нет", "Нет", "Пропустить", "Пропустить", "Отправить сообщение",
]


def secrets_of(token: str) -> tuple[str, str]:
    def derived(purpose: str) -> str:
        return hmac.new(token.encode(), b"pompolit-telegram-" + purpose.encode(),
                        hashlib.sha256).hexdigest()

    return derived("path")[:32], derived("header")


async def conversation(client: httpx.AsyncClient, url: str, header: str, chat: int,
                       timings: list[float]) -> None:
    for n, text in enumerate(ANSWERS):
        update = {
            "update_id": chat * 100 + n,
            "message": {
                "message_id": n + 1, "date": int(time.time()), "text": text,
                "chat": {"id": chat, "type": "private"},
                "from": {"id": chat, "is_bot": False, "first_name": "Б", "language_code": "ru"},
            },
        }
        started = time.perf_counter()
        response = await client.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": header}
        )
        timings.append(time.perf_counter() - started)
        response.raise_for_status()


async def run(base: str, token: str, chats: int, concurrency: int) -> None:
    host = urlsplit(base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("This load test runs against 127.0.0.1 only.")
    path, header = secrets_of(token)
    url = f"{base.rstrip('/')}/intake/telegram/{path}/"
    timings: list[float] = []
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def one(chat: int) -> None:
            async with gate:
                await conversation(client, url, header, chat, timings)

        started = time.perf_counter()
        await asyncio.gather(*(one(9_000_000 + c) for c in range(chats)))
        took = time.perf_counter() - started
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{chats} conversations ({len(timings)} webhook requests) at {concurrency} at a time "
          f"in {took:.1f} s: {chats / took:.1f} reports/s, {len(timings) / took:.0f} updates/s, "
          f"p50 {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8130")
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    options = parser.parse_args()
    token = os.environ.get("POMPOLIT_TELEGRAM_TOKEN", "")
    if not token:
        raise SystemExit("Set POMPOLIT_TELEGRAM_TOKEN to the server's (any token will do).")
    asyncio.run(run(options.url, token, options.chats, options.concurrency))


if __name__ == "__main__":
    main()
