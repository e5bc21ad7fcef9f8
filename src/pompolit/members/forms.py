from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.core.sealed_text import SealedLabels
from pompolit.members.models import Compartment, Member
from pompolit.members.roles import Role


class JoinForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=64,
        help_text=_("Other members will know you by this name. It need not be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class InvitationForm(SealedLabels, forms.Form):
    sealed_fields = {"note": "members.Invitation.note"}

    note = forms.CharField(
        label=_("Note for coordinators"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. who introduced them. Do not write a real name."),
    )


class CompartmentForm(SealedLabels, forms.Form):
    sealed_fields = {"description": "members.Compartment.description"}

    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Latin letters, digits and hyphens, used in links, e.g. orenburg-exiles."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class RoleRequestForm(SealedLabels, forms.Form):
    sealed_fields = {"reason": "members.ApprovalRequest.reason"}

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)


class CompartmentRequestForm(SealedLabels, forms.Form):
    sealed_fields = {"reason": "members.ApprovalRequest.reason"}

    compartment = forms.ModelChoiceField(
        label=_("Compartment"), queryset=Compartment.objects.all(), empty_label=None
    )
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)


class ThresholdForm(SealedLabels, forms.Form):
    sealed_fields = {"reason": "members.ApprovalRequest.reason"}

    vouches_required = forms.IntegerField(label=_("Vouches required"), min_value=1, max_value=10)
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    # The digest of the payload the approver was shown; approval fails if it changed since.
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # No note: the decision goes into the audit trail, which keeps no typed text for ever.


def member_choices() -> list[tuple[int, str]]:
    return [(m.pk, m.pseudonym) for m in Member.objects.all()]


class AddSecurityKeyForm(AddWebAuthnForm):  # type: ignore[misc]
    """allauth's form for adding a security key, its name box labelled in the reader's language
    (allauth leaves it to Django's automatic label, "Name", in English on every page)."""

    name = forms.CharField(required=False, label=pgettext_lazy("security key", "Name"))


class RenameSecurityKeyForm(EditWebAuthnForm):  # type: ignore[misc]
    """allauth's form for renaming a security key, labelled as the form for adding one."""

    name = forms.CharField(label=pgettext_lazy("security key", "Name"))
