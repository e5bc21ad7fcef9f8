"""Batches for the post office: the approved parcels a case worker sees, per facility, as
labels and content lists (PDF) and as a CSV for courier services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pompolit.aid import batches
from pompolit.members.policy import CASE_WORKER, current_member, requires


def _batch(request: HttpRequest) -> batches.Batch:
    member = current_member(request)
    title = _("Parcels to send, %(day)s") % {"day": timezone.localdate().isoformat()}
    return batches.batch_for(batches.batch_items(member), title)


@requires(CASE_WORKER)
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    return render(request, "aid/batches.html", {"batch": _batch(request)})


@requires(CASE_WORKER)
@require_GET
def batch_pdf(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    pdf = batches.render_pdf(batch)
    batches.record_printed(current_member(request), batch, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="parcels.pdf"'
    return response


@requires(CASE_WORKER)
@require_GET
def batch_csv(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    data = batches.courier_csv(batch)
    batches.record_printed(current_member(request), batch, "csv")
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="parcels.csv"'
    return response
