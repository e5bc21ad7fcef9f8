"""The operator's control of a detained person's public naming (intake/consent.py), on the
detention's page (templates/intake/_public_consent.html)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompolit.intake import consent, services
from pompolit.members import policy
from pompolit.members.policy import MemberRequest, requires


@requires(policy.HOTLINE_OPERATOR_IN_COMPARTMENT)
@require_POST
def detention_public_name(request: MemberRequest, compartment: str, pk: int) -> HttpResponse:
    if services.hotline_of(request.compartment) is None:
        raise Http404
    detention = get_object_or_404(services.detentions_in(request.compartment), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "consent":
            if not request.POST.get("confirmed"):
                raise ValidationError(
                    _("Tick that the person (or someone they asked) told the hotline they agree.")
                )
            consent.consent_to_name(request.user, detention)
            messages.success(request, _("The name is now shown on the public counts."))
        elif action == "withdraw":
            consent.withdraw_name(request.user, detention)
            messages.success(request, _("The name is no longer shown on the public counts."))
        else:
            raise ValidationError(_("Nothing was changed."))
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    return redirect("intake_detention", compartment=compartment, pk=detention.pk)
