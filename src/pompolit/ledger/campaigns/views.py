"""Treasurers' campaign pages: the list with each campaign's progress, create and edit."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from pompolit.core.views import add_errors, current_member
from pompolit.ledger import campaigns, conf, services
from pompolit.ledger.models import Campaign, Currency
from pompolit.members.policy import BOOKS_READERS, TREASURER, requires


class CampaignForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("campaign", "Code"), max_length=64,
        help_text=gettext_lazy("Published with every donation to the campaign: lower-case Latin "
                               "letters, digits and hyphens (e.g. appeal-2026). It cannot be "
                               "changed later."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    goal = forms.CharField(label=gettext_lazy("Goal"), max_length=30, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                           help_text=gettext_lazy("Leave empty for a campaign without a goal."))
    currency = forms.ModelChoiceField(Currency.objects.order_by("code"),
                                      label=gettext_lazy("Currency"), empty_label=None,
                                      to_field_name="code")
    starts_on = forms.DateField(label=gettext_lazy("Starts on"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    foreign_chapter = forms.BooleanField(label=gettext_lazy("Run by a foreign chapter"),
                                         required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The code is in the published leaves of the campaign's donations.
            del self.fields["code"]
        if not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())
            self.initial.setdefault("currency", conf.base_currency())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("A campaign cannot end before it starts."))
        currency, goal = data.get("currency"), data.get("goal")
        data["goal_money"] = None
        if currency is not None and goal:
            try:
                data["goal_money"] = services.money(goal, currency.code)
            except ValidationError as error:
                self.add_error("goal", error)
            else:
                if data["goal_money"].amount <= 0:
                    self.add_error("goal", _("A goal must be more than zero."))
        return data


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
            services.create_campaign(current_member(request), code=data["code"], **_fields(data))
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
