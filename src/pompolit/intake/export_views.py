"""Exporting a hotline's list of detentions (intake/exports.py): the page with the filters, the
part of it htmx polls while the worker writes the list, and the one download. A list with
contacts is asked for here and waits for a coordinator's approval (intake/export_contacts.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.core.exports import attachment
from pompolit.core.views import flash_errors
from pompolit.intake import export_contacts, exports, services
from pompolit.intake.export_forms import ExportForm
from pompolit.intake.export_models import DetentionExport
from pompolit.intake.models import Hotline
from pompolit.members import approvals, policy
from pompolit.members.policy import MemberRequest, requires

POLL_SECONDS = 2


def _hotline(request: MemberRequest) -> Hotline:
    hotline = services.hotline_of(request.compartment)
    if hotline is None:
        raise Http404
    return hotline


def _status(row: DetentionExport | None) -> dict[str, object] | None:
    if row is None:
        return None
    failure = exports.failure(row)
    return {
        "row": row,
        "failure": failure,
        "polling": not failure and row.state in exports.IN_PROGRESS,
    }


def _status_context(request: MemberRequest) -> dict[str, object]:
    return {
        "compartment": request.compartment,
        "poll_seconds": POLL_SECONDS,
        "export": _status(exports.mine(request.user, request.compartment)),
    }


def _contacts_request(request: MemberRequest) -> dict[str, object] | None:
    """The member's request for the list with contacts, as the page tells of it."""
    asked = export_contacts.latest(request.user, request.compartment)
    if asked is None:
        return None
    return {
        "id": asked.pk,
        "state": export_contacts.state(asked),
        "error": approvals.error_text(asked),
    }


def _ask(request: MemberRequest, form: ExportForm) -> None:
    member, data = request.user, form.cleaned_data
    if not data.get("contacts"):
        exports.queue(member, request.compartment, form.filters(), data["format"])
        messages.success(request, _("The list is being written; this page shows how far it got."))
        return
    asked = export_contacts.request_contacts(
        member, request.compartment, form.filters(), data["format"], reason=data["reason"]
    )
    messages.success(
        request,
        _(
            "Request #%(id)s for the list with contacts is waiting for a coordinator's "
            "approval. Once approved, the list is written and waits here for you to download, "
            "once."
        )
        % {"id": asked.pk},
    )


@requires(policy.DETENTION_EXPORTERS)
@require_http_methods(["GET", "POST"])
def export_page(request: MemberRequest, compartment: str) -> HttpResponse:
    hotline = _hotline(request)
    member = request.user
    contacts = exports.may_export_contacts(member)
    form = ExportForm(request.POST or None, compartment=request.compartment, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        try:
            _ask(request, form)
        except (PermissionDenied, ValidationError) as error:
            flash_errors(request, error)
        return redirect("intake_export", compartment=request.compartment.slug)
    return render(
        request,
        "intake/export.html",
        {
            **_status_context(request),
            "hotline": hotline,
            "form": form,
            "tier": int(exports.tier_of(member)),
            "hours": int(exports.lifetime().total_seconds() // 3600),
            "contacts_request": _contacts_request(request) if contacts else None,
        },
    )


@requires(policy.DETENTION_EXPORTERS)
@require_GET
def export_progress(request: MemberRequest, compartment: str) -> HttpResponse:
    """How far the member's list got: the part of the export page htmx polls."""
    _hotline(request)
    return render(request, "intake/export_status.html", _status_context(request))


@requires(policy.DETENTION_EXPORTERS)
@require_POST
def export_download(request: MemberRequest, compartment: str) -> HttpResponse:
    """The member's finished list, once: it is deleted as it is handed over."""
    _hotline(request)
    taken = exports.take(request.user, request.compartment)
    if taken is None:
        messages.warning(
            request, _("This list was already downloaded or has expired; ask for it again.")
        )
        return redirect("intake_export", compartment=request.compartment.slug)
    body, name, content_type = taken
    return attachment(body, name, content_type)
