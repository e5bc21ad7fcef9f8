"""Bank statement import pages: upload → preview (each line's outcome) → commit.

Between the steps the file waits on the server encrypted with the vault (vault.uploads), for
an hour at most, with the treasurer's choices; the pages carry only its random token. The
preview shows the counts of the whole file and one page of its lines (the lines waiting for a
choice first, if asked), so a statement of 90,000 lines is a page of 100, not a page of 90,000.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from pompolit.core.errors import error_messages
from pompolit.core.views import current_member
from pompolit.ledger import bank_import, receipts
from pompolit.ledger.bank_import_models import BankImport, BankMapping, StatementFormat
from pompolit.members.models import Member
from pompolit.members.policy import TREASURER, requires
from pompolit.vault.uploads import services as uploads
from pompolit.vault.uploads.models import PendingUpload

MAX_FILE_BYTES = 5 * 1024 * 1024
UPLOAD_KIND = "ledger.bank_import"
PAGE_LINES = 100


class UploadForm(forms.Form):
    format = forms.ChoiceField(choices=StatementFormat.choices, label=gettext_lazy("Format"))
    mapping = forms.ModelChoiceField(BankMapping.objects.filter(active=True), required=False,
                                     label=gettext_lazy("Bank (for CSV)"), to_field_name="code")
    statement = forms.FileField(label=gettext_lazy("Statement file"))


def _upload_page(request: HttpRequest, form: UploadForm, file_errors: list[str] | None = None
                 ) -> HttpResponse:
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
    form = UploadForm(request.POST or None, request.FILES or None)
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
        return _upload_page(request, UploadForm(), [
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
