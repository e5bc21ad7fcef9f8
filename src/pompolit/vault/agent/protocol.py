"""The key agent's wire format: one JSON object per line each way; bytes travel as base64.

A request is `{"op": "<method of KeyAgent>", ...its arguments}`; a reply is the result, or
`{"error": "<code of vault.errors.MESSAGES>", "params": {...}}`.
"""

from __future__ import annotations

import base64

MAX_LINE = 64 * 1024 * 1024


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)
