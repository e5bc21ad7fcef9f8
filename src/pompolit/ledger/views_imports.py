"""Bank statement import pages: upload → preview (each line's outcome) → commit.

Nothing of the file is kept on the server between the steps: the preview page carries the
file back in a hidden field, and the commit checks it is the file that was previewed.
"""

import base64
import binascii

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from pompolit.core.errors import error_messages
from pompolit.core.views import current_member
from pompolit.ledger import bank_import, receipts
from pompolit.ledger.bank_import_models import BankImport, BankMapping, StatementFormat
from pompolit.members.policy import requires, role
from pompolit.members.roles import Role

MAX_FILE_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    format = forms.ChoiceField(choices=StatementFormat.choices, label=gettext_lazy("Format"))
    mapping = forms.ModelChoiceField(BankMapping.objects.filter(active=True), required=False,
                                     label=gettext_lazy("Bank (for CSV)"), to_field_name="code")
    statement = forms.FileField(label=gettext_lazy("Statement file"))


def _choices(request: HttpRequest) -> dict[int, str]:
    found: dict[int, str] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith("line-") and key[5:].isdigit() and value:
            found[int(key[5:])] = value
    return found


def _render_preview(request: HttpRequest, data: bytes, fmt: str, mapping: BankMapping | None,
                    choices: dict[int, str], errors: list[str]) -> HttpResponse:
    try:
        plan = bank_import.preview(data, format=fmt, mapping=mapping, choices=choices)
    except ValidationError as error:
        form = UploadForm(initial={"format": fmt, "mapping": mapping.code if mapping else ""})
        return render(request, "ledger/import_upload.html", {
            "form": form, "file_errors": error_messages(error),
            "imports": BankImport.objects.all()[:20]})
    return render(request, "ledger/import_preview.html", {
        "plan": plan, "data": base64.b64encode(data).decode(), "format": fmt,
        "mapping": mapping.code if mapping else "", "options": bank_import.choice_options(),
        "choices": choices, "errors": errors,
        "keep": request.POST.get("keep_counterparties") == "on",
    })


@requires(role(Role.TREASURER))
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["statement"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("statement", _("A statement may be at most 5 MB."))
        else:
            return _render_preview(request, upload.read(), form.cleaned_data["format"],
                                   form.cleaned_data["mapping"], {}, [])
    return render(request, "ledger/import_upload.html", {
        "form": form, "imports": BankImport.objects.all()[:20]})


def _posted(request: HttpRequest) -> tuple[bytes, str, BankMapping | None] | None:
    try:
        data = base64.b64decode(request.POST.get("data", ""), validate=True)
    except (binascii.Error, ValueError):
        return None
    fmt = request.POST.get("format", "")
    mapping = BankMapping.objects.filter(code=request.POST.get("mapping", "")).first()
    if not data or fmt not in StatementFormat.values:
        return None
    return data, fmt, mapping


@requires(role(Role.TREASURER))
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    posted = _posted(request)
    if posted is None:
        return render(request, "ledger/import_upload.html", {
            "form": UploadForm(), "file_errors": [_("The file was lost; upload it again.")],
            "imports": BankImport.objects.all()[:20]})
    data, fmt, mapping = posted
    choices = _choices(request)
    if request.POST.get("action") != "commit":
        return _render_preview(request, data, fmt, mapping, choices, [])
    try:
        result = bank_import.commit(
            current_member(request), data, format=fmt, mapping=mapping, choices=choices,
            keep_counterparties=request.POST.get("keep_counterparties") == "on",
            expected_fingerprint=request.POST.get("fingerprint") or None)
    except ValidationError as error:
        return _render_preview(request, data, fmt, mapping, choices, error_messages(error))
    # Receipt codes are shown in this response only, like a donation's receipt.
    return render(request, "ledger/import_result.html", {
        "batch": result.bank_import,
        "receipts": [(line, receipts.grouped(code)) for line, code in result.receipts]})
