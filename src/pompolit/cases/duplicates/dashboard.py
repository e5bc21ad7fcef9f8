"""The coordinators' dashboard panel: how many pairs wait for a decision."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pompolit.cases.duplicates.models import DuplicateCandidate
from pompolit.members import policy
from pompolit.members.dashboard import register
from pompolit.members.models import Member


@register
def duplicates_to_review(request: HttpRequest, member: Member) -> tuple[str, dict[str, Any]] | None:
    if not policy.has_roles(member, policy.DUPLICATE_REVIEWERS):
        return None
    return "cases/duplicates/dashboard.html", {"total": DuplicateCandidate.objects.count()}
