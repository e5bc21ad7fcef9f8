"""The hotlines on the dashboard: for each hotline granted, how many are held now and how many
reports from the public wait, with links to the console, the reports from the public and the
lawyers on duty (operators) and the board; for an operator who is also a case worker, the
detentions that led to a criminal case and are not yet a case of the registry (no other page
lists them: the board shows those held); an operator granted no hotline yet is told so."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from pompolit.intake import notices, services
from pompolit.intake.models import HELD, Detention, Quarantine, Report, Status
from pompolit.members import policy
from pompolit.members.dashboard import register
from pompolit.members.models import Member

# Detentions to open as cases listed on the dashboard at most.
TO_OPEN = 10


@register
def hotlines(request: HttpRequest, member: Member) -> tuple[str, dict[str, Any]] | None:
    if not policy.has_roles(member, policy.HOTLINE_STAFF):
        return None
    is_operator = policy.has_roles(member, policy.HOTLINE_OPERATOR)
    found = list(services.hotlines_of(member))
    if not found:
        # An operator whose hotline is not granted yet is told so; others have no hotline card.
        return ("intake/dashboard_hotlines.html", {"hotlines": []}) if is_operator else None
    ids = [h.compartment_id for h in found]
    held = dict(
        Detention.objects.filter(compartment_id__in=ids)
        .values_list("compartment")
        .annotate(n=Count("pk", filter=Q(status__in=HELD)))
    )
    waiting = (
        dict(
            Report.objects.filter(compartment_id__in=ids, quarantine=Quarantine.PENDING)
            .values_list("compartment")
            .annotate(n=Count("pk"))
        )
        if is_operator
        else {}
    )
    for hotline in found:
        hotline.held = held.get(hotline.compartment_id, 0)  # type: ignore[attr-defined]
        hotline.waiting = waiting.get(hotline.compartment_id, 0)  # type: ignore[attr-defined]
    to_open = (
        Detention.objects.filter(
            compartment_id__in=ids, status=Status.CRIMINAL_CASE, case__isnull=True
        )
        .select_related("detainee", "compartment__hotline")
        .order_by("status_since", "pk")
        if is_operator and policy.has_roles(member, policy.CASE_WORKER)
        else Detention.objects.none()
    )
    return "intake/dashboard_hotlines.html", {
        "hotlines": found,
        "to_open": list(to_open[:TO_OPEN]),
        "to_open_count": to_open.count(),
        "notices": list(notices.recent(ids)[:6]),
        "is_operator": is_operator,
        "may_dispatch": policy.has_roles(member, policy.LAWYER_DISPATCHERS),
    }
