"""Treasurers' pages for setting up bank imports: the banks' column mappings (with a trial on
a file before saving) and the rules that say what each bank line becomes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pompolit.core.errors import error_messages
from pompolit.core.views import add_errors, current_member
from pompolit.ledger import bank_import, conf, import_setup
from pompolit.ledger.bank_import_models import BankMapping, Direction, ImportOutcome, ImportRule
from pompolit.ledger.models import Account, AccountType, Campaign, Currency, Fund, code_validator
from pompolit.ledger.views_imports import MAX_FILE_BYTES
from pompolit.members.policy import BOOKS_READERS, TREASURER, requires

# The mapping's column roles, with what the treasurer sees for each.
COLUMN_LABELS = {
    "date": gettext_lazy("Date column"),
    "amount": gettext_lazy("Amount column (signed: minus for money going out)"),
    "credit": gettext_lazy("Credit column (money coming in)"),
    "debit": gettext_lazy("Debit column (money going out)"),
    "currency": gettext_lazy("Currency column"),
    "reference": gettext_lazy("Payment purpose column"),
    "counterparty": gettext_lazy("Counterparty name column"),
    "counterparty_account": gettext_lazy("Counterparty account column"),
    "bank_id": gettext_lazy("Bank's document number column"),
}


class MappingForm(forms.Form):
    # Not named "code": the style sheet spaces out inputs named so (one-time codes).
    mapping_code = forms.CharField(
        label=pgettext_lazy("bank mapping", "Code"), max_length=64, validators=[code_validator],
        help_text=gettext_lazy("A short name in lower-case Latin letters, e.g. sberbank. It "
                               "cannot be changed later."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    encoding = forms.ChoiceField(label=gettext_lazy("Encoding"),
                                 choices=BankMapping.Encoding.choices)
    delimiter = forms.ChoiceField(label=gettext_lazy("Separator"),
                                  choices=BankMapping.Delimiter.choices)
    currency = forms.ModelChoiceField(
        Currency.objects.order_by("code"), label=gettext_lazy("Currency"), empty_label=None,
        to_field_name="code",
        help_text=gettext_lazy("For files without a currency column."))
    account = forms.ModelChoiceField(
        Account.objects.filter(type=AccountType.ASSET), label=gettext_lazy("Account in the books"),
        empty_label=None, to_field_name="code")
    trial = forms.FileField(
        label=gettext_lazy("Test on a file"), required=False,
        help_text=gettext_lazy("Optional: a statement from this bank. “Test” shows what the "
                               "mapping reads from it; nothing is saved or imported."))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["mapping_code"]
        for role_name, label in COLUMN_LABELS.items():
            self.fields[f"col_{role_name}"] = forms.CharField(
                label=label, max_length=200, required=role_name == "date")
        # The file field last: it is what the "Test" button uses.
        self.order_fields([*(f for f in self.fields if f != "trial"), "trial"])
        if not self.is_bound:
            self.initial.setdefault("currency", conf.base_currency())
            self.initial.setdefault("account", "assets:bank")

    def group(self, which: str) -> list[forms.BoundField]:
        """The page shows the fields in three groups: the file's shape, its columns, the
        trial file."""
        names = {"columns": [f"col_{r}" for r in COLUMN_LABELS], "trial": ["trial"]}.get(
            which, [n for n in self.fields if n != "trial" and not n.startswith("col_")])
        return [self[name] for name in names]

    @property
    def general_fields(self) -> list[forms.BoundField]:
        return self.group("general")

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return self.group("columns")

    @property
    def trial_fields(self) -> list[forms.BoundField]:
        return self.group("trial")

    def clean_mapping_code(self) -> str:
        code: str = self.cleaned_data["mapping_code"]
        if BankMapping.objects.filter(code=code).exists():
            raise ValidationError(_("A mapping with this code exists already; edit it instead."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        columns = {r: (data.get(f"col_{r}") or "").strip() for r in COLUMN_LABELS}
        if columns["amount"] and (columns["credit"] or columns["debit"]):
            self.add_error("col_amount", _("Name either the signed amount column, or the credit "
                                           "and debit columns — not both."))
        elif not (columns["amount"] or columns["credit"] or columns["debit"]):
            self.add_error("col_amount", _("Name the amount column, or the credit and debit "
                                           "columns: the mapping needs to know the sums."))
        seen: dict[str, str] = {}
        for role_name, header in columns.items():
            if header and header in seen:
                self.add_error(f"col_{role_name}", _(
                    "The column «%(header)s» is already named for “%(other)s”.")
                    % {"header": header, "other": COLUMN_LABELS[seen[header]]})
            seen.setdefault(header, role_name)
        data["columns"] = {r: h for r, h in columns.items() if h}
        return data


def _mapping_initial(mapping: BankMapping) -> dict[str, Any]:
    initial: dict[str, Any] = {"name": mapping.name, "encoding": mapping.encoding,
                               "delimiter": mapping.delimiter, "currency": mapping.currency_id,
                               "account": mapping.account.code}
    initial.update({f"col_{r}": h for r, h in mapping.columns.items()})
    return initial


def _preset_initial(preset: str) -> dict[str, Any]:
    found = bank_import.PRESETS.get(preset)
    if found is None:
        return {}
    initial = {"mapping_code": preset, "name": found["name"], "encoding": found["encoding"],
               "delimiter": found["delimiter"]}
    initial.update({f"col_{r}": h for r, h in found["columns"].items()})
    return initial


def _trial(request: HttpRequest, form: MappingForm
           ) -> tuple[import_setup.Trial | None, list[str]]:
    """Read the uploaded file with the mapping as typed (not saved)."""
    upload = form.cleaned_data.get("trial")
    if upload is None:
        form.add_error("trial", _("Choose a file to test the mapping on."))
        return None, []
    if upload.size > MAX_FILE_BYTES:
        form.add_error("trial", _("A statement may be at most 5 MB."))
        return None, []
    data = form.cleaned_data
    try:
        return import_setup.try_mapping(
            upload.read(), encoding=data["encoding"], delimiter=data["delimiter"],
            columns=data["columns"], currency=data["currency"].code), []
    except ValidationError as error:
        return None, error_messages(error)


def _mapping_page(request: HttpRequest, form: MappingForm, mapping: BankMapping | None
                  ) -> HttpResponse:
    trial: import_setup.Trial | None = None
    trial_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "test":
            trial, trial_errors = _trial(request, form)
        else:
            try:
                saved = bank_import.save_mapping(
                    current_member(request), code=mapping.code if mapping else data["mapping_code"],
                    name=data["name"], columns=data["columns"], currency=data["currency"].code,
                    account=data["account"].code, encoding=data["encoding"],
                    delimiter=data["delimiter"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The mapping “%(name)s” is saved.")
                                 % {"name": saved.name})
                return redirect("bank_mapping_list")
    return render(request, "ledger/bank_mapping_form.html", {
        "form": form, "mapping": mapping, "trial": trial, "trial_errors": trial_errors})


@requires(BOOKS_READERS)
@require_GET
def mapping_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/bank_mapping_list.html", {
        "mappings": BankMapping.objects.select_related("account").order_by("-active", "name"),
        "presets": sorted((code, p["name"]) for code, p in bank_import.PRESETS.items()),
    })


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def mapping_new(request: HttpRequest) -> HttpResponse:
    form = MappingForm(request.POST or None, request.FILES or None,
                       initial=_preset_initial(request.GET.get("preset", "")))
    return _mapping_page(request, form, None)


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def mapping_edit(request: HttpRequest, mapping: int) -> HttpResponse:
    found = get_object_or_404(BankMapping.objects.select_related("account"), pk=mapping)
    form = MappingForm(request.POST or None, request.FILES or None,
                       initial=_mapping_initial(found), editing=True)
    return _mapping_page(request, form, found)


@requires(TREASURER)
@require_POST
def mapping_active(request: HttpRequest, mapping: int) -> HttpResponse:
    found = get_object_or_404(BankMapping, pk=mapping)
    active = request.POST.get("active") == "1"
    import_setup.set_mapping_active(current_member(request), found, active)
    messages.success(request, (_("The mapping “%(name)s” is offered for imports again.") if active
                               else _("The mapping “%(name)s” is deactivated: it is no longer "
                                      "offered for imports.")) % {"name": found.name})
    return redirect("bank_mapping_list")


# -- rules -------------------------------------------------------------------------------------


class RuleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    priority = forms.IntegerField(
        label=gettext_lazy("Priority"), min_value=0, max_value=1_000_000, initial=100,
        help_text=gettext_lazy("Rules are tried from the lowest number up; the first that "
                               "matches a line decides."))
    reference_contains = forms.CharField(
        label=gettext_lazy("Payment purpose contains"), max_length=200, required=False,
        help_text=gettext_lazy("Compared without regard to case, e.g. «пожертвование». Empty: "
                               "every line in this direction and currency."))
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=Direction.choices)
    currency = forms.ModelChoiceField(
        Currency.objects.order_by("code"), label=gettext_lazy("Currency"), required=False,
        to_field_name="code", empty_label=gettext_lazy("any currency"))
    outcome = forms.ChoiceField(label=gettext_lazy("The line becomes"),
                                choices=ImportOutcome.choices)
    fund = forms.ModelChoiceField(
        Fund.objects.all(), label=gettext_lazy("Fund"), required=False, to_field_name="code",
        help_text=gettext_lazy("The fund that receives the donation or pays the fee; not needed "
                               "to skip."))
    campaign = forms.ModelChoiceField(
        Campaign.objects.all(), label=gettext_lazy("Campaign"), required=False,
        to_field_name="code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome, fund = data.get("outcome"), data.get("fund")
        if outcome and outcome != ImportOutcome.SKIP and fund is None:
            self.add_error("fund", _("A donation or a fee needs its fund."))
        if data.get("campaign") and outcome != ImportOutcome.DONATION:
            self.add_error("campaign", _("Only a donation goes to a campaign."))
        return data


def _rule_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"name": data["name"], "outcome": data["outcome"], "fund": data["fund"],
            "reference_contains": data["reference_contains"], "direction": data["direction"],
            "currency": data["currency"].code if data["currency"] else None,
            "campaign": data["campaign"], "priority": data["priority"]}


@requires(BOOKS_READERS)
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/import_rule_list.html", {
        "rules": ImportRule.objects.select_related("fund", "campaign", "currency")
        .order_by("-active", "priority", "pk")})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def rule_new(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_import.add_rule(current_member(request), **_rule_fields(form.cleaned_data))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The rule is saved."))
            return redirect("import_rule_list")
    return render(request, "ledger/import_rule_form.html", {"form": form, "rule": None})


@requires(TREASURER)
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule: int) -> HttpResponse:
    found = get_object_or_404(ImportRule.objects.select_related("fund", "campaign"), pk=rule)
    initial = {"name": found.name, "priority": found.priority, "direction": found.direction,
               "reference_contains": found.reference_contains, "currency": found.currency_id,
               "outcome": found.outcome, "fund": found.fund.code if found.fund else None,
               "campaign": found.campaign.code if found.campaign else None}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            import_setup.update_rule(current_member(request), found,
                                     **_rule_fields(form.cleaned_data))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The rule is saved."))
            return redirect("import_rule_list")
    return render(request, "ledger/import_rule_form.html", {"form": form, "rule": found})


@requires(TREASURER)
@require_POST
def rule_active(request: HttpRequest, rule: int) -> HttpResponse:
    found = get_object_or_404(ImportRule, pk=rule)
    active = request.POST.get("active") == "1"
    import_setup.set_rule_active(current_member(request), found, active)
    messages.success(request, (_("The rule “%(name)s” is in use again.") if active
                               else _("The rule “%(name)s” is deactivated: lines are no longer "
                                      "matched by it.")) % {"name": found.name})
    return redirect("import_rule_list")
