"""The accounts aid posts to, and the lifecycle history made append-only.

`liabilities:aid-reserved` holds approved, not yet paid aid (aid/money.py); each kind's
expense account gets a `:lost` sub-account for what was lost, confiscated or returned and not
refunded (under the same purpose, so a purpose fund may pay it).
"""

from django.db import migrations

from pompolit.core.appendonly import append_only

ACCOUNTS = [
    ("liabilities:aid-reserved", "Зарезервировано на помощь", "liability"),
    ("expenses:letters", "Письма и открытки", "expense"),
    ("expenses:books", "Книги", "expense"),
    ("expenses:travel", "Поездки родственников на свидания", "expense"),
    ("expenses:parcels:lost", "Посылки: утеряны, изъяты, возвращены", "expense"),
    ("expenses:transfers:lost", "Переводы: утеряны, изъяты", "expense"),
    ("expenses:letters:lost", "Письма: утеряны, изъяты", "expense"),
    ("expenses:books:lost", "Книги: утеряны, изъяты", "expense"),
    ("expenses:legal:lost", "Адвокаты: не оказанная помощь", "expense"),
    ("expenses:travel:lost", "Поездки: не состоялись", "expense"),
]


def seed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, name, kind in ACCOUNTS:
        Account.objects.get_or_create(code=code, defaults={"name": name, "type": kind})


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_items"), ("ledger", "0005_expenses_and_bank_imports")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(*append_only("aid_aidtransition")),
    ]
