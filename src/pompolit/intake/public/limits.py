"""Abuse resistance for the public form, without keeping who sent what.

**Per-network rate limits** (core/ratelimit.py, shared with letters and the public site): a
client's network (IPv4 /24, IPv6 /48) is counted in Django's cache under HMAC-SHA256 of the
network with a key that exists only in this process's memory and changes every day. The
address and the network are never stored, logged or written to the database.

**Proof of work.** The form carries a challenge signed by the server (`new_challenge`); a small
vendored script (static/intake/stamp.js) finds a counter such that SHA-256 of
"challenge:counter" starts with `POMPOLIT_INTAKE_POW_BITS` zero bits, about a second of a
phone's work. A valid, fresh, unused stamp gives the network the larger allowance; without
JavaScript (Tor Browser's safest level) the form still works, under the smaller allowance.
A stamp is used once (its nonce is remembered in the cache until it expires).

**What is counted.** The allowances count reports *stored*: a form sent back with mistakes uses
none of them (`reached` reads the count before the form is checked, `count` adds to it after
the report is kept). Every sending of the form, kept or not, is counted apart against the much
larger `POMPOLIT_INTAKE_POSTS_PER_HOUR`, before anything else is done with it: a flood of
broken forms is stopped for the price of one counter.
"""

from __future__ import annotations

import enum
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from pompolit.core.ratelimit import network_key
from pompolit.core.ratelimit import over_limit as _over_limit
from pompolit.core.ratelimit import used as _used

WINDOW_SECONDS = 3600
STAMP_MAX_AGE = 3600
_SALT = "pompolit.intake.pow"

__all__ = ["Stamp", "bits", "bypassed", "check_stamp", "count", "network_key", "new_challenge",
           "over_limit", "reached", "solve"]


def bypassed() -> bool:
    """Only for bench/intake_form_load.py; production settings refuse it."""
    return bool(getattr(settings, "POMPOLIT_INTAKE_BENCH_NO_LIMITS", False))


def over_limit(request: HttpRequest, bucket: str, limit: int) -> bool:
    """Count one more request of this network in `bucket` this hour; True when over `limit`."""
    if bypassed():
        return False
    return _over_limit(request, f"intake:{bucket}", allowed=limit, seconds=WINDOW_SECONDS)


def reached(request: HttpRequest, bucket: str, limit: int) -> bool:
    """Has this network already used its `limit` of `bucket` this hour? Counts nothing."""
    if bypassed():
        return False
    return _used(request, f"intake:{bucket}", seconds=WINDOW_SECONDS) >= limit


def count(request: HttpRequest, bucket: str) -> None:
    """One more `bucket` for this network this hour (a report was stored)."""
    if not bypassed():
        _over_limit(request, f"intake:{bucket}", allowed=0, seconds=WINDOW_SECONDS)


# -- the proof-of-work stamp -------------------------------------------------------------------


class Stamp(enum.Enum):
    VALID = "valid"
    MISSING = "missing"
    FORGED = "forged"
    EXPIRED = "expired"
    REUSED = "reused"
    WRONG = "wrong"  # the counter does not give enough zero bits


def bits() -> int:
    return int(getattr(settings, "POMPOLIT_INTAKE_POW_BITS", 16))


def new_challenge() -> str:
    """A signed, timestamped challenge carrying a random nonce and the difficulty."""
    return signing.dumps({"n": secrets.token_hex(16), "b": bits()}, salt=_SALT, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        return count + 8 - byte.bit_length()
    return count


def check_stamp(challenge: str, counter: str, *, max_age: int = STAMP_MAX_AGE) -> Stamp:
    """Is this a solution of a challenge we issued, fresh, and never used before? A valid stamp
    is used up by checking it."""
    if not challenge or not counter:
        return Stamp.MISSING
    try:
        payload = signing.loads(challenge, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return Stamp.EXPIRED
    except signing.BadSignature:
        return Stamp.FORGED
    if not counter.isdigit() or len(counter) > 12:
        return Stamp.WRONG
    digest = hashlib.sha256(f"{challenge}:{counter}".encode()).digest()
    if leading_zero_bits(digest) < int(payload.get("b", bits())):
        return Stamp.WRONG
    if not cache.add(f"intake-pow:{payload['n']}", 1, timeout=max_age + 60):
        return Stamp.REUSED
    return Stamp.VALID


def solve(challenge: str) -> str:
    """What stamp.js does, for tests and the bench: the first counter that has enough bits."""
    payload = signing.loads(challenge, salt=_SALT)
    counter = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{counter}".encode()).digest()
        if leading_zero_bits(digest) >= int(payload["b"]):
            return str(counter)
        counter += 1
