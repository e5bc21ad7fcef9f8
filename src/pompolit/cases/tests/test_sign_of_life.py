"""Sign of life: people in custody not heard from for longer than the threshold, oldest first."""

import datetime

from pompolit.cases import services
from pompolit.cases.testing import P, event_type, status

D = datetime.date
JANUARY = D(2025, 1, 1)


def test_the_longest_silence_comes_first_and_the_free_are_not_watched(worker, open_case,
                                                                      facilities, settings):
    def held(surname, last_letter, opened=JANUARY, case_status="sentenced"):
        case = open_case(surname, "Иван", status=status(case_status), opened_on=opened)
        services.add_event(worker, case, type=event_type("arrest"), date=P("2024-12"),
                           facility=facilities["ik6"])
        if last_letter:
            services.add_event(worker, case, type=event_type("letter"), date=P(last_letter))
        return case

    recent = held("Недавний", "2025-05-25")
    month = held("Помесячный", "2025-04")  # counts from 1 April
    silent = held("Молчащий", "2025-03-02")
    never = held("Безвестный", None, opened=D(2025, 2, 1))
    released = held("Освобождённый", "2025-01-10")
    services.add_event(worker, released, type=event_type("release"), date=P("2025-01-20"))

    today = D(2025, 6, 1)
    overdue = list(services.overdue_cases(worker, today=today))
    assert overdue == [never, silent, month]
    assert recent not in overdue and released not in overdue
    assert overdue[0].silent_since == D(2025, 2, 1)
    # The threshold is a setting.
    settings.POMPOLIT_SIGN_OF_LIFE_DAYS = 100
    assert list(services.overdue_cases(worker, today=today)) == [never]
    assert list(services.overdue_cases(worker, today=today, days=7)) == [never, silent, month]


def test_the_outsider_sees_no_silent_case_of_another_compartment(outsider, exile):
    assert exile in services.overdue_cases(
        exile.assigned_to, today=D(2025, 6, 1))
    assert not services.overdue_cases(outsider, today=D(2025, 6, 1)).exists()


def test_case_workers_see_the_silent_on_their_dashboard(client, worker, exile, make_member):
    client.force_login(worker)
    html = client.get("/dashboard/").content.decode()
    assert 'id="h-sign-of-life"' in html
    assert exile.person.display_name in html
    # A treasurer has no cases to watch: no panel at all.
    client.force_login(make_member("Мария Ошанина", "treasurer"))
    assert 'id="h-sign-of-life"' not in client.get("/dashboard/").content.decode()
