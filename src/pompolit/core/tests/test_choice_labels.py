"""No list in a form offers a record by a placeholder name.

A `ModelChoiceField` labels its options with the model's `__str__` unless the field says
otherwise (`label_from_instance`). Many models' `__str__` is a number for logs ("lawyer on
duty no. 3"), because what would name them is encrypted: a list of those showed "lawyer #1 …
lawyer #4", in English on the Russian pages too, and an operator could not tell whom they were
sending to a police station. Every such field must label its options itself.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from django import forms

import pompolit

NUMBER = 7


def _forms_modules() -> list[str]:
    found = []
    for module in pkgutil.walk_packages(pompolit.__path__, "pompolit."):
        if module.name.endswith(".forms") and ".tests" not in module.name:
            found.append(module.name)
    return sorted(found)


def _choice_fields() -> list[tuple[str, str, forms.ModelChoiceField]]:  # type: ignore[type-arg]
    fields = []
    seen = set()
    for name in _forms_modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, forms.BaseForm)):
                continue
            if value in seen or not value.__module__.startswith("pompolit."):
                continue
            seen.add(value)
            for field_name, field in value.base_fields.items():
                if isinstance(field, forms.ModelChoiceField):
                    fields.append((f"{value.__module__}.{value.__name__}", field_name, field))
    return fields


def _placeholder(model: type) -> str | None:
    """What the model's `__str__` gives for an unsaved row numbered NUMBER, when it is a
    number rather than a name (None: a name, or it cannot say without the database)."""
    try:
        text = str(model(pk=NUMBER))
    except Exception:  # a __str__ that needs related rows is not a placeholder
        return None
    return text if re.search(rf"(#|№|no\.)\s*{NUMBER}\b", text) else None


def test_the_walk_finds_the_forms():
    names = {(where, field) for where, field, _ in _choice_fields()}
    assert ("pompolit.intake.duty.forms.DispatchForm", "lawyer") in names
    assert len(names) >= 10


@pytest.mark.parametrize(
    "where,field_name,field", _choice_fields(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_list_never_offers_a_record_by_its_number(where, field_name, field):
    if type(field).label_from_instance is not forms.ModelChoiceField.label_from_instance:
        return  # the field labels its options itself
    if field.queryset is None:
        return
    shown = _placeholder(field.queryset.model)
    assert shown is None, (
        f"{where}.{field_name} would offer {field.queryset.model.__name__} rows as {shown!r}: "
        "give the field a label_from_instance"
    )
