from django import forms
from django.utils.translation import gettext_lazy as _

from pompolit.vault.fields.labels import EncryptedLabels


class EmergencyContactForm(EncryptedLabels, forms.Form):
    vault_model = "vault.EmergencyContact"
    contact = forms.CharField(
        label=_("Whom to tell"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: “my sister Anna, she knows my lawyer”. Write only what the group "
            "needs; leave both fields empty to forget it."
        ),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
