"""Forms for aid items. They only parse what was typed; the service decides (aid/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case as When_
from django.db.models import IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.aid.models import Channel, Kind, MoneyTo, Status
from pompolit.aid.services import ContentLine, check_fund, fund_refs
from pompolit.aid.vocabulary import LANGUAGES, category_choices
from pompolit.cases.models import Case
from pompolit.core.dates import DateField
from pompolit.ledger.forms import AmountField
from pompolit.ledger.models import Currency, Fund, FundKind
from pompolit.ledger.money import Money
from pompolit.vault.fields.labels import EncryptedLabels, mark_encrypted

LINES = 8


def funds_for(case: Case) -> list[Fund]:
    """The case's own restricted funds first, then the purpose funds, then the rest; never
    another case's fund."""
    order = When_(When(kind=FundKind.CASE, then=Value(0)),
                  When(kind=FundKind.PURPOSE, then=Value(1)), default=Value(2),
                  output_field=IntegerField())
    return list(Fund.objects.filter(~Q(kind=FundKind.CASE) | Q(case_ref__in=fund_refs(case)))
                .annotate(order=order).order_by("order", "name"))


def may_pay(fund: Fund, kind: str, case: Case) -> bool:
    try:
        check_fund(fund, kind, case)
    except ValidationError:
        return False
    return True


def default_fund_for(kind: str | None, case: Case) -> int | None:
    """The fund the form preselects: the case's own fund if it may pay this kind, else the
    unrestricted fund. A purpose fund (parcels for one region, say) is never preselected: a
    restricted fund is spent only when someone chooses it."""
    funds = funds_for(case)
    own = [f for f in funds if f.kind == FundKind.CASE and (kind is None or may_pay(f, kind, case))]
    if own:
        return own[0].pk
    free = sorted((f for f in funds if f.kind == FundKind.UNRESTRICTED),
                  key=lambda f: (f.code != "general", f.name))
    return free[0].pk if free else None


class FundSelect(forms.Select):
    """Funds that cannot pay the chosen kind are listed, disabled; each option says which kinds
    it may pay (`data-kinds`), so the page's script follows a change of kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds: dict[str, list[str]] = {}
        self.kind: str | None = None
        self.fallback = ""

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int,
                      subindex: int | None = None, attrs: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        kinds = self.kinds.get(str(value))
        if kinds is not None:
            option["attrs"]["data-kinds"] = " ".join(kinds)
            if self.kind and self.kind not in kinds:
                option["attrs"]["disabled"] = True
        if str(value) == self.fallback:
            option["attrs"]["data-fallback"] = "1"
        return option


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    fund = forms.ModelChoiceField(label=_("Paid from the fund"), queryset=Fund.objects.none(),
                                  empty_label=None, widget=FundSelect)
    planned_on = DateField(label=_("Planned for"))
    amount = AmountField(label=_("Cost"), required=False,
                         help_text=_("Leave empty if it costs the group nothing."))
    currency = forms.ModelChoiceField(label=_("Currency"), queryset=Currency.objects.all(),
                                      empty_label=None, to_field_name="code")
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", "—"), *Channel.choices])
    money_to = forms.ChoiceField(label=_("Money to"), required=False,
                                 choices=[("", "—"), *MoneyTo.choices])
    relative = forms.TypedChoiceField(label=_("Relative"), required=False, coerce=int,
                                      empty_value=None, choices=[])
    language = forms.ChoiceField(label=_("Language of the letter"), required=False, choices=[])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("Encrypted. Seen only inside the compartment."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        fund_field = self.fields["fund"]
        assert isinstance(fund_field, forms.ModelChoiceField)
        funds = funds_for(case)
        fund_field.queryset = Fund.objects.filter(pk__in=[f.pk for f in funds])
        fund_field.choices = [(f.pk, f"{f.label} ({f.get_kind_display()})") for f in funds]
        widget = fund_field.widget
        assert isinstance(widget, FundSelect)
        widget.kinds = {str(f.pk): [k for k in Kind.values if may_pay(f, k, case)] for f in funds}
        kind = (self.data.get("kind") if self.is_bound else None) or self.initial.get("kind")
        widget.kind = kind if kind in Kind.values else None
        relative_field = self.fields["relative"]
        assert isinstance(relative_field, forms.TypedChoiceField)
        relative_field.choices = [("", "—")] + [
            (r.pk, f"{r.get_relationship_display()} #{r.pk}") for r in case.relatives.all()]
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", "—")] + [(c, str(label)) for c, label in LANGUAGES.items()]
        widget.fallback = str(default_fund_for(None, case) or "")
        if "fund" not in self.initial:
            fund_field.initial = default_fund_for(widget.kind, case)
        self.fields["planned_on"].initial = timezone.localdate()
        self.fields["currency"].initial = "RUB"
        for number in range(1, LINES + 1):
            self.fields[f"line{number}_category"] = forms.ChoiceField(
                label=pgettext_lazy("parcel contents", "Category"), required=False,
                choices=[("", "—"), *category_choices()])
            self.fields[f"line{number}_description"] = forms.CharField(
                label=_("What"), required=False, max_length=200)
            self.fields[f"line{number}_quantity"] = forms.IntegerField(
                label=_("Quantity"), required=False)
            self.fields[f"line{number}_grams"] = forms.IntegerField(
                label=_("Weight, g"), required=False)
        mark_encrypted(self.fields, "aid.AidItem", {
            f"line{n}_description": "aid.AidContent.description" for n in range(1, LINES + 1)})

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("kind", "fund", "planned_on", "amount", "currency",
                                        "channel", "money_to", "relative", "language", "note")]

    def lines(self) -> list[list[forms.BoundField]]:
        return [[self[f"line{n}_{part}"] for part in ("category", "description", "quantity",
                                                      "grams")]
                for n in range(1, LINES + 1)]

    def contents(self) -> list[ContentLine]:
        found = []
        for number in range(1, LINES + 1):
            category = self.cleaned_data.get(f"line{number}_category") or ""
            quantity = self.cleaned_data.get(f"line{number}_quantity")
            grams = self.cleaned_data.get(f"line{number}_grams")
            description = self.cleaned_data.get(f"line{number}_description") or ""
            if not category and quantity is None and grams is None and not description:
                continue
            if not category or quantity is None or grams is None:
                raise ValidationError({"contents": _(
                    "Line %(line)d: give the category, the quantity and the weight."
                ) % {"line": number}})
            found.append(ContentLine(category, quantity, grams, description))
        return found

    def cost(self) -> Money | None:
        amount = self.cleaned_data.get("amount")
        if amount is None:
            return None
        currency: Currency = self.cleaned_data["currency"]
        return Money(currency.code, amount)

    def relative_object(self) -> Any:
        pk = self.cleaned_data.get("relative")
        return self.case.relatives.filter(pk=pk).first() if pk else None

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"fund": data["fund"], "planned_on": data["planned_on"], "cost": self.cost(),
                "contents": self.contents(), "channel": data.get("channel") or "",
                "money_to": data.get("money_to") or "", "relative": self.relative_object(),
                "language": data.get("language") or "", "note": data.get("note") or ""}


class StepForm(EncryptedLabels, forms.Form):
    vault_fields = {"note": "aid.AidStepNote.note",
                    "tracking_number": "aid.AidItem.tracking_number"}
    """One lifecycle step from the item page."""

    step = forms.ChoiceField(choices=[(s, s) for s in (
        "approve", "request", "withdraw", "send", Status.DELIVERED, Status.RETURNED,
        Status.LOST, Status.CONFISCATED, "reply")])
    on = DateField(label=_("Date"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", "—"), *Channel.choices])
    tracking_number = forms.CharField(label=_("Tracking number"), required=False,
                                      max_length=100)
    how = forms.ChoiceField(label=_("How"), required=False, choices=[
        ("letter", _("reply letter")), ("call", _("call"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def day(self) -> Any:
        return self.cleaned_data.get("on") or timezone.localdate()
