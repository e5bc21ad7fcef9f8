"""Synthetic modern cases for benchmarks and load tests: `pompolit demo --cases 100000`.

Every case is invented and says so: its notes start with SYNTHETIC_MARK, the facilities made
here carry it in their notes, and the compartments `demo --cases` makes are named so. The
people are drawn at random (a seed makes the set repeatable) from Russian, Ukrainian, Tatar,
Chechen, Georgian, Armenian, Kazakh and foreign names, in their own scripts, with ≈2 more
names each (a passport spelling, a French spelling, a maiden name, a pseudonym); ≈10 events per
case that make a true custody story (arrest, searches, hearings, verdict, transfers, punishment
cells, hunger strikes, letters), partial dates among them; charges, case numbers, notes.

It is fast because it skips the per-row services, writing in batches with `bulk_create`; it
writes exactly what the services would: the names' search keys (`pompolit.names.search_keys`),
the case number key, the keyed word index (`fulltext.add_words`), and the derived fields
(current facility, in custody since, last contact, status after a release or a death) computed
by the same `custody.check_custody` and `custody.derive_custody_fields`. What it leaves out on
purpose: one audit entry per case (one `cases.synthetic_generated` entry counts them instead)
and some encrypted fields (lawyer's contact, needs, confidential notes, relatives stay empty).
Notes and events' free text are encrypted, as the services would: the vault must be unsealed.
Each batch is its own transaction: an interrupted run leaves whole cases only.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from pompolit.audit.services import record
from pompolit.cases.custody import Step, check_custody, derive_custody_fields
from pompolit.cases.models import (
    Case,
    CaseStatus,
    Charge,
    CoarseKey,
    Event,
    EventType,
    Facility,
    FacilityType,
    NameKey,
    NameKind,
    Person,
    PersonName,
    Regime,
)
from pompolit.cases.partial import PartialDate
from pompolit.cases.search import fulltext
from pompolit.cases.services import number_key
from pompolit.members.models import Compartment, Member
from pompolit.names import Name, search_keys
from pompolit.names.translit import transliterations

SYNTHETIC_MARK = "[СИНТЕТИКА / SYNTHETIC]"

# -- people ------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


RU_SURNAMES = _words(
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов "
    "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев "
    "Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв "
    "Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков "
    "Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров "
    "Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов "
    "Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов "
    "Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин "
    "Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв "
    "Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев "
    "Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов "
    "Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов "
    "Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров Симонов "
    "Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов Софронов Мальцев "
    "Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дёмин "
    "Хохлов Фадеев Молчанов Игнатов Литвинов Ершов Ушаков Дементьев Рябов Мухин Калашников "
    "Леонтьев Лобанов Кузин Корнилов Евдокимов Бородин Платонов Некрасов Балашов Бобров "
    "Жданов Блинов Игнатьев Коротков Муравьёв Крюков Беляков Богомолов Дроздов Лавров Зуев "
    "Петухов Ларин Никулин Серов Терентьев Зотов Устинов Фокин Самойлов Константинов Сахаров "
    "Шишкин Самсонов Черкасов Чистяков Носов Спиридонов Карасёв Авдеев Воронцов Зверев "
    "Владимиров Селезнёв Нечаев Кудряшов Седов Фирсов Андрианов Панин Головин Терехов "
    "Ульянов Шестаков Агеев Никонов Селиванов Баженов Гордеев Кожевников Пахомов Зимин "
    "Костин Широков Филимонов Ларионов Овсянников Сазонов Суворов Нефёдов Корнилов Гуляев"
)
RU_INVARIANT = _words("Черных Седых Белых Долгих Шевчук Бондаренко Коваленко Ткаченко Кравченко "
                "Шевченко Мельник Гребень Гольдман Шапиро Кац Рабинович")
RU_MALE = _words("Александр Алексей Андрей Антон Артём Борис Вадим Василий Виктор Виталий Владимир "
           "Владислав Вячеслав Георгий Глеб Григорий Даниил Денис Дмитрий Евгений Егор Иван "
           "Игорь Илья Кирилл Константин Лев Леонид Максим Матвей Михаил Никита Николай Олег "
           "Павел Пётр Роман Руслан Сергей Станислав Степан Тимофей Тимур Фёдор Юрий Ярослав"
           )
RU_FEMALE = _words("Александра Алёна Алина Анастасия Анна Валентина Валерия Вера Виктория Галина "
             "Дарья Евгения Екатерина Елена Елизавета Жанна Зоя Ирина Ксения Лариса Любовь "
             "Людмила Маргарита Марина Мария Надежда Наталья Нина Оксана Ольга Полина Светлана "
             "Софья Татьяна Ульяна Юлия Яна")
PATRONYMICS = _words(
    "Александрович Алексеевич Андреевич Борисович Васильевич Викторович Владимирович "
    "Геннадьевич Дмитриевич Евгеньевич Иванович Игоревич Михайлович Николаевич Олегович "
    "Павлович Петрович Сергеевич Юрьевич Анатольевич Валерьевич Вадимович Романович"
)
UK = [("Шевчук", "Тарас", "Ігорович"), ("Бондаренко", "Олена", "Петрівна"),
      ("Коваль", "Андрій", "Миколайович"), ("Ткачук", "Юлія", "Василівна"),
      ("Мельничук", "Олексій", "Іванович"), ("Гриценко", "Наталія", "Олегівна"),
      ("Кравчук", "Євген", "Сергійович"), ("Поліщук", "Ірина", "Юріївна")]
TATAR = [("Галиев", "Ринат", "Ильдарович"), ("Хабибуллина", "Гульнара", "Маратовна"),
         ("Сафин", "Айдар", "Рустемович"), ("Зарипов", "Ильнур", "Фаритович"),
         ("Асанов", "Эрнест", "Сейтумерович"), ("Умеров", "Нариман", "Ильмиевич")]
CHECHEN = [("Дудаев", "Ислам", "Русланович"), ("Мусаева", "Зарема", "Ахмедовна"),
           ("Алиев", "Магомед", "Абдулаевич"), ("Исмаилов", "Руслан", "Хасанович")]
KAZAKH = [("Нурланов", "Ерлан", "Серикович"), ("Ахметова", "Айгерим", "Болатовна"),
          ("Жумабаев", "Данияр", "Маратович")]
GEORGIAN = [("ბერიძე", "გიორგი", ""), ("კაპანაძე", "ნინო", ""), ("გელაშვილი", "დავით", "")]
ARMENIAN = [("Պետրոսյան", "Արամ", ""), ("Հակոբյան", "Անի", ""), ("Սարգսյան", "Տիգրան", "")]
FOREIGN = [("Müller", "Jan", ""), ("Kowalski", "Piotr", ""), ("Smith", "John", ""),
           ("Dubois", "Claire", ""), ("Nowak", "Anna", ""), ("García", "Luis", "")]
PSEUDONYMS = _words("Кот Граф Сокол Монах Дед Малыш Студент Художник Doc Shaman Ворон Лис Поэт "
              "Механик Тихий Сибиряк")


def _feminine(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    return surname


def _patronymic(male: str, female: bool) -> str:
    return male[:-2] + "на" if female else male


def _latin(word: str, scheme: str = "icao_doc_9303") -> str:
    if not word:
        return ""
    spelled = transliterations(word)[scheme]
    return spelled[:1].upper() + spelled[1:]


def _person_names(rng: random.Random) -> tuple[Name, list[tuple[str, Name]], bool]:
    """The primary name, the other names (kind, name) and whether she is a woman."""
    draw = rng.random()
    others: list[tuple[str, Name]] = []
    female = rng.random() < 0.22
    if draw < 0.70:
        surname = rng.choice(RU_SURNAMES if rng.random() < 0.9 else RU_INVARIANT)
        given = rng.choice(RU_FEMALE if female else RU_MALE)
        patronymic = _patronymic(rng.choice(PATRONYMICS), female)
        if female:
            surname = _feminine(surname)
        primary = Name(surname, given, patronymic)
    else:
        pool = rng.choice((UK, UK, TATAR, TATAR, CHECHEN, KAZAKH, GEORGIAN, ARMENIAN, FOREIGN))
        primary = Name(*rng.choice(pool))
        female = primary.given in ("Олена", "Юлія", "Наталія", "Ірина", "Гульнара", "Зарема",
                                   "Айгерим", "ნინო", "Անի", "Claire", "Anna")
    cyrillic = any("а" <= c <= "я" or c in "іїєё" for c in primary.surname.casefold())
    if cyrillic and rng.random() < 0.9:
        others.append((NameKind.ALIAS, Name(_latin(primary.surname), _latin(primary.given))))
    if cyrillic and rng.random() < 0.5:
        others.append((NameKind.ALIAS, Name(_latin(primary.surname, "mvd_310_fr"),
                                            _latin(primary.given, "mvd_310_fr"))))
    if female and cyrillic and rng.random() < 0.5:
        others.append((NameKind.FORMER, Name(_feminine(rng.choice(RU_SURNAMES)),
                                             primary.given, primary.patronymic)))
    if rng.random() < 0.35:
        others.append((NameKind.PSEUDONYM, Name(rng.choice(PSEUDONYMS), "")))
    if not cyrillic and rng.random() < 0.8:
        from anyascii import anyascii

        others.append((NameKind.ALIAS, Name(anyascii(primary.surname).title(),
                                            anyascii(primary.given).title())))
    return primary, others, female


@lru_cache(maxsize=100_000)
def _keys(surname: str, given: str, patronymic: str) -> tuple[str, ...]:
    return tuple(sorted(search_keys(Name(surname, given, patronymic))))


# -- facilities --------------------------------------------------------------------------------

REGIONS = [
    ("Москва", "г. Москве", "Москва", "101"), ("Санкт-Петербург", "г. Санкт-Петербургу",
                                                "Санкт-Петербург", "190"),
    ("Московская область", "Московской области", "Можайск", "143"),
    ("Омская область", "Омской области", "Омск", "644"),
    ("Пермский край", "Пермскому краю", "Пермь", "614"),
    ("Свердловская область", "Свердловской области", "Екатеринбург", "620"),
    ("Республика Мордовия", "Республике Мордовия", "Явас", "431"),
    ("Республика Коми", "Республике Коми", "Сыктывкар", "167"),
    ("Красноярский край", "Красноярскому краю", "Красноярск", "660"),
    ("Кировская область", "Кировской области", "Киров", "610"),
    ("Владимирская область", "Владимирской области", "Владимир", "600"),
    ("Ярославская область", "Ярославской области", "Ярославль", "150"),
    ("Нижегородская область", "Нижегородской области", "Нижний Новгород", "603"),
    ("Республика Татарстан", "Республике Татарстан", "Казань", "420"),
    ("Республика Башкортостан", "Республике Башкортостан", "Уфа", "450"),
    ("Ростовская область", "Ростовской области", "Ростов-на-Дону", "344"),
    ("Краснодарский край", "Краснодарскому краю", "Краснодар", "350"),
    ("Республика Крым", "Республике Крым и г. Севастополю", "Симферополь", "295"),
    ("Чеченская Республика", "Чеченской Республике", "Грозный", "364"),
    ("Новосибирская область", "Новосибирской области", "Новосибирск", "630"),
    ("Иркутская область", "Иркутской области", "Иркутск", "664"),
    ("Хабаровский край", "Хабаровскому краю", "Хабаровск", "680"),
    ("Оренбургская область", "Оренбургской области", "Оренбург", "460"),
    ("Саратовская область", "Саратовской области", "Саратов", "410"),
    ("Тверская область", "Тверской области", "Тверь", "170"),
    ("Курганская область", "Курганской области", "Курган", "640"),
    ("Ямало-Ненецкий автономный округ", "Ямало-Ненецкому автономному округу", "Лабытнанги",
     "629"),
    ("Забайкальский край", "Забайкальскому краю", "Чита", "672"),
    ("Вологодская область", "Вологодской области", "Вологда", "160"),
    ("Архангельская область", "Архангельской области", "Архангельск", "163"),
]
FACILITY_KINDS = [  # (type code, name pattern, how many per region)
    ("pretrial", "ФКУ СИЗО-{n} УФСИН России по {region}", 3),
    ("colony", "ФКУ ИК-{n} УФСИН России по {region}", 5),
    ("police-cell", "ИВС ОМВД России № {n} по {region}", 1),
    ("hospital", "ФКУЗ МСЧ-{n} ФСИН России по {region}", 1),
]
# (type code, region index) → facility ids, filled by _facilities
FacilityIndex = dict[tuple[str, int], list[int]]


def _facilities(rng: random.Random) -> FacilityIndex:
    """≈300 synthetic facilities (10 per region), made once and found again on later runs."""
    types = {t.code: t for t in FacilityType.objects.all()}
    existing = {f.name: f.pk for f in Facility.objects.filter(notes__startswith=SYNTHETIC_MARK)}
    index: FacilityIndex = {}
    new: list[tuple[tuple[str, int], Facility]] = []
    for r, (region, dative, city, postal) in enumerate(REGIONS):
        for code, pattern, count in FACILITY_KINDS:
            for n in range(1, count + 1):
                name = pattern.format(n=n * (1 if code != "colony" else 3), region=dative)
                if name in existing:
                    index.setdefault((code, r), []).append(existing[name])
                    continue
                new.append(((code, r), Facility(
                    name=name, short_name=name.split(" ", 2)[1], type=types[code],
                    country="RU", region=region, city=city,
                    street=f"ул. {rng.choice(['Ленина', 'Советская', 'Тюремная', 'Мира'])}, "
                           f"д. {rng.randint(1, 120)}",
                    postal_code=f"{postal}{rng.randint(0, 999):03d}",
                    letter_service="ФСИН-письмо" if code != "police-cell" else "",
                    notes=f"{SYNTHETIC_MARK} Учреждение придумано для нагрузочных тестов.",
                )))
    Facility.objects.bulk_create([f for _k, f in new])
    for key, facility in new:
        index.setdefault(key, []).append(facility.pk)
    return index


# -- timelines ---------------------------------------------------------------------------------

CHARGES = [("УК РФ", "280.3 ч. 1", "дискредитация армии"),
           ("УК РФ", "207.3 ч. 2", "«фейки» об армии"),
           ("УК РФ", "275", "государственная измена"),
           ("УК РФ", "282.2 ч. 2", "участие в экстремистской организации"),
           ("УК РФ", "205.2 ч. 2", "оправдание терроризма"),
           ("УК РФ", "212 ч. 2", "участие в массовых беспорядках"),
           ("УК РФ", "318 ч. 1", "применение насилия к представителю власти"),
           ("УК РФ", "354.1 ч. 3", "реабилитация нацизма")]
SEARCH_PLACES = ["квартира", "дача", "офис", "квартира родителей", "мастерская"]
SUMMARIES = {
    "search": ["Обыск, изъяты телефоны и ноутбук", "Обыск у родственников, изъяты книги",
               "Обыск в квартире, изъяты листовки и жёсткие диски"],
    "interrogation": ["Допрос без адвоката по соглашению", "Допрос, отказался от дачи "
                      "показаний по ст. 51 Конституции", "Допрос свидетелем, затем подозреваемым"],
    "charge": ["Предъявлено обвинение", "Обвинение переквалифицировано на более тяжкую статью"],
    "hearing": ["Продление меры пресечения", "Судебное заседание, допрошены свидетели обвинения",
                "Заседание отложено: не доставили из СИЗО", "Прения сторон",
                "Последнее слово подсудимого"],
    "verdict": ["Приговор: {term} колонии {regime} режима", "Приговор: {term}, штраф"],
    "appeal": ["Апелляция отклонена, приговор оставлен в силе",
               "Апелляционный суд снизил срок на полгода"],
    "punishment-cell": ["Водворён в ШИЗО на 15 суток", "ШИЗО за «нарушение формы одежды»",
                        "Переведён в ПКТ на три месяца", "Карцер после отказа выходить на работу"],
    "hunger-strike": ["Объявил голодовку в знак протеста против условий содержания",
                      "Голодовка с требованием медицинской помощи",
                      "Голодовка прекращена на десятый день"],
    "illness": ["Жалобы на сердце, в медчасти отказали в обследовании",
                "Обострение диабета, нужен инсулин", "Пневмония, переведён в больницу",
                "Проблемы с зубами, нужен стоматолог"],
    "letter": ["Письмо родным: держится, просит книги", "Письмо через ФСИН-письмо, просит тёплые "
               "вещи", "Открытка друзьям: благодарит за поддержку", "Письмо: просит лекарства "
               "и витамины", "Письмо адвокату о давлении администрации"],
    "call": ["Звонок матери, голос бодрый", "Короткий звонок: этапируют"],
    "visit": ["Длительное свидание с женой", "Краткосрочное свидание с матерью"],
    "transfer": ["Этапирован в колонию", "Перевод в другую колонию после жалоб"],
    "release": ["Освобождён по отбытии срока", "Освобождён условно-досрочно"],
    "death": ["Скончался в колонии; причина смерти не сообщается"],
    "arrest": ["Задержан у дома", "Задержан после одиночного пикета", "Задержан в аэропорту"],
}
NOTES = ["Поддерживают мать и сестра.", "Нужны письма: ответы приходят с задержкой.",
         "Адвокат по соглашению, оплата от фонда.", "Плохо переносит этапы.",
         "Просит книги по истории и словари.", "Жена уехала из страны, связь через друзей.",
         "Есть хронические заболевания, нужна диета.", "Переписка на русском и английском.",
         "Дело публичное, о нём писали СМИ.", "Родственники просят не публиковать адрес."]


@dataclass
class Built:
    person: Person
    names: list[tuple[str, Name, bool]]
    case: Case
    events: list[Event]
    charges: list[Charge]


def _date(day: datetime.date, rng: random.Random, blur: float = 0.08) -> PartialDate:
    roll = rng.random()
    if roll < blur / 3:
        return PartialDate(day.year)
    if roll < blur:
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


class _Timeline:
    """Events of one case in order, each a (type code, day, facility id, place, summary)."""

    def __init__(self, rng: random.Random, facilities: FacilityIndex, region: int) -> None:
        self.rng, self.facilities, self.region = rng, facilities, region
        self.items: list[tuple[str, PartialDate, int | None, str, str]] = []

    def add(self, code: str, day: datetime.date, *, facility: int | None = None,
            place: str = "", blur: float = 0.08) -> None:
        summary = self.rng.choice(SUMMARIES.get(code, [""]))
        self.items.append((code, _date(day, self.rng, blur), facility, place, summary))

    def facility(self, code: str, region: int | None = None) -> int:
        return self.rng.choice(self.facilities[(code, self.region if region is None else region)])


def _timeline(rng: random.Random, facilities: FacilityIndex, status: str, today: datetime.date
              ) -> tuple[_Timeline, datetime.date, str]:
    region = rng.randrange(len(REGIONS))
    city = REGIONS[region][2]
    t = _Timeline(rng, facilities, region)
    stage = {"detained": 0, "under-investigation": 1, "on-trial": 2, "sentenced": 3,
             "in-transit": 3, "released": 4, "emigrated": 4, "deceased": 3}[status]
    arrested = today - datetime.timedelta(days=rng.randint(5, 5 * 365) if stage else
                                          rng.randint(1, 30))
    day = arrested
    t.add("arrest", day, facility=t.facility("pretrial"), place=city, blur=0)
    t.add("search", day, place=f"{rng.choice(SEARCH_PLACES)}, {city}", blur=0)

    def later(low: int, high: int) -> datetime.date:
        nonlocal day
        day = min(day + datetime.timedelta(days=rng.randint(low, high)), today)
        return day

    if stage == 0:
        t.add("interrogation", later(0, 2), place=city, blur=0)
        return t, arrested, ""
    t.add("interrogation", later(0, 3), place=city)
    t.add("charge", later(1, 30))
    t.add("letter", later(20, 60))
    if stage >= 2:
        for _ in range(rng.randint(2, 4)):
            t.add("hearing", later(20, 90), place=f"{city}, районный суд")
    term = f"{rng.randint(2, 12)} лет"
    if stage >= 3:
        t.add("verdict", later(7, 40), place=city)
        regime = rng.choice(["общего", "строгого"])
        verdict = t.items[-1]
        t.items[-1] = (*verdict[:4], verdict[4].format(term=term, regime=regime))
        if rng.random() < 0.6:
            t.add("appeal", later(60, 150))
        t.add("transfer", later(30, 90), facility=t.facility(
            "colony", rng.randrange(len(REGIONS)) if rng.random() < 0.6 else None))
        for _ in range(rng.randint(1, 3)):
            t.add(rng.choice(["letter", "letter", "call", "visit"]), later(10, 120))
        if rng.random() < 0.4:
            t.add(rng.choice(["punishment-cell", "hunger-strike", "illness"]), later(5, 90))
        if status == "in-transit":
            t.add("transfer", later(20, 200), facility=t.facility(
                "colony", rng.randrange(len(REGIONS))))
        elif status == "deceased":
            t.add("illness", later(10, 100))
            t.add("death", later(5, 60))
        else:
            t.add("letter", later(3, 45), blur=0.15)
    if stage == 4:
        t.add("release", later(30, 400))
    elif stage in (1, 2):
        t.add(rng.choice(["letter", "call", "hunger-strike"]), later(5, 60))
    return t, arrested, term


STATUS_WEIGHTS = {"detained": 4, "under-investigation": 14, "on-trial": 12, "sentenced": 50,
                  "in-transit": 5, "released": 10, "emigrated": 3, "deceased": 2}


def _case_number(rng: random.Random, year: int) -> str:
    return rng.choice([
        f"1-{rng.randint(1, 2999)}/{year}",
        f"{rng.randint(1, 2):d}{rng.randint(10000, 99999)}{year % 100:02d}0"
        f"{rng.randint(100000000, 999999999)}",
        f"22-{rng.randint(100, 9999)}/{year + 1}",
    ])


class Generator:
    def __init__(self, compartments: Sequence[Compartment], seed: int,
                 today: datetime.date) -> None:
        self.today = today
        self.rng = random.Random(seed)  # noqa: S311  (repeatable, not secret)
        self.compartments = list(compartments)
        self.statuses = {s.code: s for s in CaseStatus.objects.all()}
        self.types = {t.code: t for t in EventType.objects.all()}
        self.regimes = {r.code: r for r in Regime.objects.all()}
        # Their own generator: a second run finds them made and must draw the same people.
        self.facilities = _facilities(random.Random(seed))  # noqa: S311
        self.facility_labels = dict(Facility.objects.values_list("pk", "short_name"))
        self.status_codes = list(STATUS_WEIGHTS)
        self.status_weights = list(STATUS_WEIGHTS.values())

    def build(self, events: bool = True) -> Built:
        """One case and its person; without `events`, the timeline only derives the case's
        fields (the same draws: the same people and cases as with them)."""
        rng = self.rng
        primary, others, _female = _person_names(rng)
        status = rng.choices(self.status_codes, self.status_weights)[0]
        timeline, arrested, term = _timeline(rng, self.facilities, status, self.today)
        birth = datetime.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        person = Person(birth_date=_date(birth, rng, 0.15) if rng.random() < 0.9 else None,
                        display_name=str(primary))
        person.birth_date_lower = person.birth_date.lower if person.birth_date else None
        compartment = rng.choice(self.compartments)
        number = _case_number(rng, arrested.year) if rng.random() < 0.85 else ""
        notes = " ".join([SYNTHETIC_MARK, *rng.sample(NOTES, rng.randint(1, 3))])
        case = Case(
            compartment=compartment, status=self.statuses[status],
            priority=rng.choices([1, 2, 3, 4], [3, 12, 75, 10])[0],
            court=f"{REGIONS[timeline.region][2]}, районный суд" if status != "detained" else "",
            case_number=number, case_number_key=number_key(number), notes=notes,
            sentence_term=term, sentence_regime=self.regimes["general"] if term else None,
            opened_on=min(arrested + datetime.timedelta(days=rng.randint(0, 20)), self.today),
            recognised_by="«Мемориал»" if rng.random() < 0.3 else "",
        )
        made: list[Event] | None = [] if events else None
        steps = []
        for i, (code, date, facility, place, summary) in enumerate(timeline.items):
            kind = self.types[code]
            if made is not None:
                made.append(Event(
                    compartment=compartment, type=kind, date=date, date_lower=date.lower,
                    date_upper=date.upper, facility_id=facility, place=place, summary=summary,
                ))
            steps.append(Step(date=date, effect=kind.custody_effect, label=kind.label_en,
                              facility_id=facility,
                              facility_label=self.facility_labels.get(facility or 0, ""),
                              allowed_after_death=kind.allowed_after_death, ref=i))
        custody = check_custody(steps)  # the services' own rules: a false story raises here
        derived = derive_custody_fields(custody,
                                        status_watched=case.status.watch_sign_of_life)
        case.current_facility_id = derived.current_facility_id
        case.in_custody_since = derived.in_custody_since
        case.last_contact_on = derived.last_contact_on
        if derived.status:
            case.status = self.statuses[derived.status]
        code, article, text = rng.choice(CHARGES)
        charges = [Charge(code=code, article=article, text=text)]
        names = [(NameKind.NAME, primary, True)] + [(k, n, False) for k, n in others]
        return Built(person, names, case, made or [], charges if events else [])


def _save(batch: list[Built], events_: bool = True) -> tuple[int, int, int]:
    Person.objects.bulk_create([b.person for b in batch])
    rows: list[PersonName] = []
    for b in batch:
        for kind, name, primary in b.names:
            rows.append(PersonName(person=b.person, kind=kind, surname=name.surname,
                                   given=name.given, patronymic=name.patronymic,
                                   is_primary=primary))
    PersonName.objects.bulk_create(rows)
    keys = [(row.pk, row.person_id, key) for row in rows
            for key in _keys(row.surname, row.given, row.patronymic)]
    table = NameKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (name_id, person_id, key) VALUES (%s, %s, %s)", keys  # noqa: S608
        )
    CoarseKey.add(key for _name, _person, key in keys)
    for b in batch:
        b.case.person = b.person
    Case.objects.bulk_create([b.case for b in batch])
    events: list[Event] = []
    charges: list[Charge] = []
    for b in batch:
        for event in b.events:
            event.case = b.case
        for charge in b.charges:
            charge.case = b.case
        events += b.events
        charges += b.charges
    Event.objects.bulk_create(events)
    Charge.objects.bulk_create(charges)
    if not events_:
        return len(rows), len(keys), 0
    fulltext.add_words(
        (b.case.pk, b.case.compartment_id,
         [b.case.notes, *(t for e in b.events for t in (e.place, e.summary, e.source))])
        for b in batch)
    return len(rows), len(keys), len(events)


@dataclass(frozen=True)
class Stats:
    cases: int
    names: int
    keys: int
    events: int
    seconds: float


def generate(compartments: Sequence[Compartment], cases: int, *, seed: int = 1,
             batch_size: int = 2000, actor: Member | None = None,
             today: datetime.date | None = None,
             progress: Callable[[str], None] = print, events: bool = True) -> Stats:
    """Write `cases` synthetic cases into the compartments, in batches, reporting progress.

    Without `events`: the same people, names, keys and cases (their current facility, status
    and dates derived from the same timelines), but no events, charges nor word index — what
    the duplicates bench needs, in a fraction of the time."""
    started = time.monotonic()
    with_events = events
    generator = Generator(compartments, seed, today or timezone.localdate())
    names = keys = made = done = 0
    while done < cases:
        batch = [generator.build(with_events) for _ in range(min(batch_size, cases - done))]
        with transaction.atomic():
            n, k, e = _save(batch, with_events)
        names, keys, made, done = names + n, keys + k, made + e, done + len(batch)
        elapsed = time.monotonic() - started
        eta = elapsed / done * (cases - done)
        progress(f"synthetic cases: {done:,}/{cases:,} ({100 * done // cases}%), "
                 f"{names:,} names, {keys:,} keys, {made:,} events — {elapsed:.0f} s, "
                 f"≈{eta:.0f} s to go")
    with transaction.atomic():
        record("cases.synthetic_generated", actor=actor,
               details={"cases": cases, "names": names, "events": made, "seed": seed,
                        "compartments": [c.pk for c in compartments]})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, or the planners guess on the new rows
    return Stats(cases, names, keys, made, time.monotonic() - started)
