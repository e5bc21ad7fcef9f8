"""Russian: 15.03.1921, as Russian forms and documents write a date."""

# Display (django.utils.dateformat). One date format, in a table, a sentence or a form field.
DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1  # Monday

# A date known only to the month (cases.partial): the day format without its day.
PARTIAL_MONTH_FORMAT = "m.Y"

# Input (strptime). pompolit.core.dates parses dates itself and also takes a month's name
# ("15 марта 1921"); Django adds the ISO forms (2026-12-31).
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
