"""Issue 18: the donation form's internal note is kept encrypted (never in the append-only
entry), and an expense's "case" box takes a case's reference, not a note."""

from django.db import connection
from django.urls import reverse

from pompolit.ledger import receipts
from pompolit.ledger.models import Entry, EntryNote

NOTE = "Перевела Анна Смирнова, карта 4276 1234 5678 9012, просила не звонить"


def test_the_donation_note_is_encrypted_outside_the_entry(treasurer, client_for,
                                                         unsealed_vault):
    form = {"date": "2025-03-14", "amount": "1500", "currency": "RUB", "fund": "general",
            "channel": "bank_transfer", "campaign": "", "donor_name": "", "donor_contact": "",
            "memo": NOTE, "token": "t-" + receipts.new_code()}
    response = client_for(treasurer).post(reverse("record_donation"), form)
    assert response.status_code == 200
    entry = Entry.objects.get()
    assert entry.memo == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM ledger_entrynote")
        (stored,) = cursor.fetchone()
    assert "Смирнова" not in stored and "4276" not in stored
    assert EntryNote.objects.get(entry=entry).note == NOTE


def test_the_donation_form_shows_which_boxes_are_encrypted(treasurer, client_for):
    page = client_for(treasurer).get(reverse("record_donation")).content.decode()
    for box in ("donor_name", "donor_contact", "memo"):
        label = page.split(f'<label for="id_{box}">', 1)[1].split("</label>", 1)[0]
        assert 'class="lock"' in label and "encrypted" in label, box
    amount = page.split('<label for="id_amount">', 1)[1].split("</label>", 1)[0]
    assert 'class="lock"' not in amount


def test_an_expense_case_box_refuses_a_note(make_member, client_for, unsealed_vault):
    from pompolit.ledger.expenses.views import ExpenseForm

    for ref in ("1-7/2023", "ГПУ № 7-1922", "12", "x8k2m4n6p9qz"):
        form = ExpenseForm({"case_ref": ref})
        form.is_valid()
        assert "case_ref" not in form.errors, ref
    for note in ("мама Иванова просила не звонить", "адвокат", "Лесная 12, кв. 5, код 1234"):
        form = ExpenseForm({"case_ref": note})
        form.is_valid()
        assert "case_ref" in form.errors, note


def test_the_expense_service_refuses_a_note_as_the_case_too(treasurer, general):
    import datetime

    import pytest
    from django.core.exceptions import ValidationError

    from pompolit.ledger import services
    from pompolit.ledger.expenses import services as expenses

    with pytest.raises(ValidationError) as refused:
        expenses.submit_expense(
            treasurer, incurred_on=datetime.date(2025, 3, 20),
            amount=services.money("500", "RUB"), fund=general,
            account=services.account("expenses:legal"), category="lawyer",
            case_ref="мама Иванова, Лесная 12")
    assert "case_ref" in refused.value.message_dict
