"""How many letters one network may send: a few an hour, without keeping any address
(core/ratelimit.py: the counter's name is an HMAC of the client's /24 or /48 under a key held
only in the process's memory)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from pompolit.core.ratelimit import over_limit

WINDOW_SECONDS = 3600


def per_hour() -> int:
    return int(getattr(settings, "POMPOLIT_LETTERS_PER_NETWORK_HOUR", 5))


def allowed(request: HttpRequest) -> bool:
    """Whether the network may send one more letter now; counts it if so."""
    return not over_limit(request, "letters", allowed=per_hour(), seconds=WINDOW_SECONDS)
