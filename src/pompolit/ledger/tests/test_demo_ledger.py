"""`make demo`'s books: loaded through the services, consistent, and checkable by a donor."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from pompolit.ledger.bank_import.models import BankMapping, ImportRule
from pompolit.ledger.models import Donation, DonorIdentity, Statement
from pompolit.ledger.statements import services as statements
from pompolit.members.roles import Role


def test_demo_books_balance_publish_and_answer_a_donor(
    make_member, unsealed_vault, settings
):
    settings.DEMO_MODE = True
    make_member("kaznachei", Role.TREASURER)
    out = io.StringIO()
    call_command("demo_ledger", stdout=out)
    code = re.search(r"\(/ledger/check/\): (\S+)", out.getvalue()).group(1)

    assert Donation.objects.count() == 47
    assert Statement.objects.count() == 2
    assert DonorIdentity.objects.count() == 2
    assert BankMapping.objects.count() == 2 and ImportRule.objects.count() == 3
    call_command("ledger", "verify", stdout=io.StringIO())
    checked = statements.check_donation(code)
    assert checked is not None and checked.proof is not None
    # Loading twice changes nothing.
    call_command("demo_ledger", stdout=out)
    assert Donation.objects.count() == 47


def test_demo_books_are_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="POMPOLIT_DEMO"):
        call_command("demo_ledger")


def test_ledger_demo_is_the_new_name_of_demo_ledger(make_member, unsealed_vault, settings):
    settings.DEMO_MODE = True
    make_member("kaznachei", Role.TREASURER)
    out = io.StringIO()
    call_command("ledger", "demo", stdout=out)
    assert "Demo books loaded" in out.getvalue() and Statement.objects.count() == 2
    err = io.StringIO()
    call_command("demo_ledger", stdout=out, stderr=err)
    assert "Demo books are already loaded" in out.getvalue()
    assert "`pompolit demo_ledger` is now `pompolit ledger demo`" in err.getvalue()
