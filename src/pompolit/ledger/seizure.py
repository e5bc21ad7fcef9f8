"""Canaries for the vault's seizure test: a donation whose donor asked for a thank-you, an
expense with its receipt, and a bank line whose counterparty the treasurer chose to keep."""

from __future__ import annotations

import datetime
from collections.abc import Callable


def seed(canary: Callable[..., str]) -> None:
    from django.utils import timezone

    from pompolit.ledger import services
    from pompolit.ledger.bank_import.models import BankImport, ImportedLine, KeptCounterparty
    from pompolit.ledger.expenses.models import Expense, ExpenseAttachment, ExpenseDetails
    from pompolit.ledger.models import Account, Fund
    from pompolit.members.models import Member
    from pompolit.vault.fields.files import Upload

    general = Fund.objects.get(code="general")
    services.record_donation(
        None, date=timezone.localdate(), amount=services.money("1500", "RUB"),
        fund=general, channel="bank_transfer",
        donor_name=canary("ledger.DonorIdentity.name"),
        donor_contact=canary("ledger.DonorIdentity.contact"),
    )
    member = Member.objects.create_user("Канарейка-казначей", "correct horse battery staple")
    expense = Expense.objects.create(
        submitted_by=member, incurred_on=datetime.date(2025, 3, 14), fund=general,
        account=Account.objects.get(code="expenses:legal"), category="lawyer",
        currency_id="RUB", units=500000,
    )
    ExpenseDetails.objects.create(
        expense=expense, description=canary("ledger.ExpenseDetails.description"),
        payee=canary("ledger.ExpenseDetails.payee"),
    )
    attachment = ExpenseAttachment(expense=expense)
    attachment.file = Upload(  # the field stores an Upload
        "attachment-1.pdf", canary("ledger.ExpenseAttachment.file").encode(), "application/pdf"
    )
    attachment.save()
    bank_import = BankImport.objects.create(
        format="csv", account=Account.objects.get(code="assets:bank"), file_fingerprint="0" * 64,
        lines=1, posted=0, skipped=1, duplicates=0,
    )
    line = ImportedLine.objects.create(
        bank_import=bank_import, line_no=1, fingerprint="1" * 64, outcome="skip"
    )
    KeptCounterparty.objects.create(
        line=line, name=canary("ledger.KeptCounterparty.name"),
        account_number=canary("ledger.KeptCounterparty.account_number"),
    )
