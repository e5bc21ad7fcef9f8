"""The case workers' consent page, which decides what the public site (`pompolit.public`)
may show of a case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pompolit.cases.public import consent
from pompolit.cases.public.forms import ConsentForm, WithdrawForm
from pompolit.cases.views import case_from_request
from pompolit.core.views import add_errors, flash_errors
from pompolit.members.policy import (
    CASE_WORKER_IN_COMPARTMENT,
    MemberRequest,
    current_member,
    requires,
)

# -- case workers ------------------------------------------------------------------------------


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def case_consent(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = ConsentForm(request.POST or None,
                       initial={"given_on": timezone.localdate(), "scope": ["name"]})
    if request.method == "POST" and form.is_valid():
        try:
            consent.give(current_member(request), case, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("case_consent", compartment=compartment, pk=pk)
    in_force = consent.current(case)
    history = consent.history(case)
    for record in history:
        record.scope_labels = [str(consent.FIELDS[f]) for f in record.scope  # type: ignore[attr-defined]
                               if f in consent.FIELDS]
    return render(request, "cases/consent.html", {
        "case": case, "form": form, "withdraw_form": WithdrawForm(), "in_force": in_force,
        "history": history,
    })


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_POST
def case_consent_withdraw(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    case = case_from_request(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say who withdrew the consent."))
    else:
        try:
            consent.withdraw(current_member(request), case, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The consent is withdrawn; the public page is gone."))
    return redirect("case_consent", compartment=compartment, pk=pk)
