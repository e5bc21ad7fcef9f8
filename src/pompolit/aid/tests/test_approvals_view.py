from django.urls import reverse

from pompolit.aid import lifecycle, services
from pompolit.aid.testing import PLANNED, rub


def test_coordinators_see_the_aid_waiting(client_for, worker, coordinator, prisoner, funds):
    item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("40000"))
    request = lifecycle.request_item_approval(worker, item)
    text = client_for(coordinator).get(reverse("aid_approvals")).content.decode()
    assert f"#{request.pk}" in text and "RUB\xa040,000.00" in text
    assert "the fund Lawyers" in text and "lawyers" not in text.split("<main", 1)[1]
    assert "Чернышёв" not in text  # no names on the list
    assert client_for(worker).get(reverse("aid_approvals")).status_code == 403


def test_the_dashboard_counts_them(client_for, worker, coordinator, prisoner, funds):
    item = services.create_item(worker, prisoner, "lawyer", funds["lawyers"],
                                planned_on=PLANNED, cost=rub("40000"))
    lifecycle.request_item_approval(worker, item)
    text = client_for(coordinator).get(reverse("home"), follow=True).content.decode()
    assert "1 aid item above the threshold needs a coordinator" in text
