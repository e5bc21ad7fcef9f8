from django.db import migrations

from pompolit.core.appendonly import append_only, extend_only


class Migration(migrations.Migration):
    dependencies = [("tlog", "0001_initial")]

    operations = [
        migrations.RunPython(*append_only("tlog_signedcheckpoint")),
        migrations.RunPython(*extend_only("tlog_logtile", "log_id", "level", "index")),
        migrations.RunPython(*extend_only("tlog_entrybundle", "log_id", "index")),
    ]
