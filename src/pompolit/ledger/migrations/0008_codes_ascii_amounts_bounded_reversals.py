"""The database refuses what the services refuse (docs/ledger.md, "Codes", "Bounds on amounts",
"Reversals"): codes outside their ASCII alphabet, amounts beyond 10¹⁵ minor units (balances
beyond 10¹⁸), rates beyond 10¹², a reversal that names no entry or an entry that is a reversal.

Existing rows are checked first: if any breaks a new rule, the migration stops and names the
rows (a code published in the log cannot be renamed silently) instead of failing on a bare
CHECK. SQLite rebuilds the tables it adds CHECKs to, without their triggers: the append-only
triggers are made again at the end, and the reversal trigger is new.
"""

import re

import pompolit.ledger.codes
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from pompolit.core.appendonly import append_only

CODE = r"^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\Z"
CURRENCY = r"^[A-Z][A-Z0-9]{2,9}\Z"
CHANNEL = r"^[a-z][a-z0-9_]*\Z"
MAX_UNITS = 10**15
MAX_BALANCE_UNITS = 10**18
MAX_RATE = Decimal("1e12")


def refuse_rows_that_break_the_rules(apps, schema_editor):
    found = []

    def codes(model, field, pattern, blank=False):
        for value in apps.get_model("ledger", model).objects.values_list(field, flat=True):
            if not (blank and value == "") and not re.match(pattern, value):
                found.append(f"{model}.{field} {value!r}")

    def bounded(model, field, limit=MAX_UNITS):
        rows = apps.get_model("ledger", model).objects.filter(
            models.Q(**{f"{field}__gt": limit}) | models.Q(**{f"{field}__lt": -limit}))
        found.extend(f"{model} #{pk}: {field} {value}" for pk, value
                     in rows.values_list("pk", field)[:20])

    codes("Account", "code", CODE)
    codes("Fund", "code", CODE)
    codes("Fund", "purpose", CODE, blank=True)
    codes("Campaign", "code", CODE)
    codes("Currency", "code", CURRENCY)
    codes("Donation", "channel", CHANNEL)
    for model in ("Posting", "Donation", "Expense"):
        bounded(model, "units")
    bounded("Campaign", "goal_units")
    bounded("FundBalance", "units", MAX_BALANCE_UNITS)
    bounded("ExchangeRate", "rate", MAX_RATE)
    Entry = apps.get_model("ledger", "Entry")
    found.extend(f"Entry #{e.leaf_index}: kind {e.kind}, reverses {e.reverses_id}" for e in (
        Entry.objects.filter(kind="reversal", reverses__isnull=True)
        | Entry.objects.exclude(kind="reversal").filter(reverses__isnull=False)
        | Entry.objects.filter(reverses__kind="reversal"))[:20])
    if found:
        raise RuntimeError(
            "These rows of the books break the rules this migration makes the database enforce "
            "(docs/ledger.md); correct them by hand (a reversing entry, a new account) before "
            "migrating:\n" + "\n".join(found[:50]))


_PG_REVERSAL = """CREATE OR REPLACE FUNCTION pompolit_reversal_not_reversed() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM ledger_entry WHERE id = NEW.reverses_id AND kind = 'reversal')
        THEN RAISE EXCEPTION 'a reversal is never reversed (entry %)', NEW.reverses_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql"""


def reversal_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            "CREATE TRIGGER IF NOT EXISTS ledger_entry_reversal_not_reversed BEFORE INSERT ON "
            "ledger_entry WHEN NEW.reverses_id IS NOT NULL AND (SELECT kind FROM ledger_entry "
            "WHERE id = NEW.reverses_id) = 'reversal' "
            "BEGIN SELECT RAISE(ABORT, 'a reversal is never reversed'); END"
        ]
    else:
        statements = [
            _PG_REVERSAL,
            "CREATE OR REPLACE TRIGGER ledger_entry_reversal_not_reversed BEFORE INSERT ON "
            "ledger_entry FOR EACH ROW WHEN (NEW.reverses_id IS NOT NULL) "
            "EXECUTE FUNCTION pompolit_reversal_not_reversed()",
        ]
    for sql in statements:
        schema_editor.execute(sql, None)


def drop_reversal_trigger(apps, schema_editor):
    on = " ON ledger_entry" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_entry_reversal_not_reversed{on}", None)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0007_donor_exports'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_rows_that_break_the_rules, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='account',
            name='code',
            field=models.CharField(max_length=100, unique=True, validators=[pompolit.ledger.codes.CodeValidator('^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z', 'Use lower-case Latin letters, digits and hyphens, with “:” between levels (e.g. assets:bank).')]),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='code',
            field=models.CharField(max_length=64, unique=True, validators=[pompolit.ledger.codes.CodeValidator('^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z', 'Use lower-case Latin letters, digits and hyphens, with “:” between levels (e.g. assets:bank).')]),
        ),
        migrations.AlterField(
            model_name='currency',
            name='code',
            field=models.CharField(max_length=10, primary_key=True, serialize=False, validators=[pompolit.ledger.codes.CodeValidator('^[A-Z][A-Z0-9]{2,9}\\Z', 'Use 3 to 10 capital Latin letters or digits, starting with a letter (RUB).')]),
        ),
        migrations.AlterField(
            model_name='fund',
            name='code',
            field=models.CharField(max_length=64, unique=True, validators=[pompolit.ledger.codes.CodeValidator('^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z', 'Use lower-case Latin letters, digits and hyphens, with “:” between levels (e.g. assets:bank).')]),
        ),
        migrations.AlterField(
            model_name='fund',
            name='purpose',
            field=models.CharField(blank=True, max_length=100, validators=[pompolit.ledger.codes.CodeValidator('^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z', 'Use lower-case Latin letters, digits and hyphens, with “:” between levels (e.g. assets:bank).')]),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z')), name='ledger_account_code_ascii'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z')), name='ledger_campaign_code_ascii'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('goal_units__isnull', True), models.Q(('goal_units__gte', 0), ('goal_units__lte', 1000000000000000)), _connector='OR'), name='ledger_campaign_goal_bounded'),
        ),
        migrations.AddConstraint(
            model_name='currency',
            constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[A-Z][A-Z0-9]{2,9}\\Z')), name='ledger_currency_code_ascii'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(('units__gte', -1000000000000000), ('units__lte', 1000000000000000)), name='ledger_donation_bounded'),
        ),
        migrations.AddConstraint(
            model_name='donation',
            constraint=models.CheckConstraint(condition=models.Q(('channel__regex', '^[a-z][a-z0-9_]*\\Z')), name='ledger_donation_channel_ascii'),
        ),
        migrations.AddConstraint(
            model_name='entry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'reversal'), ('reverses__isnull', False)), models.Q(models.Q(('kind', 'reversal'), _negated=True), ('reverses__isnull', True)), _connector='OR'), name='ledger_entry_reversal_names_entry'),
        ),
        migrations.AddConstraint(
            model_name='exchangerate',
            constraint=models.CheckConstraint(condition=models.Q(('rate__lte', Decimal('1E+12'))), name='ledger_rate_bounded'),
        ),
        migrations.AddConstraint(
            model_name='expense',
            constraint=models.CheckConstraint(condition=models.Q(('units__lte', 1000000000000000)), name='ledger_expense_bounded'),
        ),
        migrations.AddConstraint(
            model_name='fund',
            constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z')), name='ledger_fund_code_ascii'),
        ),
        migrations.AddConstraint(
            model_name='fund',
            constraint=models.CheckConstraint(condition=models.Q(('purpose__regex', '^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*\\Z'), ('purpose', ''), _connector='OR'), name='ledger_fund_purpose_ascii'),
        ),
        migrations.AddConstraint(
            model_name='fundbalance',
            constraint=models.CheckConstraint(condition=models.Q(('units__gte', -1000000000000000000), ('units__lte', 1000000000000000000)), name='ledger_fundbalance_bounded'),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.CheckConstraint(condition=models.Q(('units__gte', -1000000000000000), ('units__lte', 1000000000000000)), name='ledger_posting_bounded'),
        ),
        migrations.RunPython(*append_only("ledger_currency", "ledger_entry", "ledger_posting",
                                          "ledger_donation", "ledger_expense")),
        migrations.RunPython(reversal_trigger, drop_reversal_trigger),
    ]
