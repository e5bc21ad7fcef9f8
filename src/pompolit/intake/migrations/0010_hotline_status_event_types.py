"""The registry gets an event type for each hotline status a detention's history carries into a
case on escalation: the status is then a code, labelled in the reader's language, instead of a
label written in the language of whoever escalated (`services.escalate`). Events escalated
before keep the type "detention-update" and their label as it was written."""

from django.db import migrations

EVENT_TYPES = [
    # code ("hotline-" and the status's code), English, Russian; no custody effect, as before
    ("hotline-at-station", "at the police station (hotline)", "в ОВД (горячая линия)"),
    ("hotline-held-overnight", "held overnight (hotline)", "оставлен(а) на ночь (горячая линия)"),
    (
        "hotline-released",
        "released without charge (hotline)",
        "отпущен(а) без протокола (горячая линия)",
    ),
    (
        "hotline-released-protocol",
        "released with a protocol (hotline)",
        "отпущен(а) с протоколом (горячая линия)",
    ),
    ("hotline-fined", "fined (hotline)", "штраф (горячая линия)"),
    ("hotline-community-work", "community work (hotline)", "обязательные работы (горячая линия)"),
    (
        "hotline-admin-arrest",
        "administrative arrest, days (hotline)",
        "административный арест, суток (горячая линия)",
    ),
]


def seed(apps, schema_editor):
    EventType = apps.get_model("cases", "EventType")
    for code, en, ru in EVENT_TYPES:
        EventType.objects.get_or_create(
            code=code,
            defaults={"label_en": en, "label_ru": ru, "position": 201, "custody_effect": ""},
        )


def unseed(apps, schema_editor):
    EventType = apps.get_model("cases", "EventType")
    EventType.objects.filter(
        code__in=[code for code, _en, _ru in EVENT_TYPES], event__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_detention_export"),
        ("cases", "0013_free_text_encrypted"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
