"""The database side of pompolit.transparency.tiles.TileBackend."""

from collections.abc import Mapping, Sequence

from django.db.models import Q
from pompolit.transparency.tiles import TileKey

from pompolit.tlog.models import Log, LogTile


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
        wanted = Q()
        for level in sorted({level for level, _ in keys}):
            wanted |= Q(level=level, index__in=[i for lv, i in keys if lv == level])
        rows = LogTile.objects.filter(wanted, log=self.log).values_list("level", "index", "data")
        return {(level, index): bytes(data) for level, index, data in rows}

    def save(self, new_size: int, tiles: Mapping[TileKey, bytes]) -> None:
        LogTile.objects.bulk_create(
            [
                LogTile(log=self.log, level=level, index=index, data=data)
                for (level, index), data in tiles.items()
            ],
            update_conflicts=True,
            unique_fields=["log", "level", "index"],
            update_fields=["data"],
            batch_size=500,
        )
        Log.objects.filter(pk=self.log.pk).update(size=new_size)
        self.log.size = new_size
