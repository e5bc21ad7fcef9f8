"""One way of writing dates per language: what pages show, what forms take back, what the hint
and the error say — and formatting then reading a date gives the same date in each language."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import given
from hypothesis import strategies as st

from pompolit.cases.partial import PartialDate, PartialDateFormField
from pompolit.core import dates
from pompolit.core.dates import DateField, MonthField
from pompolit.core.testing import english  # noqa: F401 (autouse)
from pompolit.ledger.journal.forms import JournalFilterForm

LANGUAGES = ["en", "ru"]
DAYS = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


@pytest.mark.parametrize(("language", "shown"), [("en", "14 Feb 1998"), ("ru", "14.02.1998")])
def test_a_day_is_written_day_first_in_each_language(language, shown):
    with translation.override(language):
        assert dates.show_date(datetime.date(1998, 2, 14)) == shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_language_writes_the_american_month_first(language):
    with translation.override(language):
        moment = datetime.datetime(1998, 2, 14, 9, 5, tzinfo=datetime.UTC)
        for name in (
            "DATE_FORMAT",
            "SHORT_DATE_FORMAT",
            "DATETIME_FORMAT",
            "SHORT_DATETIME_FORMAT",
        ):
            assert "02/14" not in date_format(moment, name)


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("ru", "01.01.2026"),
        ("ru", "2026-01-01"),
        ("ru", "1 января 2026"),
        ("ru", " 01.01.2026 "),
        ("en", "01.01.2026"),
        ("en", "2026-01-01"),
        ("en", "1 Jan 2026"),
        ("en", "1 January 2026"),
    ],
)
def test_the_documented_forms_are_read_in_each_language(language, typed):
    with translation.override(language):
        assert DateField().clean(typed) == datetime.date(2026, 1, 1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["02/14/1998", "31.02.2026", "2026-13-01", "вчера", "1998"])
def test_a_wrong_date_is_refused_saying_what_was_expected(language, typed):
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            DateField().clean(typed)
        message = " ".join(refused.value.messages)
        assert "31.12.2026" in message and "2026-12-31" in message
        assert "valid date" not in message


def test_the_english_error_and_hint_name_the_forms():
    field = DateField()
    assert str(field.help_text) == "Write the date as 31 Dec 2026, 31.12.2026 or 2026-12-31."
    assert str(field.error_messages["invalid"]) == (
        "Enter the date as 31 Dec 2026, 31.12.2026 or 2026-12-31."
    )


def test_a_form_s_own_hint_comes_after_the_forms_accepted():
    field = DateField(help_text="Leave empty if the consent has no end date.")
    assert str(field.help_text) == (
        "Write the date as 31 Dec 2026, 31.12.2026 or 2026-12-31. "
        "Leave empty if the consent has no end date."
    )


@pytest.mark.parametrize(("language", "shown"), [("en", "14 Feb 1998"), ("ru", "14.02.1998")])
def test_the_box_shows_its_date_as_the_page_does_not_as_iso(language, shown):
    with translation.override(language):
        html = DateField().widget.render("on", datetime.date(1998, 2, 14))
    assert f'value="{shown}"' in html and 'type="text"' in html


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "Mar 2026"),
        ("en", "03.2026"),
        ("en", "2026-03"),
        ("ru", "03.2026"),
        ("ru", "март 2026"),
        ("ru", "2026-03"),
    ],
)
def test_a_month_is_read_in_the_same_forms(language, typed):
    with translation.override(language):
        assert MonthField().clean(typed) == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("language", LANGUAGES)
@given(day=DAYS)
def test_a_day_written_then_read_is_the_same_day(language, day):
    with translation.override(language):
        assert dates.parse_date(dates.show_date(day)) == day
        for example in dates.day_examples(day):
            assert dates.parse_date(example) == day


@pytest.mark.parametrize("language", LANGUAGES)
@given(day=DAYS, precision=st.sampled_from(["year", "month", "day"]))
def test_a_partial_date_written_then_read_is_the_same(language, day, precision):
    value = PartialDate(
        day.year,
        day.month if precision != "year" else None,
        day.day if precision == "day" else None,
    )
    with translation.override(language):
        assert PartialDate.parse(value.display()) == value
        assert MonthField().clean(dates.show_partial(day.year, day.month)) == day.replace(day=1)


@pytest.mark.parametrize(("language", "shown"), [("en", "Mar 1921"), ("ru", "03.1921")])
def test_a_month_is_written_as_the_day_is_without_its_day(language, shown):
    with translation.override(language):
        assert PartialDate(1921, 3).display() == shown


def test_times_are_shown_in_the_group_s_zone_with_its_name(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    moment = datetime.datetime(2026, 12, 6, 11, 5, tzinfo=datetime.UTC)
    with translation.override("ru"):
        assert dates.show_moment(moment, zone=True) == "06.12.2026 14:05 MSK"
    assert dates.show_moment(moment) == "6 Dec 2026, 14:05"


def test_a_zone_without_a_common_name_shows_its_offset(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    moment = datetime.datetime(2026, 12, 6, 11, 5, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert dates.show_moment(moment, zone=True) == "6 Dec 2026, 16:05 UTC+05:00"


@pytest.mark.parametrize(("language", "shown"), [("en", "Mar 2026"), ("ru", "03.2026")])
def test_a_month_from_an_address_is_shown_as_the_page_writes_months(language, shown):
    with translation.override(language):
        form = JournalFilterForm({"month": "2026-03"})
        assert f'value="{shown}"' in str(form["month"])


def test_an_english_box_refuses_a_slashed_date_rather_than_guess_the_order():
    with pytest.raises(ValidationError, match=r"31 Dec 2026, 31\.12\.2026 or 2026-12-31"):
        DateField().clean("03/04/2026")
    with pytest.raises(ValidationError):
        PartialDateFormField().clean("03/04/2026")


def test_a_russian_box_reads_a_slashed_date_day_first():
    with translation.override("ru"):
        assert DateField().clean("03/04/2026") == datetime.date(2026, 4, 3)
        assert PartialDateFormField().clean("03/04/2026") == PartialDate(2026, 4, 3)
