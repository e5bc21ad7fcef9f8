from typing import Any

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from pompolit.audit.descriptions import with_descriptions
from pompolit.core.dates import show_moment
from pompolit.core.views import add_errors, flash_errors
from pompolit.members import approvals, services
from pompolit.members.dashboard import render_panels
from pompolit.members.forms import (
    CompartmentForm,
    CompartmentRequestForm,
    DecisionForm,
    InvitationForm,
    JoinForm,
    RoleRequestForm,
    ThresholdForm,
)
from pompolit.members.models import (
    ApprovalRequest,
    Compartment,
    CompartmentGrant,
    Invitation,
    Member,
    RoleGrant,
    Vouch,
    canonical_request,
    vouches_required,
)
from pompolit.members.policy import (
    COORDINATOR,
    MEMBER,
    MEMBER_IN_COMPARTMENT,
    PUBLIC,
    SIGNED_IN,
    MemberRequest,
    requires,
    sudo,
)
from pompolit.members.roles import Role


@requires(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard" if request.user.is_authenticated else "account_login")


@requires(MEMBER)
def dashboard(request: MemberRequest) -> HttpResponse:
    member = request.user
    pending = [
        r for r in ApprovalRequest.objects.filter(status=ApprovalRequest.Status.PENDING)
        .select_related("requested_by")
        if approvals.can_decide(r, member)
    ]
    for r in pending:
        r.summary = approvals.headline(r, member)  # type: ignore[attr-defined]
    waiting = services.awaiting_vouches()
    return render(
        request,
        "members/dashboard.html",
        {
            "pending": pending,
            "waiting": [m for m in waiting if m.pk != member.pk],
            "roles": sorted(Role(r).label for r in member.roles()),
            "compartments": Compartment.objects.filter(grants__member=member),
            "panels": render_panels(request, member),
        },
    )


@requires(SIGNED_IN)
def waiting(request: MemberRequest) -> HttpResponse:
    member = request.user
    if member.is_vouched:
        return redirect("dashboard")
    return render(
        request,
        "members/waiting.html",
        {"count": Vouch.objects.filter(member=member).count(), "needed": vouches_required()},
    )


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.usable_invitation(token)
    if invitation is None:
        return render(request, "members/join_invalid.html", status=404)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.accept_invitation(
                token,
                pseudonym=form.cleaned_data["pseudonym"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            login(request, member, backend="allauth.account.auth_backends.AuthenticationBackend")
            # The password was just chosen and typed: setting up the second factor next must
            # not ask for it again (see AccountAdapter.is_reauthentication_required).
            record_authentication(request, member, method="password")
            messages.success(
                request, _("Welcome. Now set up your second factor: it is required.")
            )
            return redirect("mfa_activate_totp")
    return render(request, "members/join.html", {"form": form})


@requires(COORDINATOR)
def member_list(request: HttpRequest) -> HttpResponse:
    members = (
        Member.objects.annotate(vouch_count=Count("vouches_received"))
        .prefetch_related(
            Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")),
            Prefetch(
                "compartment_grants",
                queryset=CompartmentGrant.objects.select_related("compartment"),
            ),
        )
        .order_by("pseudonym")
    )
    return render(
        request,
        "members/member_list.html",
        {"members": members, "needed": vouches_required()},
    )


@requires(COORDINATOR)
# Read only: its forms post to the dedicated views below, which are under sudo.
@require_GET
def member_detail(request: MemberRequest, pk: int) -> HttpResponse:
    actor = request.user
    member = get_object_or_404(Member, pk=pk)
    role_form = RoleRequestForm(prefix="role")
    compartment_form = CompartmentRequestForm(prefix="compartment")
    return render(
        request,
        "members/member_detail.html",
        {
            "subject": member,
            "grants": member.role_grants.order_by("role"),
            "compartment_grants": member.compartment_grants.select_related("compartment"),
            "vouches": member.vouches_received.select_related("voucher"),
            "role_form": role_form,
            "compartment_form": compartment_form,
            "actor_is_self": actor.pk == member.pk,
        },
    )


@requires(sudo(COORDINATOR))
@require_POST
def request_role(request: MemberRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    form = RoleRequestForm(request.POST, prefix="role")
    if form.is_valid():
        payload = {"member": member.pk, "role": form.cleaned_data["role"]}
        _ask_approval(request, "grant_role", payload, reason=form.cleaned_data["reason"])
    return redirect("member_detail", pk=member.pk)


def _ask_approval(
    request: MemberRequest, action: str, payload: dict[str, Any], *, reason: str = ""
) -> ApprovalRequest | None:
    """Make the request and say so, or say why it was refused."""
    try:
        req = approvals.request_approval(request.user, action, payload, reason=reason)
    except (ValidationError, approvals.ApprovalError) as error:
        flash_errors(request, error)
        return None
    messages.success(
        request, _("Request #%(id)s is waiting for a second coordinator.") % {"id": req.pk}
    )
    return req


@requires(sudo(COORDINATOR))
@require_POST
def revoke_role(request: MemberRequest, pk: int, role_name: str) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    if role_name not in Role.values:
        raise Http404
    if role_name == Role.COORDINATOR:
        _ask_approval(request, "revoke_coordinator", {"member": member.pk})
        return redirect("member_detail", pk=member.pk)
    try:
        services.revoke_role(request.user, member, role_name)
    except (ValidationError, approvals.ApprovalError) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The role was removed."))
    return redirect("member_detail", pk=member.pk)


@requires(sudo(COORDINATOR))
@require_POST
def request_compartment(request: MemberRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    form = CompartmentRequestForm(request.POST, prefix="compartment")
    if form.is_valid():
        payload = {"member": member.pk, "compartment": form.cleaned_data["compartment"].pk}
        _ask_approval(request, "grant_compartment", payload, reason=form.cleaned_data["reason"])
    return redirect("member_detail", pk=member.pk)


@requires(COORDINATOR)
@require_POST
def revoke_compartment(request: MemberRequest, pk: int, compartment: str) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    target = get_object_or_404(Compartment, slug=compartment)
    services.revoke_compartment(request.user, member, target)
    messages.success(request, _("Access to the compartment was removed."))
    return redirect("member_detail", pk=member.pk)


@requires(sudo(COORDINATOR))
@require_http_methods(["GET", "POST"])
def invite(request: MemberRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    link = expires = None
    if request.method == "POST" and form.is_valid():
        invitation, token = services.create_invitation(
            request.user, note=form.cleaned_data["note"]
        )
        link = request.build_absolute_uri(reverse("join", kwargs={"token": token}))
        expires = invitation.expires_at
        form = InvitationForm()
    invitations = Invitation.objects.select_related("created_by", "used_by")[:50]
    return render(
        request,
        "members/invite.html",
        {
            "form": form,
            "link": link,
            "expires": expires,
            "invitations": invitations,
            "now": timezone.now(),
        },
    )


@requires(COORDINATOR)
@require_POST
def revoke_invitation(request: MemberRequest, pk: int) -> HttpResponse:
    services.revoke_invitation(request.user, get_object_or_404(Invitation, pk=pk))
    messages.success(request, _("The invitation can no longer be used."))
    return redirect("invite")


def _posted_member(value: str | None) -> Member | None:
    try:
        return Member.objects.filter(pk=int(value or "")).first()
    except ValueError:
        return None


@requires(MEMBER)
@require_http_methods(["GET", "POST"])
def vouch(request: MemberRequest) -> HttpResponse:
    actor = request.user
    if request.method == "POST":
        target = _posted_member(request.POST.get("member"))
        if target is None:
            messages.error(request, _("Choose a member who is waiting for vouches."))
            return redirect("vouch")
        try:
            services.vouch(actor, target)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request, _("You vouched for %(member)s.") % {"member": target.pseudonym}
            )
        return redirect("vouch")
    waiting_members = [m for m in services.awaiting_vouches() if m.pk != actor.pk]
    return render(
        request,
        "members/vouch.html",
        {
            "waiting": waiting_members,
            "mine": set(Vouch.objects.filter(voucher=actor).values_list("member_id", flat=True)),
            "needed": vouches_required(),
        },
    )


@requires(MEMBER)
def approval_list(request: MemberRequest) -> HttpResponse:
    member = request.user
    requests = list(ApprovalRequest.objects.select_related("requested_by", "decided_by")[:200])
    to_decide = [r for r in requests if approvals.can_decide(r, member)]
    mine = [r for r in requests if r.requested_by_id == member.pk]
    if member.has_role(Role.COORDINATOR) or member.has_role(Role.AUDITOR):
        others = [r for r in requests if r not in to_decide and r not in mine]
    else:
        others = []
    for r in requests:
        r.summary = approvals.headline(r, member)  # type: ignore[attr-defined]
    return render(
        request,
        "members/approval_list.html",
        {"to_decide": to_decide, "mine": mine, "others": others},
    )


def _visible_request(member: Member, pk: int) -> ApprovalRequest:
    req = get_object_or_404(
        ApprovalRequest.objects.select_related("requested_by", "decided_by"), pk=pk
    )
    spec = approvals.ACTIONS.get(req.action)
    allowed = (
        req.requested_by_id == member.pk
        or member.has_role(Role.AUDITOR)
        or (spec is not None and member.has_role(spec.approver_role))
    )
    if not allowed:
        raise Http404
    return req


# The summary's heading: what will happen while it may, what happened after (issue 13).
HEADINGS: dict[str, StrOrPromise] = {
    ApprovalRequest.Status.PENDING: gettext_lazy("What will happen"),
    ApprovalRequest.Status.APPROVED: gettext_lazy("What was approved"),
    ApprovalRequest.Status.EXECUTED: gettext_lazy("What happened"),
    ApprovalRequest.Status.REJECTED: gettext_lazy("What was asked"),
    ApprovalRequest.Status.EXPIRED: gettext_lazy("What was asked"),
    ApprovalRequest.Status.WITHDRAWN: gettext_lazy("What was asked"),
}


def _when(moment: Any) -> str:
    return show_moment(moment, zone=True) if moment else ""


def _outcome(req: ApprovalRequest) -> str:
    """The decision and its result, in the past tense; empty while nobody has decided."""
    by = {"who": str(req.decided_by), "when": _when(req.decided_at)}
    status = req.status
    if status == ApprovalRequest.Status.EXECUTED:
        return _("Approved by %(who)s on %(when)s and carried out on %(done)s.") % {
            **by, "done": _when(req.executed_at)}
    if status == ApprovalRequest.Status.APPROVED:
        return _("Approved by %(who)s on %(when)s, but not carried out: it failed.") % by
    if status == ApprovalRequest.Status.REJECTED:
        return _("Rejected by %(who)s on %(when)s; nothing was done.") % by
    if status == ApprovalRequest.Status.WITHDRAWN:
        return _("Withdrawn by %(who)s, who asked; nothing was done.") % {
            "who": str(req.requested_by)}
    if status == ApprovalRequest.Status.EXPIRED:
        return _("Expired on %(when)s without a decision; nothing was done.") % {
            "when": _when(req.expires_at)}
    return ""


@requires(MEMBER)
def approval_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.user
    req = _visible_request(member, pk)
    return render(
        request,
        "members/approval_detail.html",
        {
            "req": req,
            "summary": approvals.summarize(req, member),
            "heading": HEADINGS.get(req.status, _("What was asked")),
            "outcome": _outcome(req),
            "payload_json": canonical_request(req.action, req.payload).decode(),
            "can_decide": approvals.can_decide(req, member),
            "can_retry": approvals.can_retry(req, member),
            "error_text": approvals.error_text(req),
            "form": DecisionForm(initial={"digest": req.payload_digest}),
            "is_requester": req.requested_by_id == member.pk,
        },
    )


@requires(sudo(MEMBER))
@require_POST
def approval_decide(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.user
    req = _visible_request(member, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was decided."))
        return redirect("approval_detail", pk=req.pk)
    try:
        if form.cleaned_data["decision"] == "approve":
            approvals.approve(req.pk, member, seen_digest=form.cleaned_data["digest"])
            messages.success(request, _("Approved and carried out."))
        else:
            approvals.reject(req.pk, member)
            messages.success(request, _("Decision recorded."))
    except (approvals.ApprovalError, ValidationError) as error:
        flash_errors(request, error)
    return redirect("approval_detail", pk=req.pk)


@requires(MEMBER)
@require_POST
def approval_retry(request: MemberRequest, pk: int) -> HttpResponse:
    # Its requester or a member who may approve it (approvals.can_retry); others learn nothing.
    pk = _visible_request(request.user, pk).pk
    try:
        approvals.retry(pk, request.user)
        messages.success(request, _("Carried out."))
    except (approvals.ApprovalError, ValidationError) as error:
        flash_errors(request, error)
    return redirect("approval_detail", pk=pk)


@requires(MEMBER)
def compartment_list(request: MemberRequest) -> HttpResponse:
    return _compartment_page(request, CompartmentForm())


def _compartment_page(request: MemberRequest, form: CompartmentForm) -> HttpResponse:
    member = request.user
    is_coordinator = member.has_role(Role.COORDINATOR)
    compartments = Compartment.objects.annotate(member_count=Count("grants"))
    if not is_coordinator:
        compartments = compartments.filter(grants__member=member)
    return render(
        request,
        "members/compartment_list.html",
        {
            "compartments": compartments,
            "form": form if is_coordinator else None,
            "mine": member.compartment_ids(),
        },
    )


@requires(COORDINATOR)
@require_POST
def compartment_create(request: MemberRequest) -> HttpResponse:
    form = CompartmentForm(request.POST)
    if form.is_valid():
        try:
            services.create_compartment(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Compartment created."))
            return redirect("compartment_list")
    # The list again, with the form as typed and its errors next to the fields.
    return _compartment_page(request, form)


@requires(MEMBER_IN_COMPARTMENT)
def compartment_detail(request: MemberRequest, compartment: str) -> HttpResponse:
    target = request.compartment
    return render(
        request,
        "members/compartment_detail.html",
        {
            "compartment": target,
            "grants": target.grants.select_related("member").order_by("member__pseudonym"),
        },
    )


@requires(COORDINATOR)
def activity(request: HttpRequest) -> HttpResponse:
    entries = with_descriptions(services.recent_activity())
    return render(request, "members/activity.html", {"entries": entries})


@requires(sudo(COORDINATOR))
@require_http_methods(["GET", "POST"])
def rules(request: MemberRequest) -> HttpResponse:
    form = ThresholdForm(request.POST or None, initial={"vouches_required": vouches_required()})
    if request.method == "POST" and form.is_valid():
        try:
            req = approvals.request_approval(
                request.user,
                "set_vouches_required",
                {"vouches_required": form.cleaned_data["vouches_required"]},
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Request #%(id)s is waiting for a second coordinator.") % {"id": req.pk}
            )
            return redirect("approval_detail", pk=req.pk)
    return render(request, "members/rules.html", {"form": form, "needed": vouches_required()})
