"""Treasurers' campaign pages: the list with each campaign's progress, create and edit."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.core.views import add_errors
from pompolit.ledger.campaigns import services as campaigns
from pompolit.ledger.campaigns.forms import CampaignForm
from pompolit.ledger.campaigns.models import Campaign
from pompolit.members.policy import BOOKS_READERS, TREASURER, current_member, requires


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"name": data["name"], "currency_code": data["currency"].code,
            "starts_on": data["starts_on"], "ends_on": data["ends_on"],
            "goal": data["goal_money"], "foreign_chapter": data["foreign_chapter"]}


@requires(BOOKS_READERS)
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    rows = [campaigns.progress(c) for c in Campaign.objects.select_related("currency")]
    return render(request, "ledger/campaign_list.html", {"rows": rows})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.create_campaign(current_member(request), code=data["code"], **_fields(data))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign is created."))
            return redirect("campaign_list")
    return render(request, "ledger/campaign_form.html", {"form": form, "campaign": None})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign: int) -> HttpResponse:
    found = get_object_or_404(Campaign.objects.select_related("currency"), pk=campaign)
    initial = {"name": found.name, "currency": found.currency_id, "starts_on": found.starts_on,
               "ends_on": found.ends_on, "foreign_chapter": found.foreign_chapter}
    if found.goal_units is not None:
        initial["goal"] = campaigns.goal_text(found)
    form = CampaignForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.update_campaign(current_member(request), found, **_fields(form.cleaned_data))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaign_list")
    return render(request, "ledger/campaign_form.html", {"form": form, "campaign": found})
