"""The names of the funds and accounts the system creates, in the reader's language.

What people read where the books keep codes: a fund's and an account's name, a channel's
label. The codes (`general`, `expenses:legal`, `bank_transfer`) stay in the published log,
the downloads and the verifier's data; pages show these names.

A fund's or an account's name is the treasurer's. The ones the system creates itself — the
starting chart of accounts, the general fund, the demo's funds — are stored with their
Russian name and have an English one here, through gettext: while a row still has the name it
was created with, the page shows that name in the reader's language; once a treasurer renames
it, their name is shown as they typed it, in every language (docs/ledger.md, "Names and
codes").
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# code: (the name the system stores, the same name in English for gettext)
BUILT_IN_FUNDS: dict[str, tuple[str, Promise]] = {
    "general": ("Общий фонд", _("General fund")),
    # The demo's funds (ledger/demo.py).
    "lawyers": ("Адвокаты", _("Lawyers")),
    "parcels": ("Передачи в Оренбург", _("Parcels to Orenburg")),
}

BUILT_IN_ACCOUNTS: dict[str, tuple[str, Promise]] = {
    # ledger/migrations/0002_seed.py
    "assets:bank": ("Банковский счёт", _("Bank account")),
    "assets:cash": ("Касса (наличные)", _("Cash box")),
    "assets:card-processor": ("Платёжный сервис", _("Card processor")),
    "assets:crypto": ("Криптокошелёк", _("Crypto wallet")),
    "assets:foreign-chapters": (
        "Деньги у зарубежных отделений",
        _("Money held by foreign chapters"),
    ),
    "liabilities:payable": ("Счета к оплате", _("Bills to pay")),
    "income:donations": ("Пожертвования", _("Donations")),
    "expenses:legal": ("Адвокаты", _("Lawyers")),
    "expenses:parcels": ("Передачи и посылки", pgettext_lazy("account", "Parcels")),
    "expenses:transfers": ("Переводы заключённым", _("Money transfers to prisoners")),
    "expenses:bank-fees": ("Банковские комиссии", _("Bank fees")),
    "net-assets:opening": ("Начальные остатки", _("Opening balances")),
    "net-assets:interfund": ("Переводы между фондами", _("Transfers between funds")),
    # aid/migrations/0002_accounts_and_history.py
    "liabilities:aid-reserved": ("Зарезервировано на помощь", _("Reserved for aid")),
    "expenses:letters": ("Письма и открытки", _("Letters and postcards")),
    "expenses:books": ("Книги", pgettext_lazy("reading matter", "Books")),
    "expenses:travel": ("Поездки родственников на свидания", _("Relatives' travel to visits")),
    "expenses:parcels:lost": (
        "Посылки: утеряны, изъяты, возвращены",
        _("Parcels: lost, confiscated, returned"),
    ),
    "expenses:transfers:lost": ("Переводы: утеряны, изъяты", _("Transfers: lost, confiscated")),
    "expenses:letters:lost": ("Письма: утеряны, изъяты", _("Letters: lost, confiscated")),
    "expenses:books:lost": ("Книги: утеряны, изъяты", _("Books: lost, confiscated")),
    "expenses:legal:lost": ("Адвокаты: не оказанная помощь", _("Lawyers: help not given")),
    "expenses:travel:lost": ("Поездки: не состоялись", _("Travel: did not happen")),
}

# ledger/services.py:trading_account names them "Trading RUB" when a currency is first sold.
_TRADING = re.compile(r"^trading:([a-z0-9]+)$")


def _named(built_in: dict[str, tuple[str, Promise]], code: str, name: str) -> str:
    default = built_in.get(code)
    if default is not None and name == default[0]:
        return str(default[1])
    return name or code


def fund_name(code: str, name: str) -> str:
    """A fund's name in the reader's language (a built-in fund's), or as its treasurer set it."""
    return _named(BUILT_IN_FUNDS, code, name)


def account_name(code: str, name: str) -> str:
    trading = _TRADING.match(code)
    if trading and name == f"Trading {trading[1].upper()}":
        return gettext("Currency exchange, %(currency)s") % {"currency": trading[1].upper()}
    return _named(BUILT_IN_ACCOUNTS, code, name)
