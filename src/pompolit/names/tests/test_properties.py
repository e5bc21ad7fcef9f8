from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.names import query_keys, search_keys, skeleton
from pompolit.names.tests.real_names import GIVEN, SURNAMES

surnames = st.sampled_from(SURNAMES)
given_names = st.sampled_from(GIVEN)
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz'-", min_size=1, max_size=15)
spaces = st.text(alphabet=" \t\u00a0\n", min_size=1, max_size=4)


@given(surnames, given_names)
def test_keys_are_deterministic(surname: str, first: str) -> None:
    text = f"{surname} {first}"
    assert search_keys(text) == search_keys(text)
    assert query_keys(text) == query_keys(text)


@given(surnames, given_names)
def test_keys_ignore_letter_case(surname: str, first: str) -> None:
    text = f"{surname} {first}"
    assert query_keys(text.upper()) == query_keys(text) == query_keys(text.lower())


@given(surnames, given_names, spaces, spaces)
def test_keys_ignore_whitespace(surname: str, first: str, before: str, between: str) -> None:
    assert query_keys(f"{before}{surname}{between}{first}{before}") == query_keys(
        f"{surname} {first}"
    )


@given(surnames, given_names)
def test_keys_ignore_yo(surname: str, first: str) -> None:
    text = f"{surname} {first}"
    assert search_keys(text) == search_keys(text.replace("ё", "е").replace("Ё", "Е"))
    assert query_keys(text) == query_keys(text.replace("ё", "е"))


@given(surnames)
def test_latin_lookalikes_do_not_change_keys(surname: str) -> None:
    spoiled = surname.translate(str.maketrans("аеосрх", "aeocpx"))
    if spoiled != surname and any("а" <= c <= "я" for c in spoiled.lower()):
        assert search_keys(spoiled) == search_keys(surname)


@given(latin_words)
def test_skeleton_is_idempotent_in_its_alphabet(word: str) -> None:
    key = skeleton(word)
    assert key == key.lower()
    assert all("a" <= c <= "z" for c in key)
    assert skeleton(word.upper()) == key


@settings(max_examples=50)
@given(surnames, given_names)
def test_a_name_always_finds_itself(surname: str, first: str) -> None:
    text = f"{surname} {first}"
    assert query_keys(text) & search_keys(text)
