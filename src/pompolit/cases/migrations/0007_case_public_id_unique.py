import pompolit.cases.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_fill_public_ids'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='public_id',
            field=models.CharField(default=pompolit.cases.models.new_public_id, editable=False,
                                   max_length=16, unique=True),
        ),
    ]
