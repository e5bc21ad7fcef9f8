import secrets

from django.db import migrations
from django.db.models import Q

# A copy, not an import: a migration must not depend on today's app code.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def fill_public_ids(apps, schema_editor):
    """Every case without a public id gets a random one of its own."""
    Case = apps.get_model("cases", "Case")
    missing = Q(public_id=None) | Q(public_id="")
    taken = set(Case.objects.exclude(missing).values_list("public_id", flat=True))
    for pk in list(Case.objects.filter(missing).values_list("pk", flat=True)):
        public_id = ""
        while not public_id or public_id in taken:
            public_id = "".join(secrets.choice(ALPHABET) for _ in range(12))
        taken.add(public_id)
        Case.objects.filter(pk=pk).update(public_id=public_id)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_case_public_id'),
    ]

    operations = [
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
    ]
