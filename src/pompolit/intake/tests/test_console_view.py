"""The operator's console: fast entry, matches as the name is typed, the type-ahead, and who is
let in."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.intake import services
from pompolit.intake.models import Detention, ProtestEvent, Report, Status
from pompolit.intake.services import record_report
from pompolit.intake.testing import entry
from pompolit.members.roles import Role


@pytest.fixture
def url(hotline):
    return reverse("intake_console", args=[hotline.slug])


@pytest.fixture
def known(operator, hotline, stations):
    """Смирнова, 2001, at Тверской since this evening."""
    return record_report(
        operator, hotline, entry(birth="2001", facility=stations["tverskoy"]), reporter="detainee"
    ).detention


def form(**fields):
    return {
        "name": "",
        "birth_date": "",
        "station": "",
        "event": "",
        "status": "detained",
        "reporter": "relative",
        "channel": "hotline",
        **fields,
    }


def test_the_console_shows_the_form_with_shortcuts_and_the_stations_at_a_glance(
    client_for, operator, url, known
):
    page = client_for(operator).get(url).content.decode()
    assert 'data-shortcut="n"' in page and 'aria-keyshortcuts="Alt+O"' in page
    assert 'data-shortcut="w"' in page and "intake/console.js" in page
    assert 'list="station-options"' in page and "autofocus" in page
    assert "ОВД «Тверской»" in page  # one held there


def test_a_report_written_down_creates_a_detention_and_returns_to_an_empty_form(
    client_for, operator, url, stations, pushkin_square
):
    response = client_for(operator).post(
        url,
        form(
            name="Кузнецов Илья Андреевич",
            birth_date="1999",
            station="ОВД «Тверской» — Москва",
            event=f"{pushkin_square.name} — Москва, 06.03.2026",
            status="at-station",
            needs=["need_water", "need_warm_clothes"],
            relative_relationship="mother",
            relative_name="Кузнецова Елена",
            relative_phone="+7 926 000-11-22",
            text="Позвонила мама, сын в ОВД",
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(f"{url}?report=")
    detention = Detention.objects.get()
    assert detention.status == Status.AT_STATION
    assert detention.facility.short_name == "ОВД «Тверской»"
    assert detention.event == pushkin_square
    assert detention.need_warm_clothes and detention.relatives.get().name == "Кузнецова Елена"
    assert f"Written down: detention #{detention.pk}." in response.content.decode()


def test_a_report_linked_to_a_proposed_match_adds_to_that_detention(
    client_for, operator, url, known
):
    response = client_for(operator).post(
        url,
        form(
            name="Smirnova Anna",
            birth_date="2001",
            reporter="lawyer",
            link=f"detention:{known.pk}",
            lawyer="Павлова М. И.",
        ),
        follow=True,
    )
    assert f"Added to detention #{known.pk}." in response.content.decode()
    assert Detention.objects.count() == 1
    assert Report.objects.filter(detention=known, linked_to_known=True).count() == 1
    known.refresh_from_db()
    assert known.has_lawyer


def test_a_link_to_another_hotlines_detention_is_refused(
    client_for, operator, url, spb_operator, spb_hotline
):
    other = record_report(spb_operator, spb_hotline, entry(), reporter="witness").detention
    response = client_for(operator).post(
        url, form(name="Смирнова Анна", link=f"detention:{other.pk}")
    )
    assert response.status_code == 200
    assert "Pick a match from the list." in response.content.decode()
    assert other.reports.count() == 1


def test_an_unknown_station_is_refused_with_a_word_on_what_to_do(
    client_for, operator, url, stations
):
    response = client_for(operator).post(url, form(name="Орлов Максим", station="ОВД Лунный"))
    assert "No police station of that name" in response.content.decode()
    assert not Detention.objects.exists()


def test_matches_are_proposed_as_the_name_is_typed(client_for, operator, hotline, known):
    response = client_for(operator).post(
        reverse("intake_matches", args=[hotline.slug]),
        form(name="Смирнова Анна", birth_date="2001"),
    )
    page = response.content.decode()
    assert f'value="detention:{known.pk}"' in page and 'data-shortcut="m"' in page
    assert "same name and birth year" in page
    response = client_for(operator).post(
        reverse("intake_matches", args=[hotline.slug]), form(name="Иванов Пётр", birth_date="2001")
    )
    assert "No open detention matches this name yet." in response.content.decode()


def test_matches_answer_only_a_post_so_a_name_never_sits_in_an_address(
    client_for, operator, hotline
):
    url = reverse("intake_matches", args=[hotline.slug])
    assert client_for(operator).get(url, {"name": "Смирнова"}).status_code == 405


def test_stations_are_typed_ahead(client_for, operator, hotline, stations):
    url = reverse("intake_stations", args=[hotline.slug])
    page = client_for(operator).get(url, {"station": "твер"}).content.decode()
    assert '<option value="ОВД «Тверской» — Москва">' in page
    assert "Китай-город" not in page


def test_events_are_typed_ahead(client_for, operator, hotline, pushkin_square):
    url = reverse("intake_events", args=[hotline.slug])
    page = client_for(operator).get(url, {"event": "Пушкинской"}).content.decode()
    assert "Антивоенная акция на Пушкинской площади — Москва, 06.03.2026" in page


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.COORDINATOR, Role.TREASURER])
def test_other_roles_in_the_compartment_get_no_console(client_for, make_member, hotline, url, role):
    member = make_member("Геся Гельфман", role, compartments=[hotline])
    assert client_for(member).get(url).status_code == 403


def test_an_operator_of_another_hotline_is_refused(client_for, spb_operator, url):
    assert client_for(spb_operator).get(url).status_code in {403, 404}


def test_a_compartment_that_is_no_hotline_has_no_console(
    client_for, make_member, compartment, unsealed_vault
):
    member = make_member("Анна Якимова", Role.HOTLINE_OPERATOR, compartments=[compartment])
    url = reverse("intake_console", args=[compartment.slug])
    assert client_for(member).get(url).status_code == 404


def test_the_console_speaks_russian(client_for, operator, url):
    client = client_for(operator)
    client.cookies["django_language"] = "ru"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Горячая линия: Москва" in page and "Записать" in page


def test_writing_down_leaves_an_audit_entry_without_the_name(client_for, operator, url):
    client_for(operator).post(url, form(name="Лебедев Кирилл", birth_date="1998"))
    entry_ = AuditEntry.objects.filter(action="intake.report_recorded").get()
    assert "Лебедев" not in str(entry_.details)


def test_the_confirmation_names_only_this_hotlines_reports(
    client_for, operator, url, spb_operator, spb_hotline
):
    other = record_report(spb_operator, spb_hotline, entry(), reporter="witness")
    page = client_for(operator).get(url, {"report": other.pk}).content.decode()
    assert "Written down" not in page and "Added to" not in page


def test_the_console_asks_the_case_registry_too_and_learns_only_that_a_prisoner_is_known(
    client_for, operator, url, make_member, compartment
):
    """A prisoner of the registry detained again: the operator, who cannot see cases, learns
    that the registry knows the name — to ask a coordinator — and nothing more."""
    from pompolit.cases import services as cases
    from pompolit.cases.partial import PartialDate
    from pompolit.names import Name

    worker = make_member("Куратор", Role.CASE_WORKER, compartments=[compartment])
    cases.open_case(
        worker,
        compartment=compartment,
        name=Name("Соколова", "Мария", "Андреевна"),
        birth_date=PartialDate.parse("1987-04-12"),
    )
    client = client_for(operator)
    assert reverse("cases:possible_matches") in client.get(url).content.decode()

    answer = client.post(
        reverse("cases:possible_matches"), form(name="Sokolova Maria", birth_date="1987")
    ).content.decode()
    assert "A possible match exists in another compartment" in answer
    assert "Соколова" not in answer and "1987" not in answer


# -- an event not in the list, added in place ---------------------------------------------------


def test_an_unknown_event_keeps_what_was_typed_and_offers_to_add_it(
    client_for, operator, url, stations
):
    response = client_for(operator).post(
        url,
        form(
            name="Орлова Дарья Павловна",
            station="ОВД «Тверской» — Москва",
            event="Пикет у Госдумы",
            text="Звонит подруга, Дарья в автозаке",
            # The box's fields go with every report (hidden until needed), filled in.
            event_city="Москва",
            event_date="07.12.2026",
        ),
    )
    page = response.content.decode()
    assert "No event of that name. Pick one from the list, or add it as a new event." in page
    assert 'value="Орлова Дарья Павловна"' in page and "Дарья в автозаке" in page
    assert '<fieldset id="new-event">' in page  # open, not hidden
    assert 'name="add_event" autofocus' in page or 'autofocus id="id_add_event"' in page
    assert 'name="event_city" value="Москва"' in page
    assert not Detention.objects.exists() and not ProtestEvent.objects.exists()


def test_the_new_event_box_is_hidden_until_an_event_is_typed_that_is_not_in_the_list(
    client_for, operator, url
):
    page = client_for(operator).get(url).content.decode()
    assert '<fieldset id="new-event" hidden>' in page


def test_an_unknown_event_added_in_place_is_written_down_with_the_report(
    client_for, operator, url, hotline, stations
):
    response = client_for(operator).post(
        url,
        form(
            name="Орлова Дарья Павловна",
            station="ОВД «Тверской» — Москва",
            event="Пикет у Госдумы",
            add_event="on",
            event_city="Москва",
            event_date="07.12.2026",
        ),
        follow=True,
    )
    event = ProtestEvent.objects.get()
    assert (event.name, event.city, event.date) == (
        "Пикет у Госдумы",
        "Москва",
        datetime.date(2026, 12, 7),
    )
    assert Detention.objects.get().event == event
    assert "Written down: detention #" in response.content.decode()
    created = AuditEntry.objects.get(action="intake.event_created")
    assert created.actor_id == operator.pk
    assert created.details == {"event": event.pk, "compartment": hotline.slug}


def test_a_new_event_needs_its_town_and_date(client_for, operator, url):
    page = (
        client_for(operator)
        .post(
            url,
            form(name="Орлова Дарья", event="Пикет у Госдумы", add_event="on", event_date=""),
        )
        .content.decode()
    )
    assert "Give the town of the event." in page and "Give the date of the event." in page
    assert not ProtestEvent.objects.exists() and not Detention.objects.exists()


def test_a_report_refused_leaves_no_event_behind(client_for, operator, url, monkeypatch):
    def refused(*args, **kwargs):
        raise ValidationError("the hotline refused the report")

    monkeypatch.setattr(services, "record_report", refused)
    page = (
        client_for(operator)
        .post(
            url,
            form(
                name="Орлова Дарья",
                event="Пикет у Госдумы",
                add_event="on",
                event_city="Москва",
                event_date="07.12.2026",
            ),
        )
        .content.decode()
    )
    assert "the hotline refused the report" in page
    assert not ProtestEvent.objects.exists()


def test_a_known_event_typed_by_its_name_alone_is_that_event(
    client_for, operator, url, pushkin_square
):
    client_for(operator).post(
        url, form(name="Орлова Дарья", event=pushkin_square.name, add_event="on", event_city="")
    )
    assert Detention.objects.get().event == pushkin_square
    assert ProtestEvent.objects.count() == 1


def test_the_console_asks_no_days_of_arrest(client_for, operator, url):
    """Administrative arrest is no first status: its days are given on the detention's page."""
    page = client_for(operator).get(url).content.decode()
    assert "arrest_days" not in page and "Days of arrest" not in page
