"""Django's database cache, with the writes every public report makes cheaper and safer.

The per-network limits and the proof-of-work stamps (`core/ratelimit.py`,
`intake/public/limits.py`) call `add` and `incr` on each request. Django's `DatabaseCache`
makes each of them a `COUNT(*)` of the whole table, a transaction, a read and a write — and
once the table holds more than `MAX_ENTRIES` (300 by default) it deletes live entries to make
room: a flood of stamps (each its own entry) would forget the counters and the used stamps,
and so let both be replayed. Here:

- `add` is one statement (an insert that replaces only an expired entry), and never culls:
  expired entries are deleted now and then (`SWEEP_EVERY` adds), live ones never;
- `incr` is a read and a compare-and-set update (retried if another worker got in between).

The stored format is Django's own (pickled, base64), so `get`, `set` and `clear` are
unchanged; settings point `CACHES["default"]` here.
"""

from __future__ import annotations

import base64
import pickle
import random
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, models, router
from django.utils.timezone import now as tz_now

SWEEP_EVERY = 500


class DatabaseCache(DjangoDatabaseCache):
    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _expiry(self, timeout: Any) -> datetime:
        seconds = self.get_backend_timeout(timeout)
        zone = UTC if settings.USE_TZ else None
        if seconds is None:
            return datetime.max.replace(microsecond=0, tzinfo=zone)
        return datetime.fromtimestamp(seconds, tz=zone).replace(microsecond=0)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by Django, not in the stubs
        adapt = connection.ops.adapt_datetimefield_value
        now = tz_now().replace(microsecond=0)
        key_, value_, expires_ = quote("cache_key"), quote("value"), quote("expires")
        # Names quoted by the backend, values as parameters.
        sql = f"INSERT INTO {table} ({key_}, {value_}, {expires_}) VALUES (%s, %s, %s) ON CONFLICT ({key_}) DO UPDATE SET {value_} = excluded.{value_}, {expires_} = excluded.{expires_} WHERE {table}.{expires_} < %s"  # noqa: E501, S608
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, [key, self._encode(value), adapt(self._expiry(timeout)),
                                     adapt(now)])
                added = bool(cursor.rowcount == 1)
                if random.randrange(SWEEP_EVERY) == 0:  # noqa: S311 - not a secret
                    sweep = f"DELETE FROM {table} WHERE {quote('expires')} < %s"  # noqa: S608
                    cursor.execute(sweep, [adapt(now)])
        except DatabaseError:
            return False  # as Django's: a cache write may fail quietly
        return added

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by Django, not in the stubs
        expression = models.Expression(output_field=models.DateTimeField())
        converters = (connection.ops.get_db_converters(expression)
                      + expression.get_db_converters(connection))
        for _attempt in range(20):
            with connection.cursor() as cursor:
                read = (f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608
                        f"WHERE {quote('cache_key')} = %s")
                cursor.execute(read, [key])
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found.")
                stored, raw_expires = row
                expires = raw_expires
                for converter in converters:
                    expires = converter(expires, expression, connection)
                if expires < tz_now():
                    raise ValueError(f"Key '{key}' not found.")
                stored = connection.ops.process_clob(stored)
                value = pickle.loads(base64.b64decode(stored.encode(), validate=True))  # noqa: S301 - our own table
                new = value + delta
                swap = (f"UPDATE {table} SET {quote('value')} = %s "  # noqa: S608
                        f"WHERE {quote('cache_key')} = %s AND {quote('value')} = %s")
                cursor.execute(swap, [self._encode(new), key, stored])
                if cursor.rowcount == 1:
                    return int(new)
        raise ValueError(f"Key '{key}' kept changing.")
