"""Event types for aid that arrived (issue 13): a delivered parcel was logged as "letter
received". Each kind of aid gets its own sign of life; the rows already logged stay as they are.
Codes are stable (aid/lifecycle.py refers to them); labels may be edited by the group."""

from django.db import migrations

EVENT_TYPES = [
    # code, English, Russian
    ("parcel-delivered", "parcel delivered", "передача получена"),
    ("money-delivered", "money transfer received", "денежный перевод получен"),
    ("letter-delivered", "letter delivered", "письмо доставлено"),
    ("books-delivered", "books delivered", "книги получены"),
    ("aid-delivered", "aid delivered", "помощь получена"),
]


def seed(apps, schema_editor):
    EventType = apps.get_model("cases", "EventType")
    last = EventType.objects.order_by("-position").values_list("position", flat=True).first()
    for offset, (code, en, ru) in enumerate(EVENT_TYPES, start=1):
        EventType.objects.get_or_create(code=code, defaults={
            "label_en": en, "label_ru": ru, "position": (last or 0) + offset * 10,
            "custody_effect": "contact", "allowed_after_death": False})


def unseed(apps, schema_editor):
    EventType = apps.get_model("cases", "EventType")
    Event = apps.get_model("cases", "Event")
    codes = [code for code, _en, _ru in EVENT_TYPES]
    used = set(Event.objects.filter(type__code__in=codes).values_list("type__code", flat=True))
    EventType.objects.filter(code__in=set(codes) - used).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_free_text_encrypted")]
    operations = [migrations.RunPython(seed, unseed)]
