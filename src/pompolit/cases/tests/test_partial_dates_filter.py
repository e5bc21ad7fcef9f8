"""Partial dates read as each language writes dates, at the precision that is known."""

import pytest
from django.utils import translation

from pompolit.cases.partial import PartialDate
from pompolit.cases.templatetags.partial_dates import partial_date


@pytest.mark.parametrize(("stored", "russian"), [
    ("1921", "1921"),
    ("1921-03", "03.1921"),
    ("1922-01-15", "15.01.1922"),
])
def test_a_partial_date_is_written_at_its_precision(stored, russian):
    with translation.override("ru"):
        assert partial_date(PartialDate.parse(stored)) == russian
        assert partial_date(stored) == russian


def test_english_months_are_named_as_in_its_days():
    with translation.override("en"):
        assert partial_date(PartialDate.parse("1899-05")) == "May 1899"
        assert partial_date(PartialDate.parse("1899-03-15")) == "15 Mar 1899"


def test_an_unknown_date_is_left_blank():
    assert partial_date(None) == ""
    assert partial_date("") == ""
