"""The hotline's background tasks: a public report proposed for linking to the detention it is
about (the deduplication, off the request path), and the notices for the operators on duty."""

import datetime
from typing import Any

import pytest
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.intake.models import Channel, DutyNotice, Report, Reporter
from pompolit.intake.proposals import after_public_report
from pompolit.intake.public.services import submit_public_report
from pompolit.intake.public.tests.conftest import ANSWERS, answered
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry


@pytest.fixture
def smirnova(operator: Any, hotline: Any, stations: Any) -> Any:
    """Смирнова Анна, 2001, held at Тверской since an hour ago (an operator's call)."""
    return record_report(
        operator,
        hotline,
        entry(birth="2001", facility=stations["tverskoy"],
              detained_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)),
        reporter=Reporter.RELATIVE,
    ).detention


def test_a_public_report_about_someone_held_is_proposed_for_linking(smirnova: Any) -> None:
    # Submitting enqueues the task (the test settings run it at once); running it again, as a
    # retry would, proposes and records nothing more.
    sent = submit_public_report(
        answered(surname="Smirnova", given="Anna", patronymic=""), channel=Channel.TELEGRAM
    )
    after_public_report.enqueue(sent.report.pk)
    report = Report.objects.get(pk=sent.report.pk)
    assert report.proposed_detention == smirnova
    assert report.detention is None  # only proposed: the operator decides
    entry = AuditEntry.objects.get(action="intake.link_proposed")
    assert entry.details == {"report": report.pk, "detention": smirnova.pk}


def test_a_report_about_someone_else_is_proposed_for_nothing(smirnova: Any) -> None:
    sent = submit_public_report(
        answered(surname="Кузнецов", given="Пётр", patronymic="", birth="1990"),
        channel=Channel.WEB_FORM,
    )
    after_public_report.enqueue(sent.report.pk)
    assert Report.objects.get(pk=sent.report.pk).proposed_detention is None


def test_the_detention_page_lists_the_reports_proposed_for_it(
    smirnova: Any, operator: Any, client_for: Any
) -> None:
    sent = submit_public_report(ANSWERS, channel=Channel.WEB_FORM)
    after_public_report.enqueue(sent.report.pk)
    page = client_for(operator).get(
        reverse("intake_detention", args=[smirnova.compartment.slug, smirnova.pk])
    ).content.decode()
    assert "Public reports proposed for linking" in page


def test_a_backlog_in_quarantine_is_noticed_once(
    hotline: Any, unsealed_vault: Any, settings: Any
) -> None:
    settings.POMPOLIT_INTAKE_BACKLOG = 2
    for surname in ("Петров", "Сидоров", "Орлов"):
        sent = submit_public_report(answered(surname=surname), channel=Channel.WEB_FORM)
        after_public_report.enqueue(sent.report.pk)
    notice = DutyNotice.objects.get(kind=DutyNotice.Kind.QUARANTINE_BACKLOG)
    assert (notice.compartment, notice.count) == (hotline, 2)


def test_a_minor_detained_is_noticed_on_the_dashboard(
    operator: Any, hotline: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        detention = record_report(
            operator, hotline, entry("Волков Иван", birth="2010"), reporter=Reporter.RELATIVE
        ).detention
    notice = DutyNotice.objects.get()
    assert (notice.kind, notice.detention) == (DutyNotice.Kind.MINOR_DETAINED, detention)
    page = client_for(operator).get(reverse("dashboard")).content.decode()
    assert "a minor is held" in page and "Волков Иван" in page
