"""Per-network rate limits for the public doors (the detention report form, letters, the
public site's forms), without keeping any address.

A client's network (IPv4 /24, IPv6 /48: `core.http.client_address`) is counted in Django's
cache — a database table in production (`core/dbcache.py`: one increment per request, and
live counters are never culled) — under HMAC-SHA256 of the network with a key that
exists only in this process's memory and changes every day. The address and the network are
never stored, logged or written to the database. A key derived from SECRET_KEY would not do:
SECRET_KEY is on the seized disk, and there are only 2²⁴ IPv4 /24 networks to try, so every
counter name in the cache table would give its network back. With this key, after a restart or
at midnight even the server cannot tell which counter was whose. (With several worker
processes each has its own key, so a network's allowance is per worker: gunicorn's
`preload_app` shares one key between them.)
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import time

from django.core.cache import cache
from django.http import HttpRequest

from pompolit.core.http import client_address

_PROCESS_SECRET = secrets.token_bytes(32)  # in memory only


def _day_key(day: datetime.date) -> bytes:
    return hmac.new(_PROCESS_SECRET, day.isoformat().encode(), hashlib.sha256).digest()


def network_key(request: HttpRequest) -> str:
    """Today's keyed hash of the client's network; "" when there is no address."""
    network = client_address(request)
    if not network:
        return ""
    key = _day_key(datetime.datetime.now(datetime.UTC).date())
    return hmac.new(key, network.encode(), hashlib.sha256).hexdigest()[:32]


def _counter(request: HttpRequest, bucket: str, seconds: int) -> str:
    who = network_key(request) or "no-address"
    window = int(time.time()) // seconds
    return f"pompolit:rate:{bucket}:{window}:{who}"


def used(request: HttpRequest, bucket: str, *, seconds: int = 3600) -> int:
    """How many `bucket` the request's network has been counted in this window (one read,
    nothing counted): for a door that counts only what succeeded (`over_limit` after it)."""
    return int(cache.get(_counter(request, bucket, seconds)) or 0)


def over_limit(request: HttpRequest, bucket: str, *, allowed: int, seconds: int = 3600) -> bool:
    """Count one more `bucket` from the request's network in the current window of `seconds`;
    True once it is over `allowed`."""
    key = _counter(request, bucket, seconds)
    # The usual case, a network seen before this hour, is one increment; the first request of
    # the hour adds the counter (if another worker added it in between, increment that one).
    try:
        count = cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout=seconds):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired in between
                cache.set(key, 1, timeout=seconds)
                count = 1
    return count > allowed
