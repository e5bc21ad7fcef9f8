"""Dates that may be known only to the year or to the month ("arrested in March 1921").

A `PartialDate` stands for a range of days: "1921" is 1 January–31 December 1921. Stored as
"YYYY", "YYYY-MM" or "YYYY-MM-DD" (text order is date order within one precision) together with
the range's first and last day, which is what queries sort and compare on.

Comparisons are on the ranges and say exactly what they mean: `a.surely_before(b)` holds only
when every day of `a` is before every day of `b`. A release "in 1921" is *not* surely before an
arrest "in March 1921": it may have been in April. Consistency checks refuse only what is surely
wrong; ordering for display uses `sort_key` (first day, then last day).

`PartialDateField` (the model field) and `PartialDateFormField` (the form field) are here too:
this module is a leaf that models and forms import, and imports neither.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

from pompolit.core import dates

MIN_YEAR, MAX_YEAR = 1000, 9999


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year {self.year} is out of range")
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"no month {self.month}")
        if self.day is not None:
            assert self.month is not None
            datetime.date(self.year, self.month, self.day)  # raises ValueError if no such day

    # -- reading and writing -----------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """"1921", "1921-03", "1921-03-15", "03.1921", "15.03.1921", "Mar 1921", "15 марта
        1921" (pompolit.core.dates reads them); ValidationError, saying what it expected, if not."""
        parts = dates.parse_partial_parts(text)
        if parts is not None:
            try:
                return cls(*parts)
            except ValueError:
                pass
        raise ValidationError(
            _("“%(text)s” is not a date. %(forms)s")
            % {"text": text.strip(), "forms": dates.partial_date_hint()},
            code="partial_date",
        )

    @classmethod
    def from_date(cls, day: datetime.date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    def display(self) -> str:
        """As the page's language writes dates: "1921", "Mar 1921" / "03.1921", "15.03.1921".
        (`str()` is the stored ISO text, for files and machine data.)"""
        return dates.show_partial(self.year, self.month, self.day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    # -- the range of days -------------------------------------------------------------------

    @property
    def lower(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def upper(self) -> datetime.date:
        if self.day is not None:
            return self.lower
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def surely_before(self, other: PartialDate) -> bool:
        """Every day this may be comes before every day the other may be."""
        return self.upper < other.lower

    def surely_after(self, other: PartialDate) -> bool:
        return other.surely_before(self)

    def may_overlap(self, other: PartialDate) -> bool:
        """Neither is surely before the other: they may be the same day."""
        return not (self.surely_before(other) or other.surely_before(self))

    def contains(self, day: datetime.date) -> bool:
        return self.lower <= day <= self.upper

    def sort_key(self) -> tuple[datetime.date, datetime.date]:
        return (self.lower, self.upper)


# Plausible dates (docs/cases.md): no one we help was born before 1800 or is born tomorrow;
# an event may be planned (a hearing, the end of a term) but not centuries ahead.
EARLIEST_YEAR = 1800
EVENT_YEARS_AHEAD = 30


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def check_birth_date(value: PartialDate, *, today: datetime.date | None = None) -> None:
    """ValidationError for a birth date surely in the future or before EARLIEST_YEAR."""
    today = today or _today()
    if value.lower > today:
        raise ValidationError(
            _("Expected a date of birth that is not in the future; found %(date)s.")
            % {"date": value.display()}, code="birth_in_future")
    if value.upper.year < EARLIEST_YEAR:
        raise ValidationError(
            _("Expected a date of birth from %(year)s on; found %(date)s.")
            % {"year": EARLIEST_YEAR, "date": value.display()}, code="birth_too_early")


def check_event_date(value: PartialDate, *, today: datetime.date | None = None) -> None:
    """ValidationError for an event before EARLIEST_YEAR or more than EVENT_YEARS_AHEAD ahead."""
    today = today or _today()
    if value.upper.year < EARLIEST_YEAR:
        raise ValidationError(_("Expected a date from %(year)s on; found %(date)s.")
                              % {"year": EARLIEST_YEAR, "date": value.display()},
                              code="date_too_early")
    if value.lower.year > today.year + EVENT_YEARS_AHEAD:
        raise ValidationError(
            _("Expected a date at most %(years)s years ahead (until %(last)s); found %(date)s.")
            % {"years": EVENT_YEARS_AHEAD, "last": today.year + EVENT_YEARS_AHEAD,
               "date": value.display()}, code="date_too_far")


def as_partial(value: PartialDate | str | None) -> PartialDate | None:
    """What a PartialDateField attribute holds, whichever way it was set ("", "1921", …)."""
    if isinstance(value, str):
        return PartialDate.parse(value) if value.strip() else None
    return value


def bounds(value: PartialDate | str | None) -> tuple[datetime.date | None, datetime.date | None]:
    value = as_partial(value)
    return (value.lower, value.upper) if value is not None else (None, None)


if TYPE_CHECKING:
    _CharField = models.CharField[PartialDate | str | None, PartialDate | None]
else:
    _CharField = models.CharField


class PartialDateField(_CharField):
    """A PartialDate in a text column; models keep `<name>_lower`/`_upper` beside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 10
        super().__init__(*args, **kwargs)
        # The value is a PartialDate, which always fits; a length check would not understand it.
        self.validators[:] = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> PartialDate | None:
        return PartialDate.parse(value) if value else None

    def to_python(self, value: Any) -> PartialDate | None:
        if value is None or isinstance(value, PartialDate):
            return value
        return PartialDate.parse(str(value)) if str(value).strip() else None

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, PartialDate):
            return str(value)
        return value or ("" if not self.null else None)

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return str(value) if value is not None else ""

    def formfield(self, **kwargs: Any) -> Any:
        return PartialDateFormField(required=not self.blank, label=self.verbose_name, **kwargs)


# What may be typed, in the reader's language (lazy: read in each request's language).
DATE_HELP = dates.partial_date_hint()


class PartialDateFormField(forms.CharField):
    def __init__(self, *, check: Callable[[PartialDate], None] | None = None,
                 **kwargs: Any) -> None:
        # check: the plausible range (check_birth_date, check_event_date).
        self.check = check
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "10")

    def prepare_value(self, value: Any) -> Any:
        # Shown as the page writes dates (the stored ISO text is for files).
        return value.display() if isinstance(value, PartialDate) else value

    def to_python(self, value: Any) -> PartialDate | None:  # type: ignore[override]
        text = super().to_python(value)
        if text and dates.typed_month_first(text):
            raise ValidationError(_("“%(text)s” is not a date. %(forms)s")
                                  % {"text": text, "forms": dates.partial_date_hint()},
                                  code="partial_date")
        return PartialDate.parse(text) if text else None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.check is not None and isinstance(value, PartialDate):
            self.check(value)
