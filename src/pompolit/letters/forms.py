"""The writer's forms (no account: nothing about the writer but an optional return name) and
the volunteers' (a decision, a step, a reply)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pompolit.core.dates import DateField
from pompolit.letters.models import MAX_CHARS, Status
from pompolit.letters.services import MAX_RETURN_NAME
from pompolit.letters.work import MAX_NOTE


class MultipleImages(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Several files in one box (Django's documented pattern); the view reads them."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(ImagesField, self).clean(one, initial) for one in data]
        return super().clean(data, initial)


class LetterForm(forms.Form):
    text = forms.CharField(label=_("Your letter"), max_length=MAX_CHARS, required=False,
                           widget=forms.Textarea(attrs={"rows": 14}))
    wants_translation = forms.BooleanField(
        label=_("I wrote in another language: please have volunteers translate it"),
        required=False)
    images = ImagesField(label=_("Images (drawings, photos of nature)"), required=False,
                             widget=MultipleImages(attrs={"accept": "image/jpeg,image/png,"
                                                                   "image/webp"}))
    return_name = forms.CharField(
        label=_("Your name for the reply (optional)"), max_length=MAX_RETURN_NAME,
        required=False,
        help_text=_("Any name or nickname the prisoner can address the reply to. We ask "
                    "nothing else about you."))
    code = forms.CharField(
        label=_("Your letter code, if you already have one (optional)"), max_length=60,
        required=False,
        help_text=_("To follow all your letters with one code. Leave it empty to get a new "
                    "one."))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, town or facility"), max_length=100, required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Your letter code"), max_length=60)


DECISIONS = [
    (Status.APPROVED, _("Approve")),
    (Status.SENT_BACK, _("Send back with a suggestion")),
    (Status.REJECTED, _("Reject")),
]
OUTCOMES = [
    (Status.SENT, _("Sent")),
    (Status.DELIVERED, _("Delivered")),
    (Status.BLOCKED, _("Blocked by the censor")),
    (Status.RETURNED, _("Returned")),
]


class StepForm(forms.Form):
    to = forms.ChoiceField(label=_("Decision"), choices=DECISIONS + OUTCOMES)
    note = forms.CharField(
        label=_("Reason or suggestion for the writer"), max_length=MAX_NOTE, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to send back, reject, or say why it was blocked or returned; "
                    "the writer reads it."))

    def __init__(self, *args: Any, choices: list[tuple[str, Any]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            field = self.fields["to"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class ReplyForm(forms.Form):
    received_on = DateField(label=_("Received on"))
    scan = forms.FileField(label=_("Scan or photo of the reply"), required=False,
                           widget=forms.ClearableFileInput(
                               attrs={"accept": "image/jpeg,image/png,image/webp"}))
    transcription = forms.CharField(label=_("Or the reply typed in"), required=False,
                                    max_length=20_000,
                                    widget=forms.Textarea(attrs={"rows": 8}))
