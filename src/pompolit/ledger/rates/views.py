"""Exchange rate pages: the rates in the books, and importing them from a CSV file (upload →
preview of every row → all of it or nothing). As with bank statements, the file waits between
the steps encrypted with the vault (vault.uploads), for an hour at most; the preview page
carries only its token, and the import checks it is the file previewed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.core.errors import error_messages
from pompolit.ledger.forms import MAX_FILE_BYTES
from pompolit.ledger.rates import services as rates_import
from pompolit.ledger.rates.forms import RatesUploadForm
from pompolit.ledger.rates.models import ExchangeRate
from pompolit.members.policy import BOOKS_READERS, TREASURER, current_member, requires
from pompolit.vault.uploads import services as uploads

SHOWN = 200
UPLOAD_KIND = "ledger.rates_import"
# The preview lists this many rows (the counts and the errors cover the whole file).
PREVIEW_ROWS = 200


@requires(BOOKS_READERS)
@require_GET
def rate_list(request: HttpRequest) -> HttpResponse:
    rates = ExchangeRate.objects.order_by("-on", "currency_id", "base_id")[:SHOWN]
    return render(request, "ledger/rate_list.html", {"rates": rates, "shown": SHOWN})


def _upload_page(request: HttpRequest, form: RatesUploadForm, file_errors: list[str] | None = None
                 ) -> HttpResponse:
    return render(request, "ledger/rate_import.html", {"form": form, "plan": None,
                                                       "file_errors": file_errors or []})


def _preview_page(request: HttpRequest, data: bytes, token: str, errors: list[str]
                  ) -> HttpResponse:
    plan = rates_import.preview(data)
    return render(request, "ledger/rate_import.html", {
        "form": RatesUploadForm(), "plan": plan, "errors": errors or plan.errors,
        "upload": token, "shown_rows": plan.rows[:PREVIEW_ROWS],
        "counts": {o: plan.count(o) for o in ("new", "known", "repeat", "error")}})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def rate_import(request: HttpRequest) -> HttpResponse:
    form = RatesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["rates"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("rates", _("A file of rates may be at most 5 MB."))
        else:
            data = upload.read()
            pending = uploads.keep(current_member(request), UPLOAD_KIND, data)
            return _preview_page(request, data, pending.token, [])
    return _upload_page(request, form)


@requires(TREASURER)
@require_POST
def rate_import_commit(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    token = request.POST.get("upload", "")
    pending = uploads.fetch(member, UPLOAD_KIND, token)
    if pending is None:
        return _upload_page(request, RatesUploadForm(), [
            _("The file is no longer on the server (an upload waits an hour at most); upload "
              "it again.")])
    if request.POST.get("action") == "cancel":
        uploads.discard(member, UPLOAD_KIND, token)
        messages.info(request, _("The import is cancelled; the file is deleted from the server."))
        return redirect("rate_import")
    data = pending.body
    try:
        done = rates_import.import_rates(
            member, data, expected_fingerprint=request.POST.get("fingerprint") or None)
    except ValidationError as error:
        return _preview_page(request, data, token, error_messages(error))
    uploads.discard(member, UPLOAD_KIND, token)
    messages.success(request, ngettext(
        "%(created)s rate entered; %(known)s already in the books.",
        "%(created)s rates entered; %(known)s already in the books.", done.created)
        % {"created": done.created, "known": done.known})
    return redirect("rate_list")
