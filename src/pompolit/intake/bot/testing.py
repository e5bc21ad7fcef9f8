"""A fake Telegram Bot API server on 127.0.0.1, for the bot's tests (no network).

It answers python-telegram-bot the way the real Bot API does, for what the bot uses: getMe,
sendMessage (recorded), getUpdates (from a queue the test fills), setWebhook,
deleteWebhook, and getFile with the file's download (from `files`, which the test fills).
And builders for the updates a person's phone would send.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

TOKEN = "123456789:AAFakeTokenForTestsOnly_pompolit"  # noqa: S105 (the fake server's)


@dataclass
class FakeBotApi:
    url: str = ""
    token: str = TOKEN
    sent: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)
    webhook: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # file_id → what the phone sent
    lock: threading.Lock = field(default_factory=threading.Lock)
    connections: set[tuple[str, int]] = field(default_factory=set)  # the callers' (host, port)

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [m["text"] for m in self.sent if chat_id is None or m["chat_id"] == chat_id]

    def last(self) -> dict[str, Any]:
        return self.sent[-1]

    def buttons(self, message: dict[str, Any] | None = None) -> list[str]:
        markup = (message or self.last()).get("reply_markup") or {}
        return [b["text"] for row in markup.get("keyboard", []) for b in row]


def _handler(api: FakeBotApi) -> type[BaseHTTPRequestHandler]:
    message_ids = itertools.count(1)

    class Handler(BaseHTTPRequestHandler):
        # Connections kept open between calls, as Telegram's server keeps them.
        protocol_version = "HTTP/1.1"
        # A response's head and body are two writes: without this, the second would wait for
        # the client's delayed acknowledgement (40 ms) once the connection is kept.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            # A file's download: /file/bot<token>/photos/<file_id>.jpg
            token, _slash, path = unquote(self.path).removeprefix("/file/bot").partition("/")
            file_id = path.removeprefix("photos/").removesuffix(".jpg")
            data = api.files.get(file_id) if token == api.token else None
            with api.lock:
                api.calls.append("download")
            if data is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                params = json.loads(raw or "{}")
            else:
                params = {}
                for key, values in parse_qs(raw).items():
                    try:
                        params[key] = json.loads(values[0])
                    except ValueError:
                        params[key] = values[0]
            token, _slash, method = self.path.removeprefix("/bot").partition("/")
            if token != api.token:
                return self._reply(401, {"ok": False, "error_code": 401,
                                         "description": "Unauthorized"})
            with api.lock:
                api.calls.append(method)
                api.connections.add(self.client_address)
            self._reply(200, {"ok": True, "result": self._result(method, params)})

        def _result(self, method: str, params: dict[str, Any]) -> Any:
            if method == "getMe":
                return {"id": 123456789, "is_bot": True, "first_name": "Помполит",
                        "username": "pompolit_test_bot"}
            if method == "sendMessage":
                with api.lock:
                    api.sent.append(params)
                return {
                    "message_id": next(message_ids),
                    "date": int(time.time()),
                    "chat": {"id": params["chat_id"], "type": "private"},
                    "text": params["text"],
                }
            if method == "getUpdates":
                with api.lock:
                    updates, api.pending[:] = list(api.pending), []
                return updates
            if method == "setWebhook":
                api.webhook = params
                return True
            if method == "getFile":
                file_id = str(params.get("file_id"))
                data = api.files.get(file_id, b"")
                return {"file_id": file_id, "file_unique_id": "u" + file_id,
                        "file_size": len(data), "file_path": f"photos/{file_id}.jpg"}
            if method == "deleteWebhook":
                api.webhook = {}
                return True
            return True

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def fake_bot_api(token: str = TOKEN, port: int = 0) -> Iterator[FakeBotApi]:
    api = FakeBotApi(token=token)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(api))
    api.url = f"http://127.0.0.1:{server.server_address[1]}/bot"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


_update_ids = itertools.count(1000)


def text_update(chat_id: int, text: str, *, language: str = "ru") -> dict[str, Any]:
    return _update(chat_id, {"text": text}, language)


def location_update(
    chat_id: int, latitude: float, longitude: float, *, language: str = "ru"
) -> dict[str, Any]:
    return _update(chat_id, {"location": {"latitude": latitude, "longitude": longitude}}, language)


def photo_update(
    chat_id: int, file_id: str, *, size: int, caption: str = "", language: str = "ru"
) -> dict[str, Any]:
    """A photo as Telegram delivers it: the same picture in sizes, smallest first."""
    sizes = [
        {"file_id": f"{file_id}-small", "file_unique_id": "s" + file_id, "width": 90,
         "height": 67, "file_size": 1200},
        {"file_id": file_id, "file_unique_id": "u" + file_id, "width": 1280, "height": 960,
         "file_size": size},
    ]
    content: dict[str, Any] = {"photo": sizes}
    if caption:
        content["caption"] = caption
    return _update(chat_id, content, language)


def _update(chat_id: int, content: dict[str, Any], language: str) -> dict[str, Any]:
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Аня"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Аня",
                     "language_code": language},
            **content,
        },
    }
