"""The lawyers on duty page: add a lawyer, send them to a police station, recall them; the
detention's page offers the lawyers on duty, and warns when one is over capacity."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pompolit.intake import services as intake
from pompolit.intake.duty import services
from pompolit.intake.models import Dispatch, DutyLawyer
from pompolit.intake.testing import entry
from pompolit.members.roles import Role


def _url(hotline, name="intake_duty_lawyers"):
    return reverse(name, args=[hotline.slug])


def test_an_operator_puts_a_lawyer_on_duty(client_for, operator, hotline):
    response = client_for(operator).post(
        _url(hotline),
        {"name": "Гринберг Елена", "phone": "+7 903 111 22 33", "capacity": "4", "end": "23:00"},
        follow=True,
    )
    lawyer = DutyLawyer.objects.get()
    assert (lawyer.name, lawyer.phone, lawyer.capacity) == ("Гринберг Елена", "+7 903 111 22 33", 4)
    assert lawyer.on_duty_to is not None
    page = response.content.decode()
    assert "The lawyer is on duty." in page and "+7 903 111 22 33" in page


def test_a_form_with_mistakes_keeps_what_was_typed_and_names_the_field(
    client_for, operator, hotline
):
    response = client_for(operator).post(
        _url(hotline), {"name": "Гринберг Елена", "capacity": "ноль"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "capacity" in form.errors and "Гринберг Елена" in response.content.decode()
    assert not DutyLawyer.objects.exists()


def test_a_lawyer_is_sent_to_a_station_and_recalled(
    client_for, operator, hotline, stations, pavlova
):
    client = client_for(operator)
    client.post(
        _url(hotline, "intake_duty_dispatch"),
        {"lawyer": pavlova.pk, "station": stations["tverskoy"].pk},
    )
    pavlova.refresh_from_db()
    assert pavlova.station == stations["tverskoy"]
    page = client.get(_url(hotline)).content.decode()
    assert "sent to ОВД «Тверской»" in page
    client.post(_url(hotline, "intake_duty_recall"), {"lawyer": pavlova.pk})
    pavlova.refresh_from_db()
    assert pavlova.station is None and Dispatch.objects.count() == 2


def test_sending_nowhere_says_what_is_missing(client_for, operator, hotline, pavlova):
    response = client_for(operator).post(
        _url(hotline, "intake_duty_dispatch"), {"lawyer": pavlova.pk}, follow=True
    )
    assert "Pick a lawyer and a police station." in response.content.decode()


def test_a_coordinator_dispatches_a_case_worker_may_not(client_for, make_member, hotline, pavlova):
    coordinator = make_member("Вера Засулич", Role.COORDINATOR, compartments=[hotline])
    assert client_for(coordinator).get(_url(hotline)).status_code == 200
    worker = make_member("Николай Морозов", Role.CASE_WORKER, compartments=[hotline])
    assert client_for(worker).get(_url(hotline)).status_code == 403


def test_other_hotlines_operators_see_no_lawyers(client_for, spb_operator, hotline, pavlova):
    assert client_for(spb_operator).get(_url(hotline)).status_code in {403, 404}


@pytest.fixture
def smirnova(operator, hotline, stations):
    return intake.record_report(
        operator,
        hotline,
        entry("Смирнова Анна", facility=stations["tverskoy"]),
        reporter="relative",
    ).detention


def test_the_detention_page_offers_the_lawyers_on_duty(
    client_for, operator, hotline, stations, pavlova, smirnova
):
    services.dispatch(operator, pavlova, stations["tverskoy"])
    client = client_for(operator)
    page = client.get(reverse("intake_detention", args=[hotline.slug, smirnova.pk])).content
    assert "Павлова Мария — ОВД «Тверской», free 2 of 2" in page.decode()
    client.post(
        reverse("intake_detention_lawyer", args=[hotline.slug, smirnova.pk]),
        {"duty_lawyer": pavlova.pk},
    )
    smirnova.refresh_from_db()
    assert smirnova.duty_lawyer == pavlova and smirnova.lawyer == "Павлова Мария"


def test_over_capacity_is_a_warning_not_a_refusal(
    client_for, operator, hotline, stations, pavlova, smirnova
):
    pavlova.capacity = 0  # as if she had agreed to none more
    DutyLawyer.objects.filter(pk=pavlova.pk).update(capacity=1)
    services.assign_duty_lawyer(
        operator,
        intake.record_report(
            operator,
            hotline,
            entry("Орлов Максим", facility=stations["tverskoy"]),
            reporter="lawyer",
        ).detention,
        pavlova,
    )
    response = client_for(operator).post(
        reverse("intake_detention_lawyer", args=[hotline.slug, smirnova.pk]),
        {"duty_lawyer": pavlova.pk},
        follow=True,
    )
    smirnova.refresh_from_db()
    assert smirnova.duty_lawyer_id == pavlova.pk
    assert "more detainees than the 1 they can take on" in response.content.decode()


def test_a_typed_name_still_works_and_nothing_at_all_is_refused(
    client_for, operator, hotline, smirnova, pavlova
):
    client = client_for(operator)
    url = reverse("intake_detention_lawyer", args=[hotline.slug, smirnova.pk])
    response = client.post(url, {"lawyer": "", "duty_lawyer": ""}, follow=True)
    assert "Pick a lawyer on duty, or give the lawyer" in response.content.decode()
    client.post(url, {"lawyer": "Адвокат Иванов И. И."})
    smirnova.refresh_from_db()
    assert smirnova.lawyer == "Адвокат Иванов И. И." and smirnova.duty_lawyer is None


def _options(page: str) -> list[str]:
    select = page.split('<select name="lawyer"')[1].split("</select>")[0]
    return [
        option.split(">", 1)[1].split("</option>")[0]
        for option in select.split("<option")[1:]
        if 'value=""' not in option.split(">", 1)[0]
    ]


@pytest.mark.parametrize(
    "language,sent,waiting",
    [
        (
            "en",
            "Павлова Мария — ОВД «Тверской», free 1 of 2",
            "Гринберг Елена — not dispatched, free 4 of 4",
        ),
        (
            "ru",
            "Павлова Мария — ОВД «Тверской», свободно 1 из 2",
            "Гринберг Елена — никуда не направлен, свободно 4 из 4",
        ),
    ],
)
def test_the_dispatch_list_names_each_lawyer_where_they_are_and_their_free_places(
    client_for, operator, hotline, stations, pavlova, smirnova, language, sent, waiting
):
    services.dispatch(operator, pavlova, stations["tverskoy"])
    services.assign_duty_lawyer(operator, smirnova, pavlova)
    services.add_lawyer(
        operator, hotline, name="Гринберг Елена", capacity=4, on_duty_from=pavlova.on_duty_from
    )
    client = client_for(operator)
    client.cookies["django_language"] = language
    options = _options(client.get(_url(hotline)).content.decode())
    assert options == [sent, waiting]
    assert not any("#" in option or "lawyer on duty no." in option for option in options)


def test_a_lawyer_whose_hours_are_over_is_offered_as_off_duty(client_for, operator, hotline):
    now = timezone.now()
    services.add_lawyer(
        operator,
        hotline,
        name="Сидоров Алексей",
        capacity=3,
        on_duty_from=now - datetime.timedelta(hours=9),
        on_duty_to=now - datetime.timedelta(hours=1),
    )
    options = _options(client_for(operator).get(_url(hotline)).content.decode())
    assert options == ["Сидоров Алексей — not dispatched, free 3 of 3 (off duty)"]


def test_a_lawyer_as_text_is_a_number_in_the_reader_s_language_never_a_secret(
    operator, stations, pavlova
):
    with translation.override("en"):
        assert str(pavlova) == f"lawyer on duty no. {pavlova.pk}"
    with translation.override("ru"):
        assert str(pavlova) == f"дежурный адвокат № {pavlova.pk}"
    for secret in ("Павлова", "Мария", "916", "123 45 67"):
        assert secret not in str(pavlova) and secret not in repr(pavlova)
    sent = services.dispatch(operator, pavlova, stations["tverskoy"])
    with translation.override("ru"):
        assert str(sent) == f"направление № {sent.pk}"
