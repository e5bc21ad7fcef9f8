"""Every text box of every form refuses control and direction-changing characters: the forms
are found by walking the project's modules, so a form added tomorrow is checked too."""

import contextlib
import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

import pompolit
from pompolit.core.testing import english  # noqa: F401 (autouse)
from pompolit.core.text import CODE, check_text, forbidden_character

REFUSED = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u202a", "\u2066",
           "\u2069"]


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(pompolit.__path__, "pompolit."):
        skipped = (".tests", ".migrations", ".settings", "pompolit.wsgi", "pompolit.cli")
        if any(part in module.name for part in skipped):
            continue
        importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("pompolit."):
                found.append(sub)
    return sorted(set(found), key=lambda c: (c.__module__, c.__qualname__))


def _text_fields(form_class: type[forms.BaseForm]) -> list[tuple[str, forms.CharField]]:
    fields = dict(form_class.base_fields)
    # Fields added in __init__ too (a form that needs a member or a case keeps its declared).
    with contextlib.suppress(Exception):
        fields.update(form_class().fields)  # type: ignore[call-arg]
    return [(n, f) for n, f in fields.items() if isinstance(f, forms.CharField)]


FORMS = _project_forms()


def test_the_walk_finds_the_forms_of_every_app():
    apps = {cls.__module__.split(".")[1] for cls in FORMS}
    assert {"cases", "ledger", "members", "aid"} <= apps
    assert len(FORMS) > 30


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_text_field_of_every_form_refuses_control_characters(form_class):
    for name, field in _text_fields(form_class):
        for char in REFUSED:
            with pytest.raises(ValidationError) as refused:
                field.clean(f"Кибальчич{char}Николай")
            assert refused.value.code == CODE or any(
                e.code == CODE for e in refused.value.error_list), (name, char)


def test_a_name_with_nul_is_refused_with_the_character_named():
    with pytest.raises(ValidationError) as refused:
        forms.CharField().clean("Гоц\x00Абрам")
    assert "U+0000" in refused.value.messages[0] and "4" in refused.value.messages[0]


def test_line_breaks_only_in_a_multi_line_box():
    assert forms.CharField(widget=forms.Textarea).clean("первая\r\nвторая\tтаб") == (
        "первая\r\nвторая\tтаб")
    with pytest.raises(ValidationError):
        forms.CharField().clean("Ремизова\nАнна")
    assert forms.CharField().clean("Ремизова\tАнна") == "Ремизова\tАнна"


def test_a_form_changed_to_a_textarea_after_creation_takes_lines():
    class Notes(forms.Form):
        notes = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["notes"].widget = forms.Textarea()

    form = Notes({"notes": "строка\nещё строка"})
    assert form.is_valid()


@given(st.text())
def test_the_check_refuses_exactly_the_listed_characters(text):
    bad = [c for c in text if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F
           or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069]
    position = forbidden_character(text)
    assert (position is None) == (not bad)
    if bad:
        assert text[position] == bad[0]
        with pytest.raises(ValidationError):
            check_text(text)
