"""Every date box of every form is the shared one: it takes the reader's language's forms and
ISO, and its hint says which. The forms are found by walking the project's modules (as for the
text boxes), so a form added tomorrow is checked too."""

import contextlib

import pytest
from django import forms
from django.utils import translation

from pompolit.cases.partial import PartialDateFormField
from pompolit.core import dates
from pompolit.core.testing import english  # noqa: F401 (autouse)
from pompolit.core.tests.test_text_inputs import FORMS

# The browser's own pickers write dates as the browser's system does, not as the page does.
BROWSER_PICKERS = {"date", "month", "week", "datetime-local"}


def _fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    fields = dict(form_class.base_fields)
    with contextlib.suppress(Exception):
        fields.update(form_class().fields)  # type: ignore[call-arg]
    return fields


def _date_fields() -> list[tuple[str, forms.Field]]:
    found = []
    for form_class in FORMS:
        for name, field in _fields(form_class).items():
            if isinstance(
                field,
                forms.DateField | forms.DateTimeField | PartialDateFormField | dates.MonthField,
            ):
                found.append((f"{form_class.__module__}.{form_class.__qualname__}.{name}", field))
    return found


DATE_FIELDS = _date_fields()


def test_the_walk_finds_the_date_fields_of_every_app():
    apps = {where.split(".")[1] for where, _ in DATE_FIELDS}
    assert {"cases", "ledger", "members", "aid"} <= apps
    assert len(DATE_FIELDS) >= 12


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize(("where", "field"), DATE_FIELDS, ids=[w for w, _ in DATE_FIELDS])
def test_every_date_field_states_the_accepted_forms_in_the_reader_s_language(
    where, field, language
):
    assert not isinstance(field, forms.DateTimeField), f"{where}: a time needs its zone shown"
    assert getattr(field.widget, "input_type", "") not in BROWSER_PICKERS, where
    with translation.override(language):
        if isinstance(field, PartialDateFormField):
            expected = dates.partial_date_hint()
        elif isinstance(field, dates.MonthField):
            expected = dates.month_hint()
        else:
            assert isinstance(field, dates.DateField), f"{where} is not core.dates.DateField"
            expected = dates.date_hint()
        assert str(expected) in str(field.help_text), where
        assert "2026-12-31" in str(expected) or "2026-12" in str(expected)
