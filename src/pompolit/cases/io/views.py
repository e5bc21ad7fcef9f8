"""Import and export pages for case workers (the work is in importing.py / exporting.py).

The uploaded file waits between the mapping, the preview and the commit encrypted under the
compartment's key (vault.uploads), for an hour at most; the session holds only its random
token. It is deleted once imported or cancelled. Only compartments the member works in are
offered, and the services check again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases.io import exporting, importing
from pompolit.cases.io.forms import CaseListMappingForm, CaseListUploadForm, compartments_of
from pompolit.core.views import add_errors, flash_errors
from pompolit.members.models import Compartment, Member
from pompolit.members.policy import (
    CASE_WORKER,
    CASE_WORKER_IN_COMPARTMENT,
    MemberRequest,
    current_member,
    requires,
)
from pompolit.vault.uploads import services as uploads

SESSION_KEY = "cases.import"
UPLOAD_KIND = "cases.import"
SHOWN_ROWS, SHOWN_ERRORS = 100, 200


@requires(CASE_WORKER)
@require_http_methods(["GET", "POST"])
def import_upload(request: MemberRequest) -> HttpResponse:
    member = current_member(request)
    form = CaseListUploadForm(request.POST or None, request.FILES or None, member=member)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.max_bytes():
            form.add_error("file", importing._too_big())
        else:
            data = upload.read()
            try:
                importing.read_table(data, upload.name or "")
            except ValidationError as error:
                form.add_error("file", error)
            else:
                pending = uploads.keep(member, UPLOAD_KIND, data,
                                       compartment=form.cleaned_data["compartment"],
                                       state={"name": upload.name or ""})
                request.session[SESSION_KEY] = pending.token
                return redirect("cases_import_map")
    return render(request, "cases/import_upload.html", {
        "form": form, "limit_mb": round(importing.max_bytes() / 1024 / 1024, 1),
    })


def _pending(request: MemberRequest, member: Member
             ) -> tuple[importing.Table, Compartment, str] | None:
    token = request.session.get(SESSION_KEY)
    stored = uploads.fetch(member, UPLOAD_KIND, token if isinstance(token, str) else "")
    if stored is None or stored.compartment_id is None:
        return None
    compartment = compartments_of(member).filter(pk=stored.compartment_id).first()
    if compartment is None:
        return None
    name = str(stored.state.get("name", ""))
    try:
        table = importing.read_table(stored.body, name)
    except ValidationError:
        return None
    return table, compartment, name


def _forget(request: MemberRequest, member: Member) -> None:
    token = request.session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        uploads.discard(member, UPLOAD_KIND, token)


@requires(CASE_WORKER)
@require_http_methods(["GET", "POST"])
def import_map(request: MemberRequest) -> HttpResponse:
    """Map the columns; "preview" shows the dry run, "import" commits it."""
    member = current_member(request)
    pending = _pending(request, member)
    if pending is None:
        messages.info(request, _("Choose a file to import first."))
        return redirect("cases_import")
    table, compartment, name = pending
    if request.method == "POST" and request.POST.get("action") == "cancel":
        _forget(request, member)
        messages.info(request, _("The import is cancelled; the file is deleted from the server."))
        return redirect("cases_import")
    initial = {k: "" if v is None else str(v)
               for k, v in importing.guess_mapping(table.headers).items()}
    form = CaseListMappingForm(request.POST or None, headers=table.headers, initial=initial)
    plan = None
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            if request.POST.get("action") == "import":
                result = importing.commit(member, compartment, table, mapping)
                _forget(request, member)
                messages.success(request, _(
                    "Imported into “%(compartment)s”: %(created)s new cases, %(skipped)s rows "
                    "skipped.") % {"compartment": compartment.name, "created": result.created,
                                   "skipped": result.skipped})
                return redirect("case_list")
            plan = importing.plan(compartment, table, mapping)
        except ValidationError as error:
            add_errors(form, error)
            if isinstance(error, importing.ImportRefused):
                plan = importing.plan(compartment, table, mapping)
        except PermissionDenied as error:
            flash_errors(request, error)
            return redirect("cases_import")
    return render(request, "cases/import_map.html", {
        "form": form, "compartment": compartment, "filename": name,
        "headers": table.headers, "sample": table.rows[:5], "plan": plan,
        "row_count": len(table.rows),
        # A page of the preview, not all of it: the counts say the rest.
        "shown_rows": plan.rows[:SHOWN_ROWS] if plan else [],
        "shown_errors": plan.errors[:SHOWN_ERRORS] if plan else [],
        "counts": {"new": plan.count(importing.NEW), "already": plan.count(importing.ALREADY),
                   "repeated": plan.count(importing.REPEATED),
                   "error": plan.count(importing.ERROR)} if plan else {},
    })


# -- export ----------------------------------------------------------------------------------


@requires(CASE_WORKER)
@require_GET
def export_list(request: MemberRequest) -> HttpResponse:
    member = current_member(request)
    compartments = [
        {"compartment": c, "ready": exporting.ready_for(member, c),
         "pending": exporting.pending_for(member, c)}
        for c in compartments_of(member)
    ]
    return render(request, "cases/export.html", {"compartments": compartments})


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_GET
def export_download(request: MemberRequest, compartment: str) -> HttpResponse:
    """The compartment's cases, fields in clear only; ?format=csv (default) or json."""
    fmt = request.GET.get("format", "csv")
    if fmt not in exporting.FORMATS:
        fmt = "csv"
    place = request.compartment
    body = exporting.export(current_member(request), place, fmt)
    return _attachment(body, fmt, exporting.filename(place, fmt))


def _attachment(body: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = ("application/json; charset=utf-8" if fmt == "json"
                    else "text/csv; charset=utf-8")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_POST
def export_sensitive(request: MemberRequest, compartment: str) -> HttpResponse:
    """Ask for the encrypted fields (action=request), or download an approved export once."""
    member = current_member(request)
    place = request.compartment
    try:
        if request.POST.get("action") == "download":
            try:
                export_id = int(request.POST.get("export", ""))
            except ValueError:
                raise PermissionDenied(_("There is no approved export of yours with this "
                                         "number.")) from None
            body, name = exporting.download_sensitive(member, place, export_id)
            return _attachment(body, name.rsplit(".", 1)[-1], name)
        fmt = request.POST.get("format", "csv")
        approval = exporting.request_sensitive(member, place, fmt,
                                               reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, _(
            "Request #%(id)s is waiting for a coordinator's approval. Once approved, you can "
            "download the export here, once.") % {"id": approval.pk})
    return redirect("cases_export")
