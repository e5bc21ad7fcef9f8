"""Bank statement import pages: upload → preview (each line's outcome) → commit; and the
treasurers' pages for setting imports up: the banks' column mappings (with a trial on a file
before saving) and the rules that say what each bank line becomes.

Between the steps the file waits on the server encrypted with the vault (vault.uploads), for
an hour at most, with the treasurer's choices; the pages carry only its random token. The
preview shows the counts of the whole file and one page of its lines (the lines waiting for a
choice first, if asked), so a statement of 90,000 lines is a page of 100, not a page of 90,000.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.core.errors import error_messages
from pompolit.core.views import add_errors
from pompolit.ledger import receipts
from pompolit.ledger.bank_import import services as bank_import
from pompolit.ledger.bank_import import setup as import_setup
from pompolit.ledger.bank_import.forms import (
    BankMappingForm,
    BankStatementUploadForm,
    ImportRuleForm,
)
from pompolit.ledger.bank_import.models import BankImport, BankMapping, ImportRule
from pompolit.ledger.forms import MAX_FILE_BYTES
from pompolit.members.models import Member
from pompolit.members.policy import BOOKS_READERS, TREASURER, current_member, requires
from pompolit.vault.uploads import services as uploads
from pompolit.vault.uploads.models import PendingUpload

UPLOAD_KIND = "ledger.bank_import"
PAGE_LINES = 100


def _upload_page(request: HttpRequest, form: BankStatementUploadForm,
                 file_errors: list[str] | None = None) -> HttpResponse:
    return render(request, "ledger/import_upload.html", {
        "form": form, "file_errors": file_errors or [],
        "imports": BankImport.objects.all()[:20]})


def _choices(request: HttpRequest, state: dict[str, Any]) -> dict[str, str]:
    """The choices kept so far, with those of the page just posted ("" takes one back)."""
    found: dict[str, str] = dict(state.get("choices", {}))
    for key in request.POST:
        if key.startswith("line-") and key[5:].isdigit():
            value = request.POST.get(key, "")
            if value:
                found[key[5:]] = value
            else:
                found.pop(key[5:], None)
    return found


def _mapping(state: dict[str, Any]) -> BankMapping | None:
    return BankMapping.objects.filter(code=state.get("mapping") or "").first()


def _plan(pending: PendingUpload) -> bank_import.Preview:
    state = pending.state
    return bank_import.preview(
        pending.body, format=state["format"], mapping=_mapping(state),
        choices={int(n): v for n, v in state.get("choices", {}).items()})


def _preview_page(request: HttpRequest, pending: PendingUpload, plan: bank_import.Preview,
                  errors: list[str], page: str = "1") -> HttpResponse:
    state = pending.state
    waiting_only = bool(state.get("waiting_only"))
    lines = plan.waiting if waiting_only else plan.lines
    shown = Paginator(lines, PAGE_LINES).get_page(page)
    choices: dict[str, str] = state.get("choices", {})
    return render(request, "ledger/import_preview.html", {
        "plan": plan, "upload": pending.token, "counts": plan.counts(), "page": shown,
        "rows": [(p, choices.get(str(p.line.line_no), "")) for p in shown],
        "waiting_only": waiting_only, "options": bank_import.choice_options(),
        "errors": errors, "keep": bool(state.get("keep")),
    })


def _page(request: HttpRequest) -> str:
    return request.POST.get("page") or request.POST.get("current_page") or "1"


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = BankStatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["statement"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("statement", _("A statement may be at most 5 MB."))
        else:
            mapping = form.cleaned_data["mapping"]
            pending = uploads.keep(current_member(request), UPLOAD_KIND, upload.read(), state={
                "format": form.cleaned_data["format"], "mapping": mapping.code if mapping else "",
                "choices": {}, "keep": False})
            try:
                plan = _plan(pending)
            except ValidationError as error:
                uploads.discard(current_member(request), UPLOAD_KIND, pending.token)
                return _upload_page(request, form, error_messages(error))
            return _preview_page(request, pending, plan, [])
    return _upload_page(request, form)


def _pending(request: HttpRequest, member: Member) -> PendingUpload | None:
    return uploads.fetch(member, UPLOAD_KIND, request.POST.get("upload", ""))


@requires(TREASURER)
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    pending = _pending(request, member)
    if pending is None:
        return _upload_page(request, BankStatementUploadForm(), [
            _("The file is no longer on the server (an upload waits an hour at most); upload "
              "it again.")])
    action = request.POST.get("action", "preview")
    if action == "cancel":
        uploads.discard(member, UPLOAD_KIND, pending.token)
        messages.info(request, _("The import is cancelled; the file is deleted from the server."))
        return redirect("import_upload")
    state = dict(pending.state)
    state["choices"] = _choices(request, state)
    state["keep"] = request.POST.get("keep_counterparties") == "on"
    state["waiting_only"] = request.POST.get("waiting_only") == "on"
    uploads.save_state(pending, state)
    everything = request.POST.get("all_waiting", "")
    if everything and action == "choose_all":
        for line in _plan(pending).waiting:
            state["choices"][str(line.line.line_no)] = everything
        uploads.save_state(pending, state)
    if action != "commit":
        return _preview_page(request, pending, _plan(pending), [], _page(request))
    try:
        result = bank_import.commit(
            member, pending.body, format=state["format"], mapping=_mapping(state),
            choices={int(n): v for n, v in state["choices"].items()},
            keep_counterparties=state["keep"],
            expected_fingerprint=request.POST.get("fingerprint") or None)
    except ValidationError as error:
        return _preview_page(request, pending, _plan(pending), error_messages(error),
                             _page(request))
    uploads.discard(member, UPLOAD_KIND, pending.token)
    # Receipt codes are shown in this response only, like a donation's receipt.
    return render(request, "ledger/import_result.html", {
        "batch": result.bank_import,
        "receipts": [(line, receipts.grouped(code)) for line, code in result.receipts]})


# -- setting up: the banks' column mappings --------------------------------------------------


def _mapping_initial(mapping: BankMapping) -> dict[str, Any]:
    initial: dict[str, Any] = {"name": mapping.name, "encoding": mapping.encoding,
                               "delimiter": mapping.delimiter, "currency": mapping.currency_id,
                               "account": mapping.account.code}
    initial.update({f"col_{r}": h for r, h in mapping.columns.items()})
    return initial


def _preset_initial(preset: str) -> dict[str, Any]:
    found = bank_import.PRESETS.get(preset)
    if found is None:
        return {}
    initial = {"mapping_code": preset, "name": found["name"], "encoding": found["encoding"],
               "delimiter": found["delimiter"]}
    initial.update({f"col_{r}": h for r, h in found["columns"].items()})
    return initial


def _trial(request: HttpRequest, form: BankMappingForm
           ) -> tuple[import_setup.Trial | None, list[str]]:
    """Read the uploaded file with the mapping as typed (not saved)."""
    upload = form.cleaned_data.get("trial")
    if upload is None:
        form.add_error("trial", _("Choose a file to test the mapping on."))
        return None, []
    if upload.size > MAX_FILE_BYTES:
        form.add_error("trial", _("A statement may be at most 5 MB."))
        return None, []
    data = form.cleaned_data
    try:
        return import_setup.try_mapping(
            upload.read(), encoding=data["encoding"], delimiter=data["delimiter"],
            columns=data["columns"], currency=data["currency"].code), []
    except ValidationError as error:
        return None, error_messages(error)


def _mapping_page(request: HttpRequest, form: BankMappingForm, mapping: BankMapping | None
                  ) -> HttpResponse:
    trial: import_setup.Trial | None = None
    trial_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "test":
            trial, trial_errors = _trial(request, form)
        else:
            try:
                saved = bank_import.save_mapping(
                    current_member(request), code=mapping.code if mapping else data["mapping_code"],
                    name=data["name"], columns=data["columns"], currency=data["currency"].code,
                    account=data["account"].code, encoding=data["encoding"],
                    delimiter=data["delimiter"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The mapping “%(name)s” is saved.")
                                 % {"name": saved.name})
                return redirect("bank_mapping_list")
    return render(request, "ledger/bank_mapping_form.html", {
        "form": form, "mapping": mapping, "trial": trial, "trial_errors": trial_errors})


@requires(BOOKS_READERS)
@require_GET
def mapping_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/bank_mapping_list.html", {
        "mappings": BankMapping.objects.select_related("account").order_by("-active", "name"),
        "presets": sorted((code, p["name"]) for code, p in bank_import.PRESETS.items()),
    })


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def mapping_new(request: HttpRequest) -> HttpResponse:
    form = BankMappingForm(request.POST or None, request.FILES or None,
                       initial=_preset_initial(request.GET.get("preset", "")))
    return _mapping_page(request, form, None)


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def mapping_edit(request: HttpRequest, mapping: int) -> HttpResponse:
    found = get_object_or_404(BankMapping.objects.select_related("account"), pk=mapping)
    form = BankMappingForm(request.POST or None, request.FILES or None,
                       initial=_mapping_initial(found), editing=True)
    return _mapping_page(request, form, found)


@requires(TREASURER)
@require_POST
def mapping_active(request: HttpRequest, mapping: int) -> HttpResponse:
    found = get_object_or_404(BankMapping, pk=mapping)
    active = request.POST.get("active") == "1"
    import_setup.set_mapping_active(current_member(request), found, active)
    messages.success(request, (_("The mapping “%(name)s” is offered for imports again.") if active
                               else _("The mapping “%(name)s” is deactivated: it is no longer "
                                      "offered for imports.")) % {"name": found.name})
    return redirect("bank_mapping_list")


# -- rules -------------------------------------------------------------------------------------


def _rule_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"name": data["name"], "outcome": data["outcome"], "fund": data["fund"],
            "reference_contains": data["reference_contains"], "direction": data["direction"],
            "currency": data["currency"].code if data["currency"] else None,
            "campaign": data["campaign"], "priority": data["priority"]}


@requires(BOOKS_READERS)
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/import_rule_list.html", {
        "rules": ImportRule.objects.select_related("fund", "campaign", "currency")
        .order_by("-active", "priority", "pk")})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def rule_new(request: HttpRequest) -> HttpResponse:
    form = ImportRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_import.add_rule(current_member(request), **_rule_fields(form.cleaned_data))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The rule is saved."))
            return redirect("import_rule_list")
    return render(request, "ledger/import_rule_form.html", {"form": form, "rule": None})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule: int) -> HttpResponse:
    found = get_object_or_404(ImportRule.objects.select_related("fund", "campaign"), pk=rule)
    initial = {"name": found.name, "priority": found.priority, "direction": found.direction,
               "reference_contains": found.reference_contains, "currency": found.currency_id,
               "outcome": found.outcome, "fund": found.fund.code if found.fund else None,
               "campaign": found.campaign.code if found.campaign else None}
    form = ImportRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            import_setup.update_rule(current_member(request), found,
                                     **_rule_fields(form.cleaned_data))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The rule is saved."))
            return redirect("import_rule_list")
    return render(request, "ledger/import_rule_form.html", {"form": form, "rule": found})


@requires(TREASURER)
@require_POST
def rule_active(request: HttpRequest, rule: int) -> HttpResponse:
    found = get_object_or_404(ImportRule, pk=rule)
    active = request.POST.get("active") == "1"
    import_setup.set_rule_active(current_member(request), found, active)
    messages.success(request, (_("The rule “%(name)s” is in use again.") if active
                               else _("The rule “%(name)s” is deactivated: lines are no longer "
                                      "matched by it.")) % {"name": found.name})
    return redirect("import_rule_list")
