"""The database cache the rate limits and the proof-of-work stamps live in (core/dbcache.py):
`add` and `incr` as Django's, in fewer statements, and live entries are never culled."""

import datetime

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pompolit.core.dbcache import DatabaseCache


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def test_the_settings_use_it():
    assert isinstance(caches["default"], DatabaseCache)


def test_add_takes_a_free_key_once_and_in_one_statement():
    with CaptureQueriesContext(connection) as queries:
        assert cache.add("intake-pow:nonce-1", 1, timeout=60)
    assert len(queries) == 1
    assert not cache.add("intake-pow:nonce-1", "второй", timeout=60)
    assert cache.get("intake-pow:nonce-1") == 1
    assert cache.add("intake-pow:nonce-2", "Смирнова", timeout=60)
    assert cache.get("intake-pow:nonce-2") == "Смирнова"


def test_add_replaces_an_expired_entry(monkeypatch):
    assert cache.add("rate:net-1", 5, timeout=60)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2)
    monkeypatch.setattr("pompolit.core.dbcache.tz_now", lambda: later)
    assert cache.add("rate:net-1", 7, timeout=600)


def test_incr_counts_and_refuses_a_missing_key():
    with pytest.raises(ValueError):
        cache.incr("rate:missing")
    cache.add("rate:net-1", 0, timeout=60)
    assert [cache.incr("rate:net-1") for _ in range(3)] == [1, 2, 3]
    assert cache.incr("rate:net-1", 10) == 13
    assert cache.get("rate:net-1") == 13
    with CaptureQueriesContext(connection) as queries:
        cache.incr("rate:net-1")
    assert len(queries) == 2


def test_incr_refuses_an_expired_counter(monkeypatch):
    cache.add("rate:net-1", 3, timeout=60)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2)
    monkeypatch.setattr("pompolit.core.dbcache.tz_now", lambda: later)
    with pytest.raises(ValueError):
        cache.incr("rate:net-1")


def test_a_flood_of_stamps_does_not_make_it_forget_the_counters():
    # Django's own database cache deletes live entries beyond MAX_ENTRIES (300 by default):
    # a flood of used stamps would forget the counters and let the stamps be used again.
    cache.add("pompolit:rate:intake:report:1:net-1", 29, timeout=3600)
    for n in range(400):
        assert cache.add(f"intake-pow:{n:04d}", 1, timeout=3600)
    cache.set("something:else", "x", timeout=3600)
    assert cache.get("pompolit:rate:intake:report:1:net-1") == 29
    assert not cache.add("intake-pow:0000", 1, timeout=3600)
