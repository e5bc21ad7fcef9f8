"""Receipt codes: ≥128 random bits, grouped, and every single typo is refused."""

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pompolit.ledger import receipts
from pompolit.ledger.receipts import ALPHABET, ReceiptCodeError

codes = st.builds(
    lambda symbols: symbols + receipts._check(symbols),
    st.text(alphabet=ALPHABET, min_size=26, max_size=26),
)


def test_a_new_code_has_at_least_128_random_bits_and_prints_in_groups_of_four():
    code = receipts.new_code()
    assert len(code) == 28 and (32**26).bit_length() - 1 >= 128
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}", receipts.grouped(code))
    assert len({receipts.new_code() for _ in range(200)}) == 200


@given(code=codes)
def test_round_trip_through_the_printed_form(code):
    printed = receipts.grouped(code)
    assert receipts.normalise(printed) == code
    assert receipts.normalise(printed.lower().replace("-", " ")) == code
    assert receipts.receipt_id(printed) == receipts.receipt_id(code)


@given(code=codes, position=st.integers(0, 27), replacement=st.sampled_from(ALPHABET))
def test_every_single_character_typo_is_refused(code, position, replacement):
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ReceiptCodeError, match="typing mistake"):
        receipts.normalise(typo)


@given(code=codes, position=st.integers(0, 24))
def test_swapping_two_neighbours_is_refused(code, position):
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(ReceiptCodeError):
        receipts.normalise(swapped)


def test_lookalikes_and_a_russian_keyboard_are_forgiven():
    code = "0" * 24 + "1A" + receipts._check("0" * 24 + "1A")
    typed = "OOOO-oooo-OOOO-OOOO-OOOO-OOOO-Iа" + code[26:]
    assert receipts.normalise(typed) == code


def test_wrong_length_and_foreign_characters_say_so():
    with pytest.raises(ReceiptCodeError, match="28 characters"):
        receipts.normalise("ABCD-EFGH")
    with pytest.raises(ReceiptCodeError, match="Latin letters"):
        receipts.normalise("ЖЖЖЖ-" + "A" * 24)
    with pytest.raises(ReceiptCodeError, match="Latin letters"):
        receipts.normalise("U" * 28)


def test_receipt_id_is_the_documented_hash():
    code = receipts.new_code()
    expected = hashlib.sha256(b"pompolit-receipt-id/1\x00" + code.encode()).hexdigest()
    assert receipts.receipt_id(receipts.grouped(code)) == expected


def test_qr_code_is_an_inline_svg():
    uri = receipts.qr_data_uri(receipts.new_code())
    assert uri.startswith("data:image/svg+xml")
