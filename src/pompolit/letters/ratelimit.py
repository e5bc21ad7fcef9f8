"""How many letters one network may send: a few an hour, without keeping any address.

The counter's name in the cache is an HMAC of the client's network (core.http.client_address:
a /24 or a /48, never the address) under a key made when the process starts and never written
anywhere: the cache (a database table) holds only numbers under names that nobody, not even
the server after a restart, can tie back to a network.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from pompolit.core.http import client_address

_KEY = secrets.token_bytes(32)  # in memory only
WINDOW_SECONDS = 3600


def per_hour() -> int:
    return int(getattr(settings, "POMPOLIT_LETTERS_PER_NETWORK_HOUR", 5))


def _name(request: HttpRequest) -> str:
    network = client_address(request) or "unknown"
    digest = hmac.new(_KEY, network.encode(), hashlib.sha256).hexdigest()[:32]
    return f"letters:rate:{digest}"


def allowed(request: HttpRequest) -> bool:
    """Whether the network may send one more letter now; counts it if so."""
    name = _name(request)
    if cache.add(name, 1, WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, WINDOW_SECONDS)
        return True
    return count <= per_hour()
