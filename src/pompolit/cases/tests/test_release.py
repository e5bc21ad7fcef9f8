"""The expected release: typed by the case worker (a year, a month or a day), else estimated
to the month from the arrest and the sentence in months; on the case page and in the form."""

import datetime

from django.urls import reverse

from pompolit.cases import services
from pompolit.cases.models import CaseStatus
from pompolit.cases.release import estimated_release, expected_release, released_within
from pompolit.cases.testing import P, event_type, status

D = datetime.date


def case_url(name, case):
    return reverse(name, kwargs={"compartment": case.compartment.slug, "pk": case.pk})


def test_the_estimate_is_the_arrest_plus_the_sentence_to_the_month():
    assert estimated_release(D(2022, 3, 14), 72) == P("2028-03")
    assert estimated_release(D(2022, 11, 30), 14) == P("2024-01")
    assert estimated_release(D(2022, 3, 14), None) is None
    assert estimated_release(None, 72) is None


def test_only_a_month_or_a_day_can_fall_in_the_next_days():
    today = D(2026, 12, 6)
    assert released_within(P("2026-12-20"), today, 30)
    assert not released_within(P("2027-01-06"), today, 30)  # the 31st day
    assert released_within(P("2027-01"), today, 30)  # may be 1–4 January
    assert released_within(P("2026-12"), today, 30)  # the rest of this month
    assert not released_within(P("2026-11"), today, 30)
    assert not released_within(P("2026"), today, 30)  # a year says too little


def test_a_typed_date_wins_over_the_estimate(worker, open_case, facilities):
    case = open_case("Чернышёв", "Павел", status=status("sentenced"), sentence_months=72)
    services.add_event(worker, case, type=event_type("arrest"), date=P("2022-03-14"),
                       facility=facilities["orenburg"])
    case.refresh_from_db()
    assert expected_release(case) == (P("2028-03"), True)
    services.update_case(worker, case, expected_release=P("2027-09-20"))
    case.refresh_from_db()
    assert expected_release(case) == (P("2027-09-20"), False)


def test_the_case_form_takes_a_partial_date_and_the_page_shows_it(worker, exile, client_for):
    client = client_for(worker)
    form = {"status": CaseStatus.objects.get(code="in-exile").pk, "priority": "3",
            "opened_on": "1922-03-01", "case_number": exile.case_number}
    response = client.post(case_url("case_edit", exile), {**form, "expected_release": "03.1925"})
    assert response.status_code == 302, response.content.decode()
    exile.refresh_from_db()
    assert str(exile.expected_release) == "1925-03"
    client.cookies["django_language"] = "ru"
    page = client.get(case_url("case_detail", exile)).content.decode()
    assert "Ожидаемое освобождение" in page and "03.1925" in page

    refused = client.post(case_url("case_edit", exile), {**form, "expected_release": "скоро"})
    assert refused.status_code == 200
    assert "id_expected_release_error" in refused.content.decode()
