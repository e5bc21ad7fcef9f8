"""Rate limits of the public forms, per network, without keeping any address
(core/ratelimit.py: a keyed hash of the client's /24 or /48 under a key held only in the
process's memory — never SECRET_KEY, which a seized disk gives away)."""

from __future__ import annotations

from django.http import HttpRequest

from pompolit.core.ratelimit import over_limit as _over_limit


def over_limit(request: HttpRequest, what: str, *, allowed: int, seconds: int) -> bool:
    """Count one more `what` from the request's network; True once over `allowed` per window."""
    return _over_limit(request, f"public:{what}", allowed=allowed, seconds=seconds)
