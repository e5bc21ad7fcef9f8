"""A small historical demo set in the spirit of the Political Red Cross (1918–1938).

Clearly marked as demo: every case's notes say so. Victor Serge's exile in Orenburg follows his
memoirs (dates to the month); the other people are invented, their stories typical of the
time: socialists and anarchists in the Lubyanka and the Butyrka, the Solovki camp, exile.
One modern, invented case shows a colony address and rules that changed over time.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pompolit.cases import services
from pompolit.cases.facilities import services as facility_services
from pompolit.cases.models import Case, CaseStatus, EventType, Facility, FacilityType, Regime
from pompolit.cases.partial import PartialDate
from pompolit.cases.public import consent
from pompolit.members.models import Compartment, Member
from pompolit.names import Name

DEMO_NOTE = "ДЕМО: вымышленные или приблизительные данные для знакомства с Помполитом."

FACILITIES = {
    "lubyanka": ("Внутренняя тюрьма ОГПУ", "Лубянка", "prison", "Москва", "Москва",
                 "ул. Большая Лубянка, д. 2"),
    "butyrka": ("Бутырская тюрьма", "Бутырки", "prison", "Москва", "Москва",
                "ул. Новослободская, д. 45"),
    "solovki": ("Соловецкий лагерь особого назначения", "СЛОН", "camp",
                "Архангельская губерния", "Соловецкие острова", ""),
    "verkhneuralsk": ("Верхнеуральский политизолятор", "Верхнеуральск", "prison",
                      "Уральская область", "Верхнеуральск", ""),
    "orenburg": ("Оренбург, место ссылки", "Оренбург", "exile", "Оренбургская губерния",
                 "Оренбург", ""),
}

# surname, given, patronymic, born, status, aliases, events (type, date, facility, summary)
PEOPLE: list[tuple[str, str, str, str, str, list[Name], list[tuple[str, str, str, str]]]] = [
    ("Кибальчич", "Виктор", "Львович", "1890-12", "emigrated",
     [Name("Серж", "Виктор"), Name("Kibaltchiche", "Victor"), Name("Serge", "Victor")],
     [("arrest", "1933-03", "lubyanka", "Арестован в Ленинграде, доставлен на Лубянку."),
      ("transfer", "1933-06", "orenburg", "Административная ссылка в Оренбург на три года."),
      ("letter", "1934-02", "", "Письмо: голод в городе, просит денег на хлеб для сына."),
      ("illness", "1935", "", "Болезнь; помощь врача через Помполит."),
      ("release", "1936-04", "", "Освобождён и выслан за границу после кампании в Европе.")]),
    ("Ремизова", "Анна", "Петровна", "1897", "in-exile",
     [Name("Remizova", "Anna")],
     [("arrest", "1922-03", "lubyanka", "Арестована по делу эсеров."),
      ("transfer", "1923-07", "solovki", "Этап на Соловки."),
      ("hunger-strike", "1923-12", "", "Голодовка политических против режима лагеря."),
      ("transfer", "1925", "orenburg", "Сослана на три года в Оренбург."),
      ("letter", "1925-11-02", "", "Письмо сестре: просит тёплые вещи.")]),
    ("Гольдман", "Яков", "Моисеевич", "1899-05", "in-exile",
     [Name("Goldman", "Jakob"), Name("Чёрный", "Яша")],
     [("arrest", "1921-03", "butyrka", "Арест анархистов в Москве."),
      ("transfer", "1921-09", "orenburg", "Ссылка."),
      ("letter", "1922-01-15", "", "Получил посылку, благодарит.")]),
    ("Лебедева", "Вера", "Николаевна", "1901-02-11", "sentenced",
     [Name("Lebedeva", "Vera")],
     [("arrest", "1924-06", "lubyanka", "Арест по делу меньшевиков."),
      ("verdict", "1924-10", "", "Особое совещание: три года политизолятора."),
      ("transfer", "1925-01", "verkhneuralsk", "Этап в Верхнеуральский политизолятор."),
      ("illness", "1925-11", "", "Цинга."),
      ("letter", "1926-04-20", "", "Просит лимоны и чеснок.")]),
]


SERGE_STORY_RU = ("Писатель и революционер. В 1933 году арестован и сослан в Оренбург; "
                  "кампания писателей в Европе добилась его освобождения в 1936 году.")
SERGE_STORY_EN = ("Writer and revolutionary. Arrested in 1933 and exiled to Orenburg; a "
                  "campaign of writers in Europe won his release in 1936.")


def load(worker: Member, compartment: Compartment) -> int:
    """The demo cases, opened by `worker` in `compartment`; returns how many."""
    if Case.objects.filter(compartment=compartment).exists():
        return 0
    with transaction.atomic():
        facilities = {
            key: facility_services.create_facility(
                worker, name=name, short_name=short, type=FacilityType.objects.get(code=kind),
                region=region, city=city, street=street, country="RU", notes=DEMO_NOTE,
            )
            for key, (name, short, kind, region, city, street) in FACILITIES.items()
        }
        facilities["ik6"] = _modern_colony(worker)
        for surname, given, patronymic, born, status, aliases, events in PEOPLE:
            first = PartialDate.parse(events[0][1])
            case = services.open_case(
                worker, compartment=compartment, name=Name(surname, given, patronymic),
                birth_date=PartialDate.parse(born), notes=DEMO_NOTE,
                status=CaseStatus.objects.get(code=status), opened_on=first.lower,
            )
            for alias in aliases:
                services.add_name(worker, case, alias)
            for code, date, facility, summary in events:
                services.add_event(
                    worker, case, type=EventType.objects.get(code=code),
                    date=PartialDate.parse(date), facility=facilities.get(facility),
                    summary=summary, source="Архив Помполита (демо)",
                )
            if surname == "Кибальчич":
                # His family asked for his case to be known: the campaign freed him.
                consent.give(worker, case, given_by="relative", given_on=datetime.date(1933, 4, 1),
                             scope=["name", "status", "birthday", "story"],
                             story_ru=SERGE_STORY_RU, story_en=SERGE_STORY_EN)
        _modern_case(worker, compartment, facilities["ik6"])
        # The same man again, from a list his relatives' lawyer sent in passport Latin: a
        # coordinator finds the pair under Possible duplicates and merges it (or not).
        services.open_case(
            worker, compartment=compartment, name=Name("Chernyshov", "Aleksei", "Igorevich"),
            birth_date=PartialDate.parse("1987"), notes=DEMO_NOTE,
            opened_on=datetime.date(2023, 3, 9),
        )
    return len(PEOPLE) + 2


def _modern_colony(worker: Member) -> Facility:
    colony = facility_services.create_facility(
        worker, name="ФКУ ИК-6 УФСИН России по Омской области", short_name="ИК-6",
        type=FacilityType.objects.get(code="colony"), region="Омская область", city="г. Омск",
        street="ул. Семиреченская, д. 101", postal_code="644010", country="RU",
        letter_service="ФСИН-письмо", notes=DEMO_NOTE,
    )
    facility_services.add_rule(worker, colony, valid_from=datetime.date(2016, 1, 1),
                      terms=facility_services.RuleTerms(
                          max_parcel_grams=20000, parcels_per_period=6,
                          banned_items=("алкоголь", "сим-карты", "продукты домашнего "
                                        "приготовления"),
                          letter_languages=("ru",), money_limit=Decimal(10000),
                          source="Правила внутреннего распорядка (демо)"))
    facility_services.add_rule(worker, colony, valid_from=datetime.date(2022, 7, 17),
                      regime=Regime.objects.get(code="strict"),
                      terms=facility_services.RuleTerms(
                          max_parcel_grams=20000, parcels_per_period=4,
                          banned_items=("алкоголь", "сим-карты"),
                          source="Приказ Минюста (демо)"))
    return colony


def _modern_case(worker: Member, compartment: Compartment, colony: Facility) -> None:
    case = services.open_case(
        worker, compartment=compartment, name=Name("Чернышёв", "Алексей", "Игоревич"),
        birth_date=PartialDate.parse("1987-04"), notes=DEMO_NOTE, case_number="1-7/2023",
        status=CaseStatus.objects.get(code="sentenced"), court="Омский областной суд",
        sentence_term="6 лет", sentence_months=72,
        sentence_regime=Regime.objects.get(code="strict"), opened_on=datetime.date(2023, 3, 6),
    )
    services.add_name(worker, case, Name("Chernyshov", "Aleksei"))
    services.add_charge(worker, case, code="УК РФ", article="280.3 ч. 1",
                        text="дискредитация вооружённых сил")
    for code, date, facility in (("arrest", "2023-03-06", colony), ("letter", "2025-01-14", None)):
        services.add_event(worker, case, type=EventType.objects.get(code=code),
                           date=PartialDate.parse(date), facility=facility)
    # Upcoming hearings (relative to today, so the public calendar always has some).
    today = timezone.localdate()
    for ahead, kind, hall, hour in ((2, "appeal", "5", 10), (9, "hearing", "12", 14)):
        services.add_event(
            worker, case, type=EventType.objects.get(code="hearing"),
            date=PartialDate.from_date(today + datetime.timedelta(days=ahead)),
            hearing={"kind": kind, "court": "Омский областной суд (демо)", "city": "Омск",
                     "hall": hall, "judge": "Демонстрационная А. А.",
                     "starts_at": datetime.time(hour, 0), "closed": False},
        )
    services.add_relative(worker, case, relationship="mother", name="Чернышёва Галина (демо)",
                          phone="+7 900 000-00-00", contact="Пишет через адвоката")
    consent.give(worker, case, given_by="prisoner", given_on=datetime.date(2023, 5, 2),
                 scope=["name", "status", "charges", "sentence", "facility", "birthday", "story",
                        "interests", "hearings"],
                 interests="инженерия, фантастика, шахматы",
                 story_ru="Инженер из Омска (вымышленный, демо). Осуждён за антивоенные посты; "
                          "просит писать ему письма — по-русски, через ФСИН-письмо или почтой.",
                 story_en="An engineer from Omsk (invented, demo). Sentenced for anti-war posts; "
                          "he asks for letters — in Russian, by FSIN-pismo or by post.")
