"""Private codes shared by receipts, public reports and letters: what a mistyped code is told,
and that two kinds of code never hash alike."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pompolit.core import private_codes as codes


def test_a_new_code_reads_back_through_its_groups_and_cyrillic_lookalikes():
    code = codes.new_code()
    typed = codes.grouped(code).lower().replace("0", "О")  # a Cyrillic O from a Russian layout
    assert codes.canonical(typed) == code


@given(st.integers(min_value=0, max_value=codes.LENGTH - 1), st.sampled_from(codes.ALPHABET))
def test_any_single_mistyped_symbol_is_refused_as_a_typo(position, symbol):
    code = codes.new_code()
    if code[position] == symbol:
        return
    typed = code[:position] + symbol + code[position + 1 :]
    with pytest.raises(codes.MalformedCode) as refused:
        codes.canonical(typed)
    assert refused.value.flaw is codes.Flaw.TYPO


def test_the_flaw_names_what_is_wrong():
    with pytest.raises(codes.MalformedCode) as wrong_letters:
        codes.canonical("ЖЖЖЖ-" + codes.new_code()[4:])
    assert wrong_letters.value.flaw is codes.Flaw.CHARACTERS and wrong_letters.value.bad == "Ж"
    with pytest.raises(codes.MalformedCode) as short:
        codes.canonical(codes.new_code()[:20])
    assert short.value.flaw is codes.Flaw.LENGTH and short.value.got == 20


def test_the_same_code_hashes_apart_under_two_domains():
    code = codes.new_code()
    receipt = codes.domain_hash(b"pompolit-receipt-id/1\x00", code)
    letter = codes.domain_hash(b"pompolit-letter-writer/1\x00", code)
    assert receipt != letter and len(receipt) == len(letter) == 64
