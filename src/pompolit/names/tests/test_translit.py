import pytest

from pompolit.names import query_keys, search_keys
from pompolit.names.skeleton import skeleton
from pompolit.names.tests.real_names import GIVEN, SURNAMES
from pompolit.names.translit import INDEXED, SCHEMES, transliterations

ISSUE_EXAMPLES = [
    "Кибальчич", "Навальный", "Навальная", "Перовская", "Фигнер", "Желябов", "Кара-Мурза",
    "Николай", "Юлия", "Софья", "Щукин", "Хрущёв", "Подъячев", "Ельцин", "Ильич",
]


def test_the_schemes_we_promise_are_there() -> None:
    assert {
        "icao_doc_9303", "gost_52535", "gost_7034", "gost_779", "bgn_pcgn", "ala_lc",
        "scientific", "wikipedia", "mvd_310_fr", "german", "cyrtranslit", "anyascii",
    } <= set(SCHEMES)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("name", ISSUE_EXAMPLES)
def test_each_scheme_spelling_finds_the_name_again(scheme: str, name: str) -> None:
    spelled = SCHEMES[scheme](name)
    assert query_keys(spelled) & search_keys(name), (scheme, spelled)


def test_known_spellings() -> None:
    spelled = transliterations("Кибальчич", tuple(SCHEMES))
    assert spelled["icao_doc_9303"] == "Kibalchich"
    assert spelled["bgn_pcgn"] == "Kibal’chich"
    assert spelled["mvd_310_fr"] == "Kibaltchitch"
    assert spelled["german"] == "kibaltschitsch"
    assert spelled["gost_779"] == "Kibalʹčič"


def test_german_duden_rules() -> None:
    german = SCHEMES["german"]
    assert german("Ельцин") == "jelzin"
    assert german("Хрущев") == "chruschtschew"
    assert german("Навальный") == "nawalny"
    assert german("Василий") == "wassili"
    assert german("Достоевский") == "dostojewski"
    assert german("Ильич") == "iljitsch"


def test_belarusian_and_ukrainian_letters() -> None:
    # Belarusian lists spell names with і and ў.
    assert query_keys("Ihar Losik") & search_keys("Ігар Лосік")
    assert search_keys("Алесь Бяляцкі") & query_keys("Ales Bialiatski")


def test_indexed_schemes_cover_every_scheme_for_real_names() -> None:
    for word in (*SURNAMES, *GIVEN, *ISSUE_EXAMPLES):
        word = word.replace("ё", "е")
        indexed = {skeleton(spelled) for spelled in transliterations(word).values()}
        every = {skeleton(spelled) for spelled in transliterations(word, tuple(SCHEMES)).values()}
        assert every == indexed, word
    assert set(INDEXED) < set(SCHEMES)
