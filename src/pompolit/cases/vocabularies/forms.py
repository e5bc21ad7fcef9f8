"""Forms for vocabulary terms: the coordinators' term form, and the choice field every form
uses to offer a vocabulary's terms in use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pompolit.cases.models import Term
from pompolit.cases.vocabularies.services import EDITABLE, Vocabulary


def active_terms(model: Any) -> Any:
    return model.objects.filter(is_active=True)


class TermChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


LABELS = {
    # Not a legal code ("Code" alone is translated as one, for charges).
    "code": pgettext_lazy("vocabulary term", "Code"),
    "label_en": gettext_lazy("Label in English"),
    "label_ru": gettext_lazy("Label in Russian"),
    "position": gettext_lazy("Position in lists"),
    "watch_sign_of_life": gettext_lazy("Watch for signs of life"),
    "custody_effect": gettext_lazy("Effect on custody"),
    "allowed_after_death": gettext_lazy("May happen after a death"),
}

HELP = {
    "code": gettext_lazy("Latin letters, digits and hyphens, e.g. “house-arrest”. Imports and "
                         "other records refer to it: it is fixed once the term is used."),
    "position": gettext_lazy("Smaller numbers come first."),
    "watch_sign_of_life": gettext_lazy("People with this status are held and may vanish: "
                                       "list them when nobody has heard from them."),
    "custody_effect": gettext_lazy("What the event does to custody, for the timeline's "
                                   "consistency check. Fixed once the type is used."),
    "allowed_after_death": gettext_lazy("E.g. a rehabilitation or an appeal by the family."),
}


def term_form(vocabulary: Vocabulary, data: Any = None, *, instance: Term | None = None,
              fixed: set[str] | None = None) -> forms.ModelForm:  # type: ignore[type-arg]
    form_class = forms.modelform_factory(
        vocabulary.model, fields=[*EDITABLE, *vocabulary.extra])
    # Prefixed: a bare "code" field would be styled as a one-time code.
    form = form_class(data, instance=instance, prefix="term")
    for name, field in form.fields.items():
        field.label = LABELS.get(name, field.label)
        field.help_text = HELP.get(name, "")
        if name in (fixed or set()):
            field.disabled = True
            field.help_text = _("Fixed: the term is in use.")
    return form
