"""The facilities' pages: the list, one facility with the rules valid on a day, new rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.cases import services as cases
from pompolit.cases.facilities import addresses, services
from pompolit.cases.facilities.forms import FacilityForm, RuleForm
from pompolit.cases.models import Facility, Regime
from pompolit.core import dates
from pompolit.core.views import add_errors
from pompolit.members.policy import CASE_WORKER, MemberRequest, current_member, requires


@requires(CASE_WORKER)
@require_GET
def facility_list(request: MemberRequest) -> HttpResponse:
    facilities = Facility.objects.select_related("type")
    return render(request, "cases/facility_list.html", {"facilities": facilities})


@requires(CASE_WORKER)
@require_http_methods(["GET", "POST"])
def facility_new(request: MemberRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            facility = services.create_facility(current_member(request), **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("facility_detail", pk=facility.pk)
    return render(request, "cases/form.html", {
        "form": form, "title": _("New facility"), "back": reverse("facility_list"),
    })


@requires(CASE_WORKER)
@require_GET
def facility_detail(request: MemberRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("type"), pk=pk)
    day = timezone.localdate()
    asked = request.GET.get("on", "")
    if asked:
        parsed = dates.parse_date(asked)
        if parsed is None:
            messages.error(request, dates.date_error())
        else:
            day = parsed
    regimes = list(Regime.objects.filter(facilityrule__facility=facility).distinct())
    valid = [(None, services.rules_on(facility, day))] + [
        (r, services.rules_on(facility, day, r)) for r in regimes
    ]
    return render(request, "cases/facility_detail.html", {
        "facility": facility, "address": addresses.facility_address(facility), "day": day,
        "valid": [(r, rule) for r, rule in valid if rule is not None],
        "rules": facility.rules.select_related("regime").order_by("-valid_from", "pk"),
        "cases_here": cases.visible_cases(current_member(request)).filter(
            current_facility=facility).select_related("person"),
    })


@requires(CASE_WORKER)
@require_http_methods(["GET", "POST"])
def rule_add(request: MemberRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility, pk=pk)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_rule(
                current_member(request), facility, valid_from=form.cleaned_data["valid_from"],
                regime=form.cleaned_data["regime"],
                terms=services.RuleTerms(**form.terms()),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The rule is added; the rule it replaces is kept."))
            return redirect("facility_detail", pk=pk)
    return render(request, "cases/form.html", {
        "form": form, "title": _("New rule for %(facility)s") % {"facility": facility},
        "back": reverse("facility_detail", args=[facility.pk]),
    })
