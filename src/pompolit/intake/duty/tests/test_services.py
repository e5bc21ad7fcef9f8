"""Lawyers on duty (capacity, dispatch, recall, assignment) and the shift log, as services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.intake import services as intake
from pompolit.intake.duty import services
from pompolit.intake.models import Dispatch, LogKind, ShiftLogEntry, Status
from pompolit.intake.testing import entry
from pompolit.members.roles import Role


def _held(operator, hotline, station, name, **fields):
    return intake.record_report(
        operator, hotline, entry(name, facility=station, **fields), reporter="volunteer"
    ).detention


def test_a_lawyer_comes_on_duty_with_the_phone_encrypted(operator, hotline, pavlova):
    assert (pavlova.capacity, pavlova.station) == (2, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM intake_dutylawyer")
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert "Павлова" not in stored and "916" not in stored
    entry_ = AuditEntry.objects.get(action="intake.lawyer_on_duty")
    assert entry_.details == {"lawyer": pavlova.pk, "compartment": hotline.slug, "capacity": 2}


def test_a_lawyer_needs_a_name_a_place_and_an_end_after_the_start(operator, hotline):
    start = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.add_lawyer(operator, hotline, name="  ", capacity=2, on_duty_from=start)
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_lawyer(operator, hotline, name="Орлова Ирина", capacity=0, on_duty_from=start)
    assert "capacity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_lawyer(
            operator,
            hotline,
            name="Орлова Ирина",
            capacity=3,
            on_duty_from=start,
            on_duty_to=start - datetime.timedelta(hours=1),
        )
    assert "on_duty_to" in error.value.message_dict


def test_dispatch_and_recall_keep_their_history(operator, hotline, stations, pavlova):
    services.dispatch(operator, pavlova, stations["tverskoy"])
    services.dispatch(operator, pavlova, stations["kitay"])
    services.recall(operator, pavlova)
    pavlova.refresh_from_db()
    assert pavlova.station is None
    assert [d.station for d in Dispatch.objects.filter(lawyer=pavlova)] == [
        stations["tverskoy"],
        stations["kitay"],
        None,
    ]
    actions = list(
        AuditEntry.objects.filter(action__startswith="intake.lawyer_")
        .exclude(action="intake.lawyer_on_duty")
        .values_list("action", flat=True)
        .order_by("seq")
    )
    assert actions == ["intake.lawyer_dispatched"] * 2 + ["intake.lawyer_recalled"]


def test_sending_a_lawyer_where_they_are_or_recalling_nobody_is_refused(
    operator, stations, pavlova
):
    with pytest.raises(ValidationError):
        services.recall(operator, pavlova)
    services.dispatch(operator, pavlova, stations["tverskoy"])
    with pytest.raises(ValidationError):
        services.dispatch(operator, pavlova, stations["tverskoy"])


def test_dispatches_are_never_changed_or_deleted(operator, stations, pavlova):
    sent = services.dispatch(operator, pavlova, stations["tverskoy"])
    with pytest.raises(ValueError):
        sent.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Dispatch.objects.filter(pk=sent.pk).update(station=stations["kitay"])
    with pytest.raises(DatabaseError), transaction.atomic():
        Dispatch.objects.filter(pk=sent.pk).delete()


def test_the_board_shows_each_stations_lawyers_and_free_places(
    operator, hotline, stations, pavlova
):
    services.dispatch(operator, pavlova, stations["tverskoy"])
    smirnova = _held(operator, hotline, stations["tverskoy"], "Смирнова Анна")
    services.assign_duty_lawyer(operator, smirnova, pavlova)
    here = services.lawyers_by_station(hotline)
    assert list(here) == [stations["tverskoy"].pk]
    assert [lawyer.name for lawyer in here[stations["tverskoy"].pk].lawyers] == ["Павлова Мария"]
    assert here[stations["tverskoy"].pk].free == 1


def test_a_released_detainee_frees_the_lawyers_place(operator, hotline, stations, pavlova):
    smirnova = _held(operator, hotline, stations["tverskoy"], "Смирнова Анна")
    services.assign_duty_lawyer(operator, smirnova, pavlova)
    intake.change_status(operator, smirnova, Status.RELEASED)
    (lawyer,) = services.lawyers_of(hotline)
    assert (lawyer.load, services.free_places(lawyer)) == (0, 2)


def test_over_capacity_is_allowed_and_said(operator, hotline, stations, pavlova):
    said = [
        services.assign_duty_lawyer(
            operator, _held(operator, hotline, stations["tverskoy"], name), pavlova
        ).over_capacity
        for name in ("Смирнова Анна", "Орлов Максим", "Козлова Дарья")
    ]
    assert said == [False, False, True]
    last = AuditEntry.objects.filter(action="intake.lawyer_assigned").order_by("seq").last()
    assert last.details["over_capacity"] is True and last.details["duty_lawyer"] == pavlova.pk


def test_a_name_typed_in_by_hand_frees_the_duty_lawyers_place(operator, hotline, stations, pavlova):
    smirnova = _held(operator, hotline, stations["tverskoy"], "Смирнова Анна")
    services.assign_duty_lawyer(operator, smirnova, pavlova)
    intake.assign_lawyer(operator, smirnova, "Адвокат Иванов И. И.")
    smirnova.refresh_from_db()
    assert smirnova.duty_lawyer is None and smirnova.lawyer == "Адвокат Иванов И. И."
    assert next(iter(services.lawyers_of(hotline))).load == 0


def test_another_hotlines_lawyer_cannot_be_assigned(
    operator, spb_operator, hotline, spb_hotline, stations
):
    spb_lawyer = services.add_lawyer(
        spb_operator, spb_hotline, name="Петрова Ольга", capacity=3, on_duty_from=timezone.now()
    )
    smirnova = _held(operator, hotline, stations["tverskoy"], "Смирнова Анна")
    with pytest.raises(ValidationError):
        services.assign_duty_lawyer(operator, smirnova, spb_lawyer)


def test_only_the_hotlines_dispatchers_add_and_send_lawyers(
    make_member, hotline, spb_operator, stations, pavlova
):
    for member in (
        make_member("Мария Ошанина", Role.TREASURER, compartments=[hotline]),
        make_member("Николай Морозов", Role.CASE_WORKER, compartments=[hotline]),
        spb_operator,
    ):
        with pytest.raises(PermissionDenied):
            services.dispatch(member, pavlova, stations["tverskoy"])
        with pytest.raises(PermissionDenied):
            services.add_lawyer(
                member, hotline, name="Орлова Ирина", capacity=1, on_duty_from=timezone.now()
            )
    coordinator = make_member("Вера Засулич", Role.COORDINATOR, compartments=[hotline])
    services.dispatch(coordinator, pavlova, stations["tverskoy"])


def test_a_lawyer_whose_duty_ended_is_not_on_the_board(operator, hotline, stations):
    start = timezone.now() - datetime.timedelta(hours=8)
    gone = services.add_lawyer(
        operator,
        hotline,
        name="Сидоров Пётр",
        capacity=4,
        on_duty_from=start,
        on_duty_to=start + datetime.timedelta(hours=6),
    )
    services.dispatch(operator, gone, stations["kitay"])
    assert services.lawyers_by_station(hotline) == {}


def test_the_log_is_written_encrypted_and_never_changed(operator, hotline):
    note = services.write_log(operator, hotline, LogKind.NOTE, "У ОВД «Тверской» нужна вода")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM intake_shiftlogentry")
        assert "вода" not in str(cursor.fetchone()[0])
    with pytest.raises(ValueError):
        note.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ShiftLogEntry.objects.filter(pk=note.pk).update(kind=LogKind.INCIDENT)
    with pytest.raises(DatabaseError), transaction.atomic():
        ShiftLogEntry.objects.filter(pk=note.pk).delete()


def test_an_empty_note_is_refused_but_a_handover_may_say_nothing_more(operator, hotline):
    with pytest.raises(ValidationError):
        services.write_log(operator, hotline, LogKind.NOTE, "   ")
    assert services.hand_over(operator, hotline, "").kind == LogKind.HANDOVER


def test_a_handover_counts_the_open_items(operator, hotline, stations, pavlova):
    smirnova = _held(
        operator, hotline, stations["tverskoy"], "Смирнова Анна", needs=frozenset({"need_water"})
    )
    _held(operator, hotline, stations["kitay"], "Орлов Максим", birth="2010")
    services.assign_duty_lawyer(operator, smirnova, pavlova)
    handover = services.hand_over(operator, hotline, "Павлова уезжает в 23:00")
    assert handover.summary == {
        "held": 2,
        "no_lawyer": 1,
        "minors": 1,
        "urgent": 1,
        "lawyers_on_duty": 1,
        "lawyers_over_capacity": 0,
    }
    (line,) = services.read_log(operator, hotline)
    assert line.text == "Павлова уезжает в 23:00"
    assert ("without a lawyer", 1) in line.items
    assert AuditEntry.objects.filter(action="read.sensitive").exists()


def test_the_log_is_kept_by_everyone_on_duty_and_nobody_else(make_member, hotline, spb_operator):
    worker = make_member("Николай Морозов", Role.CASE_WORKER, compartments=[hotline])
    services.write_log(worker, hotline, LogKind.INCIDENT, "Полиция не пускает адвоката")
    for member in (
        make_member("Мария Ошанина", Role.TREASURER, compartments=[hotline]),
        spb_operator,
    ):
        with pytest.raises(PermissionDenied):
            services.write_log(member, hotline, LogKind.NOTE, "Запись")
        with pytest.raises(PermissionDenied):
            services.read_log(member, hotline)
