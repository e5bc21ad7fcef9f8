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
    text = forms.CharField(label=_("Your letter"), max_length=MAX_CHARS,
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


class RulesForm(forms.Form):
    accepts_letters = forms.BooleanField(label=_("letters are delivered there"), required=False)
    relatives_only = forms.BooleanField(label=_("only relatives may write"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("languages"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the languages of the facility's rule in the registry, else "
                    "Russian."))
    max_chars = forms.IntegerField(label=_("maximum length, characters"), min_value=100,
                                   max_value=MAX_CHARS)
    topics_to_avoid = forms.MultipleChoiceField(label=_("topics the censor blocks"),
                                                required=False,
                                                widget=forms.CheckboxSelectMultiple)
    images_accepted = forms.BooleanField(label=_("images accepted"), required=False)
    max_images = forms.IntegerField(label=_("images at most"), min_value=0, max_value=5,
                                    required=False)
    postcards_accepted = forms.BooleanField(label=_("postcards accepted"), required=False)
    service_max_chars = forms.IntegerField(
        label=_("electronic service: characters per letter"), min_value=100,
        max_value=MAX_CHARS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pompolit.aid.vocabulary import LANGUAGES
        from pompolit.letters.topics import topic_choices

        super().__init__(*args, **kwargs)
        languages = self.fields["languages"]
        topics = self.fields["topics_to_avoid"]
        assert isinstance(languages, forms.MultipleChoiceField)
        assert isinstance(topics, forms.MultipleChoiceField)
        languages.choices = [(code, str(label)) for code, label in LANGUAGES.items()]
        topics.choices = topic_choices()

    def clean_max_images(self) -> int:
        return int(self.cleaned_data.get("max_images") or 0)


class CampaignForm(forms.Form):
    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=120)
    starts_on = DateField(label=_("First day"))
    ends_on = DateField(label=_("Last day"))
    suggestion_en = forms.CharField(
        label=_("Suggestion for writers, in English"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the letter page while the campaign runs."))
    suggestion_ru = forms.CharField(
        label=_("Suggestion for writers, in Russian"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    card_theme = forms.ChoiceField(label=_("Card theme"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pompolit.letters.models import CardTheme

        super().__init__(*args, **kwargs)
        theme = self.fields["card_theme"]
        assert isinstance(theme, forms.ChoiceField)
        theme.choices = CardTheme.choices


class PaperForm(forms.Form):
    prisoner = forms.ChoiceField(label=_("To whom"))
    count = forms.IntegerField(label=_("Letters written"), min_value=1, max_value=200,
                               initial=1)
    written_on = DateField(label=_("Written on"))
    evening = forms.CharField(label=_("Letter evening"), max_length=200, required=False,
                              help_text=_("Where and whose, e.g. “Tbilisi, Dec 12”."))
    campaign = forms.ChoiceField(label=_("Campaign"), required=False,
                                 help_text=_("Empty: the campaign running that day, if any."))
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, prisoners: list[tuple[str, str]] | None = None,
                 campaigns: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prisoner = self.fields["prisoner"]
        campaign = self.fields["campaign"]
        assert isinstance(prisoner, forms.ChoiceField)
        assert isinstance(campaign, forms.ChoiceField)
        prisoner.choices = [("", "—"), *(prisoners or [])]
        campaign.choices = [("", "—"), *(campaigns or [])]


class TranslatorLanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("I can translate from"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pompolit.aid.vocabulary import LANGUAGES

        super().__init__(*args, **kwargs)
        languages = self.fields["languages"]
        assert isinstance(languages, forms.MultipleChoiceField)
        languages.choices = [(code, str(label)) for code, label in LANGUAGES.items()]


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Into"))
    text = forms.CharField(label=_("Translation"), max_length=MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args: Any, languages: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = languages or []
