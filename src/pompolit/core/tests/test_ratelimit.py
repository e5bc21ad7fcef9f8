"""Per-network rate limits of the public doors: counted per /24 or /48, under a key that lives
only in the process's memory (never SECRET_KEY, which a seized disk gives away)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from pompolit.core import ratelimit

factory = RequestFactory()


def from_address(address: str):
    return factory.get("/", REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def test_one_network_one_counter_and_the_address_is_not_in_it():
    one = ratelimit.network_key(from_address("203.0.113.5"))
    same_network = ratelimit.network_key(from_address("203.0.113.200"))
    other = ratelimit.network_key(from_address("198.51.100.5"))
    assert one == same_network != other
    assert "203.0.113" not in one and len(one) == 32


def test_ipv6_is_counted_per_48():
    assert (ratelimit.network_key(from_address("2001:db8:1:2::7"))
            == ratelimit.network_key(from_address("2001:db8:1:ffff::1")))
    assert (ratelimit.network_key(from_address("2001:db8:1::1"))
            != ratelimit.network_key(from_address("2001:db8:2::1")))


def test_the_key_is_not_derived_from_the_servers_secret_key(settings, monkeypatch):
    before = ratelimit.network_key(from_address("203.0.113.5"))
    settings.SECRET_KEY = "a secret key read off the seized disk " * 2
    assert ratelimit.network_key(from_address("203.0.113.5")) == before
    monkeypatch.setattr(ratelimit, "_PROCESS_SECRET", b"\x00" * 32)  # a restart
    assert ratelimit.network_key(from_address("203.0.113.5")) != before


def test_the_allowance_is_per_bucket_and_per_network():
    request = from_address("203.0.113.5")
    assert [ratelimit.over_limit(request, "letters", allowed=2) for _ in range(3)] == [
        False, False, True]
    assert not ratelimit.over_limit(request, "pledges", allowed=2)
    assert not ratelimit.over_limit(from_address("198.51.100.5"), "letters", allowed=2)
