"""The form a keyholder types a share into."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ShareForm(forms.Form):
    share = forms.CharField(
        label=_("Your key share"),
        help_text=_("Type or paste the groups of letters and digits; dashes and spaces do not "
                    "matter. It is not shown while you type."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        max_length=2000,
    )
    passphrase = forms.CharField(
        label=_("Passphrase of the share"),
        help_text=_("Only if your share was protected with a passphrase."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        required=False,
        max_length=500,
    )
