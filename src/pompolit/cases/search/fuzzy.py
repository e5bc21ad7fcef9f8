"""The name search's fallback, for a query its keys find nothing or too little for.

Each query word is looked up by its coarse keys (`pompolit.names.coarse`: stored with every
name, marked ``~``), which meet across Belarusian vowels, dropped letters and the like, and by
the stored coarse keys *near* them — within one edit (two for long words), so a typo or a
letter lost in the press still finds the person. The near keys are looked for among the
*distinct* coarse keys (`CoarseKey`, a row per key string), then the people by those keys
exactly (`NameKey`'s btree index):

- on PostgreSQL with pg_trgm (migration 0018 makes the index when it can), the near keys come
  from the trigram index on `CoarseKey`;
- elsewhere (SQLite, PostgreSQL without the extension), from the distinct coarse keys that
  begin with the same two letters (an index range scan), measured with rapidfuzz.

A person is a candidate when every word of the query found one of their keys; the caller ranks
candidates below every ordinary match and drops those whose name is not close enough
(`MIN_SIMILARITY`), so a man's surname never comes back for a woman's (50) nor a namesake with
another given name.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection
from rapidfuzz.distance import Levenshtein

from pompolit.cases.models import CoarseKey, NameKey
from pompolit.names import fuzzy_key_groups
from pompolit.names.coarse import MARK

FUZZY_BELOW = 5  # fall back when the ordinary keys found fewer people than this
MIN_SIMILARITY = 60.0  # and keep what the fallback finds only when the names are this close
MAX_NEAR_KEYS = 5000
MAX_PEOPLE = 2000
TRIGRAM_INDEX = "cases_coarsekey_trgm"


def allowed_edits(key: str) -> int:
    """Edits allowed between a coarse key and a near one (the mark not counted)."""
    length = len(key) - len(MARK)
    return 0 if length < 5 else 1 if length < 9 else 2


@lru_cache(maxsize=8)
def has_trigrams(alias: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [TRIGRAM_INDEX])
        return cursor.fetchone() is not None


def stored_candidates(key: str) -> list[str]:
    """Stored coarse keys that may be near this one: by trigrams, or by their first letters.

    Both look in `CoarseKey` (one row per distinct key), not in `NameKey` (a row per name), so
    the work does not grow with the number of people sharing a key."""
    if has_trigrams(connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT key FROM {CoarseKey._meta.db_table} WHERE key %% %s LIMIT %s",  # noqa: S608
                [key, MAX_NEAR_KEYS],
            )
            return [row[0] for row in cursor.fetchall()]
    prefix = key[: len(MARK) + 2]
    return list(
        CoarseKey.objects.filter(key__gte=prefix, key__lt=prefix + "\U0010ffff")
        .order_by("key")
        .values_list("key", flat=True)[:MAX_NEAR_KEYS]
    )


def near_keys(key: str) -> set[str]:
    edits = allowed_edits(key)
    if not edits:
        return {key}
    return {key} | {
        other
        for other in stored_candidates(key)
        if Levenshtein.distance(key, other, score_cutoff=edits) <= edits
    }


def people(text: str) -> set[int]:
    """The people whose names come near every word of the text (at most `MAX_PEOPLE`)."""
    groups = fuzzy_key_groups(text)
    if not groups:
        return set()
    found: set[int] | None = None
    for group in groups:
        keys: set[str] = set()
        for key in group:
            keys |= near_keys(key)
        hits = set(
            NameKey.objects.filter(key__in=sorted(keys))
            .order_by()
            .values_list("person_id", flat=True)[:MAX_PEOPLE]
        )
        found = hits if found is None else found & hits
        if not found:
            return set()
    return found or set()
