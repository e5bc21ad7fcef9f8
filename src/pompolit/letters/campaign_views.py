"""Holiday campaigns: the list with each one's statistics (moderators), a new campaign and
a correction of one (coordinators). The services check the same requirements
(letters/campaigns.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.core.views import add_errors
from pompolit.letters import campaigns
from pompolit.letters.forms import CampaignForm
from pompolit.letters.models import Campaign
from pompolit.members import policy
from pompolit.members.policy import (
    LETTER_CAMPAIGN_ORGANISERS,
    LETTER_MODERATORS,
    MemberRequest,
    requires,
)


@requires(LETTER_MODERATORS)
@require_GET
def letter_campaigns(request: MemberRequest) -> HttpResponse:
    return render(request, "letters/campaigns.html", {
        "rows": campaigns.statistics(request.user), "current": campaigns.current(),
        "may_create": policy.has_roles(request.user, LETTER_CAMPAIGN_ORGANISERS)})


@requires(LETTER_CAMPAIGN_ORGANISERS)
@require_http_methods(["GET", "POST"])
def letter_campaign_new(request: MemberRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = campaigns.create_campaign(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign “%(name)s” is saved.")
                             % {"name": campaigns.name(made)})
            return redirect("letter_campaigns")
    return render(request, "letters/campaign_form.html", {"form": form})


@requires(LETTER_CAMPAIGN_ORGANISERS)
@require_http_methods(["GET", "POST"])
def letter_campaign_edit(request: MemberRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignForm(request.POST or None, initial={
        key: getattr(campaign, key) for key in CampaignForm.base_fields})
    if request.method == "POST" and form.is_valid():
        try:
            saved = campaigns.edit_campaign(request.user, campaign, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign “%(name)s” is saved.")
                             % {"name": campaigns.name(saved)})
            return redirect("letter_campaigns")
    return render(request, "letters/campaign_form.html", {"form": form, "campaign": campaign})
