"""Property: every romanisation of a generated Russian, Belarusian or Ukrainian surname finds
it — by an ordinary key for the schemes of its own language, at least by the fallback's coarse
key for the rest (a Russian scheme applied to a Belarusian word)."""

import cyrtranslit
from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.names import Name, query_keys, search_keys
from pompolit.names.coarse import MARK, coarse_keys
from pompolit.names.translit import SCHEMES, transliterations

CONSONANTS = {
    "ru": "бвгджзклмнпрстфхцчшщ",
    "by": "бвгджзклмнпрстфхцчшў",
    "ua": "бвгґджзклмнпрстфхцчшщ",
}
VOWELS = {"ru": "аеиоуыэюя", "by": "аеіоуыэюя", "ua": "аеиіоуєїюя"}
ENDINGS = {
    "ru": ["ов", "ев", "ин", "ский", "цкий", "енко", "ук", "ич", "ова", "ская"],
    "by": ["аў", "еў", "ін", "скі", "цкі", "енка", "ук", "іч", "ава", "ская"],
    "ua": ["ов", "ів", "ин", "ський", "цький", "енко", "ук", "ич", "ова", "ська"],
}


@st.composite
def surnames(draw: st.DrawFn, language: str) -> str:
    syllables = draw(
        st.lists(
            st.tuples(st.sampled_from(CONSONANTS[language]), st.sampled_from(VOWELS[language])),
            min_size=1,
            max_size=3,
        )
    )
    stem = "".join(c + v for c, v in syllables)
    return (stem + draw(st.sampled_from(ENDINGS[language]))).capitalize()


def ordinary(keys: set[str]) -> set[str]:
    return {k for k in keys if not k.startswith(MARK)}


@settings(max_examples=150, deadline=None)
@given(surnames("ru"), st.sampled_from(sorted(SCHEMES)))
def test_every_russian_scheme_finds_a_russian_surname(surname: str, scheme: str) -> None:
    spelled = SCHEMES[scheme](surname)
    assert ordinary(query_keys(spelled)) & search_keys(Name(surname)), (surname, spelled)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["by", "ua"]).flatmap(
        lambda language: st.tuples(st.just(language), surnames(language))
    )
)
def test_the_national_scheme_finds_a_belarusian_or_ukrainian_surname(
    drawn: tuple[str, str],
) -> None:
    language, surname = drawn
    spelled = cyrtranslit.to_latin(surname, language)
    assert ordinary(query_keys(spelled)) & search_keys(Name(surname)), (surname, spelled)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["by", "ua"]).flatmap(
        lambda language: st.tuples(surnames(language), st.sampled_from(sorted(SCHEMES)))
    )
)
def test_a_russian_scheme_finds_them_at_least_by_the_fallback(drawn: tuple[str, str]) -> None:
    surname, scheme = drawn
    # as someone romanising with Russian rules would: і as и, ў as в (translit.NON_RUSSIAN)
    spelled = transliterations(surname, (scheme,))[scheme]
    assert (query_keys(spelled) | coarse_keys(query_keys(spelled))) & search_keys(Name(surname)), (
        surname,
        spelled,
    )
