from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pompolit.members import policy
from pompolit.members.roles import Role


def pompolit(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "user", None)
    stage = policy.stage_of(member) if member is not None else policy.Stage.ANONYMOUS
    roles = member.roles() if stage == policy.Stage.VOUCHED else frozenset()  # type: ignore[union-attr]
    return {
        "demo_mode": settings.DEMO_MODE,
        "organisation": settings.POMPOLIT_ORGANISATION,
        "member_stage": stage,
        "is_full_member": stage == policy.Stage.VOUCHED,
        "is_coordinator": Role.COORDINATOR in roles,
        "is_auditor": Role.AUDITOR in roles,
        "is_treasurer": Role.TREASURER in roles,
        "is_case_worker": Role.CASE_WORKER in roles,
    }
