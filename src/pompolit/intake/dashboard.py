"""The hotlines on the dashboard: for each hotline granted, how many are held now, with links
to the console (operators) and the board."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from pompolit.intake import notices, services
from pompolit.intake.models import HELD, Detention
from pompolit.members import policy
from pompolit.members.dashboard import register
from pompolit.members.models import Member


@register
def hotlines(request: HttpRequest, member: Member) -> tuple[str, dict[str, Any]] | None:
    if not policy.has_roles(member, policy.HOTLINE_STAFF):
        return None
    found = list(services.hotlines_of(member))
    if not found:
        return None
    held = dict(
        Detention.objects.filter(compartment_id__in=[h.compartment_id for h in found])
        .values_list("compartment")
        .annotate(n=Count("pk", filter=Q(status__in=HELD)))
    )
    for hotline in found:
        hotline.held = held.get(hotline.compartment_id, 0)  # type: ignore[attr-defined]
    return "intake/dashboard_hotlines.html", {
        "hotlines": found,
        "notices": list(notices.recent([h.compartment_id for h in found])[:6]),
        "is_operator": policy.has_roles(member, policy.HOTLINE_OPERATOR),
    }
