"""`{{ event.date|partial_date }}`: a date known to the year, the month or the day, written as
the reader's language writes dates — "1921", "March 1921" / "Март 1921 г.", "15.03.1921" —
not as the ISO text it is stored as."""

import datetime

from django import template
from django.utils.formats import date_format

from pompolit.cases.partial import PartialDate

register = template.Library()


@register.filter
def partial_date(value: PartialDate | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = PartialDate.parse(value)
    if value.month is None:
        return str(value.year)
    if value.day is None:
        return date_format(datetime.date(value.year, value.month, 1), "YEAR_MONTH_FORMAT")
    return date_format(datetime.date(value.year, value.month, value.day), "SHORT_DATE_FORMAT")
