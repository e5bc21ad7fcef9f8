"""A long group's PDF laid out by the worker (letters/batch_prints.py): queued from the batches
page, its progress polled, kept encrypted until the member who asked downloads it once, then
deleted (or when it expires); a failure is explained and may be retried. Small groups are
still printed on the request. The tests' task backend runs the task as it is queued."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pompolit.audit.models import AuditEntry
from pompolit.letters import batch_prints, batches, layout, services, work
from pompolit.letters.models import BatchPrint, Channel, PrintState, Status
from pompolit.letters.testing import World
from pompolit.members.models import Member
from pompolit.members.roles import Role

pytestmark = pytest.mark.django_db

TEXT = "Здравствуйте, Александра! Письмо № {n}."


@pytest.fixture
def long_group(letters_world: World, moderator: Member, settings: Any,
               monkeypatch: pytest.MonkeyPatch) -> World:
    """Three approved letters to ИК-2 (by post), over a threshold of two, in parts of two."""
    settings.POMPOLIT_LETTERS_BACKGROUND_OVER = 2
    monkeypatch.setattr(layout, "PART", 2)
    monkeypatch.setattr(layout, "workers", lambda parts: 1)  # no processes in the tests
    for n in range(3):
        letter = services.write_letter(letters_world.recipient(letters_world.writable[1]),
                                       text=TEXT.format(n=n)).letter
        work.move(moderator, letter, Status.APPROVED)
    return letters_world


def _url(name: str, world: World) -> str:
    return reverse(name, args=[world.ik2.pk, Channel.POST])


def _stored_column() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pdf FROM letters_batchprint")
        return str(cursor.fetchone()[0])


def test_a_long_group_is_prepared_in_the_background_and_downloaded_once(
        long_group: World, moderator: Member, client_for: Any) -> None:
    client = client_for(moderator)
    page = client.get(reverse("letters_batches")).content.decode()
    assert "Prepare the PDF for printing" in page
    assert _url("letters_batch_pdf", long_group) not in page
    # The direct link of a small group sends a long one back to the page.
    assert client.get(_url("letters_batch_pdf", long_group)).status_code == 302
    response = client.post(_url("letters_batch_prepare", long_group), follow=True)
    assert "The PDF is being prepared" in response.content.decode()
    row = BatchPrint.objects.get()
    assert (row.owner_id, row.state, row.letters, row.parts, row.parts_done) == (
        moderator.pk, PrintState.READY, 3, 2, 2)
    stored = _stored_column()  # encrypted by the vault: neither a PDF nor a letter in it
    assert "%PDF" not in stored and "Александра" not in stored and "JVBER" not in stored
    assert AuditEntry.objects.filter(action="letters.batch_queued").get().details == {
        "letters": 3, "facility": long_group.ik2.pk}
    assert "Download the PDF" in response.content.decode()

    pdf = client.post(_url("letters_batch_prepared", long_group))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-" and "no-store" in pdf["Cache-Control"]
    assert not BatchPrint.objects.exists()  # deleted as it was handed over
    assert AuditEntry.objects.filter(action="letters.batch_printed").get().details == {
        "format": "pdf", "letters": 3, "facility": long_group.ik2.pk, "background": True}
    again = client.post(_url("letters_batch_prepared", long_group), follow=True)
    assert "already downloaded or has expired" in again.content.decode()
    # Marking the group sent is as before: the letters are still approved, and listed.
    assert "Mark these letters sent" in client.get(reverse("letters_batches")).content.decode()


def test_only_the_member_who_asked_fetches_it(long_group: World, moderator: Member,
                                              make_member: Any, compartment: Any,
                                              client_for: Any) -> None:
    other = make_member("Анна Корба", Role.CASE_WORKER, compartments=[compartment])
    client_for(moderator).post(_url("letters_batch_prepare", long_group))
    assert batch_prints.take(other, long_group.ik2.pk, Channel.POST) is None
    page = client_for(other).get(reverse("letters_batches")).content.decode()
    assert "Download the PDF" not in page and "Prepare the PDF for printing" in page
    response = client_for(other).post(_url("letters_batch_prepared", long_group))
    assert response.status_code == 302 and BatchPrint.objects.get().state == PrintState.READY
    assert not AuditEntry.objects.filter(action="letters.batch_printed").exists()


def test_a_failure_is_explained_and_may_be_retried(
        long_group: World, moderator: Member, client_for: Any,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("Здравствуйте, Александра! (quoted from a letter)")

    working = layout.joined
    monkeypatch.setattr(layout, "joined", broken)
    client = client_for(moderator)
    with caplog.at_level(logging.ERROR):
        page = client.post(_url("letters_batch_prepare", long_group), follow=True)
    row = BatchPrint.objects.get()
    assert (row.state, row.failure) == (PrintState.FAILED, "layout")
    assert "The PDF could not be laid out." in page.content.decode()
    assert "Try again" in page.content.decode()
    assert "RuntimeError" in caplog.text and "Александра" not in caplog.text

    monkeypatch.setattr(layout, "joined", working)
    client.post(_url("letters_batch_prepare", long_group))
    row = BatchPrint.objects.get()
    assert row.state == PrintState.READY and row.failure == ""


def test_the_page_polls_while_the_worker_lays_it_out(long_group: World, moderator: Member,
                                                     client_for: Any) -> None:
    now = timezone.now()
    row = BatchPrint.objects.create(
        owner=moderator, facility=long_group.ik2, channel=Channel.POST,
        state=PrintState.RUNNING, letters=2000, parts=20, parts_done=5,
        expires_at=now + datetime.timedelta(hours=24))
    client = client_for(moderator)
    fragment = client.get(_url("letters_batch_progress", long_group)).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "part 5 of 20 laid out" in fragment
    page = client.get(reverse("letters_batches")).content.decode()
    assert '<meta http-equiv="refresh"' in page  # without JavaScript, the page reloads
    assert "Refresh" in page

    BatchPrint.objects.filter(pk=row.pk).update(updated_at=now - datetime.timedelta(hours=1))
    fragment = client.get(_url("letters_batch_progress", long_group)).content.decode()
    assert "hx-trigger" not in fragment
    assert "The worker stopped before the PDF was finished." in fragment and "Try again" in fragment
    client.post(_url("letters_batch_prepare", long_group))  # a stalled one is replaced
    assert BatchPrint.objects.get().state == PrintState.READY


def test_one_under_way_is_kept(long_group: World, moderator: Member) -> None:
    group = batches.group(moderator, long_group.ik2.pk, Channel.POST)
    assert group is not None and batch_prints.in_background(group)
    row = BatchPrint.objects.create(
        owner=moderator, facility=long_group.ik2, channel=Channel.POST,
        expires_at=timezone.now() + datetime.timedelta(hours=24))
    assert batch_prints.queue(moderator, group).pk == row.pk
    assert BatchPrint.objects.get().state == PrintState.QUEUED  # not queued a second time
    assert not AuditEntry.objects.filter(action="letters.batch_queued").exists()


def test_an_expired_pdf_is_deleted(long_group: World, moderator: Member,
                                   client_for: Any) -> None:
    client = client_for(moderator)
    client.post(_url("letters_batch_prepare", long_group))
    BatchPrint.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert batch_prints.take(moderator, long_group.ik2.pk, Channel.POST) is None
    client.get(reverse("letters_batches"))
    assert not BatchPrint.objects.exists()


def test_a_small_group_is_still_printed_on_the_request(
        letters_world: World, moderator: Member, client_for: Any) -> None:
    letter = services.write_letter(letters_world.recipient(letters_world.writable[1]),
                                   text="Привет!").letter
    work.move(moderator, letter, Status.APPROVED)
    client = client_for(moderator)
    page = client.get(reverse("letters_batches")).content.decode()
    assert _url("letters_batch_pdf", letters_world) in page
    assert "Prepare the PDF for printing" not in page
    assert client.get(_url("letters_batch_pdf", letters_world)).content[:5] == b"%PDF-"
    assert not BatchPrint.objects.exists()


def test_with_the_production_backend_the_request_only_queues(
        long_group: World, moderator: Member, client_for: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.test import override_settings
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                              "QUEUES": ["default"]}}):
        client = client_for(moderator)
        client.post(_url("letters_batch_prepare", long_group))
        row = BatchPrint.objects.get()
        assert row.state == PrintState.QUEUED  # nothing laid out on the request
        page = client.get(reverse("letters_batches")).content.decode()
        assert "waiting for the worker" in page.lower() and 'hx-trigger="every 2s"' in page
        queued = DBTaskResult.objects.get()
        assert queued.args_kwargs == {"args": [row.pk], "kwargs": {}}  # its id, nothing else
        monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
        db_worker.Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="test-worker",
            excluded_queue_names=[]).run()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value is None
    assert BatchPrint.objects.get().state == PrintState.READY
