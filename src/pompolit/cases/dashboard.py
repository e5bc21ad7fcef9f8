from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from pompolit.cases import services
from pompolit.members.dashboard import register
from pompolit.members.models import Member
from pompolit.members.roles import Role

SHOWN = 5


@register
def sign_of_life(request: HttpRequest, member: Member) -> tuple[str, dict[str, Any]] | None:
    """Case workers see, first thing, who has not been heard from for too long."""
    if not member.has_role(Role.CASE_WORKER):
        return None
    today = timezone.localdate()
    overdue = services.overdue_cases(member, today=today)
    cases = list(overdue[:SHOWN])
    for case in cases:
        case.silent_days = (today - case.silent_since).days  # type: ignore[attr-defined]
    return "cases/dashboard_sign_of_life.html", {
        "cases": cases,
        "total": overdue.count() if len(cases) == SHOWN else len(cases),
        "days": services.sign_of_life_days(),
    }
