"""The members' dashboard panel: birthdays in the next two weeks in one's own compartments."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pompolit.letters import birthdays
from pompolit.members.dashboard import register
from pompolit.members.models import Member
from pompolit.members.roles import Role

SHOWN = 8


@register
def letter_birthdays(request: HttpRequest, member: Member) -> tuple[str, dict[str, Any]] | None:
    if not member.has_role(Role.CASE_WORKER):
        return None
    found = birthdays.upcoming(member)
    if not found:
        return None
    return "letters/dashboard_birthdays.html", {
        "birthdays": found[:SHOWN], "more": max(len(found) - SHOWN, 0),
        "days": birthdays.DASHBOARD_DAYS}
