"""Renaming a fund or an account: the treasurer's name for what the books keep by code.

The code never changes (it is in the published log and every download); the name is what
pages show. A name the system gave (ledger/default_names.py) is shown in the reader's
language until a treasurer renames it. The trail records that it was renamed, not the name:
the trail keeps no typed text (docs/audit.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompolit.audit.services import record
from pompolit.ledger.models import Account, Fund
from pompolit.members import policy
from pompolit.members.models import Member

MAX_NAME = 200


def _clean(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError({"name": _("Give it a name.")})
    if len(cleaned) > MAX_NAME:
        raise ValidationError(
            {
                "name": ngettext("At most %(n)s character.", "At most %(n)s characters.", MAX_NAME)
                % {"n": MAX_NAME}
            }
        )
    return cleaned


def rename_fund(actor: Member | None, fund: Fund, name: str) -> Fund:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    cleaned = _clean(name)
    if cleaned in (fund.name, fund.label):
        return fund
    with transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(name=cleaned)
        fund.name = cleaned
        record("ledger.fund_renamed", actor=actor, obj=fund, details={"code": fund.code})
    return fund


def rename_account(actor: Member | None, account: Account, name: str) -> Account:
    policy.require(actor, policy.TREASURER, _("Only a treasurer can change the books."))
    cleaned = _clean(name)
    if cleaned in (account.name, account.label):
        return account
    with transaction.atomic():
        Account.objects.filter(pk=account.pk).update(name=cleaned)
        account.name = cleaned
        record("ledger.account_renamed", actor=actor, obj=account, details={"code": account.code})
    return account
