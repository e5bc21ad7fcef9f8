"""Reporting an inaccuracy: anyone, no account, only about a public page; the text is kept
encrypted, nothing about the sender is kept, and one network may send only a few an hour."""

from django.core.cache import cache
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases.testing import everything_stored
from pompolit.public.conftest import visitor
from pompolit.public.models import InaccuracyReport
from pompolit.public.views import REPORTS_PER_HOUR

TEXT = "Алексея перевели из ИК-6 в СИЗО-1 Омска в мае"


def report(case, **data):
    return visitor().post(reverse("public_report", args=[case.public_id]),
                          {"text": TEXT, **data}, REMOTE_ADDR="203.0.113.9")


def test_the_form_is_public_and_names_the_prisoner(published):
    page = visitor("ru").get(reverse("public_report", args=[published["gorinov"].public_id]))
    assert page.status_code == 200 and "Горинов Алексей" in page.content.decode()
    assert "Сообщить о неточности" in page.content.decode()


def test_a_report_is_kept_encrypted_and_the_sender_is_not_kept(published):
    cache.clear()
    response = report(published["gorinov"], contact="@alexei_friend")
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    kept = InaccuracyReport.objects.get()
    assert kept.case == published["gorinov"] and kept.text == TEXT
    stored = "\n".join(everything_stored())
    assert "СИЗО-1 Омска" not in stored and "alexei_friend" not in stored
    assert "203.0.113" not in stored
    entry = AuditEntry.objects.filter(action="public.inaccuracy_reported").get()
    assert entry.actor_id is None and not entry.client


def test_no_report_about_an_unpublished_case(published):
    response = report(published["hidden"])
    assert response.status_code == 404 and not InaccuracyReport.objects.exists()


def test_an_empty_report_says_what_is_missing(published):
    response = visitor().post(reverse("public_report", args=[published["gorinov"].public_id]),
                              {"text": "   "})
    assert "This field is required." in response.content.decode()


def test_a_robot_filling_the_hidden_field_is_thanked_and_ignored(published):
    response = report(published["gorinov"], website="http://spam.example")
    assert response.status_code == 200 and not InaccuracyReport.objects.exists()


def test_one_network_may_send_only_a_few_an_hour(published):
    cache.clear()
    for _ in range(REPORTS_PER_HOUR):
        assert report(published["gorinov"]).status_code == 200
    refused = report(published["gorinov"])
    assert refused.status_code == 429
    assert "Too many reports from your network" in refused.content.decode()
    # Another network is not held back.
    other = visitor().post(reverse("public_report", args=[published["gorinov"].public_id]),
                           {"text": TEXT}, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 200
    assert InaccuracyReport.objects.count() == REPORTS_PER_HOUR + 1
