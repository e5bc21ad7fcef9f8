import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.vault import crypto, shares


def _split(threshold=3, count=5):
    master = crypto.new_key()
    vault_id = uuid.uuid4()
    return master, vault_id, shares.split(
        master, vault_id=vault_id, generation=1, threshold=threshold, count=count
    )


def test_any_threshold_of_shares_rebuilds_the_key_and_fewer_do_not():
    master, _vault, issued = _split()
    decoded = [shares.decode(shares.encode(s)) for s in issued]
    assert shares.combine([decoded[4], decoded[0], decoded[2]]) == master
    assert shares.combine(decoded[:2]) != master


def test_share_text_names_vault_generation_and_keyholder_number():
    _master, vault_id, issued = _split()
    share = shares.decode(shares.encode(issued[1]))
    assert (share.vault_id, share.generation, share.threshold, share.count, share.index) == (
        vault_id, 1, 3, 5, 2,
    )
    heading = shares.label(issued[1], organisation="Помполит", keyholder="Вера Фигнер")
    assert "share 2 of 5" in heading and "Вера Фигнер" in heading


def test_pasted_with_heading_lowercase_and_spaces_still_reads():
    _master, _vault, issued = _split()
    text = shares.encode(issued[0])
    pasted = "POMPOLIT KEY SHARE — for Вера\n" + text.lower().replace("-", " ")
    assert shares.decode(pasted) == shares.decode(text)


@settings(max_examples=60, deadline=None)
@given(
    position=st.integers(min_value=0), letter=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
)
def test_a_mistyped_character_is_refused_at_once(position, letter):
    _master, _vault, issued = _split()
    text = shares.encode(issued[0])
    spots = [i for i, ch in enumerate(text) if ch != "-"]
    spot = spots[position % len(spots)]
    if text[spot] == letter:
        return
    typo = text[:spot] + letter + text[spot + 1 :]
    with pytest.raises(shares.ShareError) as error:
        shares.decode(typo)
    assert error.value.code in ("share_mistyped", "share_not_a_share")


def test_a_missing_group_is_refused():
    _master, _vault, issued = _split()
    groups = shares.encode(issued[0]).split("-")
    with pytest.raises(shares.ShareError, match="share_mistyped"):
        shares.decode("-".join(groups[:-2] + groups[-1:]))


def test_passphrase_protected_share_needs_the_right_passphrase():
    master, _vault, issued = _split(threshold=2, count=2)
    locked = shares.decode(shares.encode(issued[0], "Народная воля 1879"))
    assert locked.needs_passphrase and locked.part is None
    with pytest.raises(shares.ShareError, match="share_wrong_passphrase"):
        locked.unlock("Чёрный передел")
    unlocked = locked.unlock("Народная воля 1879")
    assert shares.combine([unlocked, shares.decode(shares.encode(issued[1]))]) == master


def test_digest_identifies_a_share_without_revealing_it():
    _master, _vault, issued = _split()
    assert shares.digest(issued[0]) != shares.digest(issued[1])
    assert issued[0].part.hex() not in shares.digest(issued[0])


def test_threshold_below_two_is_refused():
    with pytest.raises(ValueError):
        shares.split(crypto.new_key(), vault_id=uuid.uuid4(), generation=1, threshold=1, count=3)
