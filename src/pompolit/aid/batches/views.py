"""Batches for the post office: the approved parcels a case worker sees, per facility, as
labels and content lists (PDF) and as a CSV for courier services."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pompolit.aid.batches import documents
from pompolit.aid.batches.services import Batch, batch_for, batch_items, record_printed
from pompolit.core.dates import show_date
from pompolit.members.policy import CASE_WORKER, MemberRequest, requires


def _batch(request: MemberRequest) -> Batch:
    title = _("Parcels to send, %(day)s") % {"day": show_date(timezone.localdate())}
    return batch_for(batch_items(request.user), title)


@requires(CASE_WORKER)
@require_GET
def batch_list(request: MemberRequest) -> HttpResponse:
    return render(request, "aid/batches.html", {"batch": _batch(request)})


@requires(CASE_WORKER)
@require_GET
def batch_pdf(request: MemberRequest) -> HttpResponse:
    batch = _batch(request)
    pdf = documents.render_pdf(batch)
    record_printed(request.user, batch, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="parcels.pdf"'
    return response


@requires(CASE_WORKER)
@require_GET
def batch_csv(request: MemberRequest) -> HttpResponse:
    batch = _batch(request)
    data = documents.courier_csv(batch)
    record_printed(request.user, batch, "csv")
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="parcels.csv"'
    return response
