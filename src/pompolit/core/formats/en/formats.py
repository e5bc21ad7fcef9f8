"""English: day first with the month's short name, never the American 02/14/1998 (which a
Russian reader takes for the 2nd of the 14th month)."""

# Display (django.utils.dateformat). One date format: "14 Feb 1998", written the same in a
# table, a sentence or a form field; times are 24-hour, as the group's members use them.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday

# A date known only to the month (cases.partial): the day format without its day.
PARTIAL_MONTH_FORMAT = "M Y"

# Input (strptime). pompolit.core.dates parses dates itself, independently of the process's
# locale, and accepts exactly these shapes too; Django adds the ISO forms (2026-12-31).
DATE_INPUT_FORMATS = ["%d %b %Y", "%d %B %Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d %b %Y %H:%M",
    "%d %b %Y, %H:%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
