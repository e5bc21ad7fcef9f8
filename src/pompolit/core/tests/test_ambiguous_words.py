"""Short English words mean different things in different places; each place says which, and
the Russian follows: a parcel label's "To" is «Кому» (a statement's period ends «по»), the
sign-in code is «Код» (a charge's legal code «Кодекс»), a person's name column «ФИО» (a
facility's «Название»), a parcel's contents category «Категория» (an expense's «Статья»)."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

SOURCE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("context", "word", "russian"),
    [
        ("parcel label addressee", "To", "Кому"),
        (None, "To", "По"),
        (None, "Code", "Код"),
        ("legal code", "Code", "Кодекс"),
        ("person", "Name", "ФИО"),
        ("relative", "Name", "Имя"),
        (None, "Name", "Название"),
        ("parcel contents", "Category", "Категория"),
        (None, "Category", "Статья"),
        (None, "Case worker", "Куратор дела"),
    ],
)
def test_each_meaning_has_its_russian_word(context, word, russian):
    with translation.override("ru"):
        found = pgettext(context, word) if context else gettext(word)
    assert found == russian


@pytest.mark.parametrize(
    ("template", "tag"),
    [
        (
            "aid/templates/aid/batch_pdf.html",
            '{% translate "To" context "parcel label addressee" %}',
        ),
        ("cases/templates/cases/case_list.html", '{% translate "Name" context "person" %}'),
        ("cases/templates/cases/overdue.html", '{% translate "Name" context "person" %}'),
        (
            "aid/templates/aid/item_form.html",
            '{% translate "Category" context "parcel contents" %}',
        ),
    ],
)
def test_the_pages_say_which_meaning_they_use(template, tag):
    assert tag in (SOURCE / template).read_text(encoding="utf-8")


def test_the_sign_in_code_field_reads_kod_in_russian():
    from allauth.mfa.base.forms import AuthenticateForm

    with translation.override("ru"):
        field = AuthenticateForm.base_fields["code"]
        assert str(field.widget.attrs["placeholder"]) == "Код"
