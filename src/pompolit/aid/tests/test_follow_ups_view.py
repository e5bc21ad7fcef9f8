import datetime

from django.urls import reverse

from pompolit.aid import lifecycle
from pompolit.aid.testing import PLANNED


def send(worker, item, day):
    return lifecycle.send_item(worker, lifecycle.approve_item(worker, item, on=PLANNED), on=day,
                               channel="post")


def test_follow_ups_page_and_dashboard_panel(client_for, worker, outsider, parcel):
    send(worker, parcel(planned_on=datetime.date(2026, 10, 1)), datetime.date(2026, 10, 1))
    client = client_for(worker)
    text = client.get(reverse("aid_follow_ups")).content.decode()
    assert "Чернышёв Алексей Игоревич" in text and "Parcel #" in text
    dashboard = client.get(reverse("home"), follow=True).content.decode()
    assert "Aid not confirmed" in dashboard
    other = client_for(outsider).get(reverse("aid_follow_ups")).content.decode()
    assert "Чернышёв" not in other
