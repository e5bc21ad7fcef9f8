"""Issue 18: every box and every shown field says whether it is encrypted — a lock with an
accessible label, read from the model field's class, so a field that becomes encrypted gets
its lock without touching a template."""

import pytest
from django.template import Context, Template
from django.utils import translation

from pompolit.cases.forms import CaseForm, EventForm, PrivateForm, RelativeForm
from pompolit.core.testing import english  # noqa: F401 (autouse: labels read in English)
from pompolit.vault.fields.labels import is_encrypted, mark_encrypted


def locked(form):
    return {name for name, field in form.fields.items() if getattr(field, "encrypted", False)}


def test_the_forms_know_their_encrypted_boxes(db):
    assert locked(EventForm()) == {"place", "summary", "source", "confidential_note"}
    assert locked(RelativeForm()) == {"name", "phone", "contact", "notes"}
    assert locked(PrivateForm()) == {"lawyer_contact", "needs", "medicines", "clothing_size",
                                     "diet"}


def test_a_model_form_gets_its_locks_from_the_model():
    fields = {n: f for n, f in CaseForm.base_fields.items() if getattr(f, "encrypted", False)}
    assert set(fields) == {"notes", "lawyer", "recognition_criteria"}
    label = str(fields["lawyer"].label)
    assert label[0].isupper()  # capitalised like every other label


def test_the_shared_field_template_shows_the_lock_with_a_label(db):
    form = EventForm()
    with translation.override("en"):
        html = Template('{% for field in form %}{% include "form_field.html" %}{% endfor %}'
                        ).render(Context({"form": form}))
    place = html.split('for="id_place">', 1)[1].split("</label>", 1)[0]
    assert 'class="lock"' in place and "encrypted" in place
    date = html.split('for="id_date">', 1)[1].split("</label>", 1)[0]
    assert 'class="lock"' not in date


def test_the_lock_tag_follows_the_field_class(db):
    html = Template('{% load vault_labels %}[{% lock "cases.Event.summary" %}]'
                    '[{% lock "cases.Charge.article" %}]').render(Context())
    first, second = html.split("][")
    assert 'class="lock"' in first and 'class="lock"' not in second


@pytest.mark.parametrize(("label", "encrypted"), [
    ("cases.Case.notes", True), ("cases.Event.place", True), ("aid.AidStepNote.note", True),
    ("aid.AidContent.description", True), ("ledger.EntryNote.note", True),
    ("cases.Case.court", False), ("cases.PersonName.surname", False),
])
def test_is_encrypted(label, encrypted):
    assert is_encrypted(label) is encrypted


def test_mark_encrypted_by_mapping():
    from django import forms

    fields = {"memo": forms.CharField(), "amount": forms.CharField()}
    mark_encrypted(fields, "", {"memo": "ledger.EntryNote.note"})
    assert getattr(fields["memo"], "encrypted", False)
    assert not getattr(fields["amount"], "encrypted", False)
