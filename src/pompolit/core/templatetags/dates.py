"""Dates on pages (pompolit.core.dates): `{{ entry.at|moment }}` is a time in the group's zone
with the zone's name ("6 Dec 2026, 14:05 MSK"), for the records where the hour matters (the
audit trail, approvals, statements, checkpoints); `{% date_input "on" "id_on" today %}` is a
hand-written form's date box, the same as every form's, with its hint; `{{ leaf.date|shown_date }}`
writes a date kept as ISO text ("2026-03", "2026-03-15") as the page writes dates."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from pompolit.core.dates import (
    DateInput,
    date_hint,
    parse_partial_parts,
    show_date,
    show_moment,
    show_partial,
)

register = template.Library()


@register.filter
def moment(value: datetime.datetime | None) -> str:
    return show_moment(value, zone=True) if value else ""


@register.filter
def shown_date(value: datetime.date | str | None) -> str:
    if isinstance(value, datetime.date):
        return show_date(value)
    parts = parse_partial_parts(str(value or ""))
    if parts is None:
        return str(value or "")
    try:
        return show_partial(*parts)
    except ValueError:  # 2026-02-30: not a day; shown as it is kept
        return str(value)


@register.simple_tag
def date_input(
    name: str, id: str, value: datetime.date | str | None = None, required: bool = False
) -> SafeString:
    hint_id = f"{id}_helptext"
    attrs = {"id": id, "aria-describedby": hint_id}
    if required:
        attrs["required"] = "required"
    box = DateInput().render(name, value, attrs=attrs)
    return format_html('{}<p class="help" id="{}">{}</p>', box, hint_id, date_hint())
