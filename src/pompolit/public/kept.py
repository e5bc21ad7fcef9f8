"""What the public list reads on every request (every published case's filterable fields, the
filters' choices), kept in each web worker's memory until the registry changes.

A generation token in the shared cache names the registry's state: any save or delete of a
case, its person, consent, charges, facility or status gives it a new random value when its
transaction commits (once per transaction), and the worker that made the change forgets what
it kept at once (its own transaction reads the change before anyone else can). A worker keeps
what it built under the token it read, for at most `SECONDS`, as a backstop for changes that
bypass signals (`QuerySet.update`, `bulk_create`). So a withdrawn consent leaves the list at
the next request.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "public:list:generation"
SECONDS = 60.0

_kept: dict[tuple[Hashable, ...], tuple[float, Any]] = {}
_lock = threading.Lock()
_local = 0  # this worker's own changes since it started


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, None):
            token = cache.get(GENERATION_KEY) or token
    return str(token)


def _renew() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def changed(**_kwargs: Any) -> None:
    """A signal receiver: what the public list shows may have changed.

    This worker forgets what it kept at once (its own transaction may read the change before
    it commits); the shared token is renewed when the transaction commits, once per
    transaction however many rows it saves (a rolled-back transaction drops its callbacks, so
    the next change queues afresh)."""
    global _local
    with _lock:
        _local += 1
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _renew for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_renew)


def kept[T](key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """`build()`'s value for `key` in the registry's present state."""
    full = (f"{generation()}.{_local}", *key)
    now = time.monotonic()
    with _lock:
        hit = _kept.get(full)
    if hit is not None and now - hit[0] < SECONDS:
        return hit[1]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        for old in [k for k, (at, _v) in _kept.items() if k[0] != full[0] or now - at >= SECONDS]:
            del _kept[old]
        _kept[full] = (now, value)
    return value


def connect() -> None:
    from pompolit.cases.models import Case, CaseStatus, Charge, Consent, Facility, Person

    for model in (Case, CaseStatus, Charge, Consent, Facility, Person):
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model,
                           dispatch_uid=f"public.kept.{model.__name__}.{signal is post_save}")
