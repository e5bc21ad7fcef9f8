"""Asking to move a case to another compartment (approved in the approvals flow; the rules
are in cases/moving.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pompolit.cases import moving
from pompolit.cases.views import case_from_request
from pompolit.core.sealed_text import SealedLabels
from pompolit.core.views import add_errors
from pompolit.members.models import Compartment
from pompolit.members.policy import CASE_WORKER_IN_COMPARTMENT, current_member, requires


class MoveForm(SealedLabels, forms.Form):
    sealed_fields = {"reason": "members.ApprovalRequest.reason"}

    target = forms.ModelChoiceField(queryset=Compartment.objects.none(),
                                    label=gettext_lazy("Move to the compartment"))
    reason = forms.CharField(
        label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text=gettext_lazy("For the coordinator who approves: e.g. “transferred to a "
                               "colony in the Moscow group's region”."),
    )

    def __init__(self, *args: Any, current: Compartment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Compartment.objects.exclude(pk=current.pk).order_by("name")


@requires(CASE_WORKER_IN_COMPARTMENT)
@require_http_methods(["GET", "POST"])
def case_move(request: HttpRequest, compartment: str, pk: int) -> HttpResponse:
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
