import unicodedata

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    # A copy of models.pseudonym_key: migrations do not import app code.
    Member = apps.get_model("members", "Member")
    for member in Member.objects.all():
        key = unicodedata.normalize("NFKC", " ".join(member.pseudonym.split())).casefold()
        member.pseudonym_key = key[:64]
        member.save(update_fields=["pseudonym_key"])


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="pseudonym_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="member",
            name="pseudonym_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
