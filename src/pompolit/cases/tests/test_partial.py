"""Partial dates: what people type, the range each stands for, and honest comparisons."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from pompolit.cases.partial import PartialDate


@pytest.mark.parametrize(("typed", "stored"), [
    ("1921", "1921"), ("1921-03", "1921-03"), ("1921-3", "1921-03"),
    ("1921-03-15", "1921-03-15"), ("03.1921", "1921-03"), ("15.03.1921", "1921-03-15"),
    ("5/3/1921", "1921-03-05"), (" 1937 ", "1937"),
])
def test_what_people_type_is_read(typed, stored):
    assert str(PartialDate.parse(typed)) == stored


@pytest.mark.parametrize("typed", ["", "весна 1921", "1921-13", "31.02.1921", "21", "1921-02-30"])
def test_what_is_not_a_date_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError, match="Write a year"):
        PartialDate.parse(typed)


def test_a_year_and_a_month_are_ranges_of_days():
    assert PartialDate(1921).lower == datetime.date(1921, 1, 1)
    assert PartialDate(1921).upper == datetime.date(1921, 12, 31)
    assert PartialDate(1924, 2).upper == datetime.date(1924, 2, 29)
    assert PartialDate(1921, 3, 15).lower == PartialDate(1921, 3, 15).upper


def test_a_release_in_1921_is_not_surely_before_an_arrest_in_march_1921():
    release, arrest = PartialDate(1921), PartialDate(1921, 3)
    assert not release.surely_before(arrest)
    assert not arrest.surely_before(release)
    assert release.may_overlap(arrest)
    assert PartialDate(1920).surely_before(arrest)
    assert PartialDate(1921, 2, 28).surely_before(arrest)


dates = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


@st.composite
def partial_dates(draw):
    day = draw(dates)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


@given(partial_dates())
def test_written_and_read_back_it_is_the_same(value):
    assert PartialDate.parse(str(value)) == value
    assert value.lower <= value.upper
    assert value.contains(value.lower) and value.contains(value.upper)


@given(partial_dates(), partial_dates(), partial_dates())
def test_surely_before_is_a_strict_order_that_sorting_respects(a, b, c):
    assert not a.surely_before(a)
    if a.surely_before(b):
        assert not b.surely_before(a)
        assert a.sort_key() < b.sort_key()
        if b.surely_before(c):
            assert a.surely_before(c)
    # Exactly one of: a before b, b before a, or they may be the same day.
    assert [a.surely_before(b), b.surely_before(a), a.may_overlap(b)].count(True) == 1


@given(partial_dates(), dates)
def test_a_day_inside_the_range_is_never_surely_before_or_after_it(value, day):
    if value.contains(day):
        assert value.may_overlap(PartialDate.from_date(day))
