"""The days the books accept: not before EARLIEST, not more than DAYS_AHEAD days after today.

One check for every date of the books — donations, expenses, bookings (entries), exchange
rates, campaigns, imported bank lines, aid steps — so that a mistyped year (2999, 0202) is
refused where it is typed instead of sorting into the books' first or last page. The floor
is before the oldest history groups keep (the demo's Political Red Cross books of the 1920s);
the few days ahead allow for time zones and a bank that dates a transfer on the next working
day. docs/ledger.md, "Bounds on dates".
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.core.dates import show_date

EARLIEST = datetime.date(1900, 1, 1)
DAYS_AHEAD = 7
# What is planned (a campaign's days) may be further ahead, but not in another century.
PLAN_YEARS_AHEAD = 5


def latest(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=DAYS_AHEAD)


def date_error(day: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why `day` cannot be a date of the books, or None if it can."""
    if day < EARLIEST:
        return _("%(day)s is too early: the books start on %(earliest)s.") % {
            "day": show_date(day), "earliest": show_date(EARLIEST)}
    if day > latest(today):
        return _("%(day)s is in the future: the books accept dates up to %(days)d days ahead "
                 "(%(latest)s).") % {"day": show_date(day), "days": DAYS_AHEAD,
                                     "latest": show_date(latest(today))}
    return None


def check_book_date(day: datetime.date, field: str | None = None,
                    today: datetime.date | None = None) -> datetime.date:
    """`day` if the books accept it; ValidationError (on `field`, if named) otherwise."""
    problem = date_error(day, today)
    if problem is not None:
        raise ValidationError({field: problem} if field else problem)
    return day


def plan_date_error(day: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why `day` cannot be a planned day (from EARLIEST to PLAN_YEARS_AHEAD years ahead)."""
    if day < EARLIEST:
        return date_error(day, today)
    today = today or timezone.localdate()
    latest_plan = today.replace(year=today.year + PLAN_YEARS_AHEAD, day=min(today.day, 28))
    if day > latest_plan:
        return _("%(day)s is too far ahead: plan at most %(years)d years ahead "
                 "(%(latest)s).") % {"day": show_date(day), "years": PLAN_YEARS_AHEAD,
                                     "latest": show_date(latest_plan)}
    return None
