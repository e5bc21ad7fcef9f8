"""Detentions and reports: what an operator's report creates, how a duplicate is linked, how a
status moves, how detentions and people are counted, who may do what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from pompolit.audit.models import AuditEntry
from pompolit.intake import services
from pompolit.intake.models import (
    Channel,
    Detention,
    DetentionRelative,
    Location,
    Report,
    Reporter,
    Status,
    StatusChange,
)
from pompolit.intake.services import RelativeEntry, counts, record_report
from pompolit.intake.testing import EVENING, entry
from pompolit.vault.fields import blind_lookup

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def detained(operator, hotline, stations, pushkin_square):
    """Смирнова, detained at the protest, reported by herself from the van to Тверской."""
    report = record_report(
        operator,
        hotline,
        entry(
            birth="2001",
            detained_at=EVENING,
            place="Пушкинская площадь",
            event=pushkin_square,
            facility=stations["tverskoy"],
            van_number="А 123 ВС 77",
            group_size=20,
            needs=frozenset({"need_water", "need_charger"}),
            text="Везут в ОВД Тверской, нас человек двадцать",
        ),
        reporter=Reporter.DETAINEE,
        received_at=EVENING + HOUR / 2,
    )
    assert report.detention is not None
    return report.detention


def test_a_report_of_someone_new_creates_a_detention_at_the_station(detained, stations):
    assert detained.status == Status.AT_STATION
    assert detained.location == Location.STATION
    assert detained.facility == stations["tverskoy"]
    assert detained.detained_on == datetime.date(2026, 3, 6)
    assert (detained.need_water, detained.need_charger, detained.need_food) == (True, True, False)
    assert detained.van_number == "А 123 ВС 77" and detained.group_size == 20
    assert [c.status for c in detained.history.all()] == [Status.DETAINED, Status.AT_STATION]
    assert detained.detainee.names.get().surname == "Смирнова"
    report = detained.reports.get()
    assert report.quarantine == "accepted" and not report.linked_to_known
    assert report.claims["van_number"] == "А 123 ВС 77"


def test_the_audit_entry_carries_ids_and_codes_never_the_name_or_the_claims(detained):
    details = AuditEntry.objects.filter(action="intake.report_recorded").get().details
    assert details["detention"] == detained.pk and details["channel"] == "hotline"
    assert "Смирнова" not in str(details) and "123" not in str(details)


def test_a_second_report_linked_to_the_detention_adds_what_it_says_and_no_new_detention(
    operator, hotline, detained
):
    record_report(
        operator,
        hotline,
        entry(
            "Смирнова Анна",
            medicine="инсулин",
            lawyer="Адвокат Павлова М. И.",
            relative=RelativeEntry("mother", "Смирнова Ольга Петровна", "+7 916 123-45-67"),
        ),
        reporter=Reporter.RELATIVE,
        channel=Channel.TELEGRAM,
        link_to=detained,
    )
    detained.refresh_from_db()
    assert Detention.objects.count() == 1
    assert detained.reports.count() == 2
    assert detained.reports.filter(linked_to_known=True).get().reporter == "relative"
    assert detained.need_medicine and detained.medicine == "инсулин"
    assert detained.need_water  # what the first report said stays
    assert detained.has_lawyer
    relative = detained.relatives.get()
    assert relative.name == "Смирнова Ольга Петровна"
    found = DetentionRelative.objects.filter(
        blind_lookup(DetentionRelative, "phone_index", "8 (916) 123 45 67")
    )
    assert list(found) == [relative]


def test_the_relatives_phone_is_never_stored_in_clear(operator, hotline, detained):
    services.add_relative(
        operator, detained, RelativeEntry("father", "Смирнов Пётр", "+79161234567")
    )
    from pompolit.cases.testing import everything_stored

    stored = " ".join(everything_stored())
    assert "79161234567" not in stored and "Смирнов Пётр" not in stored


def test_status_moves_along_the_allowed_steps_and_each_step_is_kept(operator, detained):
    services.change_status(operator, detained, Status.HELD_OVERNIGHT, at=EVENING + 4 * HOUR)
    services.change_status(operator, detained, Status.COURT_HEARING, at=EVENING + 16 * HOUR)
    services.change_status(
        operator, detained, Status.ADMINISTRATIVE_ARREST, at=EVENING + 18 * HOUR, arrest_days=15
    )
    detained.refresh_from_db()
    assert detained.status == Status.ADMINISTRATIVE_ARREST and detained.arrest_days == 15
    assert detained.location == Location.DETENTION_CENTRE and not detained.is_held
    assert [c.status for c in detained.history.all()] == [
        Status.DETAINED,
        Status.AT_STATION,
        Status.HELD_OVERNIGHT,
        Status.COURT_HEARING,
        Status.ADMINISTRATIVE_ARREST,
    ]


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([Status.RELEASED], Status.AT_STATION),
        ([Status.RELEASED_WITH_PROTOCOL, Status.FINED], Status.COMMUNITY_WORK),
        ([Status.CRIMINAL_CASE], Status.RELEASED),
    ],
)
def test_a_step_back_or_sideways_is_refused_and_changes_nothing(operator, detained, steps, refused):
    for step in steps:
        services.change_status(operator, detained, step)
    before = StatusChange.objects.count()
    with pytest.raises(ValidationError):
        services.change_status(operator, detained, refused)
    assert StatusChange.objects.count() == before
    detained.refresh_from_db()
    assert detained.status == steps[-1]


def test_an_administrative_arrest_needs_its_days(operator, detained):
    services.change_status(operator, detained, Status.COURT_HEARING)
    with pytest.raises(ValidationError, match="how many days"):
        services.change_status(operator, detained, Status.ADMINISTRATIVE_ARREST)


def test_the_history_cannot_be_changed_or_deleted_even_behind_the_models_back(detained):
    change = detained.history.first()
    with pytest.raises(ValueError, match="never changed"):
        change.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        StatusChange.objects.filter(pk=change.pk).update(status=Status.RELEASED)
    with pytest.raises(DatabaseError), transaction.atomic():
        StatusChange.objects.filter(pk=change.pk)._raw_delete("default")
    assert detained.history.first().status == Status.DETAINED


def test_counting_is_of_detentions_and_people_one_person_detained_twice_is_two_and_one(
    operator, hotline, detained, stations
):
    services.change_status(operator, detained, Status.RELEASED_WITH_PROTOCOL)
    matches = services.find_matches(
        hotline, "Смирнова Анна", birth_date=entry(birth="2001").birth_date
    )
    assert [(m.detention, m.reason) for m in matches] == [(detained, "earlier")]
    record_report(
        operator,
        hotline,
        entry(birth="2001", detained_at=EVENING + 72 * HOUR, facility=stations["kitay"]),
        reporter=Reporter.WITNESS,
        same_person=detained.detainee,
    )
    record_report(
        operator,
        hotline,
        entry("Кузнецов Илья", facility=stations["kitay"]),
        reporter=Reporter.VOLUNTEER,
    )
    assert counts(Detention.objects.all()) == services.Counts(detentions=3, people=2)
    assert detained.detainee.detentions.count() == 2


def test_matches_by_name_and_birth_year_in_any_script(operator, hotline, detained):
    birth = entry(birth="2001").birth_date
    found = services.find_matches(hotline, "Smirnova Anna", birth_date=birth)
    assert [(m.detention, m.reason) for m in found] == [(detained, "birth")]
    other_year = entry(birth="1975").birth_date
    assert services.find_matches(hotline, "Смирнова Анна", birth_date=other_year) == []


def test_a_namesake_with_another_given_name_is_not_proposed(operator, hotline, detained):
    """Same surname and birth year, another person: the surname's key finds her, the name's
    similarity (0–100) keeps her out."""
    birth = entry(birth="2001").birth_date
    assert services.find_matches(hotline, "Смирнова Ольга", birth_date=birth) == []
    assert services.find_matches(hotline, "Smirnova Olga", birth_date=birth) == []
    assert [m.detention for m in services.find_matches(
        hotline, "Smirnova Anna", birth_date=birth)] == [detained]


def test_matches_by_name_station_and_day_when_the_birth_year_is_unknown(
    operator, hotline, detained, stations
):
    day = datetime.date(2026, 3, 6)
    found = services.find_matches(hotline, "Смирнова А.", facility=stations["tverskoy"], day=day)
    assert [m.reason for m in found] == ["station"]
    assert services.find_matches(hotline, "Смирнова А.", facility=stations["kitay"], day=day) == []
    assert (
        services.find_matches(hotline, "Иванова Мария", facility=stations["tverskoy"], day=day)
        == []
    )


def test_another_hotline_sees_no_matches_and_cannot_link(spb_operator, spb_hotline, detained):
    assert (
        services.find_matches(
            spb_hotline, "Смирнова Анна", birth_date=entry(birth="2001").birth_date
        )
        == []
    )
    with pytest.raises(PermissionDenied):
        record_report(
            spb_operator, spb_hotline, entry(), reporter=Reporter.WITNESS, link_to=detained
        )
    with pytest.raises(PermissionDenied):
        services.change_status(spb_operator, detained, Status.RELEASED)


def test_only_hotline_operators_of_the_compartment_record_reports(
    make_member, hotline, unsealed_vault
):
    worker = make_member("Николай Морозов", "case_worker", compartments=[hotline])
    with pytest.raises(PermissionDenied):
        record_report(worker, hotline, entry(), reporter=Reporter.DETAINEE)
    assert not Report.objects.exists()


def test_a_minor_is_flagged_by_the_birth_year_even_if_the_operator_forgot(operator, hotline):
    report = record_report(
        operator,
        hotline,
        entry("Петров Даниил", birth="2009", detained_at=EVENING),
        reporter=Reporter.RELATIVE,
    )
    assert report.detention.is_minor


def test_the_board_counts_per_station(operator, hotline, detained, stations):
    minor = record_report(
        operator,
        hotline,
        entry("Орлов Максим", birth="2010", detained_at=EVENING, facility=stations["tverskoy"]),
        reporter=Reporter.VOLUNTEER,
    ).detention
    released = record_report(
        operator,
        hotline,
        entry("Козлова Дарья", facility=stations["tverskoy"]),
        reporter=Reporter.LAWYER,
    ).detention
    services.change_status(operator, released, Status.RELEASED)
    board = services.station_board(hotline, with_people=True)
    tverskoy = next(r for r in board if r.facility == stations["tverskoy"])
    assert (
        tverskoy.held,
        tverskoy.minors,
        tverskoy.no_lawyer,
        tverskoy.urgent,
        tverskoy.released,
    ) == (2, 1, 2, 1, 1)
    assert {d.pk for d in tverskoy.detentions} == {detained.pk, minor.pk}


def test_public_counts_carry_no_name(operator, hotline, detained, pushkin_square):
    result = services.public_counts()
    assert result["detentions"] == 1 and result["people"] == 1
    assert result["by_day"] == [{"day": "2026-03-06", "detentions": 1, "people": 1}]
    assert result["by_city"] == [{"city": "Москва", "detentions": 1, "people": 1}]
    assert result["by_event"][0]["event"] == pushkin_square.name
    assert "Смирнова" not in str(result)
