"""Rate limits of the public forms, per network, without keeping any address.

The cache key is a keyed hash (the server's SECRET_KEY) of the client's network (a /24 or a
/48, `core.http.client_address`): enough to stop one network flooding a form, nothing that
names an address if the cache is read.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from pompolit.core.http import client_address


def network_key(request: HttpRequest) -> str:
    network = client_address(request) or "unknown"
    return salted_hmac("pompolit.public.network", network, algorithm="sha256").hexdigest()[:32]


def over_limit(request: HttpRequest, what: str, *, allowed: int, seconds: int) -> bool:
    """Count one more `what` from the request's network; True once over `allowed` per window."""
    key = f"pompolit:public:{what}:{network_key(request)}"
    if cache.add(key, 1, seconds):
        return allowed < 1
    try:
        return cache.incr(key) > allowed
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return False
