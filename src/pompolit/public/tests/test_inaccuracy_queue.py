"""The case workers' queue of reports: only their compartments' reports, each reading
recorded; closing a report is recorded and said in both languages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pompolit.audit.descriptions import describe
from pompolit.audit.models import AuditEntry
from pompolit.public import services
from pompolit.public.models import ReportState


@pytest.fixture
def sent(published):
    return services.report_inaccuracy(published["gorinov"].public_id,
                                      text="Срок — 7 лет, а не 6", contact="")


def test_the_case_worker_sees_and_closes_the_report(client_for, worker, sent):
    client = client_for(worker)
    page = client.get(reverse("public_inaccuracy_queue")).content.decode()
    assert "Срок — 7 лет, а не 6" in page and "Горинов Алексей" in page
    assert AuditEntry.objects.filter(action="read.sensitive").exists()
    response = client.post(reverse("public_inaccuracy_close", args=[sent.pk]),
                           {"state": "corrected"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == ReportState.CORRECTED and sent.closed_by == worker
    entry = AuditEntry.objects.get(action="public.inaccuracy_closed")
    assert describe(entry) == (f"Closed report #{sent.pk} on case #{sent.case_id} "
                               "as corrected")
    assert "Срок — 7 лет" not in client.get(reverse("public_inaccuracy_queue")).content.decode()


def test_another_compartments_worker_sees_nothing(client_for, outsider, sent):
    page = client_for(outsider).get(reverse("public_inaccuracy_queue")).content.decode()
    assert "Срок — 7 лет" not in page and "No reports here." in page
    response = client_for(outsider).post(reverse("public_inaccuracy_close", args=[sent.pk]),
                                         {"state": "dismissed"})
    assert response.status_code == 404


def test_a_closed_report_stays_closed(worker, sent):
    services.close_report(worker, sent, ReportState.DISMISSED)
    with pytest.raises(Exception, match="already closed"):
        services.close_report(worker, sent, ReportState.CORRECTED)


def test_only_case_workers_read_the_queue(make_member, sent):
    from pompolit.members.roles import Role

    treasurer = make_member("Казначей", Role.TREASURER)
    with pytest.raises(PermissionDenied):
        services.queue(treasurer)


def test_the_trail_says_it_in_russian(sent):
    from django.utils import translation

    entry = AuditEntry.objects.get(action="public.inaccuracy_reported")
    with translation.override("ru"):
        assert describe(entry).startswith("Посетитель публичной страницы дела №")
