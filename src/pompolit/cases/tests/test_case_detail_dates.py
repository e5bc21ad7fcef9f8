"""The case page writes every date as the reader's language does — the custody history, the
timeline, the birth date — at the precision that is known, never as the stored ISO text and
never month first."""

import re

import pytest
from django.urls import reverse

MONTH_FIRST = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
ISO = re.compile(r"\b1[89]\d\d-\d\d(-\d\d)?\b")


def custody_history(html):
    return html.split("<h3>", 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            ["Mar 1922 – 14 Sep 1922: Лубянка", "14 Sep 1922 – 1925: СЛОН", "1925 – now: Оренбург"],
        ),
        (
            "ru",
            ["03.1922 – 14.09.1922: Лубянка", "14.09.1922 – 1925: СЛОН", "1925 – сейчас: Оренбург"],
        ),
    ],
)
def test_the_custody_history_is_written_as_the_page_writes_dates(
    worker, exile, client_for, language, lines
):
    client = client_for(worker)
    client.cookies["django_language"] = language
    url = reverse("case_detail", kwargs={"compartment": exile.compartment.slug, "pk": exile.pk})
    html = client.get(url).content.decode()
    history = custody_history(html)
    for line in lines:
        assert line in history, history
    assert not ISO.search(html.split("<main", 1)[1]), ISO.search(html).group(0)
    assert not MONTH_FIRST.search(html)
