"""A detention's history is append-only (database triggers); police stations become a facility
type, and the registry gets the event type a detention's history is carried in on escalation."""

from django.db import migrations

from pompolit.core.appendonly import append_only

FACILITY_TYPES = [("police-station", "police station", "отдел полиции (ОВД)")]
EVENT_TYPES = [
    # code, English, Russian: no custody effect (the arrest itself is the registry's "arrest")
    ("detention-update", "detention hotline update", "сведения горячей линии о задержании"),
]


def seed(apps, schema_editor):
    FacilityType = apps.get_model("cases", "FacilityType")
    EventType = apps.get_model("cases", "EventType")
    for code, en, ru in FACILITY_TYPES:
        FacilityType.objects.get_or_create(code=code, defaults={
            "label_en": en, "label_ru": ru, "position": 5})
    for code, en, ru in EVENT_TYPES:
        EventType.objects.get_or_create(code=code, defaults={
            "label_en": en, "label_ru": ru, "position": 200, "custody_effect": ""})


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_detentions"),
        ("cases", "0013_free_text_encrypted"),
    ]

    operations = [
        migrations.RunPython(*append_only("intake_statuschange")),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
