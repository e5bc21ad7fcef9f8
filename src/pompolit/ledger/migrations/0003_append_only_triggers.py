from django.db import migrations

from pompolit.core.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_seed")]

    operations = [
        migrations.RunPython(
            *append_only("ledger_currency", "ledger_entry", "ledger_posting", "ledger_donation")
        ),
    ]
