"""Aid costs are bounded like every amount of the books (ledger.money.MAX_UNITS)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aid', '0003_monthly_needs'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='aiditem',
            constraint=models.CheckConstraint(condition=models.Q(('cost_units__lte', 1000000000000000)), name='aid_item_cost_bounded'),
        ),
    ]
