"""The keyed word index (vault/wordindex.py): what a record is findable by, and that a seized
index holds tokens, never words."""

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.vault.fields import wordindex


def test_folding_makes_spellings_one():
    assert wordindex.fold("Ёлкин") == wordindex.fold("елкин") == "елкин"
    assert wordindex.fold("Müller Šmidt") == "muller smidt"
    assert wordindex.fold("Йошкар-Ола") == "йошкар-ола"  # й is a letter of its own


def test_a_word_is_found_by_its_other_case_endings():
    found = wordindex.terms(["Объявил голодовку в СИЗО"])
    for query in ("голодовка", "голодовки", "ГОЛОДОВКУ", "сизо", "объявил"):
        assert set(wordindex.query_terms(query)) <= found, query
    assert not set(wordindex.query_terms("голод")) <= found  # a piece of a word is not


def test_tokens_depend_on_the_key_and_say_nothing_of_the_word():
    key_a, key_b = os.urandom(32), os.urandom(32)
    a = wordindex.token(key_a, "голодовк")
    assert a == wordindex.token(key_a, "голодовк")
    assert a != wordindex.token(key_b, "голодовк")  # another compartment, another token
    assert isinstance(a, int) and -(2**63) <= a < 2**63
    assert "голодовк".encode() not in a.to_bytes(8, "big", signed=True)


words = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяABCxyzÉéü0123456789 ,.-",
                min_size=1, max_size=60)


@settings(max_examples=200)
@given(words, words)
def test_every_word_of_a_text_finds_it(text, other):
    """Whatever is typed, a search for any of its words (in any letter case) finds it."""
    found = wordindex.terms([text, other])
    for word in text.split():
        assert set(wordindex.query_terms(word.upper())) <= found
