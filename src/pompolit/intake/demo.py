"""Demo surge (`pompolit intake demo`, called by `pompolit demo`): this evening's protests in
Moscow and St Petersburg, a few hundred detentions at a dozen police stations, reports from
the hotline, the bot, the web form and lawyers — some of them about the same person, linked to
one detention as an operator would. Made-up people; the stations are real addresses.

Beside the random surge, named people the README's tour and docs/intake.md point to:

- three detentions that led to a criminal case (`CRIMINAL`), for `lev` — a case worker who
  also takes hotline shifts, granted the Moscow hotline and the registry compartment
  "Московские уголовные дела" — to open as cases of the registry;
- reports from the public waiting in quarantine (`PUBLIC`), sent through the web form's and the
  bot's own path (`submit_public_report`) and deduplicated as the worker does: four are about
  people the operators already recorded (`KNOWN`), so each is proposed for linking."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from pompolit.cases.facilities.services import create_facility
from pompolit.cases.models import Facility, FacilityType
from pompolit.cases.partial import PartialDate
from pompolit.intake import consent, notices, proposals, services
from pompolit.intake.duty import demo as duty_demo
from pompolit.intake.models import (
    STATION_TYPE,
    Channel,
    Detention,
    Hotline,
    ProtestEvent,
    Reporter,
    Status,
)
from pompolit.intake.public.services import PublicAnswers, submit_public_report
from pompolit.intake.services import Entry, RelativeEntry
from pompolit.members import approvals
from pompolit.members.models import Compartment, Member
from pompolit.members.services import create_compartment
from pompolit.names import Name

MOSCOW_STATIONS = [
    ("ОВД «Тверской»", "ул. Петровка, д. 38"),
    ("ОВД «Китай-город»", "Старая пл., д. 6"),
    ("ОВД «Мещанский»", "ул. Гиляровского, д. 10"),
    ("ОВД «Басманный»", "ул. Новая Басманная, д. 29"),
    ("ОВД «Красносельский»", "ул. Краснопрудная, д. 15"),
    ("ОВД «Пресненский»", "ул. Зоологическая, д. 1"),
    ("ОВД «Хамовники»", "ул. Ефремова, д. 11"),
    ("ОВД «Замоскворечье»", "ул. Большая Ордынка, д. 46"),
]
SPB_STATIONS = [
    ("28-й отдел полиции", "ул. Гончарная, д. 10"),
    ("43-й отдел полиции", "ул. Большая Морская, д. 33"),
    ("76-й отдел полиции", "ул. Чайковского, д. 22"),
    ("1-й отдел полиции", "ул. Пестеля, д. 6"),
]
SURNAMES = [
    ("Смирнов", "Смирнова"),
    ("Иванов", "Иванова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Соколов", "Соколова"),
    ("Лебедев", "Лебедева"),
    ("Козлов", "Козлова"),
    ("Новиков", "Новикова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"),
    ("Орлов", "Орлова"),
    ("Никитин", "Никитина"),
    ("Захаров", "Захарова"),
    ("Зайцев", "Зайцева"),
    ("Белов", "Белова"),
    ("Тарасов", "Тарасова"),
    ("Фролов", "Фролова"),
    ("Герасимов", "Герасимова"),
    ("Ковалёв", "Ковалёва"),
    ("Шевченко", "Шевченко"),
    ("Гольдберг", "Гольдберг"),
    ("Хасанов", "Хасанова"),
    ("Ким", "Ким"),
]
MEN = [
    "Александр",
    "Дмитрий",
    "Максим",
    "Илья",
    "Кирилл",
    "Никита",
    "Егор",
    "Артём",
    "Михаил",
    "Даниил",
    "Тимур",
    "Павел",
]
WOMEN = [
    "Анна",
    "Мария",
    "Дарья",
    "Елизавета",
    "Полина",
    "Софья",
    "Алиса",
    "Вероника",
    "Ксения",
    "Екатерина",
    "Наталья",
    "Ольга",
]
FATHERS = ["Андреев", "Сергеев", "Владимиров", "Игорев", "Олегов", "Павлов", "Юрьев"]
LAWYERS = ["Павлова М. И.", "Сидоров А. В.", "Гринберг Е. Л.", "Михайлова Т. С."]
MEDICINE = ["инсулин", "сальбутамол (ингалятор)", "эутирокс", "карбамазепин"]
WORDS = {
    Reporter.DETAINEE: "Нас везут в автозаке, человек двадцать",
    Reporter.RELATIVE: "Звонит мама: сын не выходит на связь, последнее сообщение из ОВД",
    Reporter.LAWYER: "Адвокат у ОВД, внутрь не пускают",
    Reporter.WITNESS: "Видела, как девушку задержали у метро",
    Reporter.VOLUNTEER: "Волонтёр у ОВД передаёт список",
}


# The registry compartment where the hotline's criminal cases go, and who may open them there.
CASES_SLUG = "moscow-cases"
ESCALATOR = "lev"

# Detentions that led to a criminal case: name, birth, station, lawyer, what the relative said.
CRIMINAL = [
    (
        Name("Гольдберг", "Илья", "Павлович"),
        PartialDate(1995, 4, 17),
        "ОВД «Тверской»",
        "Павлова М. И.",
        "Обвиняют в применении насилия к полицейскому (ст. 318 УК)",
    ),
    (
        Name("Хасанова", "Дарья", "Тимуровна"),
        PartialDate(2001),
        "ОВД «Мещанский»",
        "",
        "После задержания возбудили дело о «фейках» (ст. 207.3 УК), телефон изъят",
    ),
    (
        Name("Фролов", "Егор", "Андреевич"),
        PartialDate(1998, 11, 2),
        "ОВД «Басманный»",
        "Сидоров А. В.",
        "Дело о «дискредитации армии» (ст. 280.3 УК), повторно за год",
    ),
]

# Held people the operators recorded, whom the public then reports again (name, birth year,
# station, city).
KNOWN = [
    (Name("Ермаков", "Глеб", "Витальевич"), 2004, "ОВД «Тверской»", "Москва"),
    (Name("Лисицына", "Варвара", "Дмитриевна"), 1999, "ОВД «Мещанский»", "Москва"),
    (Name("Абрамян", "Давид", "Арменович"), 1996, "ОВД «Хамовники»", "Москва"),
    (Name("Васильева", "Ульяна", "Олеговна"), 2001, "28-й отдел полиции", "Санкт-Петербург"),
]


def _public(
    surname: str,
    given: str,
    birth: str,
    city: str,
    now_at: str,
    reporter: str,
    note: str,
    *,
    patronymic: str = "",
    minor: bool | None = None,
    at: str = "",
    needs: frozenset[str] = frozenset(),
    medicine: str = "",
    injured: bool = False,
    devices: bool = False,
    event: str = "",
    contact: str = "",
) -> PublicAnswers:
    return PublicAnswers(
        surname=surname,
        given=given,
        patronymic=patronymic,
        birth=birth,
        is_minor=minor,
        detained_at_text=at,
        place_text="",
        now_at_text=now_at,
        city=city,
        event_text=event,
        needs=needs,
        medicine_text=medicine,
        injured=injured,
        devices_seized=devices,
        reporter=reporter,
        contact=contact,
        note=note,
    )


PUSHKINSKAYA = "Антивоенная акция на Пушкинской площади"
# Reports from the public, as the web form and the bot send them: the four about people known
# (named as a relative or a friend would: no patronymic, the birth year only), then new people.
PUBLIC: list[tuple[str, PublicAnswers]] = [
    (
        Channel.WEB_FORM,
        _public(
            "Ермаков",
            "Глеб",
            "2004",
            "Москва",
            "ОВД «Тверской» — Москва",
            Reporter.RELATIVE,
            "Сын позвонил из ОВД, просит зарядку",
            needs=frozenset({"charger"}),
            contact="мама, +7 915 440-12-31",
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Лисицына",
            "Варвара",
            "1999",
            "Москва",
            "ОВД «Мещанский» — Москва",
            Reporter.WITNESS,
            "Видела, как Варю вели в отдел, она без воды с обеда",
            needs=frozenset({"water"}),
            at="19:10",
            event=PUSHKINSKAYA,
        ),
    ),
    (
        Channel.WEB_FORM,
        _public(
            "Абрамян",
            "Давид",
            "1996",
            "Москва",
            "ОВД «Хамовники» — Москва",
            Reporter.LAWYER,
            "Адвокат у ОВД: внутрь не пускают",
            patronymic="Арменович",
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Васильева",
            "Ульяна",
            "2001",
            "Санкт-Петербург",
            "28-й отдел полиции — Санкт-Петербург",
            Reporter.DETAINEE,
            "Я в 28-м отделе, держат в актовом зале, человек 30",
            needs=frozenset({"food", "charger"}),
        ),
    ),
    (
        Channel.WEB_FORM,
        _public(
            "Ермолаева",
            "Алина",
            "2003",
            "Москва",
            "ОВД «Басманный» — Москва",
            Reporter.RELATIVE,
            "Сестру задержали у метро «Китай-город», последнее сообщение из автозака",
            patronymic="Сергеевна",
            at="19:40",
            needs=frozenset({"water", "charger"}),
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Ермолаева",
            "Алина",
            "03.02.2003",
            "Москва",
            "ОВД «Басманный» — Москва",
            Reporter.DETAINEE,
            "Это я, Алина. Нас 12 в ОВД, протокол пока не дают",
            at="19:40",
            event=PUSHKINSKAYA,
        ),
    ),
    (
        Channel.WEB_FORM,
        _public(
            "Гусейнова",
            "Лейла",
            "2009",
            "Москва",
            "ОВД «Пресненский» — Москва",
            Reporter.RELATIVE,
            "Дочери 17 лет, у неё астма, ингалятор остался у подруги",
            patronymic="Рашидовна",
            minor=True,
            needs=frozenset({"medicine"}),
            medicine="сальбутамол (ингалятор)",
            contact="+7 926 318-44-09",
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Тихонов",
            "Арсений",
            "1992",
            "Москва",
            "ОВД «Замоскворечье» — Москва",
            Reporter.DETAINEE,
            "Я в ОВД, телефон садится, адвоката не пускают",
            patronymic="Игоревич",
            needs=frozenset({"charger"}),
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Беляев",
            "Степан",
            "1987",
            "Москва",
            "",
            Reporter.WITNESS,
            "Мужчину с плакатом увели в автозак у Пушкинской, номер не разглядела",
            at="19:25",
            event=PUSHKINSKAYA,
        ),
    ),
    (
        Channel.WEB_FORM,
        _public(
            "Кравец",
            "Богдан",
            "1979",
            "Москва",
            "ОВД «Хамовники» — Москва",
            Reporter.WITNESS,
            "Жалуется на удар дубинкой по руке, рука опухла",
            patronymic="Олегович",
            injured=True,
        ),
    ),
    (
        Channel.WEB_FORM,
        _public(
            "Мельникова",
            "Инна",
            "1985",
            "Москва",
            "ОВД «Китай-город» — Москва",
            Reporter.VOLUNTEER,
            "Волонтёр у ОВД: внутри человек 15, воду не передают",
            needs=frozenset({"water", "food"}),
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Яковлев",
            "Фёдор",
            "",
            "Москва",
            "",
            Reporter.WITNESS,
            "Задержали у Манежной, куда повезли — не знаю",
            event="Акция на Манежной площади",
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Сорокина",
            "Мила",
            "2000",
            "Санкт-Петербург",
            "43-й отдел полиции — Санкт-Петербург",
            Reporter.RELATIVE,
            "Держат во дворе отдела, она без куртки",
            needs=frozenset({"warm_clothes"}),
        ),
    ),
    (
        Channel.TELEGRAM,
        _public(
            "Дьячков",
            "Роман",
            "1990",
            "Санкт-Петербург",
            "76-й отдел полиции — Санкт-Петербург",
            Reporter.DETAINEE,
            "Забрали телефон, пишу с чужого",
            patronymic="Андреевич",
            devices=True,
        ),
    ),
]


def _station(worker: Member, name: str, street: str, city: str) -> Facility:
    found = Facility.objects.filter(short_name=name, city=city).first()
    return found or create_facility(
        worker,
        name=f"{name}, отдел МВД России",
        short_name=name,
        city=city,
        region=city,
        street=street,
        type=FacilityType.objects.get(code=STATION_TYPE),
    )


def _grant(vera: Member, sofia: Member, member: Member, compartment: Compartment) -> None:
    if compartment.pk in member.compartment_ids():
        return
    # Asked by one founder, approved by the other; never by the member granted.
    asks, decides = (sofia, vera) if member.pk == vera.pk else (vera, sofia)
    request = approvals.request_approval(
        asks, "grant_compartment", {"member": member.pk, "compartment": compartment.pk}
    )
    approvals.approve(request.pk, decides, seen_digest=request.payload_digest)
    member.forget_cached_access()


def _hotline(vera: Member, slug: str, name: str, city: str) -> Compartment:
    compartment = Compartment.objects.filter(slug=slug).first() or create_compartment(
        vera, name=name, slug=slug, description=f"Задержания: {city}"
    )
    if not Hotline.objects.filter(compartment=compartment).exists():
        # Made-up public contacts, so that the public form and its pages show where to call,
        # as a real hotline's do.
        phone, telegram = DEMO_CONTACTS.get(city, ("", ""))
        services.open_hotline(vera, compartment, city=city, phone=phone, telegram=telegram)
    return compartment


DEMO_CONTACTS = {
    "Москва": ("+7 999 000-00-01", "demo_msk_hotline"),
    "Санкт-Петербург": ("+7 999 000-00-02", "demo_spb_hotline"),
}


def _entry(
    rng: random.Random, when: datetime.datetime, station: Facility, event: ProtestEvent
) -> Entry:
    woman = rng.random() < 0.45
    surname = rng.choice(SURNAMES)[1 if woman else 0]
    given = rng.choice(WOMEN if woman else MEN)
    patronymic = rng.choice(FATHERS) + ("на" if woman else "ич") if rng.random() < 0.6 else ""
    year = rng.choice([*range(1960, 2006), *range(2007, 2010)])
    birth = (
        PartialDate(year)
        if rng.random() < 0.7
        else PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
    )
    needs = frozenset(
        n
        for n, p in (
            ("need_water", 0.3),
            ("need_food", 0.15),
            ("need_charger", 0.35),
            ("need_warm_clothes", 0.1),
        )
        if rng.random() < p
    )
    return Entry(
        name=Name(surname, given, patronymic),
        birth_date=birth if rng.random() < 0.85 else None,
        detained_at=when,
        event=event,
        facility=station,
        place=event.name.split(" на ")[-1],
        status=Status.AT_STATION,
        van_number=f"{rng.choice('АВЕКМНОРСТУХ')} {rng.randint(100, 999)}"
        f" {rng.choice('АВЕКМНОРСТУХ')}{rng.choice('АВЕКМНОРСТУХ')} 77",
        group_size=rng.choice([None, 12, 15, 20, 25]),
        needs=needs,
        medicine=rng.choice(MEDICINE) if rng.random() < 0.04 else "",
        injured=rng.random() < 0.05,
        devices_seized=rng.random() < 0.15,
        relative=RelativeEntry(
            "mother",
            f"{surname[:-1] if woman else surname}а {rng.choice(WOMEN)}",
            f"+7 9{rng.randint(10, 99)} "
            f"{rng.randint(100, 999)}-{rng.randint(10, 99)}-"
            f"{rng.randint(10, 99)}",
        )
        if rng.random() < 0.2
        else None,
    )


CHANNELS = [Channel.HOTLINE] * 5 + [Channel.TELEGRAM] * 3 + [Channel.WEB_FORM, Channel.MESSENGER]
FIRST_REPORTERS = (
    [Reporter.DETAINEE] * 4 + [Reporter.RELATIVE] * 3 + [Reporter.WITNESS, Reporter.VOLUNTEER]
)


def _surge(
    operator: Member,
    compartment: Compartment,
    stations: list[Facility],
    events: list[ProtestEvent],
    count: int,
    rng: random.Random,
) -> None:
    start = timezone.now() - datetime.timedelta(hours=5)
    for _ in range(count):
        when = start + datetime.timedelta(minutes=rng.randint(0, 150))
        event = rng.choice(events)
        entry = _entry(rng, when, rng.choice(stations), event)
        report = services.record_report(
            operator,
            compartment,
            entry,
            channel=rng.choice(CHANNELS),
            reporter=rng.choice(FIRST_REPORTERS),
            received_at=when + datetime.timedelta(minutes=rng.randint(5, 40)),
            reporter_contact="",
        )
        detention = report.detention
        assert detention is not None
        if rng.random() < 0.25:  # another report about the same person, linked to it
            duplicate = Entry(
                name=entry.name,
                birth_date=entry.birth_date,
                lawyer=rng.choice(LAWYERS) if rng.random() < 0.5 else "",
                needs=frozenset({"need_food"}),
                text=WORDS[Reporter.LAWYER],
            )
            services.record_report(
                operator,
                compartment,
                duplicate,
                channel=rng.choice(CHANNELS),
                reporter=Reporter.LAWYER,
                link_to=detention,
                received_at=when + datetime.timedelta(minutes=rng.randint(40, 90)),
            )
        _progress(operator, detention, when, rng)


def _earlier(
    operator: Member,
    compartment: Compartment,
    stations: list[Facility],
    rng: random.Random,
    count: int,
) -> list[Detention]:
    """Two days ago: a smaller protest; everyone released with a protocol."""
    day = timezone.localdate() - datetime.timedelta(days=2)
    event = services.create_event(operator, name="Пикеты у здания суда", city="Москва", date=day)
    when = timezone.now() - datetime.timedelta(days=2, hours=3)
    made = []
    for _ in range(count):
        report = services.record_report(
            operator,
            compartment,
            _entry(rng, when, rng.choice(stations), event),
            reporter=rng.choice(FIRST_REPORTERS),
            received_at=when,
        )
        assert report.detention is not None
        services.change_status(
            operator,
            report.detention,
            Status.RELEASED_WITH_PROTOCOL,
            at=when + datetime.timedelta(hours=4),
        )
        made.append(report.detention)
    return made


def _again(
    operator: Member,
    compartment: Compartment,
    earlier: list[Detention],
    stations: list[Facility],
    event: ProtestEvent,
) -> None:
    """Some of them detained again today: one person, two detentions."""
    when = timezone.now() - datetime.timedelta(hours=1)
    for detention in earlier:
        name = detention.detainee.names.get()
        entry = Entry(
            name=Name(name.surname, name.given, name.patronymic),
            birth_date=detention.detainee.birth_date,
            detained_at=when,
            event=event,
            facility=stations[detention.pk % len(stations)],
            status=Status.AT_STATION,
            text="Снова задержан(а), второй раз за неделю",
        )
        services.record_report(
            operator,
            compartment,
            entry,
            reporter=Reporter.RELATIVE,
            same_person=detention.detainee,
            received_at=when,
        )


def _progress(
    operator: Member, detention: Detention, when: datetime.datetime, rng: random.Random
) -> None:
    roll = rng.random()
    later = when + datetime.timedelta(hours=2)
    if roll < 0.25:
        services.change_status(operator, detention, Status.RELEASED_WITH_PROTOCOL, at=later)
    elif roll < 0.35:
        services.change_status(operator, detention, Status.RELEASED, at=later)
    elif roll < 0.42:
        services.change_status(operator, detention, Status.COURT_HEARING, at=later)
        outcome = rng.choice([Status.FINED, Status.ADMINISTRATIVE_ARREST, Status.COMMUNITY_WORK])
        services.change_status(
            operator,
            detention,
            outcome,
            at=later + datetime.timedelta(hours=1),
            arrest_days=rng.choice([10, 15, 30])
            if outcome == (Status.ADMINISTRATIVE_ARREST)
            else None,
        )
    elif roll < 0.44:
        services.change_status(operator, detention, Status.CRIMINAL_CASE, at=later)
    elif roll < 0.55:
        services.change_status(operator, detention, Status.HELD_OVERNIGHT, at=later)


def _named(
    operator: Member,
    hotlines: dict[str, Compartment],
    stations: dict[str, Facility],
    event: ProtestEvent,
) -> None:
    """The people named in the tour: those held whom the public reports again, and the three
    whose detention led to a criminal case."""
    when = timezone.now() - datetime.timedelta(hours=3)
    for name, year, station, city in KNOWN:
        services.record_report(
            operator,
            hotlines[city],
            Entry(
                name=name,
                birth_date=PartialDate(year),
                detained_at=when,
                event=event if city == "Москва" else None,
                facility=stations[station],
                status=Status.AT_STATION,
            ),
            reporter=Reporter.VOLUNTEER,
            received_at=when + datetime.timedelta(minutes=30),
        )
    for name, birth, station, lawyer, said in CRIMINAL:
        report = services.record_report(
            operator,
            hotlines["Москва"],
            Entry(
                name=name,
                birth_date=birth,
                detained_at=when,
                event=event,
                facility=stations[station],
                status=Status.AT_STATION,
                lawyer=lawyer,
                relative=RelativeEntry("mother", f"{name.surname} Ольга", "+7 916 555-20-14"),
                text=said,
            ),
            reporter=Reporter.RELATIVE,
            received_at=when + datetime.timedelta(minutes=20),
        )
        detention = report.detention
        assert detention is not None
        later = when + datetime.timedelta(hours=2)
        services.change_status(operator, detention, Status.HELD_OVERNIGHT, at=later)
        services.change_status(
            operator, detention, Status.CRIMINAL_CASE, at=later + datetime.timedelta(minutes=40)
        )


def _public_reports(hotlines: list[Compartment]) -> None:
    """Reports from the public, through the public form's and the bot's own path, then the
    dedupe the worker would run a second later: some are proposed for linking when the demo
    starts."""
    for channel, answers in PUBLIC:
        submit_public_report(answers, channel=channel)
    for compartment in hotlines:
        proposals.dedupe_waiting(compartment.pk)
        notices.quarantine_backlog(compartment.pk)


def _case_worker_on_the_hotline(vera: Member, sofia: Member, moscow: Compartment) -> None:
    """`lev`, a case worker who also takes shifts on the Moscow hotline: granted that hotline
    and the registry compartment where its criminal cases go — what opening a detention as a
    case needs, and no more (no other hotline, no coordinator's role)."""
    lev = Member.objects.filter(pseudonym=ESCALATOR).first()
    if lev is None:
        return
    cases = Compartment.objects.filter(slug=CASES_SLUG).first() or create_compartment(
        vera,
        name="Московские уголовные дела",
        slug=CASES_SLUG,
        description="Уголовные дела задержанных на акциях в Москве",
    )
    for compartment in (moscow, cases):
        _grant(vera, sofia, lev, compartment)


def load(moscow_count: int = 240, spb_count: int = 80, seed: int = 2022) -> int:
    """The surge, once (0 if it is there already); the number of detentions made."""
    if Detention.objects.exists():
        return 0
    vera = Member.objects.get(pseudonym="vera")
    sofia = Member.objects.get(pseudonym="sofia")
    operator = Member.objects.get(pseudonym="hotline")
    nikolai = Member.objects.get(pseudonym="nikolai")  # a case worker keeps the facilities
    rng = random.Random(seed)  # noqa: S311 (made-up people, the same each run)
    with transaction.atomic():
        moscow = _hotline(vera, "moscow-hotline", "Московская горячая линия", "Москва")
        spb = _hotline(vera, "spb-hotline", "Петербургская горячая линия", "Санкт-Петербург")
        for compartment in (moscow, spb):
            _grant(vera, sofia, operator, compartment)
            _grant(vera, sofia, vera, compartment)
        operator = Member.objects.get(pk=operator.pk)
        today = timezone.localdate()
        moscow_events = [
            services.create_event(operator, name=name, city="Москва", date=today)
            for name in ("Антивоенная акция на Пушкинской площади", "Акция на Манежной площади")
        ]
        spb_events = [
            services.create_event(
                operator, name="Акция у Гостиного двора", city="Санкт-Петербург", date=today
            )
        ]
        moscow_stations = [_station(nikolai, n, s, "Москва") for n, s in MOSCOW_STATIONS]
        spb_stations = [_station(nikolai, n, s, "Санкт-Петербург") for n, s in SPB_STATIONS]
        earlier = _earlier(operator, moscow, moscow_stations, rng, 20)
        _surge(operator, moscow, moscow_stations, moscow_events, moscow_count, rng)
        _again(operator, moscow, earlier[:8], moscow_stations, moscow_events[0])
        _surge(operator, spb, spb_stations, spb_events, spb_count, rng)
        _named(
            operator,
            {"Москва": moscow, "Санкт-Петербург": spb},
            {f.short_name: f for f in [*moscow_stations, *spb_stations]},
            moscow_events[0],
        )
        duty_demo.load(operator, Member.objects.get(pk=vera.pk), moscow)
        _case_worker_on_the_hotline(vera, sofia, moscow)
        _public_reports([moscow, spb])
        _consented(operator, moscow)
    return Detention.objects.count()


def _consented(operator: Member, moscow: Compartment, count: int = 3) -> None:
    """A few adults released from Moscow's stations agreed to be named on the public counts
    (as they would tell the hotline after their release): the page's list is not empty."""
    released = Detention.objects.filter(
        compartment=moscow, is_minor=False, status__startswith="released"
    ).order_by("pk")[:count]
    for detention in released:
        consent.consent_to_name(operator, detention)
