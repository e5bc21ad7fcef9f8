"""When a prisoner is expected out: what the case worker typed, else an estimate.

The estimate is the day custody began (`Case.in_custody_since`, from the events) plus the
sentence in months, kept only to the month: credit for pre-trial detention, parole and
amnesties move the real day, so a day would claim more than we know. A typed date always wins,
at whatever precision it was typed.
"""

from __future__ import annotations

import datetime

from pompolit.cases.models import Case
from pompolit.cases.partial import PartialDate, as_partial


def estimated_release(in_custody_since: datetime.date | None,
                      sentence_months: int | None) -> PartialDate | None:
    if in_custody_since is None or not sentence_months:
        return None
    months = in_custody_since.year * 12 + in_custody_since.month - 1 + sentence_months
    return PartialDate(months // 12, months % 12 + 1)


def expected_release(case: Case) -> tuple[PartialDate | None, bool]:
    """The expected release and whether it is estimated (not typed by a case worker)."""
    typed = as_partial(case.expected_release)
    if typed is not None:
        return typed, False
    estimate = estimated_release(case.in_custody_since, case.sentence_months)
    return estimate, estimate is not None


def released_within(release: PartialDate, today: datetime.date, days: int) -> bool:
    """The release may fall in the next `days` days (today included). A year alone says too
    little to call anyone "out this month": only dates known to the month or the day count."""
    if release.precision == "year":
        return False
    last = today + datetime.timedelta(days=days - 1)
    return release.upper >= today and release.lower <= last
