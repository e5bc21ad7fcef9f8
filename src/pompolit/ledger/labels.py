"""Names for codes, looked up: every fund's and account's name by its code (for figures and
payloads that carry codes — a statement's, an approval's), a channel's label. See
default_names.py for the names the system creates and how they are translated."""

from __future__ import annotations

from typing import Any

from pompolit.ledger.default_names import account_name, fund_name
from pompolit.ledger.models import Account, Channel, Fund


def fund_names() -> dict[str, str]:
    """Every fund's name by its code: for figures that carry codes (a statement's)."""
    return {code: fund_name(code, name) for code, name in Fund.objects.values_list("code", "name")}


def account_names() -> dict[str, str]:
    return {
        code: account_name(code, name) for code, name in Account.objects.values_list("code", "name")
    }


def fund_name_of(code: Any) -> str:
    """The name of the fund with this code, or the code if there is none (any more)."""
    name = Fund.objects.filter(code=str(code)).values_list("name", flat=True).first()
    return fund_name(str(code), name) if name is not None else _as_given(code)


def account_name_of(code: Any) -> str:
    name = Account.objects.filter(code=str(code)).values_list("name", flat=True).first()
    return account_name(str(code), name) if name is not None else _as_given(code)


def _as_given(code: Any) -> str:
    return str(code if code not in (None, "") else "?")


def channel_name(code: Any) -> str:
    """A donation channel's label ("bank transfer"), or the code if it is not one we know."""
    return str(dict(Channel.choices).get(code, code if code not in (None, "") else "—"))
