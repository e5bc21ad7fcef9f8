"""Import and export pages for case workers (the work is in importing.py / exporting.py).

The uploaded file waits between the mapping, the preview and the commit encrypted under the
compartment's key (vault.uploads), for an hour at most; the session holds only its random
token. It is deleted once imported or cancelled. Only compartments the member works in are
offered, and the services check again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases.duplicates import services as duplicates
from pompolit.cases.io import exporting, importing
from pompolit.cases.io.forms import CaseListMappingForm, CaseListUploadForm, compartments_of
from pompolit.cases.models import Case, Facility, FacilityType
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
from pompolit.vault.uploads.models import PendingUpload

SESSION_KEY = "cases.import"
UPLOAD_KIND = "cases.import"
SHOWN_ERRORS = 200
# Rows of the preview on one page: each carries its own correction boxes.
PAGE_ROWS = 50
MAX_TYPED = 400


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
             ) -> tuple[importing.Table, Compartment, PendingUpload] | None:
    token = request.session.get(SESSION_KEY)
    stored = uploads.fetch(member, UPLOAD_KIND, token if isinstance(token, str) else "")
    if stored is None or stored.compartment_id is None:
        return None
    compartment = compartments_of(member).filter(pk=stored.compartment_id).first()
    if compartment is None:
        return None
    try:
        table = importing.read_table(stored.body, str(stored.state.get("name", "")))
    except ValidationError:
        return None
    return table, compartment, stored


def _forget(request: MemberRequest, member: Member) -> None:
    token = request.session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        uploads.discard(member, UPLOAD_KIND, token)


def choices_of(state: dict[str, Any]) -> importing.Choices:
    """The preview's decisions kept with the upload (encrypted, like the file)."""
    return importing.Choices(
        skip=frozenset(int(n) for n in state.get("skip", [])),
        corrections={int(n): dict(v) for n, v in state.get("corrections", {}).items()},
        facilities=dict(state.get("facilities", {})),
        new_types=dict(state.get("new_types", {})),
        new_regions=dict(state.get("new_regions", {})),
        links={int(n): int(pk) for n, pk in state.get("links", {}).items()},
    )


def _typed(text: str) -> str:
    return " ".join(text.split())[:MAX_TYPED]


def _posted(request: MemberRequest, table: importing.Table, mapping: importing.Mapping_,
            state: dict[str, Any]) -> dict[str, Any]:
    """The decisions of the page just posted — skips, corrections and links to people already
    registered of its rows, the facility names it showed — over those kept from the other
    pages."""
    post = request.POST
    skip = set(state.get("skip", []))
    corrections: dict[str, dict[str, str]] = dict(state.get("corrections", {}))
    links: dict[str, int] = dict(state.get("links", {}))
    cells = dict(table.rows)
    for text in post.get("shown_rows", "").split(","):
        if not text.isdigit() or int(text) not in cells:
            continue
        number = int(text)
        if post.get(f"skip-{number}"):
            skip.add(number)
        else:
            skip.discard(number)
        fixes = dict(corrections.get(text, {}))
        for name in importing.FIELDS:
            box = f"fix-{number}-{name}"
            if box not in post:
                continue
            typed = _typed(post[box])
            if typed == _typed(importing.cell_value(cells[number], mapping, name)):
                fixes.pop(name, None)
            else:
                fixes[name] = typed
        if fixes:
            corrections[text] = fixes
        else:
            corrections.pop(text, None)
        link = post.get(f"link-{number}")
        if link is not None:  # the row showed its matches: "" is "a new person"
            if link.isdigit() and len(link) < 19:
                links[text] = int(link)
            else:
                links.pop(text, None)
    facilities = dict(state.get("facilities", {}))
    new_types = dict(state.get("new_types", {}))
    new_regions = dict(state.get("new_regions", {}))
    for ref in post.get("shown_facilities", "").split(","):
        if not ref.isalnum() or f"facility-{ref}" not in post:
            continue
        new = post.get(f"facility-new-{ref}") == "on"
        facilities[ref] = importing.NEW_FACILITY if new else post[f"facility-{ref}"][:20]
        new_types[ref] = post.get(f"facility-type-{ref}", "")[:40]
        new_regions[ref] = _typed(post.get(f"facility-region-{ref}", ""))[:120]
    return {**state, "skip": sorted(skip), "corrections": corrections,
            "facilities": facilities, "new_types": new_types, "new_regions": new_regions,
            "links": links, "errors_only": post.get("errors_only") == "on"}


@requires(CASE_WORKER)
@require_http_methods(["GET", "POST"])
def import_map(request: MemberRequest) -> HttpResponse:
    """Map the columns; "preview" shows the dry run, a page of its rows — each may be skipped
    or corrected — and the facility names to decide on; "import" commits it."""
    member = current_member(request)
    pending = _pending(request, member)
    if pending is None:
        messages.info(request, _("Choose a file to import first."))
        return redirect("cases_import")
    table, compartment, stored = pending
    name = str(stored.state.get("name", ""))
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
        state = _posted(request, table, mapping, stored.state)
        uploads.save_state(stored, state)
        choices = choices_of(state)
        try:
            if request.POST.get("action") == "import":
                result = importing.commit(member, compartment, table, mapping, choices)
                _forget(request, member)
                messages.success(request, _(
                    "Imported into “%(compartment)s”: %(created)s new cases, %(skipped)s rows "
                    "skipped.") % {"compartment": compartment.name, "created": result.created,
                                   "skipped": result.skipped})
                if result.linked or result.attached:
                    messages.info(request, _(
                        "For people already registered: %(linked)s new cases, %(attached)s rows "
                        "joined their cases.") % {"linked": result.linked,
                                                  "attached": result.attached})
                return redirect("case_list")
            plan = importing.plan(compartment, table, mapping, choices)
        except ValidationError as error:
            add_errors(form, error)
            if isinstance(error, importing.ImportRefused):
                plan = importing.plan(compartment, table, mapping, choices)
        except PermissionDenied as error:
            flash_errors(request, error)
            return redirect("cases_import")
    return render(request, "cases/import_map.html", {
        "form": form, "compartment": compartment, "filename": name,
        "headers": table.headers, "sample": table.rows[:5], "plan": plan,
        "row_count": len(table.rows),
        **(_preview(request, member, plan, stored.state) if plan else {}),
    })


def _preview(request: MemberRequest, member: Member, plan: importing.Plan,
             state: dict[str, Any]) -> dict[str, Any]:
    """One page of the preview's rows (the rows with errors or warnings only, if asked), each
    new one with its possible matches, and everything the page shows of the whole file: the
    counts, the errors, the facility names."""
    errors_only = bool(state.get("errors_only"))
    rows = [r for r in plan.rows if r.errors or r.warnings] if errors_only else plan.rows
    page = Paginator(rows, PAGE_ROWS).get_page(
        request.POST.get("page") or request.POST.get("current_page") or 1)
    for row in page:
        _find_matches(member, row)
    counts = {outcome: plan.count(outcome) for outcome in importing.OUTCOMES}
    return {
        "page": page, "errors_only": errors_only,
        "shown_rows": ",".join(str(r.row) for r in page),
        "shown_errors": plan.errors[:SHOWN_ERRORS],
        "counts": {"new": counts[importing.NEW], "already": counts[importing.ALREADY],
                   "repeated": counts[importing.REPEATED], "skipped": counts[importing.SKIPPED],
                   "error": counts[importing.ERROR]},
        "facility_names": plan.facilities,
        "shown_facilities": ",".join(n.ref for n in plan.facilities),
        "all_facilities": Facility.objects.order_by("region", "name") if plan.facilities else [],
        "facility_types": FacilityType.objects.filter(is_active=True) if plan.facilities else [],
        "field_labels": importing.FIELDS,
    }


def _find_matches(member: Member, row: importing.RowPlan) -> None:
    """The people already registered the row may be (only for a row that will be added)."""
    if row.outcome != importing.NEW or row.name is None:
        return
    try:
        found = duplicates.possible_matches(member, row.display_name, row.birth_date)
    except PermissionDenied:
        return
    linked = row.linked
    if linked is not None and linked.pk not in {m.person for m in found.visible}:
        # Chosen earlier, no longer among the matches (the name was corrected since): still
        # offered — if the member sees the person at all.
        mine = Case.objects.filter(person=linked, compartment_id__in=member.compartment_ids())
        cases = tuple((c.compartment.slug, c.compartment.name, c.pk)
                      for c in mine.select_related("compartment").order_by("pk"))
        if cases:
            found = duplicates.Matches(
                [*found.visible, duplicates.Match(linked.pk, linked.display_name,
                                                  linked.birth_date, 0.0, (), cases)],
                found.elsewhere)
    row.matches = found


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
