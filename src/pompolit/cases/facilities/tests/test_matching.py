"""Names of facilities as imported lists write them, matched to the list of facilities."""

import pytest

from pompolit.cases.facilities.matching import FacilityIndex, guess_type, words
from pompolit.cases.models import Facility, FacilityType


@pytest.mark.parametrize(
    "text",
    [
        "ФКУ ИК-2 УФСИН России по Рязанской области",
        "ИК-2 Рязань",
        "ик 2 (Рязанская обл.)",
        "«ИК № 2» УФСИН по Рязанской обл.",
        "ИК-02, Рязанская область",
    ],
)
def test_one_colony_written_many_ways_has_the_same_words(text):
    assert words(text) == {"ик", "2", "ряза"}


def test_numbers_are_kept_whole():
    assert words("ИК-12") != words("ИК-2")


@pytest.fixture
def index(db):
    colony = FacilityType.objects.get(code="colony")
    pretrial = FacilityType.objects.get(code="pretrial")
    made = [
        Facility.objects.create(
            name="ФКУ ИК-2 УФСИН России по Рязанской области",
            short_name="ИК-2",
            type=colony,
            region="Рязанская область",
        ),
        Facility.objects.create(
            name="ФКУ ИК-2 УФСИН России по Омской области",
            short_name="ИК-2",
            type=colony,
            region="Омская область",
        ),
        Facility.objects.create(
            name="ФКУ СИЗО-1 УФСИН России по г. Москве",
            short_name="Матросская Тишина",
            type=pretrial,
            region="Москва",
        ),
    ]
    return FacilityIndex(made), made


def test_a_name_that_fits_one_facility_is_a_match(index):
    found, (ryazan, _omsk, sizo) = index
    assert found.find("ИК-2 Рязань") == [ryazan]
    assert found.find("ФКУ ИК-2 УФСИН РОССИИ ПО РЯЗАНСКОЙ ОБЛАСТИ") == [ryazan]
    assert found.find("Матросская тишина") == [sizo]


def test_a_name_that_fits_several_is_ambiguous_unless_the_region_tells(index):
    found, (ryazan, omsk, _sizo) = index
    assert set(found.find("ИК-2")) == {ryazan, omsk}
    assert found.find("ИК-2", region="Омская обл.") == [omsk]


def test_an_unknown_name_matches_nothing(index):
    found, _made = index
    assert found.find("ИК-12 Рязань") == [] and found.find("") == []


def test_the_type_of_a_new_facility_is_guessed_from_its_name():
    assert guess_type("СИЗО-3 Москва") == "pretrial" and guess_type("ИК-6") == "colony"
    assert guess_type("Лубянка") == "other"
