"""An expense for the access matrix (core/tests/test_access_matrix.py)."""

import datetime
from typing import Any

from pompolit.ledger.expense_models import Expense
from pompolit.ledger.models import Account, Fund


def matrix_expense(world: Any) -> int:
    found = Expense.objects.first()
    if found is None:
        # The case worker's own expense: they may see it, as treasurers and auditors may.
        submitter = world.members["case_worker"]
        found = Expense.objects.create(
            submitted_by=submitter, incurred_on=datetime.date(2025, 3, 14),
            fund=Fund.objects.get(code="general"),
            account=Account.objects.get(code="expenses:legal"), category="lawyer",
            currency_id="RUB", units=150000)
    return found.pk
