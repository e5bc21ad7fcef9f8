"""Dates as the reader writes them: one format per language, for pages and forms alike.

The formats themselves are in `pompolit.core.formats.<language>.formats` (FORMAT_MODULE_PATH):
"14 Feb 1998" in English, "14.02.1998" in Russian. This module shows dates and times in them
(`show_date`, `show_partial`, `show_moment`), reads what people type (`parse_date`,
`parse_partial_parts`) and says what may be typed (`date_hint`, `date_error`). ISO stays for
files and machine data only; every date field accepts it as well.

`DateField` is the one form field for a day (its widget writes the value the way the page
writes dates, its hint lists the accepted forms, its error says what was expected).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import dates as month_names
from django.utils import formats, timezone
from django.utils.dateformat import format as format_with
from django.utils.functional import lazy
from django.utils.text import format_lazy, get_text_list
from django.utils.translation import get_language, gettext, override

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# 15.03.1921 and 15/03/1921: always day first, in every language (no mm/dd anywhere).
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_DOTTED_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$")
# 15 Mar 1921, 15 March 1921, 15 марта 1921 (г.), and a month alone: Mar 1921, март 1921 г.
_NAMED = re.compile(r"^(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*г\.?)?$")
# Examples in hints: the last day of a year, so that day and month cannot be mistaken.
EXAMPLE = datetime.date(2026, 12, 31)


def _partial_month_format() -> str:
    for module in formats.get_format_modules():
        if hasattr(module, "PARTIAL_MONTH_FORMAT"):
            return str(module.PARTIAL_MONTH_FORMAT)
    return "m.Y"


# -- showing -------------------------------------------------------------------------------


def show_date(day: datetime.date | None) -> str:
    """A day as the page's language writes it: "14 Feb 1998", "14.02.1998"."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def show_partial(year: int, month: int | None = None, day: int | None = None) -> str:
    """A date known to the year, the month or the day: "1921", "Mar 1921", "15 Mar 1921"."""
    if month is None:
        return f"{year:04d}"
    if day is None:
        return format_with(datetime.date(year, month, 1), _partial_month_format())
    return show_date(datetime.date(year, month, day))


def zone_name(moment: datetime.datetime) -> str:
    """The group's time zone at that moment as people know it ("MSK"), or its offset from UTC
    ("UTC+05:00") where the zone has no common abbreviation."""
    local = timezone.localtime(moment)
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    minutes = int((local.utcoffset() or datetime.timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def show_moment(moment: datetime.datetime | None, *, zone: bool = False) -> str:
    """A moment in the group's time zone: "6 Dec 2026, 14:05" (with zone: "… 14:05 MSK")."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    text = formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    return f"{text} {zone_name(moment)}" if zone and timezone.is_aware(moment) else text


# -- reading -------------------------------------------------------------------------------


def _month_from_name(word: str) -> int | None:
    """The month a word names in any of the group's languages ("mar", "марта")."""
    word = word.casefold()
    tables = (
        month_names.MONTHS,
        month_names.MONTHS_3,
        month_names.MONTHS_ALT,
        month_names.MONTHS_AP,
    )
    for language in dict.fromkeys([get_language() or "en", *(c for c, _ in settings.LANGUAGES)]):
        with override(language):
            for table in tables:
                for number, name in table.items():
                    if str(name).casefold().rstrip(".") == word:
                        return number
    # "Sept", "сент": a longer abbreviation than the table's, but only one month's start.
    with override(get_language() or "en"):
        starts = {
            n
            for n, name in month_names.MONTHS.items()
            if len(word) >= 3 and str(name).casefold().startswith(word)
        }
    return starts.pop() if len(starts) == 1 else None


def parse_partial_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of what a person typed, month and day None where not given; None if
    it is not a date in any accepted form. Day and month are not checked against the calendar."""
    text = " ".join(text.split())
    if re.fullmatch(r"\d{4}", text):
        return int(text), None, None
    if match := _ISO.match(text):
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    if match := _ISO_MONTH.match(text):
        year, month = match.groups()
        return int(year), int(month), None
    if match := _DOTTED.match(text):
        day, month, year = match.groups()
        return int(year), int(month), int(day)
    if match := _DOTTED_MONTH.match(text):
        month, year = match.groups()
        return int(year), int(month), None
    if match := _NAMED.match(text):
        day, word, year = match.groups()
        month_number = _month_from_name(word)
        if month_number is not None:
            return int(year), month_number, int(day) if day else None
    return None


def typed_month_first(text: str) -> bool:
    """On an English page 03/04/2026 may mean 4 March: a box refuses slashed dates there rather
    than guess (files and Russian pages read them day first)."""
    return "/" in text and (get_language() or "").startswith("en")


def parse_date(text: str) -> datetime.date | None:
    """The day a person typed in any accepted form, or None."""
    parts = parse_partial_parts(text)
    if parts is None or parts[1] is None or parts[2] is None:
        return None
    try:
        return datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


# -- saying what may be typed ----------------------------------------------------------------


def _or(items: Iterable[str]) -> str:
    return str(get_text_list(list(items), gettext("or")))


def day_examples(day: datetime.date = EXAMPLE) -> list[str]:
    """The forms of a day this language accepts, its own first: ["31.12.2026", "2026-12-31"]."""
    own = show_date(day)
    dotted = day.strftime("%d.%m.%Y")
    return list(dict.fromkeys([own, dotted, day.isoformat()]))


def month_examples(day: datetime.date = EXAMPLE) -> list[str]:
    own = show_partial(day.year, day.month)
    return list(dict.fromkeys([own, day.strftime("%m.%Y"), day.strftime("%Y-%m")]))


def _date_hint() -> str:
    return gettext("Write the date as %(forms)s.") % {"forms": _or(day_examples())}


def _date_error() -> str:
    return gettext("Enter the date as %(forms)s.") % {"forms": _or(day_examples())}


def _month_hint() -> str:
    return gettext("Write the month as %(forms)s.") % {"forms": _or(month_examples())}


def _month_error() -> str:
    return gettext("Enter the month as %(forms)s.") % {"forms": _or(month_examples())}


def _partial_hint() -> str:
    return gettext("Write a year (%(year)s), a month (%(month)s) or a day (%(day)s).") % {
        "year": EXAMPLE.year,
        "month": _or(month_examples()),
        "day": _or(day_examples()),
    }


# Lazy: a form is built once, its hint is read in the language of each request.
date_hint = lazy(_date_hint, str)
date_error = lazy(_date_error, str)
month_hint = lazy(_month_hint, str)
month_error = lazy(_month_error, str)
partial_date_hint = lazy(_partial_hint, str)


# -- the form field ------------------------------------------------------------------------


class DateInput(forms.TextInput):
    """A text box holding the day as the page writes it. Not the browser's date picker: that
    one shows the browser's own format (02/14/1998 on an American system), whatever the page's
    language."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "size": "12",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "date",
                **(attrs or {}),
            }
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return show_date(value)
        shown: str | None = super().format_value(value)
        return shown


class DateField(forms.DateField):
    """A day, typed in the reader's language's form or as ISO; the hint says which forms."""

    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = (
            format_lazy("{} {}", date_hint(), help_text) if help_text else date_hint()
        )
        super().__init__(**kwargs)
        self.error_messages["invalid"] = date_error()

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        day = None if typed_month_first(str(value)) else parse_date(str(value))
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class MonthField(forms.CharField):
    """A month (its first day), typed as the reader's language writes it or as 2026-03."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", month_hint())
        super().__init__(**kwargs)
        self.widget.attrs.update({"size": "10", "autocomplete": "off", "class": "date"})

    def prepare_value(self, value: Any) -> Any:
        # A month from an address (?month=2026-03) is shown as the page writes months too.
        parts = parse_partial_parts(value) if isinstance(value, str) else None
        if parts is not None and parts[1] is not None and parts[2] is None and 1 <= parts[1] <= 12:
            value = datetime.date(parts[0], parts[1], 1)
        if isinstance(value, datetime.date):
            return show_partial(value.year, value.month)
        return value

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        parts = None if typed_month_first(text) else parse_partial_parts(text)
        if parts is None or parts[1] is None or parts[2] is not None or not 1 <= parts[1] <= 12:
            raise ValidationError(month_error(), code="invalid")
        return datetime.date(parts[0], parts[1], 1)
