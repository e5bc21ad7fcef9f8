"""The dedupe takes every report of a hotline waiting for it in one batch: the batch must say
what the console's matching says of each report one at a time (`proposals.best_match`,
`proposals.may_be_known`), in a number of queries that does not grow with the reports."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.intake import proposals, services
from pompolit.intake.models import Channel, Report, Reporter, Status
from pompolit.intake.proposals import after_public_report
from pompolit.intake.public.services import submit_public_report
from pompolit.intake.public.tests.conftest import answered
from pompolit.intake.services import change_status, record_report
from pompolit.intake.testing import entry

# Reports are queued, not deduped, as they arrive: the test runs the task itself.
QUEUED = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
NOW = datetime.datetime.now(datetime.UTC)


@pytest.fixture
def known(operator: Any, hotline: Any, spb_hotline: Any, stations: Any) -> dict[str, Any]:
    """The hotlines' detentions: namesakes with and without birth dates, at stations today,
    one released, one person detained twice, one in the other town."""

    def held(name: str, compartment: Any = hotline, **fields: Any) -> Any:
        return record_report(operator if compartment == hotline else None, compartment,
                             entry(name, **fields), reporter=Reporter.RELATIVE).detention

    made = {
        "anna-2001": held("Смирнова Анна Сергеевна", birth="2001",
                          facility=stations["tverskoy"], detained_at=NOW - datetime.timedelta(
                              hours=1)),
        "anna-1995": held("Смирнова Анна", birth="1995", facility=stations["kitay"],
                          detained_at=NOW - datetime.timedelta(minutes=30)),
        "ivan-released": held("Смирнов Иван", birth="1990"),
        "maria-no-birth": held("Кузнецова Мария", facility=stations["meshchansky"],
                               detained_at=NOW - datetime.timedelta(minutes=10)),
        "petr-first": held("Иванов Пётр", birth="1988",
                           detained_at=NOW - datetime.timedelta(days=3)),
        "petr-again": held("Иванов Пётр", birth="1988", facility=stations["tverskoy"]),
        "spb-anna": held("Смирнова Анна", spb_hotline, birth="2001"),
    }
    change_status(operator, made["ivan-released"], Status.RELEASED)
    change_status(operator, made["petr-first"], Status.RELEASED)
    return made


REPORTS = [
    {"surname": "Smirnova", "given": "Anna", "patronymic": "", "now_at_text": "ОВД «Тверской»"},
    {"surname": "Смирнова", "given": "Анна", "patronymic": "", "birth": "1995",
     "now_at_text": ""},
    {"surname": "Смирнова", "given": "Анна", "patronymic": "", "birth": "",
     "now_at_text": "ОВД «Китай-город»"},
    {"surname": "Смирнов", "given": "Иван", "patronymic": "", "birth": "1990"},
    {"surname": "Кузнецова", "given": "Мария", "patronymic": "", "birth": "",
     "now_at_text": "ОВД «Мещанский» — Москва"},
    {"surname": "Иванов", "given": "Пётр", "patronymic": "", "birth": "1988", "now_at_text": ""},
    {"surname": "Петров", "given": "Пётр", "patronymic": "", "birth": "2000"},
    {"surname": "", "given": "Анна", "patronymic": "", "birth": "2001"},
    {"surname": "Smirnowa", "given": "Anna", "patronymic": "", "city": "Санкт-Петербург"},
    {"surname": "Смирнва", "given": "Анна", "patronymic": "", "birth": "14.05.2001"},
    {"surname": "Smirnova", "given": "Anna", "patronymic": "", "now_at_text": "ОВД «Тверской»"},
    {"surname": "Кузнецова", "given": "", "patronymic": "", "birth": "",
     "now_at_text": "ОВД «Нет такого»"},
]


def send(answers: list[dict[str, Any]]) -> list[Report]:
    with override_settings(TASKS=QUEUED):
        return [submit_public_report(answered(**a), channel=Channel.WEB_FORM).report
                for a in answers]


def one_by_one(report: Report) -> tuple[int | None, bool]:
    """What the dedupe said of one report before the batch: the console's matching."""
    report = Report.objects.select_related("compartment").get(pk=report.pk)
    said = proposals.Said.of(report)
    found = proposals.best_match(report)
    known = proposals.may_be_known(report.compartment, said.name, said.birth,
                                   services.find_station(said.now_at))
    return (found.pk if found else None), known


def test_a_batch_proposes_what_one_report_at_a_time_would(known: Any) -> None:
    reports = send(REPORTS)
    expected = {r.pk: one_by_one(r) for r in reports}
    # The first report's task dedupes its hotline's whole queue; the second hotline's report
    # is left for its own task.
    after_public_report.call(reports[0].pk)
    moscow = {r.pk for r in reports if r.compartment_id == known["anna-2001"].compartment_id}
    assert set(Report.objects.filter(deduped_at__isnull=False).values_list("pk", flat=True)) \
        == moscow
    after_public_report.call(reports[8].pk)
    got = {r.pk: (r.proposed_detention_id, r.possible_duplicate)
           for r in Report.objects.filter(pk__in=expected)}
    assert got == expected
    # The cases are not all alike: some proposed, some not, some only "may be known".
    assert {found for found, _known in got.values()} >= {
        known["anna-2001"].pk, known["anna-1995"].pk, known["maria-no-birth"].pk,
        known["petr-again"].pk, known["spb-anna"].pk, None}
    assert {k for _found, k in got.values()} == {True, False}
    entries = AuditEntry.objects.filter(action="intake.link_proposed").order_by("seq")
    assert [e.details for e in entries] == [
        {"report": pk, "detention": found}
        for pk, (found, _known) in sorted(expected.items(), key=lambda item: (
            item[0] not in moscow, item[0])) if found is not None
    ]


def test_the_tasks_queued_after_a_batch_find_their_report_done(known: Any) -> None:
    reports = send(REPORTS[:3])
    after_public_report.call(reports[0].pk)
    entries = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        after_public_report.call(reports[2].pk)
    assert len(queries) == 1
    assert AuditEntry.objects.count() == entries


def test_a_report_proposed_or_reviewed_meanwhile_is_left_alone(
    known: Any, operator: Any
) -> None:
    first, second = send(REPORTS[:2])
    Report.objects.filter(pk=first.pk).update(proposed_detention=known["anna-1995"])
    from pompolit.intake.public.services import reject

    reject(operator, second, "spam")
    after_public_report.call(first.pk)
    first.refresh_from_db()
    assert first.proposed_detention == known["anna-1995"]
    assert not AuditEntry.objects.filter(action="intake.link_proposed").exists()


def test_the_batch_queries_do_not_grow_with_its_reports(known: Any) -> None:
    def queries_for(answers: list[dict[str, Any]]) -> int:
        reports = send(answers)
        with CaptureQueriesContext(connection) as queries:
            done = proposals.dedupe_waiting(reports[0].compartment_id)
        assert set(done) == {r.pk for r in reports}
        return len(queries)

    few = queries_for(REPORTS[:3])
    many = queries_for(REPORTS[:8] + REPORTS[9:] + REPORTS[:3])
    assert few == many


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def forget_queued_runs() -> Any:
    # What this process remembers of queued runs must not pass from one test to the next.
    proposals._starts.clear()
    yield
    proposals._starts.clear()


def test_one_run_is_queued_for_the_reports_that_arrive_before_it_starts(
    known: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    def arrive(answers: list[dict[str, Any]]) -> list[Report]:
        with override_settings(TASKS=DB_TASKS), django_capture_on_commit_callbacks(
            execute=True
        ):
            return [submit_public_report(answered(**a), channel=Channel.WEB_FORM).report
                    for a in answers]

    def queued() -> list[Any]:
        return list(DBTaskResult.objects.filter(
            status="READY", task_path=proposals.dedupe_hotline.module_path))

    reports = arrive(REPORTS[:3])
    [run] = queued()
    assert run.args_kwargs == {"args": [reports[0].compartment_id], "kwargs": {}}
    # It starts a second later, so that it serves every report of that second; until half a
    # second before, this process does not even ask whether it is queued.
    assert 0 < (run.run_after - run.enqueued_at).total_seconds() <= 1.5
    with CaptureQueriesContext(connection) as queries:
        reports += arrive(REPORTS[3:4])
    assert not [q for q in queries if "dbtaskresult" in q["sql"]]
    assert len(queued()) == 1
    # A run that has started (its time has come) no longer counts: what arrives now needs a
    # run of its own.
    proposals._starts.clear()
    DBTaskResult.objects.filter(pk=run.pk).update(status="RUNNING")
    reports += arrive(REPORTS[4:5])
    assert len(queued()) == 1
    # The worker runs both now (the second finds nothing left).
    DBTaskResult.objects.filter(pk=run.pk).update(status="READY")
    DBTaskResult.objects.update(run_after=F("enqueued_at"))
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with override_settings(TASKS=DB_TASKS):
        db_worker.Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
    assert not Report.objects.filter(pk__in=[r.pk for r in reports], deduped_at=None).exists()
    assert Report.objects.get(pk=reports[0].pk).proposed_detention == known["anna-2001"]
    assert not queued()


def test_a_run_whose_time_has_come_has_the_next_one_queued_not_asked_about_by_every_report(
    known: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    def arrive(answers: list[dict[str, Any]]) -> list[Any]:
        with CaptureQueriesContext(connection) as queries, override_settings(
            TASKS=DB_TASKS
        ), django_capture_on_commit_callbacks(execute=True):
            for a in answers:
                submit_public_report(answered(**a), channel=Channel.WEB_FORM)
        return [q for q in queries if "dbtaskresult" in q["sql"]]

    def queued() -> list[Any]:
        return list(DBTaskResult.objects.filter(
            status="READY", task_path=proposals.dedupe_hotline.module_path
        ).order_by("run_after"))

    arrive(REPORTS[:1])
    [first] = queued()
    # Its time has come; the worker, busy, has not taken it yet.
    DBTaskResult.objects.filter(pk=first.pk).update(run_after=NOW - datetime.timedelta(
        seconds=1))
    proposals._starts.clear()
    asked = arrive(REPORTS[1:4])
    # The first report after that queues the next run (a second ahead); the others count on
    # it without asking.
    assert len(asked) == 2, [q["sql"][:60] for q in asked]  # the look-up and the next run
    old, following = queued()
    assert old.pk == first.pk
    assert following.run_after > following.enqueued_at
    assert proposals._starts[known["anna-2001"].compartment_id] == following.run_after
    assert not arrive(REPORTS[4:6])
    # A run about to start (within half the wait) has the next one queued a wait after it,
    # not a wait from now: one run a second, however the reports fall.
    soon = timezone.now() + datetime.timedelta(seconds=0.2)
    DBTaskResult.objects.filter(pk=following.pk).update(run_after=soon)
    proposals._starts.clear()
    assert len(arrive(REPORTS[6:8])) == 2
    assert queued()[-1].run_after == soon + datetime.timedelta(seconds=1)


def test_a_long_queue_is_deduped_in_turns(known: Any, monkeypatch: Any) -> None:
    # One run takes RUN_BATCHES batches, then queues the next run behind the worker's other
    # tasks (the bot's answers wait for the worker too).
    monkeypatch.setattr(proposals, "BATCH", 2)
    monkeypatch.setattr(proposals, "RUN_BATCHES", 2)
    again: list[int] = []
    monkeypatch.setattr(proposals, "queue_dedupe", lambda c, wait: again.append(c))
    reports = send(REPORTS[:5])
    proposals.dedupe_hotline.call(reports[0].compartment_id)
    assert again == [reports[0].compartment_id]
    assert list(proposals.waiting(reports[0].compartment_id)) == [reports[4]]
    proposals.dedupe_hotline.call(reports[0].compartment_id)
    assert again == [reports[0].compartment_id]
    assert not proposals.waiting(reports[0].compartment_id).exists()
