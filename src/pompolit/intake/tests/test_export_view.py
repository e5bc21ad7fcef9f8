"""The export page from the surge board: the form, the progress, the one download, and who may
not export."""

import csv
import io

from django.urls import reverse

from pompolit.intake import services as intake
from pompolit.intake.export_models import DetentionExport
from pompolit.intake.models import Status
from pompolit.intake.services import RelativeEntry
from pompolit.intake.testing import EVENING, entry
from pompolit.members.roles import Role


def record(operator, hotline, stations, pushkin_square):
    for name, station, status in [
        ("Смирнова Анна Сергеевна", "tverskoy", Status.AT_STATION),
        ("Орлов Максим", "kitay", Status.HELD_OVERNIGHT),
        ("Иванов Пётр", "kitay", Status.RELEASED),
        ("Ким Виктория", "meshchansky", Status.COURT_HEARING),
    ]:
        intake.record_report(
            operator,
            hotline,
            entry(
                name,
                birth="2000",
                facility=stations[station],
                event=pushkin_square,
                status=status,
                detained_at=EVENING,
                relative=RelativeEntry("mother", "Мать", phone="+7 916 555 01 02"),
            ),
            reporter="relative",
        )


def test_the_board_links_to_the_export(client_for, operator, hotline):
    page = client_for(operator).get(reverse("intake_board", args=[hotline.slug])).content
    assert reverse("intake_export", args=[hotline.slug]).encode() in page


def test_an_operator_asks_waits_and_downloads_once(
    client_for, operator, hotline, stations, pushkin_square
):
    record(operator, hotline, stations, pushkin_square)
    client = client_for(operator)
    url = reverse("intake_export", args=[hotline.slug])
    page = client.get(url).content.decode()
    assert "ОВД «Китай-город»" in page and pushkin_square.name in page
    assert "relatives&#x27; names and phones" in page  # an operator is offered the contacts
    response = client.post(
        url, {"held": "held", "station": stations["kitay"].pk, "format": "csv"}, follow=True
    )
    page = response.content.decode()
    assert "The list of 1 detention is ready." in page
    progress = client.get(reverse("intake_export_progress", args=[hotline.slug]))
    assert b"Download the list" in progress.content and b"hx-get" not in progress.content
    download = reverse("intake_export_download", args=[hotline.slug])
    response = client.post(download)
    assert response["Content-Disposition"].startswith(
        'attachment; filename="detentions-moscow-hotline-'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == ["Орлов Максим"]
    assert "+7 916" not in response.content.decode("utf-8-sig")
    again = client.post(download, follow=True)
    assert b"already downloaded or has expired" in again.content
    assert not DetentionExport.objects.exists()


def test_a_list_with_contacts_says_so(client_for, operator, hotline, stations, pushkin_square):
    record(operator, hotline, stations, pushkin_square)
    client = client_for(operator)
    url = reverse("intake_export", args=[hotline.slug])
    page = client.post(
        url, {"held": "all", "format": "csv", "contacts": "on"}, follow=True
    ).content.decode()
    assert "The list of 4 detentions is ready." in page and "with contacts" in page
    body = client.post(reverse("intake_export_download", args=[hotline.slug])).content
    assert "+7 916 555 01 02" in body.decode("utf-8-sig")


def test_a_coordinator_is_not_offered_contacts_and_cannot_post_them(
    client_for, make_member, operator, hotline, stations, pushkin_square
):
    record(operator, hotline, stations, pushkin_square)
    coordinator = make_member("Ольга Любатович", Role.COORDINATOR, compartments=[hotline])
    client = client_for(coordinator)
    url = reverse("intake_export", args=[hotline.slug])
    assert b"relatives&#x27; names" not in client.get(url).content
    client.post(url, {"held": "all", "format": "xlsx", "contacts": "on"})
    assert DetentionExport.objects.get().contacts is False  # the box is not on its form
    body = client.post(reverse("intake_export_download", args=[hotline.slug])).content
    assert body.startswith(b"PK")  # an .xlsx workbook
    assert b"+7 916" not in body


def test_a_wrong_date_range_is_refused(client_for, operator, hotline):
    response = client_for(operator).post(
        reverse("intake_export", args=[hotline.slug]),
        {"held": "all", "format": "csv", "date_from": "07.03.2026", "date_to": "06.03.2026"},
    )
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    assert not DetentionExport.objects.exists()


def test_roles_that_may_not_export_and_other_hotlines_are_refused(
    client_for, make_member, hotline, spb_operator
):
    treasurer = make_member("Мария Ошанина", Role.TREASURER, compartments=[hotline])
    auditor = make_member("Михаил Фроленко", Role.AUDITOR, compartments=[hotline])
    insider = make_member("Тимофей Михайлов", compartments=[hotline])
    stranger = make_member("Николай Морозов", Role.CASE_WORKER)  # not granted the hotline
    for member in (treasurer, auditor, insider, stranger, spb_operator):
        client = client_for(member)
        for name, method in [
            ("intake_export", "get"),
            ("intake_export", "post"),
            ("intake_export_progress", "get"),
            ("intake_export_download", "post"),
        ]:
            response = getattr(client, method)(
                reverse(name, args=[hotline.slug]), {"held": "all", "format": "csv"}
            )
            assert response.status_code in (302, 403, 404), (member, name)
            assert b"Download" not in response.content
    assert not DetentionExport.objects.exists()
