"""The hotline's exported list (intake/exports.py): filters, columns by role, contacts only when
asked by an operator and approved by a second person (intake/export_contacts.py), the file read
back, one download, expiry, failures as codes, the trail."""

import csv
import datetime
import io
import logging

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from pompolit.audit.descriptions import describe
from pompolit.audit.models import AuditEntry
from pompolit.intake import export_contacts, exports
from pompolit.intake import services as intake
from pompolit.intake.export_models import DetentionExport, ExportFailure, ExportState
from pompolit.intake.models import Detention, Status
from pompolit.intake.services import RelativeEntry
from pompolit.intake.testing import EVENING, entry, protest
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest
from pompolit.members.roles import Role
from pompolit.members.services import revoke_compartment

EVERYONE = exports.Filters(held_only=False)
# Queued, not run: what the worker would find.
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def surge(operator, hotline, stations, pushkin_square):
    """Six detentions in Moscow: two events, three stations, one released, a minor whose mother
    left her phone, and a van, a lawyer, injuries and a seized phone."""
    march = protest("Марш памяти Немцова", date=datetime.date(2026, 3, 7))
    day2 = EVENING + datetime.timedelta(days=1)
    made = {}
    for key, name, fields in [
        (
            "smirnova",
            "Смирнова Анна Сергеевна",
            dict(
                birth="2001",
                facility=stations["tverskoy"],
                event=pushkin_square,
                status=Status.AT_STATION,
                place="у памятника Пушкину",
                van_number="А123ВС 77",
                lawyer="Павлова Мария",
                injured=True,
                injuries="ушиб руки",
                devices_seized=True,
                devices="iPhone 12",
                needs=frozenset({"need_water"}),
                medicine="",
            ),
        ),
        (
            "orlov",
            "Орлов Максим Игоревич",
            dict(
                birth="2010",
                is_minor=True,
                facility=stations["kitay"],
                event=pushkin_square,
                status=Status.AT_STATION,
                needs=frozenset({"need_medicine"}),
                medicine="инсулин",
                relative=RelativeEntry("mother", "Орлова Елена", phone="+7 916 555 01 02"),
            ),
        ),
        (
            "ivanov",
            "Иванов Пётр",
            dict(
                birth="1990",
                facility=stations["kitay"],
                event=pushkin_square,
                status=Status.RELEASED,
            ),
        ),
        (
            "kim",
            "Ким Виктория",
            dict(
                birth="1998",
                facility=stations["meshchansky"],
                event=march,
                detained_at=day2,
                status=Status.HELD_OVERNIGHT,
            ),
        ),
        (
            "fedorov",
            "Фёдоров Илья",
            dict(
                birth="1985",
                facility=stations["meshchansky"],
                event=march,
                detained_at=day2,
                status=Status.COURT_HEARING,
            ),
        ),
        ("van", "Соколова Дарья", dict(birth="2003", event=march, detained_at=day2)),
    ]:
        fields.setdefault("detained_at", EVENING)
        report = intake.record_report(
            operator,
            hotline,
            entry(name, **fields),
            reporter="relative",
            reporter_contact="@sister_tg" if key == "orlov" else "",
        )
        made[key] = report.detention
    made["march"] = march
    return made


def rows_of(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode())  # Excel reads the Cyrillic as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def export(member, hotline, filters=EVERYONE, fmt="csv", *, language="en"):
    with translation.override(language):
        exports.queue(member, hotline, filters, fmt)
    taken = exports.take(member, hotline)
    assert taken is not None
    return taken


def ask_contacts(member, hotline, filters=EVERYONE, fmt="csv", *, language="en"):
    with translation.override(language):
        return export_contacts.request_contacts(
            member, hotline, filters, fmt, reason="Список остаётся на линии"
        )


@pytest.fixture
def approve(django_capture_on_commit_callbacks):
    """approve(request, approver): decided on the approvals page; the list is then queued
    (after the commit) and, with the tests' immediate backend, written."""

    def run(request, approver):
        with django_capture_on_commit_callbacks(execute=True):
            return approvals.approve(request.pk, approver, seen_digest=request.payload_digest)

    return run


def test_an_operator_gets_the_lawyers_columns_named_in_russian(operator, hotline, surge):
    body, name, content_type = export(operator, hotline, language="ru")
    assert name.startswith("detentions-moscow-hotline-") and name.endswith(".csv")
    assert content_type == "text/csv; charset=utf-8"
    rows = rows_of(body)
    assert len(rows) == 6, body.decode()[:300]
    smirnova = next(r for r in rows if r["имя"] == "Смирнова Анна Сергеевна")
    assert smirnova["год рождения"] == "2001"
    assert smirnova["ОВД"] == "ОВД «Тверской»"
    assert smirnova["номер автозака"] == "А123ВС 77"
    assert "Павлова Мария" in smirnova.values() and "ушиб руки" in smirnova.values()
    assert "iPhone 12" in smirnova.values() and "у памятника Пушкину" in smirnova.values()
    orlov = next(r for r in rows if r["имя"].startswith("Орлов"))
    assert "инсулин" in orlov.values() and "да" in orlov.values()
    # No contacts unless asked.
    assert "+7 916 555 01 02" not in body.decode("utf-8-sig")
    assert "@sister_tg" not in body.decode("utf-8-sig")


def test_filters_held_now_a_station_an_event_and_days(operator, hotline, surge, stations):
    held = rows_of(export(operator, hotline, exports.Filters())[0])
    assert {r["name"] for r in held} == {
        "Смирнова Анна Сергеевна",
        "Орлов Максим Игоревич",
        "Ким Виктория",
        "Фёдоров Илья",
        "Соколова Дарья",
    }
    kitay = rows_of(
        export(operator, hotline, exports.Filters(facility=stations["kitay"], held_only=False))[0]
    )
    assert {r["name"] for r in kitay} == {"Орлов Максим Игоревич", "Иванов Пётр"}
    march = rows_of(export(operator, hotline, exports.Filters(event=surge["march"]))[0])
    assert {r["name"] for r in march} == {"Ким Виктория", "Фёдоров Илья", "Соколова Дарья"}
    first_day = EVERYONE.__class__(
        held_only=False, date_from=datetime.date(2026, 3, 6), date_to=datetime.date(2026, 3, 6)
    )
    assert len(rows_of(export(operator, hotline, first_day)[0])) == 3


def test_a_case_worker_gets_what_the_board_shows(make_member, hotline, surge):
    lawyer = make_member("Николай Морозов", Role.CASE_WORKER, compartments=[hotline])
    body = export(lawyer, hotline)[0]
    text = body.decode("utf-8-sig")
    rows = rows_of(body)
    assert set(rows[0]) == {str(c.label) for c in exports.columns(exports.Tier.BOARD)}
    assert "where detained" not in rows[0] and "van number" not in rows[0]
    for secret in (
        "А123ВС 77",
        "Павлова Мария",
        "ушиб руки",
        "iPhone 12",
        "инсулин",
        "у памятника Пушкину",
    ):
        assert secret not in text
    smirnova = next(r for r in rows if r["name"].startswith("Смирнова"))
    assert smirnova["lawyer"] == "yes" and smirnova["injuries and violence"] == "yes"
    assert smirnova["phone or devices seized"] == "yes"
    assert smirnova["police station"] == "ОВД «Тверской»"


def test_contacts_only_for_operators_and_only_through_an_approval(
    operator, make_member, founders, hotline, surge, approve
):
    coordinator = make_member("Ольга Любатович", Role.COORDINATOR, compartments=[hotline])
    with pytest.raises(PermissionDenied):
        ask_contacts(coordinator, hotline)
    with pytest.raises(TypeError):  # the immediate list has no way to add contacts
        exports.queue(operator, hotline, EVERYONE, "csv", contacts=True)  # type: ignore[call-arg]
    rows = rows_of(export(coordinator, hotline)[0])
    assert "relatives (contacts)" not in rows[0]
    assert "ушиб руки" in {v for r in rows for v in r.values()}  # the lawyer's columns
    approve(ask_contacts(operator, hotline), founders[1])
    body, _name, _type = exports.take(operator, hotline)
    rows = rows_of(body)
    orlov = next(r for r in rows if r["name"].startswith("Орлов"))
    assert orlov["relatives (contacts)"] == "mother, Орлова Елена, +7 916 555 01 02"
    assert orlov["reporters' contacts"] == "a relative: @sister_tg"
    assert orlov["reports"] == "1"


def test_asking_for_contacts_queues_nothing_until_a_second_person_approves(
    operator, hotline, surge, settings
):
    settings.TASKS = DUMMY
    asked = ask_contacts(operator, hotline, exports.Filters(event=surge["march"]), "xlsx")
    assert asked.status == ApprovalRequest.Status.PENDING
    assert asked.action == "intake.export_contacts"
    assert asked.payload == {
        "compartment": "moscow-hotline",
        "event": surge["march"].pk,
        "station": None,
        "held_only": True,
        "from": None,
        "to": None,
        "format": "xlsx",
        "requested_by": operator.pk,
        "language": "en",
    }
    assert not DetentionExport.objects.exists()
    assert exports.mine(operator, hotline) is None
    assert not AuditEntry.objects.filter(action__startswith="intake.export").exists()
    assert AuditEntry.objects.filter(action="approval.requested", object_id=str(asked.pk))
    assert export_contacts.pending(operator, hotline) == asked
    with pytest.raises(ValidationError, match=f"#{asked.pk}"):  # one waiting at a time
        ask_contacts(operator, hotline)
    with pytest.raises(ValidationError):  # the approver is told why
        export_contacts.request_contacts(operator, hotline, EVERYONE, "csv", reason=" ")
    # The list without contacts stays immediate beside it.
    assert exports.queue(operator, hotline, EVERYONE, "csv").contacts is False


def test_nobody_approves_their_own_list_or_without_the_coordinators_role(
    operator, make_member, founders, hotline, surge
):
    both = make_member(
        "Анна Корба", Role.HOTLINE_OPERATOR, Role.COORDINATOR, compartments=[hotline]
    )
    other_operator = make_member("Геся Гельфман", Role.HOTLINE_OPERATOR, compartments=[hotline])
    for requester, approver in [(operator, operator), (both, both), (operator, other_operator)]:
        asked = ask_contacts(requester, hotline)
        assert not approvals.can_decide(asked, approver)
        with pytest.raises((approvals.ApprovalError, PermissionDenied)):
            approvals.approve(asked.pk, approver, seen_digest=asked.payload_digest)
        asked.refresh_from_db()
        assert asked.status == ApprovalRequest.Status.PENDING
        approvals.reject(asked.pk, requester)  # withdrawn, to ask the next
    assert approvals.can_decide(ask_contacts(both, hotline), founders[1])
    assert not DetentionExport.objects.exists()


def test_the_approved_list_is_downloaded_once_by_the_operator_only(
    operator, make_member, founders, hotline, surge, approve
):
    other_operator = make_member("Геся Гельфман", Role.HOTLINE_OPERATOR, compartments=[hotline])
    asked = ask_contacts(operator, hotline, language="ru")
    approve(asked, founders[1])
    asked.refresh_from_db()
    assert asked.status == ApprovalRequest.Status.EXECUTED
    row = exports.mine(operator, hotline)
    assert row.state == ExportState.READY and row.contacts and row.approval_id == asked.pk
    assert exports.take(other_operator, hotline) is None
    with pytest.raises(PermissionDenied):  # the approver is not granted the hotline
        exports.take(founders[1], hotline)
    body, _name, _type = exports.take(operator, hotline)
    assert "+7 916 555 01 02" in body.decode("utf-8-sig")
    assert "родственники (контакты)" in body.decode("utf-8-sig")  # the operator's language
    assert exports.take(operator, hotline) is None
    assert not DetentionExport.objects.exists()
    # The trail: asked, approved and carried out by the mechanism, queued, downloaded.
    requested = AuditEntry.objects.get(action="approval.requested", object_id=str(asked.pk))
    tail = AuditEntry.objects.filter(seq__gte=requested.seq).exclude(action__startswith="read.")
    assert list(tail.order_by("seq").values_list("action", flat=True)) == [
        "approval.requested",
        "approval.approved",
        "intake.export_contacts_approved",
        "approval.executed",
        "intake.exported",
    ]
    approved = AuditEntry.objects.get(action="intake.export_contacts_approved")
    assert approved.actor_id == founders[1].pk
    assert approved.details["approval"] == asked.pk and approved.details["contacts"] is True
    done = AuditEntry.objects.get(action="intake.exported")
    assert done.actor_id == operator.pk and done.details["approval"] == asked.pk
    read = AuditEntry.objects.filter(action="read.sensitive").latest("pk")
    assert "intake.DetentionRelative.phone" in read.details["fields"]
    with translation.override("ru"):
        said = describe(approved)
    assert f"№{asked.pk}" in said and "Московская горячая линия" in said
    assert operator.pseudonym in said


def test_a_refused_or_expired_request_exports_nothing(operator, founders, hotline, surge, approve):
    refused = ask_contacts(operator, hotline)
    approvals.reject(refused.pk, founders[1])
    with pytest.raises(approvals.ApprovalError):
        approve(refused, founders[0])
    assert export_contacts.state(export_contacts.latest(operator, hotline)) == "rejected"
    late = ask_contacts(operator, hotline)
    later = timezone.now() + django_settings.POMPOLIT_APPROVAL_TTL
    with time_machine.travel(later, tick=False):
        assert export_contacts.state(export_contacts.latest(operator, hotline)) == "expired"
        with pytest.raises(approvals.ApprovalError, match="expired"):
            approve(late, founders[1])
    assert not DetentionExport.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="intake.export").exists()


def test_an_operator_who_lost_the_hotline_gets_nothing_from_the_approval(
    operator, founders, hotline, surge, approve
):
    asked = ask_contacts(operator, hotline)
    revoke_compartment(founders[0], operator, hotline)
    with pytest.raises(ValidationError):
        approve(asked, founders[1])
    asked.refresh_from_db()
    assert asked.status == ApprovalRequest.Status.APPROVED and asked.last_error
    assert not DetentionExport.objects.exists()


def test_no_path_around_the_second_person_not_even_for_a_superuser(
    make_member, founders, hotline, surge, approve, settings
):
    chief = make_member(
        "Лев Тихомиров", Role.HOTLINE_OPERATOR, Role.COORDINATOR, compartments=[hotline]
    )
    chief.is_superuser = True  # Members have no such flag (members/tests/test_no_superuser.py)
    chief.is_staff = True
    asked = ask_contacts(chief, hotline)
    assert isinstance(asked, ApprovalRequest) and not DetentionExport.objects.exists()
    with pytest.raises(approvals.ApprovalError, match="second person"):
        approve(asked, chief)
    settings.TASKS = DUMMY

    def refused(row):
        exports.write(row.pk)
        row.refresh_from_db()
        assert row.state == ExportState.FAILED and row.failure == ExportFailure.UNAPPROVED
        assert row.body is None
        row.delete()

    def forged(**fields):
        expires = timezone.now() + datetime.timedelta(hours=1)
        values = dict(owner=chief, compartment=hotline, held_only=False, contacts=True)
        return DetentionExport.objects.create(**{**values, **fields}, expires_at=expires)

    # A row written by hand, without an approval or with one never approved.
    refused(forged())
    refused(forged(approval=asked))
    # An approval "approved" by hand, with no stamped record in the trail.
    ApprovalRequest.objects.filter(pk=asked.pk).update(
        status=ApprovalRequest.Status.EXECUTED, decided_by=founders[1]
    )
    refused(forged(approval=ApprovalRequest.objects.get(pk=asked.pk)))
    # A genuine approval: once it was downloaded, or of another list.
    ApprovalRequest.objects.filter(pk=asked.pk).update(
        status=ApprovalRequest.Status.WITHDRAWN, decided_by=None
    )
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    genuine = ask_contacts(chief, hotline)
    approve(genuine, founders[1])
    assert exports.take(chief, hotline) is not None
    settings.TASKS = DUMMY
    refused(forged(approval=genuine))  # used up
    other = ask_contacts(chief, hotline)
    approve(other, founders[1])  # queued, not written
    row = DetentionExport.objects.get()
    DetentionExport.objects.filter(pk=row.pk).update(held_only=True)  # not what was approved
    refused(row)


def test_the_roles_are_looked_at_again_when_the_worker_writes(
    operator, founders, hotline, surge, settings
):
    settings.TASKS = DUMMY
    row = exports.queue(operator, hotline, EVERYONE, "csv")
    revoke_compartment(founders[0], operator, hotline)
    exports.write(row.pk)
    row.refresh_from_db()
    assert row.state == ExportState.FAILED and row.failure == ExportFailure.REFUSED
    assert row.body is None


def test_treasurers_and_other_hotlines_may_not_export(make_member, hotline, spb_operator, surge):
    treasurer = make_member("Мария Ошанина", Role.TREASURER, compartments=[hotline])
    for refused in (treasurer, spb_operator):
        with pytest.raises(PermissionDenied):
            exports.queue(refused, hotline, EVERYONE, "csv")
        with pytest.raises(PermissionDenied):
            exports.take(refused, hotline)
    assert not DetentionExport.objects.exists()


def test_the_xlsx_workbook_reads_back(operator, hotline, surge):
    body, name, _content_type = export(operator, hotline, fmt="xlsx", language="ru")
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("№", "имя", "год рождения")
    assert len(rows) == 7 and any(r[1] == "Ким Виктория" for r in rows)


def test_a_name_that_looks_like_a_formula_stays_text(operator, hotline, stations):
    intake.record_report(
        operator, hotline, entry("=HYPERLINK Иван", birth="1999"), reporter="witness"
    )
    rows = rows_of(export(operator, hotline)[0])
    assert rows[0]["name"].startswith("'=")


def test_the_list_is_downloaded_once_and_the_trail_says_what_left(operator, hotline, surge):
    exports.queue(operator, hotline, exports.Filters(event=surge["march"]), "csv")
    assert exports.take(operator, hotline) is not None
    assert exports.take(operator, hotline) is None
    assert not DetentionExport.objects.exists()
    queued = AuditEntry.objects.get(action="intake.export_queued")
    assert queued.details == {
        "compartment": "moscow-hotline",
        "event": surge["march"].pk,
        "station": None,
        "held_only": True,
        "from": None,
        "to": None,
        "format": "csv",
        "contacts": False,
    }
    done = AuditEntry.objects.get(action="intake.exported")
    assert done.details["rows"] == 3
    assert "Ким" not in str(done.details) and "Ким" not in str(queued.details)
    read = AuditEntry.objects.filter(action="read.sensitive").latest("pk")
    assert "intake.Detention.injuries" in read.details["fields"]
    with translation.override("ru"):
        said = describe(done)
    assert "Московская горячая линия" in said and "3" in said
    assert f"№{surge['march'].pk}" in said


def test_an_expired_list_is_deleted(operator, hotline, surge, settings):
    settings.POMPOLIT_INTAKE_EXPORT_HOURS = 1
    exports.queue(operator, hotline, EVERYONE, "csv")
    DetentionExport.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert exports.take(operator, hotline) is None
    assert exports.mine(operator, hotline) is None
    assert not DetentionExport.objects.exists()


def test_a_failure_is_kept_as_a_code_without_the_names(
    operator, hotline, surge, monkeypatch, caplog
):
    def broken(header, rows):
        raise ValueError(f"cannot write {rows[0][1]}")

    monkeypatch.setattr(exports, "_csv", broken)
    with caplog.at_level(logging.ERROR):
        exports.queue(operator, hotline, EVERYONE, "csv")
    row = DetentionExport.objects.get()
    assert row.state == ExportState.FAILED and row.failure == ExportFailure.BUILD
    assert exports.failure(row) == str(ExportFailure.BUILD.label)
    assert "Смирнова" not in caplog.text and "Орлов" not in caplog.text
    assert "ValueError" in caplog.text


def test_an_export_under_way_is_kept_a_stalled_one_replaced(operator, hotline, surge, settings):
    settings.TASKS = DUMMY
    first = exports.queue(operator, hotline, EVERYONE, "csv")
    assert exports.queue(operator, hotline, exports.Filters(), "xlsx").pk == first.pk
    DetentionExport.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert exports.failure(exports.mine(operator, hotline)) == str(ExportFailure.STALLED.label)
    second = exports.queue(operator, hotline, exports.Filters(), "xlsx")
    assert second.pk != first.pk and DetentionExport.objects.count() == 1


def test_progress_is_counted_in_chunks(operator, hotline, surge, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    exports.queue(operator, hotline, EVERYONE, "csv")
    row = DetentionExport.objects.get()
    assert row.state == ExportState.READY and row.rows == row.rows_done == 6
    assert Detention.objects.count() == 6
