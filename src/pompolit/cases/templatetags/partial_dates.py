"""`{{ event.date|partial_date }}`: a date known to the year, the month or the day, written as
the reader's language writes dates — "1921", "Mar 1921" / "03.1921", "15 Mar 1921" /
"15.03.1921" (pompolit.core.dates) — not as the ISO text it is stored as."""

from django import template

from pompolit.cases.partial import PartialDate

register = template.Library()


@register.filter
def partial_date(value: PartialDate | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = PartialDate.parse(value)
    return value.display()
