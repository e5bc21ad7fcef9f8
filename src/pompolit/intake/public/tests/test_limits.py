"""The proof-of-work stamp and the per-network key: valid, reused, expired, forged, wrong."""

import time
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from pompolit.intake.public import limits
from pompolit.intake.public.limits import Stamp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@override_settings(POMPOLIT_INTAKE_POW_BITS=8)
def test_a_solved_stamp_is_valid_once() -> None:
    challenge = limits.new_challenge()
    counter = limits.solve(challenge)
    assert limits.check_stamp(challenge, counter) is Stamp.VALID
    assert limits.check_stamp(challenge, counter) is Stamp.REUSED


@override_settings(POMPOLIT_INTAKE_POW_BITS=8)
def test_an_old_stamp_has_expired(monkeypatch: Any) -> None:
    challenge = limits.new_challenge()
    counter = limits.solve(challenge)
    later = time.time() + limits.STAMP_MAX_AGE + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert limits.check_stamp(challenge, counter) is Stamp.EXPIRED


@override_settings(POMPOLIT_INTAKE_POW_BITS=8)
def test_a_challenge_we_did_not_sign_is_forged() -> None:
    forged = signing.dumps({"n": "00" * 16, "b": 0}, key="not-our-key", salt="pompolit.intake.pow")
    assert limits.check_stamp(forged, "0") is Stamp.FORGED
    # Lowering the difficulty inside a signed challenge breaks the signature too.
    challenge = limits.new_challenge()
    tampered = challenge.replace(challenge[:4], "eyJu", 1) + "x"
    assert limits.check_stamp(tampered, "0") in {Stamp.FORGED, Stamp.EXPIRED}


@override_settings(POMPOLIT_INTAKE_POW_BITS=12)
def test_a_counter_without_enough_zero_bits_is_wrong() -> None:
    challenge = limits.new_challenge()
    good = int(limits.solve(challenge))
    wrong = next(
        c for c in range(good + 1, good + 100000)
        if limits.leading_zero_bits(
            __import__("hashlib").sha256(f"{challenge}:{c}".encode()).digest()) < 12
    )
    assert limits.check_stamp(challenge, str(wrong)) is Stamp.WRONG
    assert limits.check_stamp(challenge, "-1") is Stamp.WRONG
    assert limits.check_stamp(challenge, "") is Stamp.MISSING


@given(st.binary(min_size=32, max_size=32))
def test_leading_zero_bits_agrees_with_the_integer(digest: bytes) -> None:
    value = int.from_bytes(digest, "big")
    assert limits.leading_zero_bits(digest) == 256 - value.bit_length()


def test_the_network_key_hides_the_address_and_groups_its_network() -> None:
    factory = RequestFactory()
    one = limits.network_key(factory.get("/", REMOTE_ADDR="203.0.113.5"))
    two = limits.network_key(factory.get("/", REMOTE_ADDR="203.0.113.200"))
    other = limits.network_key(factory.get("/", REMOTE_ADDR="203.0.114.5"))
    assert one == two != other
    assert "203" not in one


@override_settings(POMPOLIT_INTAKE_BENCH_NO_LIMITS=True)
def test_the_bench_switch_turns_the_limit_off() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    assert not any(limits.over_limit(request, "report", 0) for _ in range(5))


def test_production_settings_refuse_the_bench_switch(monkeypatch: Any) -> None:
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("POMPOLIT_INTAKE_BENCH_NO_LIMITS", "1")
    for name in ("pompolit.settings.production", "pompolit.settings.base"):
        sys.modules.pop(name, None)
    try:
        with pytest.raises(ImproperlyConfigured, match="BENCH_NO_LIMITS"):
            importlib.import_module("pompolit.settings.production")
    finally:
        monkeypatch.delenv("POMPOLIT_INTAKE_BENCH_NO_LIMITS")
        sys.modules.pop("pompolit.settings.production", None)
        sys.modules.pop("pompolit.settings.base", None)
        importlib.import_module("pompolit.settings.base")
