"""The stamps on approval and founding entries: only this server makes them, any change
to the record breaks them, and a rotated secret key keeps old stamps valid."""

from typing import Any

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from pompolit.audit import stamps

APPROVAL = {
    "request": 17, "action": "grant_role", "payload_digest": "ab" * 32, "requested_by": 1,
    "approver": 2, "decided_at": "2026-03-01T12:00:00.000001+00:00",
}
values = st.one_of(st.integers(-(2**53) + 1, 2**53 - 1), st.text(max_size=20), st.none(),
                   st.booleans())


def test_a_stamped_record_is_valid_and_the_record_is_what_it_asserts():
    details = stamps.stamped(APPROVAL)
    assert stamps.is_valid(details)
    assert stamps.record_of(details) == APPROVAL


@given(key=st.sampled_from(sorted(APPROVAL)), value=values)
def test_any_change_to_the_record_breaks_the_stamp(key: str, value: Any):
    details = stamps.stamped(APPROVAL)
    if details[key] == value:
        return
    assert not stamps.is_valid({**details, key: value})


@given(extra=st.text(min_size=1, max_size=10).filter(lambda k: k not in APPROVAL | {"stamp": 0}))
def test_an_added_field_breaks_the_stamp(extra: str):
    assert not stamps.is_valid({**stamps.stamped(APPROVAL), extra: 1})


def test_a_stamp_from_another_key_is_not_valid(settings):
    forged = stamps.stamped(APPROVAL)
    settings.SECRET_KEY = "another server's secret key, not ours at all"
    assert not stamps.is_valid(forged)
    assert not stamps.is_valid(APPROVAL)
    assert not stamps.is_valid({**APPROVAL, "stamp": 17})


def test_stamps_survive_a_rotated_secret_key(settings):
    old = settings.SECRET_KEY
    details = stamps.stamped(APPROVAL)
    with override_settings(SECRET_KEY="a new secret key " * 4, SECRET_KEY_FALLBACKS=[old]):
        assert stamps.is_valid(details)
