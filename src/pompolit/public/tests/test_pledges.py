"""Attendance pledges: "I'll come" counts without naming anyone, is limited per network with
the public forms' own helper, refuses hearings that are not public, and on a day with several
hearings the ones fewer people are going to are highlighted."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from pompolit.cases.testing import days
from pompolit.public import services
from pompolit.public.conftest import add_hearing, visitor
from pompolit.public.models import AttendancePledge
from pompolit.public.views import PLEDGES_PER_HOUR


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    cache.clear()
    yield
    cache.clear()


def _come(token, address="203.0.113.9"):
    return visitor().post(reverse("public_hearing_pledge", args=[token]), REMOTE_ADDR=address)


def test_a_pledge_is_counted_and_keeps_nobody(calendar_of):
    token = calendar_of["gorinov"].public_token
    response = _come(token)
    assert response.status_code == 302 and f"#hearing-{token}" in response["Location"]
    pledge = AttendancePledge.objects.get()
    assert {f.name for f in pledge._meta.fields} == {"id", "hearing", "created_at"}
    page = visitor().get(response["Location"]).content.decode()
    assert "1 person is going" in page and "Thank you: you are counted." in page


def test_hearings_that_are_not_public_cannot_be_pledged(calendar_of):
    for name in ("closed", "kara"):
        assert _come(calendar_of[name].public_token).status_code == 404
    assert _come("0123456789abcdef").status_code == 404
    assert not AttendancePledge.objects.exists()


def test_pledges_are_limited_per_network(calendar_of):
    token = calendar_of["gorinov"].public_token
    for _ in range(PLEDGES_PER_HOUR):
        assert _come(token, "198.51.100.4").status_code == 302
    assert _come(token, "198.51.100.77").status_code == 429  # the same /24
    assert _come(token, "192.0.2.1").status_code == 302  # another network
    assert AttendancePledge.objects.count() == PLEDGES_PER_HOUR + 1


def test_the_hearings_fewer_people_go_to_are_highlighted(calendar_of, published, worker):
    crowded = calendar_of["gorinov"]
    quiet = add_hearing(worker, published["skochilenko"], days(1), court="Тверской районный суд")
    for n in range(3):
        _come(crowded.public_token, f"192.0.{n}.1")
    assert services.pledge_counts([crowded.public_token, quiet.public_token]) == {
        crowded.public_token: 3}
    page = visitor("ru").get(reverse("public_hearings")).content.decode()
    fewer = page.index("Сюда идёт меньше людей")
    assert page.index(f'id="hearing-{quiet.public_token}"') < fewer
    assert "3 человека идут" in page and "0 человек идут" in page
    # A day with a single hearing highlights nothing.
    assert page.count("Сюда идёт меньше людей") == 1
