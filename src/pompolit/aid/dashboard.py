from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from pompolit.aid import services
from pompolit.members.dashboard import register
from pompolit.members.models import Member
from pompolit.members.roles import Role

SHOWN = 5


@register
def aid_follow_ups(request: HttpRequest, member: Member) -> tuple[str, dict[str, Any]] | None:
    """Aid sent long ago and never confirmed, oldest first; and approved items now flagged."""
    if not member.has_role(Role.CASE_WORKER):
        return None
    today = timezone.localdate()
    waiting = services.follow_ups(member, today=today)
    items = list(waiting[:SHOWN])
    flagged = services.flagged_items(member).count()
    if not items and not flagged:
        return None
    for item in items:
        item.waiting_days = (today - item.sent_on).days  # type: ignore[attr-defined, operator]
    return "aid/dashboard_follow_ups.html", {
        "items": items, "flagged": flagged,
        "total": waiting.count() if len(items) == SHOWN else len(items),
        "days": services.follow_up_days(),
    }


@register
def aid_approvals(request: HttpRequest, member: Member) -> tuple[str, dict[str, Any]] | None:
    """Coordinators see how much aid waits for a second person."""
    if not member.has_role(Role.COORDINATOR):
        return None
    from pompolit.aid.lifecycle import APPROVE_ACTION
    from pompolit.members.models import ApprovalRequest

    waiting = ApprovalRequest.objects.filter(action=APPROVE_ACTION,
                                             status=ApprovalRequest.Status.PENDING).count()
    return "aid/dashboard_approvals.html", {"waiting": waiting}
