"""Members' pages write dates as the rest of the pages do (not "Dec. 6, 2026" on one page and
06.12.2026 on the next), and times of decisions in the group's time zone, with its name."""

import datetime
import re

import pytest

from pompolit.members import approvals
from pompolit.members.models import Member
from pompolit.members.roles import Role

VOUCHED = datetime.datetime(2026, 12, 6, 21, 30, tzinfo=datetime.UTC)  # 7 Dec in Moscow
MONTH_FIRST = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b[A-Z][a-z]{2}\. \d{1,2}, \d{4}\b")


def reading(client, language):
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(("language", "shown"), [("en", "7 Dec 2026"), ("ru", "07.12.2026")])
def test_the_member_page_writes_the_vouching_day_as_every_page_does(
    founders, make_member, client_for, settings, language, shown
):
    settings.TIME_ZONE = "Europe/Moscow"
    anna = make_member("Анна Якимова", Role.CASE_WORKER)
    Member.objects.filter(pk=anna.pk).update(vouched_at=VOUCHED)
    html = reading(client_for(founders[0]), language).get(f"/members/{anna.pk}/").content.decode()
    assert shown in html
    assert not MONTH_FIRST.search(html), MONTH_FIRST.search(html).group(0)


@pytest.mark.parametrize(
    ("language", "asked"),
    [
        ("en", r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d MSK"),
        ("ru", r"\d\d\.\d\d\.\d{4} \d\d:\d\d MSK"),
    ],
)
def test_an_approval_says_when_it_was_asked_in_the_group_s_zone(
    founders, make_member, client_for, settings, language, asked
):
    settings.TIME_ZONE = "Europe/Moscow"
    nikolai = make_member("Николай Морозов")
    request = approvals.request_approval(
        founders[1],
        "grant_role",
        {"member": nikolai.pk, "role": Role.CASE_WORKER},
        reason="ведёт дела ссыльных",
    )
    client = reading(client_for(founders[0]), language)
    html = client.get(f"/approvals/{request.pk}/").content.decode()
    assert re.search(asked, html)
    assert not MONTH_FIRST.search(html)


def test_the_audit_trail_shows_each_moment_with_the_zone(founders, client_for, settings):
    settings.TIME_ZONE = "Asia/Yekaterinburg"
    html = client_for(founders[0]).get("/audit/").content.decode()
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC\+05:00", html)
    assert not MONTH_FIRST.search(html)
