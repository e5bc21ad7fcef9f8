"""The common currencies, a starting chart of accounts and the general fund.

A treasurer adds more (historical or unofficial currencies, accounts, funds) later; these
rows are only what a new group needs on its first day.
"""

from django.db import migrations

CURRENCIES = [
    # code, name, minor units, ISO 4217
    ("RUB", "Russian rouble", 2, True),
    ("EUR", "Euro", 2, True),
    ("USD", "US dollar", 2, True),
    ("GEL", "Georgian lari", 2, True),
    ("KZT", "Kazakhstani tenge", 2, True),
    ("AMD", "Armenian dram", 2, True),
    ("TRY", "Turkish lira", 2, True),
    ("ILS", "Israeli new shekel", 2, True),
    ("GBP", "Pound sterling", 2, True),
    ("USDT", "Tether USD (stablecoin)", 6, False),
]

ACCOUNTS = [
    ("assets:bank", "Банковский счёт", "asset"),
    ("assets:cash", "Касса (наличные)", "asset"),
    ("assets:card-processor", "Платёжный сервис", "asset"),
    ("assets:crypto", "Криптокошелёк", "asset"),
    ("assets:foreign-chapters", "Деньги у зарубежных отделений", "asset"),
    ("liabilities:payable", "Счета к оплате", "liability"),
    ("income:donations", "Пожертвования", "income"),
    ("expenses:legal", "Адвокаты", "expense"),
    ("expenses:parcels", "Передачи и посылки", "expense"),
    ("expenses:transfers", "Переводы заключённым", "expense"),
    ("expenses:bank-fees", "Банковские комиссии", "expense"),
    ("net-assets:opening", "Начальные остатки", "net_assets"),
    ("net-assets:interfund", "Переводы между фондами", "net_assets"),
]


def seed(apps, schema_editor):
    Currency = apps.get_model("ledger", "Currency")
    Account = apps.get_model("ledger", "Account")
    Fund = apps.get_model("ledger", "Fund")
    for code, name, exponent, official in CURRENCIES:
        Currency.objects.get_or_create(
            code=code, defaults={"name": name, "exponent": exponent, "official": official}
        )
    for code, name, kind in ACCOUNTS:
        Account.objects.get_or_create(code=code, defaults={"name": name, "type": kind})
    Fund.objects.get_or_create(
        code="general", defaults={"name": "Общий фонд", "kind": "unrestricted"}
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_books")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
