"""The database side of a log: hash tiles (pompolit.transparency.tiles) and entry bundles."""

from collections.abc import Iterator, Mapping, Sequence

from django.db import connection
from django.db.models import Field, Model
from pompolit.transparency.tiles import TileKey

from pompolit.tlog.models import EntryBundle, Log, LogTile


class DatabaseTileBackend:
    """Tiles of one log in the LogTile table; the size on the Log row.

    Callers hold the Log row locked (select_for_update) for the whole append, so `save`
    runs inside their transaction and two writers never interleave.
    """

    def __init__(self, log: Log) -> None:
        self.log = log

    def load_size(self) -> int:
        return self.log.size

    def load_tiles(self, keys: Sequence[TileKey]) -> dict[TileKey, bytes]:
        if not keys:
            return {}
        # One round trip, in plain SQL: building the same query with the ORM costs more than
        # running it, and a cold proof should take a few milliseconds.
        by_level: dict[int, list[int]] = {}
        for level, index in keys:
            by_level.setdefault(level, []).append(index)
        # One SELECT a level, joined: each then walks the unique (log, level, index) index
        # straight to its few tiles (with the levels OR-ed, SQLite scans all of the log's).
        selects, params = [], []
        for level, indexes in sorted(by_level.items()):
            placeholders = ", ".join(["%s"] * len(indexes))
            selects.append(
                f"SELECT {_level}, {_index}, {_data} FROM {_tiles} "  # noqa: S608
                f"WHERE {_log} = %s AND {_level} = %s AND {_index} IN ({placeholders})"
            )
            params += [self.log.pk, level, *indexes]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return {(level, index): bytes(data) for level, index, data in cursor.fetchall()}

    def save(self, new_size: int, tiles: Mapping[TileKey, bytes]) -> None:
        # Plain SQL: the ORM's bulk_create costs ~20 µs a row, which is most of an append.
        with connection.cursor() as cursor:
            cursor.executemany(
                _UPSERT_TILE,
                [(self.log.pk, level, index, data) for (level, index), data in tiles.items()],
            )
        Log.objects.filter(pk=self.log.pk).update(size=new_size)
        self.log.size = new_size


BUNDLE_BITS = 8
BUNDLE_SIZE = 1 << BUNDLE_BITS
MAX_ENTRY = 0xFFFF


# The 2-byte length prefixes, made once: packing is then one join, not two calls an entry.
_PREFIX = [length.to_bytes(2, "big") for length in range(MAX_ENTRY + 1)]


def pack(entries: Sequence[bytes]) -> bytes:
    """C2SP tlog-tiles entry bundle: a big-endian 16-bit length before each entry."""
    prefix = _PREFIX
    try:
        return b"".join([part for entry in entries for part in (prefix[len(entry)], entry)])
    except IndexError:
        longest = max(len(entry) for entry in entries)
        raise ValueError(
            f"a log entry may be at most {MAX_ENTRY} bytes, not {longest}"
        ) from None


def unpack(bundle: bytes) -> list[bytes]:
    entries, offset = [], 0
    while offset < len(bundle):
        length = int.from_bytes(bundle[offset : offset + 2], "big")
        entries.append(bundle[offset + 2 : offset + 2 + length])
        offset += 2 + length
    if offset != len(bundle):
        raise ValueError("an entry bundle ends in the middle of an entry")
    return entries


def insert_entries(log: Log, first: int, entries: Sequence[bytes]) -> None:
    """Store entries first..first+len-1, extending the last, partly filled bundle."""
    bundle = first >> BUNDLE_BITS
    head = b""
    if first % BUNDLE_SIZE:
        with connection.cursor() as cursor:
            cursor.execute(_SELECT_BUNDLE, [log.pk, bundle])
            row = cursor.fetchone()
        head = bytes(row[0]) if row else b""
        if len(unpack(head)) != first % BUNDLE_SIZE:
            raise ValueError(f"entry bundle {bundle} does not end at entry {first}")
    rows = []
    offset = 0
    while offset < len(entries):
        room = BUNDLE_SIZE - (first + offset) % BUNDLE_SIZE
        rows.append((log.pk, bundle, head + pack(entries[offset : offset + room])))
        head = b""
        bundle += 1
        offset += room
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT_BUNDLE, rows)


def read_entries(log: Log, start: int, stop: int, chunk: int = 64) -> Iterator[bytes]:
    """Entries start..stop-1 in order, reading `chunk` bundles per query."""
    first, last = start >> BUNDLE_BITS, (stop - 1) >> BUNDLE_BITS
    for low in range(first, last + 1, chunk):
        with connection.cursor() as cursor:
            cursor.execute(_SELECT_BUNDLES, [log.pk, low, min(last, low + chunk - 1)])
            rows = cursor.fetchall()
        for index, data in rows:
            base = index << BUNDLE_BITS
            for offset, entry in enumerate(unpack(bytes(data))):
                if start <= base + offset < stop:
                    yield entry


def _quoted(model: type[Model], *fields: str) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column
        columns.append(quote(field.column))
    return quote(model._meta.db_table), columns


def _upsert(model: type[Model], *fields: str) -> str:
    # ON CONFLICT … DO UPDATE is the same on SQLite (3.24+) and PostgreSQL; the triggers let
    # the update through only when it extends the row's data.
    table, columns = _quoted(model, *fields)
    keys, data = columns[:-1], columns[-1]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {data} = excluded.{data}"
    )


_tiles, (_log, _level, _index, _data) = _quoted(LogTile, "log", "level", "index", "data")
_UPSERT_TILE = _upsert(LogTile, "log", "level", "index", "data")
_bundles, (_b_log, _b_index, _b_data) = _quoted(EntryBundle, "log", "index", "data")
_UPSERT_BUNDLE = _upsert(EntryBundle, "log", "index", "data")
_SELECT_BUNDLE = f"SELECT {_b_data} FROM {_bundles} WHERE {_b_log} = %s AND {_b_index} = %s"  # noqa: S608
_SELECT_BUNDLES = (
    f"SELECT {_b_index}, {_b_data} FROM {_bundles} "  # noqa: S608
    f"WHERE {_b_log} = %s AND {_b_index} BETWEEN %s AND %s ORDER BY {_b_index}"
)
