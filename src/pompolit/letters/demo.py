"""Demo letters (`pompolit letters demo`, called by `pompolit demo`): three more modern
prisoners who agreed to receive letters (beside the registry's Чернышёв in ИК-6), one in a
remand prison where only relatives may write, and letters at every stage — waiting (one
flagged for the censor's topics, one asking for a translation), sent back, rejected,
approved, sent, delivered with a reply, blocked and returned. All the demo letters follow one
code, DEMO_CODE, printed by the command, so the writer's status page can be tried. Also: the
New Year cards campaign, three letters written on paper at an evening, the English letter
translated, and Горбунова's birthday in four days."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from pompolit.cases import services as cases
from pompolit.cases.facilities import services as facilities
from pompolit.cases.models import Case, CaseStatus, EventType, Facility, FacilityType
from pompolit.cases.partial import PartialDate
from pompolit.cases.public import consent
from pompolit.core.private_codes import complete
from pompolit.letters import campaigns, codes, paper, services, translations, work
from pompolit.letters.models import CardTheme, Letter, LetterRules, Status
from pompolit.letters.pick import recipient
from pompolit.members.models import Member
from pompolit.names import Name

# A valid code (its two check symbols computed as every private code's are), fixed for the demo.
DEMO_RANDOM = "DEM0WR1TERS0F0R0PR1S0NERS2"


def demo_code() -> str:
    return codes.grouped(complete(DEMO_RANDOM))


PEOPLE = [  # surname, given, patronymic, birth, facility key, letters welcome
    ("Горбунова", "Мария", "Сергеевна", "soon", "ik2"),
    ("Лисицын", "Павел", "Андреевич", "1979-05", "ik6"),
    ("Ермолаев", "Игорь", "Николаевич", "1990-02", "sizo"),
]


def _facilities(worker: Member) -> dict[str, Facility]:
    colony = FacilityType.objects.get(code="colony")
    made = {
        "ik6": Facility.objects.get(short_name="ИК-6"),
        "ik2": facilities.create_facility(
            worker, name="ФКУ ИК-2 УФСИН России по Республике Мордовия", short_name="ИК-2",
            type=colony, region="Республика Мордовия", city="пос. Явас",
            street="ул. Ленина, д. 5", postal_code="431160"),
        "sizo": facilities.create_facility(
            worker, name="ФКУ СИЗО-1 УФСИН России по г. Москве", short_name="Матросская Тишина",
            type=FacilityType.objects.get(code="pretrial"), region="Москва", city="Москва",
            street="ул. Матросская Тишина, д. 18", postal_code="107076"),
    }
    LetterRules.objects.create(facility=made["ik6"], languages=["ru"], max_chars=3000,
                               topics_to_avoid=["case", "charges", "war"], images_accepted=True,
                               max_images=2, service_max_chars=2500)
    LetterRules.objects.create(facility=made["ik2"], languages=["ru"], max_chars=6000,
                               topics_to_avoid=["war", "politics"])
    LetterRules.objects.create(facility=made["sizo"], relatives_only=True)
    return made


def _birth(birth: str) -> PartialDate:
    """Горбунова's birthday comes in four days, whenever the demo is loaded (the public
    "write to them this week" and the dashboard show her); the others' are known to the month."""
    if birth != "soon":
        return PartialDate.parse(birth)
    day = timezone.localdate() + datetime.timedelta(days=4)
    return PartialDate(1994, day.month, day.day if (day.month, day.day) != (2, 29) else 28)


def _people(worker: Member, compartment_case: Case, where: dict[str, Facility]) -> None:
    for surname, given, patronymic, birth, key in PEOPLE:
        case = cases.open_case(
            worker, compartment=compartment_case.compartment,
            name=Name(surname, given, patronymic), birth_date=_birth(birth),
            status=CaseStatus.objects.get(code="sentenced" if key != "sizo" else "detained"),
            notes="ДЕМО", opened_on=datetime.date(2024, 2, 1))
        cases.add_event(worker, case, type=EventType.objects.get(code="arrest"),
                        date=PartialDate.parse("2024-01"), facility=where[key])
        consent.give(worker, case, given_by="prisoner", given_on=datetime.date(2024, 3, 1),
                     scope=["name", "status", "facility", "birthday"])


LETTERS = [  # surname, text, outcome steps (status, note), translation, reply
    ("Чернышёв", "Здравствуйте, Алексей! Пишу вам из Казани. У нас выпал первый снег, а я "
     "перечитываю «Мастера и Маргариту». Что вы сейчас читаете?", [], False, ""),
    ("Чернышёв", "Алексей, надеюсь, суд по апелляции всё пересмотрит, а война скоро кончится.",
     [], False, ""),
    ("Горбунова", "Dear Maria, we think of you every day here in Lisbon. Stay strong!",
     [], True, ""),
    ("Лисицын", "Павел, держитесь! Расскажите, пожалуйста, подробно о вашем деле и статье.",
     [(Status.SENT_BACK, "Цензор не пропустит вопросы о деле: напишите о себе, о книгах, "
                         "о погоде.")], False, ""),
    ("Лисицын", "Ты получишь то, что заслужил.",
     [(Status.REJECTED, "Враждебное письмо: не отправляем.")], False, ""),
    ("Горбунова", "Мария, здравствуйте! Поздравляю с наступающим днём рождения. Пусть у вас "
     "будет хоть немного тепла.", [(Status.APPROVED, "")], False, ""),
    ("Чернышёв", "Алексей, посылаю вам рисунок нашего двора. Весной приедем к вам с друзьями "
     "мысленно.", [(Status.APPROVED, ""), (Status.SENT, "")], False, ""),
    ("Лисицын", "Павел, добрый день! Я учительница из Твери, мои ученики передают вам привет.",
     [(Status.APPROVED, ""), (Status.SENT, ""), (Status.DELIVERED, "")], False,
     "Спасибо вам и вашим ученикам! Письмо пришло через две недели. Здесь холодно, но "
     "держусь. Пришлите, если можно, стихи Бродского."),
    ("Горбунова", "Мария, как вы? Мы собрали для вас книги.",
     [(Status.APPROVED, ""), (Status.SENT, ""), (Status.BLOCKED,
                                                 "Цензор: «не соответствует правилам».")],
     False, ""),
    ("Чернышёв", "Алексей, с Новым годом! Пусть он будет последним там.",
     [(Status.APPROVED, ""), (Status.SENT, ""), (Status.RETURNED,
                                                 "Вернулось: адресат выбыл на этап.")],
     False, ""),
]


def load(worker: Member) -> int:
    """The demo letters, once; the number written (0 when they are there already)."""
    if Letter.objects.exists():
        return 0
    chernyshev = Case.objects.get(person__display_name__startswith="Чернышёв")
    with transaction.atomic():
        where = _facilities(worker)
        _people(worker, chernyshev, where)
        _campaign()
        code = demo_code()
        for surname, text, steps, translation, reply in LETTERS:
            case = Case.objects.get(person__display_name__startswith=surname)
            found = recipient(case.public_id)
            assert found is not None, surname
            letter = services.write_letter(found, text=text, wants_translation=translation,
                                           return_name="Оля из Казани", code=code).letter
            for status, note in steps:
                letter = work.move(worker, letter, status, note=note)
            if reply:
                work.add_reply(worker, letter, received_on=timezone.localdate(),
                               transcription=reply)
        _paper_and_translation(worker)
    return len(LETTERS)


def _campaign() -> None:
    """New Year cards, 1 December – 10 January of the season now or next (from the command
    line: no coordinator is at hand)."""
    today = timezone.localdate()
    year = today.year - 1 if today <= datetime.date(today.year, 1, 10) else today.year
    campaigns.create_campaign(
        None, name_en="New Year cards", name_ru="Новогодние открытки",
        starts_on=datetime.date(year, 12, 1), ends_on=datetime.date(year + 1, 1, 10),
        suggestion_en="Wish them a happy New Year: tell them how you will see it in, what "
                      "the streets look like, what you wish them for the year.",
        suggestion_ru="Поздравьте с Новым годом: расскажите, как вы его встретите, как "
                      "украшены улицы, чего вы им желаете в новом году.",
        card_theme=CardTheme.NEW_YEAR)


def _paper_and_translation(worker: Member) -> None:
    """Three letters written on paper at an evening two days ago, and the English letter
    translated by a volunteer (the worker, who declared English)."""
    lisitsyn = recipient(Case.objects.get(person__display_name__startswith="Лисицын").public_id)
    assert lisitsyn is not None
    paper.enter(worker, lisitsyn, count=3,
                written_on=timezone.localdate() - datetime.timedelta(days=2),
                evening="Вечер писем в Тбилиси, кафе «Пури»")
    translations.declare_languages(worker, ["en", "ka"])
    english = Letter.objects.get(language="en", wants_translation=True)
    translations.translate(worker, english, language="ru", text=(
        "Дорогая Мария, мы думаем о вас каждый день здесь, в Лиссабоне. Держитесь!"))
