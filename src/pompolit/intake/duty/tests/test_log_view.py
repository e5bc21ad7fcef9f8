"""The shift log page (notes and incidents), the handover form, and the log on the board."""

from django.urls import reverse

from pompolit.intake import services as intake
from pompolit.intake.duty import services
from pompolit.intake.models import LogKind, ShiftLogEntry
from pompolit.intake.testing import entry
from pompolit.members.roles import Role


def test_an_incident_is_written_and_shown(client_for, operator, hotline):
    client = client_for(operator)
    url = reverse("intake_shift_log", args=[hotline.slug])
    response = client.post(
        url, {"kind": "incident", "text": "У ОВД «Тверской» задержали волонтёра"}, follow=True
    )
    page = response.content.decode()
    assert "Written in the shift log." in page and "задержали волонтёра" in page
    assert ShiftLogEntry.objects.get().kind == LogKind.INCIDENT


def test_an_empty_note_says_what_is_missing(client_for, operator, hotline):
    response = client_for(operator).post(
        reverse("intake_shift_log", args=[hotline.slug]), {"kind": "note", "text": ""}
    )
    assert response.status_code == 200 and "text" in response.context["form"].errors


def test_the_handover_form_counts_the_open_items(client_for, operator, hotline, stations):
    intake.record_report(
        operator,
        hotline,
        entry("Орлов Максим", birth="2010", facility=stations["kitay"]),
        reporter="relative",
    )
    client = client_for(operator)
    url = reverse("intake_shift_handover", args=[hotline.slug])
    page = client.get(url).content.decode()
    assert "Without a lawyer" in page and "Minors" in page
    client.post(url, {"text": "Орлова ждёт адвоката, мама на связи"})
    handover = ShiftLogEntry.objects.get()
    assert handover.kind == LogKind.HANDOVER
    assert handover.summary["no_lawyer"] == 1 and handover.summary["minors"] == 1


def test_the_board_shows_the_latest_entries_and_case_workers_write_too(
    client_for, make_member, operator, hotline
):
    services.write_log(operator, hotline, LogKind.NOTE, "Нужна вода у ОВД «Мещанский»")
    worker = make_member("Николай Морозов", Role.CASE_WORKER, compartments=[hotline])
    page = client_for(worker).get(reverse("intake_board", args=[hotline.slug])).content.decode()
    assert "Нужна вода" in page
    response = client_for(worker).post(
        reverse("intake_shift_log", args=[hotline.slug]), {"kind": "note", "text": "Принял смену"}
    )
    assert response.status_code == 302


def test_treasurers_and_other_hotlines_see_no_log(client_for, make_member, hotline, spb_operator):
    url = reverse("intake_shift_log", args=[hotline.slug])
    treasurer = make_member("Мария Ошанина", Role.TREASURER, compartments=[hotline])
    for member in (treasurer, spb_operator):
        assert client_for(member).get(url).status_code in {403, 404}
