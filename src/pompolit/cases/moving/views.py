"""Asking to move a case to another compartment (approved in the approvals flow; the rules
are in services.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pompolit.cases.moving import services as moving
from pompolit.cases.moving.forms import MoveForm
from pompolit.cases.views import case_from_request
from pompolit.core.views import add_errors
from pompolit.members.policy import (
    CASE_WORKER_IN_COMPARTMENT,
    MemberRequest,
    current_member,
    requires,
)


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def case_move(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = MoveForm(request.POST or None, current=case.compartment)
    if request.method == "POST" and form.is_valid():
        try:
            approval = moving.request_move(current_member(request), case,
                                           form.cleaned_data["target"],
                                           reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _(
                "Request #%(id)s is waiting for a coordinator's approval; the case moves "
                "when it is approved.") % {"id": approval.pk})
            return redirect("case_detail", compartment=compartment, pk=pk)
    return render(request, "cases/move.html", {
        "case": case, "form": form, "pending": moving.pending(case),
        "back": reverse("case_detail", args=[case.compartment.slug, case.pk]),
    })
