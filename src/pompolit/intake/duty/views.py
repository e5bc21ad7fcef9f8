"""The pages of the lawyers on duty (add, dispatch, recall) and of the shift log (notes,
incidents, the handover at the end of a shift)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompolit.intake import services as intake
from pompolit.intake.duty import services
from pompolit.intake.duty.forms import (
    DispatchForm,
    HandoverForm,
    LawyerOnDutyForm,
    LogForm,
    RecallForm,
)
from pompolit.intake.models import Hotline
from pompolit.members import policy
from pompolit.members.policy import MemberRequest, requires


def _hotline(request: MemberRequest) -> Hotline:
    hotline = intake.hotline_of(request.compartment)
    if hotline is None:
        raise Http404
    return hotline


def _refused(request: MemberRequest, error: ValidationError | PermissionDenied) -> None:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text)


@requires(policy.LAWYER_DISPATCHERS)
def lawyers(request: MemberRequest, compartment: str) -> HttpResponse:
    """The hotline's lawyers on duty: where each is, their load; add one, send, recall."""
    hotline = _hotline(request)
    form = LawyerOnDutyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start, end = form.duty_hours()
        try:
            services.add_lawyer(
                request.user,
                request.compartment,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                capacity=form.cleaned_data["capacity"],
                on_duty_from=start,
                on_duty_to=end,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The lawyer is on duty."))
            return redirect("intake_duty_lawyers", compartment)
    found = list(services.lawyers_of(request.compartment))
    current = {lawyer.pk for lawyer in services.on_duty(services.lawyers_of(request.compartment))}
    phones = services.read_phones(request.user, found)
    return render(
        request,
        "intake/duty/lawyers.html",
        {
            "hotline": hotline,
            "compartment": request.compartment,
            "lawyers": [
                {
                    "lawyer": lawyer,
                    "on_duty": lawyer.pk in current,
                    "free": services.free_places(lawyer),
                    "phone": phones.get(lawyer.pk, ""),
                }
                for lawyer in found
            ],
            "form": form,
            "dispatch_form": DispatchForm(hotline=hotline),
            "dispatches": services.dispatches_of(request.compartment),
        },
    )


@requires(policy.LAWYER_DISPATCHERS)
@require_POST
def dispatch(request: MemberRequest, compartment: str) -> HttpResponse:
    form = DispatchForm(request.POST, hotline=_hotline(request))
    if not form.is_valid():
        messages.error(request, _("Pick a lawyer and a police station."))
    else:
        try:
            services.dispatch(
                request.user, form.cleaned_data["lawyer"], form.cleaned_data["station"]
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("The lawyer is sent to the police station."))
    return redirect("intake_duty_lawyers", compartment)


@requires(policy.LAWYER_DISPATCHERS)
@require_POST
def recall(request: MemberRequest, compartment: str) -> HttpResponse:
    form = RecallForm(request.POST, hotline=_hotline(request))
    if not form.is_valid():
        messages.error(request, _("Pick a lawyer."))
    else:
        try:
            services.recall(request.user, form.cleaned_data["lawyer"])
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("The lawyer is recalled."))
    return redirect("intake_duty_lawyers", compartment)


@requires(policy.SHIFT_LOG_KEEPERS)
def shift_log(request: MemberRequest, compartment: str) -> HttpResponse:
    """The shift log, latest first, and a note or an incident to add."""
    hotline = _hotline(request)
    form = LogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_log(
                request.user,
                request.compartment,
                form.cleaned_data["kind"],
                form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Written in the shift log."))
            return redirect("intake_shift_log", compartment)
    return render(
        request,
        "intake/duty/log.html",
        {
            "hotline": hotline,
            "compartment": request.compartment,
            "form": form,
            "log": services.read_log(request.user, request.compartment),
        },
    )


@requires(policy.SHIFT_LOG_KEEPERS)
def handover(request: MemberRequest, compartment: str) -> HttpResponse:
    """The end of a shift: the open items counted now, and what the next shift should know."""
    hotline = _hotline(request)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hand_over(request.user, request.compartment, form.cleaned_data["text"])
        messages.success(request, _("The shift is handed over."))
        return redirect("intake_shift_log", compartment)
    items = services.open_items(request.compartment)
    return render(
        request,
        "intake/duty/handover.html",
        {
            "hotline": hotline,
            "compartment": request.compartment,
            "form": form,
            "items": [(label, items[key]) for key, label in services.open_item_labels()],
        },
    )
