"""The starting vocabularies: case statuses, event types, facility types, regimes.

Codes are stable (other apps and imports refer to them); labels and the list itself are edited
by the group later. Close to HURIDOCS' "Events" micro-thesauri where those fit.
"""

from django.db import migrations

STATUSES = [
    # code, English, Russian, watched for signs of life
    ("detained", "detained", "задержан(а)", True),
    ("under-investigation", "under investigation", "под следствием", True),
    ("on-trial", "on trial", "под судом", True),
    ("sentenced", "sentenced", "осуждён (осуждена)", True),
    ("in-transit", "in transit between facilities", "на этапе", True),
    ("in-exile", "in exile", "в ссылке", True),
    ("released", "released", "на свободе", False),
    ("emigrated", "emigrated", "эмигрировал(а)", False),
    ("deceased", "deceased", "умер(ла)", False),
]

EVENT_TYPES = [
    # code, English, Russian, custody effect, allowed after death
    ("arrest", "arrest", "арест", "arrest", False),
    ("search", "search", "обыск", "", False),
    ("interrogation", "interrogation", "допрос", "", False),
    ("charge", "charge", "обвинение", "", False),
    ("hearing", "court hearing", "судебное заседание", "", False),
    ("verdict", "verdict", "приговор", "", False),
    ("appeal", "appeal", "апелляция", "", True),
    ("transfer", "transfer", "перевод (этап)", "transfer", False),
    ("punishment-cell", "punishment cell", "ШИЗО / карцер", "", False),
    ("hunger-strike", "hunger strike", "голодовка", "", False),
    ("illness", "illness", "болезнь", "", False),
    ("release", "release", "освобождение", "release", False),
    ("death", "death", "смерть", "death", False),
    ("letter", "letter received", "получено письмо", "contact", False),
    ("call", "call received", "звонок", "contact", False),
    ("visit", "visit", "свидание", "contact", False),
    ("rehabilitation", "rehabilitation", "реабилитация", "", True),
]

FACILITY_TYPES = [
    ("police-cell", "police cell (IVS)", "ИВС"),
    ("pretrial", "pre-trial detention (SIZO)", "СИЗО"),
    ("colony", "penal colony", "исправительная колония"),
    ("settlement-colony", "colony-settlement", "колония-поселение"),
    ("prison", "prison", "тюрьма"),
    ("camp", "camp", "лагерь"),
    ("exile", "place of exile", "место ссылки"),
    ("psychiatric", "psychiatric hospital", "психиатрическая больница"),
    ("hospital", "prison hospital", "тюремная больница"),
    ("other", "other", "другое"),
]

REGIMES = [
    ("general", "general regime", "общий режим"),
    ("strict", "strict regime", "строгий режим"),
    ("special", "special regime", "особый режим"),
    ("settlement", "colony-settlement", "колония-поселение"),
    ("prison", "prison regime", "тюремный режим"),
    ("educational", "educational colony", "воспитательная колония"),
]


def seed(apps, schema_editor):
    CaseStatus = apps.get_model("cases", "CaseStatus")
    EventType = apps.get_model("cases", "EventType")
    FacilityType = apps.get_model("cases", "FacilityType")
    Regime = apps.get_model("cases", "Regime")
    for position, (code, en, ru, watch) in enumerate(STATUSES):
        CaseStatus.objects.get_or_create(code=code, defaults={
            "label_en": en, "label_ru": ru, "position": position * 10,
            "watch_sign_of_life": watch})
    for position, (code, en, ru, effect, after_death) in enumerate(EVENT_TYPES):
        EventType.objects.get_or_create(code=code, defaults={
            "label_en": en, "label_ru": ru, "position": position * 10,
            "custody_effect": effect, "allowed_after_death": after_death})
    for model, rows in ((FacilityType, FACILITY_TYPES), (Regime, REGIMES)):
        for position, (code, en, ru) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={
                "label_en": en, "label_ru": ru, "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_registry")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
