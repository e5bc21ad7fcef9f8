# Three steps, as Django's docs advise for a unique field on a table with rows: add it
# empty (0005), give every row its own random id (0006), then make it unique (0007).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_imports'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='public_id',
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
    ]
