"""The public form: short, in the order a frightened relative thinks (who, when and where, where
now, what they need, who you are), every answer optional but a name. It works without
JavaScript; with it, static/intake/stamp.js fills in the proof-of-work stamp."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompolit.intake.models import Rejection, Reporter
from pompolit.intake.public import photos, services
from pompolit.intake.public.services import PublicAnswers

NEED_CHOICES = [
    ("water", _("water")),
    ("food", _("food")),
    ("medicine", _("medicine")),
    ("charger", _("phone charger")),
    ("warm_clothes", _("warm clothes")),
]
MINOR_CHOICES = [("", _("don't know")), ("yes", _("yes, under 18")), ("no", _("no"))]
PUBLIC_REPORTERS = [
    (Reporter.DETAINEE.value, _("I am the detainee")),
    (Reporter.RELATIVE.value, _("a relative or friend")),
    (Reporter.LAWYER.value, _("a lawyer")),
    (Reporter.WITNESS.value, _("a witness")),
    (Reporter.VOLUNTEER.value, _("a volunteer at the station")),
]
CONSENT_CHOICES = [("", _("don't know")), ("yes", _("yes, they agreed")), ("no", _("no"))]
# Which answer of the service goes back to which field of the form.
FIELD_OF = {"location": "now_at_text", "contact": "contact", "needs": "needs"}


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one box; each is checked and cleaned by the form (`clean_photos`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        accept = {"accept": "image/jpeg,image/png,image/webp"}
        kwargs.setdefault("widget", PhotosInput(attrs=accept))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class PublicReportForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=120, required=False)
    given = forms.CharField(label=_("Given name"), max_length=120, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=120, required=False)
    birth = forms.CharField(
        label=_("Born"),
        max_length=40,
        required=False,
        help_text=_("A year (2001) or a date (14.05.2001)."),
    )
    is_minor = forms.ChoiceField(
        label=_("Under 18?"), choices=MINOR_CHOICES, required=False, widget=forms.RadioSelect
    )
    detained_at_text = forms.CharField(
        label=_("When detained"),
        max_length=200,
        required=False,
        help_text=_("A time (19:30) or a day and time (06.03.2026 19:30), or in words."),
    )
    place_text = forms.CharField(label=_("Where detained"), max_length=200, required=False)
    city = forms.ChoiceField(label=_("Town"), required=False)
    station = forms.ChoiceField(label=_("Police station, if you know it"), required=False)
    now_at_text = forms.CharField(
        label=_("Where they are now"),
        max_length=200,
        required=False,
        help_text=_("The police station, a van number, a court, a hospital — whatever you know."),
    )
    event_text = forms.CharField(label=_("Which protest or event"), max_length=200, required=False)
    needs = forms.MultipleChoiceField(
        label=_("What they need"),
        choices=NEED_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    medicine_text = forms.CharField(label=_("Which medicine"), max_length=200, required=False)
    injured = forms.BooleanField(label=_("Injured, or violence used"), required=False)
    devices_seized = forms.BooleanField(label=_("Phone or devices seized"), required=False)
    consent = forms.ChoiceField(
        label=_("Did the detained person agree to be named publicly?"),
        choices=CONSENT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Optional. Without a yes, the person is only counted, never named. Even "
                    "with it, an operator checks with them or their family before the name is "
                    "shown; a minor is never named."),
    )
    reporter = forms.ChoiceField(
        label=_("Who you are"), choices=PUBLIC_REPORTERS, widget=forms.RadioSelect
    )
    contact = forms.CharField(
        label=_("How the group can reach you"),
        max_length=200,
        required=False,
        help_text=_("Optional. A phone, Signal or Telegram. Stored encrypted; only the hotline's "
                    "operators can read it."),
    )
    note = forms.CharField(
        label=_("Anything else"),
        max_length=services.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("Optional, up to three: injuries, a protocol, the van's number. Only the "
                    "picture is kept: where and when it was taken, and the camera, are removed."),
    )
    # Left empty by people (it is hidden from them and from screen readers); bots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    pow_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    pow_counter = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, dropped: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Files the upload dropped for going over the request's limit (core/uploads.py).
        self.dropped = dropped or []
        self.clean_photos_list: list[photos.CleanPhoto] = []
        cities = services.open_cities()
        city_field = self.fields["city"]
        assert isinstance(city_field, forms.ChoiceField)
        city_field.choices = [("", pgettext_lazy("town", "not sure"))] + [(c, c) for c in cities]
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ChoiceField)
        station_field.choices = [("", pgettext_lazy("station", "not known"))] + [
            (label, label) for label in services.station_labels(cities)
        ]

    @property
    def photos_to_choose_again(self) -> bool:
        """The form comes back with an error and photos had been chosen: they are not."""
        return bool(self.is_bound and self.errors and (self.files.getlist("photos")
                                                       or self.dropped))

    def clean_photos(self) -> list[Any]:
        files = self.cleaned_data.get("photos") or []
        problems = [photos.too_large_message(name) for name in self.dropped]
        if len(files) + len(self.dropped) > photos.most():
            raise forms.ValidationError(
                _("At most %(most)d photos with one report.") % {"most": photos.most()})
        if sum(f.size for f in files) > photos.max_total():
            problems.append(_("The photos together are too large: at most %(size)s.")
                            % {"size": filesizeformat(photos.max_total())})
        cleaned = []
        for upload in files:
            try:
                cleaned.append(photos.CleanPhoto(photos.clean(upload.name, upload.read())))
            except photos.PhotoRefused as refused:
                problems.append(str(refused))
        if problems:
            raise forms.ValidationError(problems)
        self.clean_photos_list = cleaned
        return files

    def answers(self) -> PublicAnswers:
        data = self.cleaned_data
        now_at = data["now_at_text"]
        if data["station"]:
            now_at = f"{data['station']}" if not now_at else f"{data['station']}; {now_at}"
        minor = {"yes": True, "no": False}.get(data["is_minor"])
        return PublicAnswers(
            surname=data["surname"],
            given=data["given"],
            patronymic=data["patronymic"],
            birth=data["birth"],
            is_minor=minor,
            detained_at_text=data["detained_at_text"],
            place_text=data["place_text"],
            now_at_text=now_at,
            city=data["city"],
            event_text=data["event_text"],
            needs=frozenset(data["needs"]),
            medicine_text=data["medicine_text"],
            injured=data["injured"],
            devices_seized=data["devices_seized"],
            reporter=data["reporter"],
            contact=data["contact"],
            note=data["note"],
            consent=data["consent"],
        )

    def refused(self, refused: services.Refused) -> None:
        """The service's objections, under the fields they are about."""
        for name, message in refused.errors.items():
            field = FIELD_OF.get(name, name)
            self.add_error(field if field in self.fields else None, message)
        if not refused.errors:
            self.add_error(None, refused.message)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your report's code"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why it is rejected"), choices=Rejection.choices, widget=forms.RadioSelect
    )


