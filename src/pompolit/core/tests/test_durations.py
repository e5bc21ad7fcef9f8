"""How long someone has been silent reads as people say it, in both languages."""

import pytest
from django.utils import translation

from pompolit.core.templatetags.durations import duration_in_days


@pytest.mark.parametrize(("days", "english", "russian"), [
    (1, "1 day", "1 день"),
    (22, "22 days", "22 дня"),
    (60, "60 days", "60 дней"),
    (61, "2 months", "2 месяца"),
    (683, "22 months", "22 месяца"),
    (38303, "104 years", "104 года"),
    (36916, "101 years", "101 год"),
])
def test_a_silence_is_told_in_days_then_months_then_years(days, english, russian):
    with translation.override("en"):
        assert duration_in_days(days) == english
    with translation.override("ru"):
        assert duration_in_days(days) == russian


def test_no_date_no_words():
    assert duration_in_days(None) == ""
