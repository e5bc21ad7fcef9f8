"""prepare / score / score_many: what duplicate detection calls for many pairs; similarity() is
the same thing for one pair."""

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from pompolit.names import Name, prepare, score, score_many, similarity
from pompolit.names.tests.real_names import GIVEN, SURNAMES

NAMES = [
    "Кибальчич Николай Иванович",
    "Nikolai Kibalchich",
    "Н. И. Кибальчич",
    "Коля Кибальчич",
    "Кибальчич Виктор Львович",
    "Соколов Иван Петрович",
    "Соколова Мария Петровна",
    "Sokolova Maria",
    "Кара-Мурза Владимир Владимирович",
    "Vladimir Kara-Murza",
    "фон Мекк Надежда",
    "Мамедов Гасан Али оглы",
    "Бяляцкі Алесь",
    "Ales Bialiatski",
    "Щаранский Натан",
    "Natan Sharansky",
    "Сенцов Олег Геннадьевич",
    "Oleh Sentsov",
]


def test_score_is_similarity_for_every_pair() -> None:
    prepared = [prepare(n) for n in NAMES]
    for a, pa in zip(NAMES, prepared, strict=True):
        for b, pb in zip(NAMES, prepared, strict=True):
            assert score(pa, pb) == similarity(a, b)


def test_score_many_gives_each_pair_its_score_in_order() -> None:
    prepared = [prepare(n) for n in NAMES]
    pairs = [(a, b) for a in prepared for b in reversed(prepared)]
    assert score_many(pairs) == [score(a, b) for a, b in pairs]


def test_a_prepared_name_survives_pickling() -> None:
    prepared = prepare("Кара-Мурза Владимир Владимирович")
    again = pickle.loads(pickle.dumps(prepared))  # noqa: S301 (our own bytes)
    assert again.name == Name("Кара-Мурза", "Владимир", "Владимирович")
    assert score(again, prepare("Vladimir Kara-Murza")) == score(
        prepared, prepare("Vladimir Kara-Murza")
    )


def test_a_string_and_its_name_prepare_alike() -> None:
    assert prepare("Соколова Мария Петровна").name == Name("Соколова", "Мария", "Петровна")


@settings(max_examples=60)
@given(
    st.sampled_from(SURNAMES),
    st.sampled_from(GIVEN),
    st.sampled_from(SURNAMES),
    st.sampled_from(GIVEN),
)
def test_batch_and_single_agree_and_are_symmetric(s1: str, g1: str, s2: str, g2: str) -> None:
    a, b = prepare(Name(s1, g1)), prepare(Name(s2, g2))
    assert score_many([(a, b), (b, a)]) == [score(a, b), score(b, a)]
    assert score(a, b) == score(b, a)
    assert 0 <= score(a, b) <= 100
