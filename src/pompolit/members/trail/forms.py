from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompolit.audit.models import AuditEntry
from pompolit.core.dates import DateField
from pompolit.members.models import Member, pseudonym_key


class TrailFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action starts with"), max_length=64, required=False,
        help_text=_("For example login, member. or alert."),
    )
    member = forms.CharField(label=_("Member (pseudonym)"), max_length=64, required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object number"), max_length=64, required=False)
    date_from = DateField(label=_("From (date)"), required=False)
    date_to = DateField(label=_("To (date, inclusive)"), required=False)
    sensitive_only = forms.BooleanField(label=_("Sensitive reads only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = (
            AuditEntry.objects.exclude(object_type="").order_by("object_type")
            .values_list("object_type", flat=True).distinct()
        )
        field = self.fields["object_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("any")), *((t, t) for t in types)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Apply the valid filters; call after is_valid()."""
        data = self.cleaned_data
        if data.get("action"):
            entries = entries.filter(action__startswith=data["action"].strip())
        if data.get("member"):
            # Members by their folded pseudonym (SQLite folds only ASCII case); typed names of
            # failed logins, which belong to no member, as written.
            name = data["member"].strip()
            members = Member.objects.filter(pseudonym_key=pseudonym_key(name))
            entries = entries.filter(
                Q(actor_id__in=members.values("pk")) | Q(actor_label=name)
            )
        if data.get("object_type"):
            entries = entries.filter(object_type=data["object_type"])
        if data.get("object_id"):
            entries = entries.filter(object_id=data["object_id"].strip().lstrip("#"))
        if data.get("date_from"):
            entries = entries.filter(at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(at__lt=_day_start(data["date_to"] + timedelta(days=1)))
        if data.get("sensitive_only"):
            entries = entries.filter(sensitive_read=True)
        return entries


def _day_start(day: date) -> datetime:
    # Days as the members see them: in the site's time zone, not UTC.
    return timezone.make_aware(datetime.combine(day, time.min))


FINDINGS = [
    ("expected", _("Expected work")),
    ("mistake", _("A mistake, now put right")),
    ("misuse", _("Misuse: access is being taken away")),
    ("unclear", _("Not clear yet: still looking into it")),
]


class AcknowledgeForm(forms.Form):
    # A choice, not a text box: the trail keeps it for ever and keeps no typed text.
    finding = forms.ChoiceField(label=_("What you found"), choices=FINDINGS)
