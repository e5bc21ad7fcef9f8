"""The audit trail's pages: browse and filter it, open an entry, verify the chain now, export
its signed head, answer an alert. The trail (audit/) knows no roles; these pages apply the
access policy, so they sit above it, in members."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pompolit.audit import chain, services, signing
from pompolit.audit.descriptions import describe, with_descriptions
from pompolit.audit.models import AuditEntry
from pompolit.core.http import client_address
from pompolit.core.views import flash_errors
from pompolit.members.policy import AUDIT_READERS, COORDINATOR, MemberRequest, requires, sudo
from pompolit.members.roles import Role
from pompolit.members.trail import services as trail_services
from pompolit.members.trail.forms import AcknowledgeForm, TrailFilterForm

PAGE_SIZE = 50


@requires(AUDIT_READERS)
@require_http_methods(["GET"])
def trail(request: MemberRequest) -> HttpResponse:
    form = TrailFilterForm(request.GET or None)
    entries = AuditEntry.objects.order_by("-seq")
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    member = request.user
    alerts = list(services.open_alerts().order_by("-seq")[:20])
    for alert in alerts:
        about_me = alert.object_type == member._meta.label_lower and alert.object_id == str(
            member.pk
        )
        if member.has_role(Role.COORDINATOR) and not about_me:
            # One form per alert, each with its own field ids.
            alert.acknowledge_form = AcknowledgeForm(auto_id=f"ack-{alert.seq}-%s")  # type: ignore[attr-defined]
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_descriptions(page.object_list)
    return render(
        request,
        "audit/trail.html",
        {"form": form, "page": page, "alerts": with_descriptions(alerts)},
    )


@requires(AUDIT_READERS)
@require_http_methods(["GET"])
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry, seq=seq)
    row = {f: getattr(entry, f) for f in (*chain.HASHED_FIELDS, "details", "entry_hash")}
    return render(
        request,
        "audit/entry_detail.html",
        {
            "entry": entry,
            "description": describe(entry),
            "details": json.dumps(entry.details, indent=2, ensure_ascii=False, sort_keys=True),
            "digest_ok": chain.digest(entry.details) == entry.details_digest,
            "hash_ok": chain.row_hash(row) == entry.entry_hash,
            "has_next": AuditEntry.objects.filter(seq=seq + 1).exists(),
            "genesis": entry.prev_hash == chain.GENESIS,
        },
    )


@requires(AUDIT_READERS)
@require_POST
def verify(request: MemberRequest) -> HttpResponse:
    result = services.verify_chain_now(request.user, client=client_address(request))
    if result.intact:
        messages.success(
            request,
            _("%(count)s entries checked: the chain is intact. Head #%(seq)s %(hash)s.")
            % {"count": result.count, "seq": result.head_seq, "hash": result.head_hash},
        )
    else:
        assert result.problem is not None
        messages.error(
            request,
            _("The chain is broken at entry #%(position)s (%(kind)s): %(message)s")
            % {
                "position": result.problem.position,
                "kind": result.problem.kind,
                "message": result.problem.message,
            },
        )
    return redirect("audit_trail")


@requires(COORDINATOR)
@require_POST
def acknowledge_alert(request: MemberRequest, seq: int) -> HttpResponse:
    form = AcknowledgeForm(request.POST)
    finding = form.cleaned_data["finding"] if form.is_valid() else "unclear"
    try:
        trail_services.acknowledge_alert(request.user, seq, finding=finding)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Alert #%(seq)s acknowledged.") % {"seq": seq})
    return redirect("audit_trail")


@requires(sudo(AUDIT_READERS))
@require_http_methods(["GET", "POST"])
def export_head(request: MemberRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            head = services.export_head(request.user, client=client_address(request))
        except (signing.KeyProblem, services.EmptyTrail) as error:
            messages.error(request, str(error))
            return redirect("audit_export_head")
        response = HttpResponse(head.text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="audit-head-{head.seq}.txt"'
        )
        return response
    try:
        vkey, key_problem = signing.load_key(create_in_dev=False).vkey, ""
    except signing.KeyProblem as problem:
        vkey, key_problem = "", "" if signing.creates_key_on_first_use() else str(problem)
    exports = AuditEntry.objects.filter(action=services.HEAD_EXPORTED).order_by("-seq")[:10]
    return render(
        request,
        "audit/export_head.html",
        {"vkey": vkey, "key_problem": key_problem, "exports": exports},
    )
