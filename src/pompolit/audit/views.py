from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pompolit.audit.models import AuditEntry
from pompolit.members.policy import requires, role
from pompolit.members.roles import Role


@requires(role(Role.COORDINATOR, Role.AUDITOR))
def trail(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-seq")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__iexact=actor)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "audit/trail.html", {"page": page, "action": action, "actor": actor}
    )
