"""The public site's prisoner pages, and the case workers' consent page that feeds them.

Public views render `profiles.PublicProfile` objects only; a case with no consent in force is
a 404, exactly like a case that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.cases.duplicates.merge import redirect_for
from pompolit.cases.public import consent, profiles
from pompolit.cases.public.forms import ConsentForm, PublicSearchForm, WithdrawForm
from pompolit.cases.views import case_from_request
from pompolit.core.http import search_text_moved
from pompolit.core.views import add_errors, flash_errors
from pompolit.members.policy import (
    CASE_WORKER_IN_COMPARTMENT,
    PUBLIC,
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


# -- the public site ---------------------------------------------------------------------------


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def public_case_list(request: HttpRequest) -> HttpResponse:
    # A name searched for goes by POST (see core.http.search_text_moved); region and status
    # may stay in the address.
    moved = search_text_moved(request)
    if moved is not None:
        return moved
    sent = request.POST if request.method == "POST" else request.GET
    form = PublicSearchForm(sent or None)
    found: list[profiles.PublicProfile] = []
    if form.is_valid() or not sent:
        data = form.cleaned_data if sent else {}
        found = profiles.published_cases(data.get("q") or "", region=data.get("region") or "",
                                         status=data.get("status") or "")
    return render(request, "cases/public_list.html", {"form": form, "profiles": found})


@requires(PUBLIC)
@require_GET
def public_case(request: HttpRequest, public_id: str) -> HttpResponse:
    # A merged person's page answers with the page of the person it was merged into.
    moved = redirect_for(public_id)
    if moved is not None and profiles.published_case(moved) is not None:
        return redirect("public_case", public_id=moved)
    found = profiles.published_case(public_id)
    if found is None:
        raise Http404
    return render(request, "cases/public_case.html", {"profile": found})
