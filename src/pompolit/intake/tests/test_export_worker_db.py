"""With the production backend (django-tasks-db): approving a list with contacts only queues it,
once the approval is carried out; the task row holds the export's id and nothing of the list,
and the worker (run here in-process, as `pompolit db_worker --batch` would) writes it for its
one download."""

import csv
import io
import json

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from pompolit.intake import export_contacts, exports
from pompolit.intake import services as intake
from pompolit.intake.bot.tests.test_tasks_db_worker import DB_TASKS, run_worker
from pompolit.intake.export_models import DetentionExport, ExportState
from pompolit.intake.services import RelativeEntry
from pompolit.intake.testing import EVENING, entry
from pompolit.members import approvals


@pytest.mark.django_db
def test_the_worker_writes_what_the_approval_queued(
    operator,
    founders,
    hotline,
    stations,
    pushkin_square,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    for name, station in [
        ("Смирнова Анна Сергеевна", "tverskoy"),
        ("Орлов Максим", "kitay"),
        ("Ким Виктория", "meshchansky"),
    ]:
        intake.record_report(
            operator,
            hotline,
            entry(
                name,
                birth="2001",
                facility=stations[station],
                event=pushkin_square,
                status="at-station",
                detained_at=EVENING,
                injuries="ушиб руки",
                relative=RelativeEntry("mother", "Орлова Елена", phone="+7 916 555 01 02"),
            ),
            reporter="relative",
            reporter_contact="@sister_tg",
        )
    asked = export_contacts.request_contacts(
        operator, hotline, exports.Filters(), "csv", reason="для юристов"
    )
    with override_settings(TASKS=DB_TASKS):
        assert not DBTaskResult.objects.exists()  # nothing queued before the approval
        with django_capture_on_commit_callbacks(execute=True):
            approvals.approve(asked.pk, founders[1], seen_digest=asked.payload_digest)
        row = DetentionExport.objects.defer("body").get()
        assert row.state == ExportState.QUEUED  # nothing written on the approval's path
        queued = DBTaskResult.objects.get()
        assert queued.args_kwargs == {"args": [row.pk], "kwargs": {}}
        run_worker(monkeypatch)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value is None
    stored = json.dumps(
        [queued.args_kwargs, queued.return_value, queued.exception_class_path, queued.traceback],
        ensure_ascii=False,
    )
    for secret in ("Смирнова", "ушиб", "+7 916", "@sister_tg", "Орлова"):
        assert secret not in stored
    row = DetentionExport.objects.defer("body").get()
    assert row.state == ExportState.READY and row.rows == row.rows_done == 3
    body, _name, _type = exports.take(operator, hotline)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(r["name"] for r in rows) == [
        "Ким Виктория",
        "Орлов Максим",
        "Смирнова Анна Сергеевна",
    ]
    assert {r["relatives (contacts)"] for r in rows} == {"mother, Орлова Елена, +7 916 555 01 02"}
