from django.db import migrations

from pompolit.core.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("tlog", "0001_initial")]

    operations = [
        migrations.RunPython(*append_only("tlog_logentry", "tlog_signedcheckpoint")),
    ]
