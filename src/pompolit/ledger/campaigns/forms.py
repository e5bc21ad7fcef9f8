"""The campaign form: create one, or edit everything but its code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pompolit.core.dates import DateField
from pompolit.ledger import conf, services
from pompolit.ledger.models import Currency


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
    starts_on = DateField(label=gettext_lazy("Starts on"))
    ends_on = DateField(label=gettext_lazy("Ends on"), required=False)
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
