"""The export page from the surge board: the form, the progress, the one download, a list with
contacts waiting for a coordinator's approval, and who may not export."""

import csv
import io

from django.urls import reverse

from pompolit.intake import services as intake
from pompolit.intake.export_models import DetentionExport
from pompolit.intake.models import Status
from pompolit.intake.services import RelativeEntry
from pompolit.intake.testing import EVENING, entry
from pompolit.members import approvals
from pompolit.members.models import ApprovalRequest
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


def test_a_list_with_contacts_waits_for_a_coordinator_then_downloads_once(
    client_for,
    make_member,
    founders,
    operator,
    hotline,
    stations,
    pushkin_square,
    django_capture_on_commit_callbacks,
):
    record(operator, hotline, stations, pushkin_square)
    client = client_for(operator)
    url = reverse("intake_export", args=[hotline.slug])
    asked = {"held": "all", "format": "csv", "contacts": "on"}
    page = client.post(url, asked)
    assert "reason" in page.context["form"].errors  # the approver must be told why
    page = client.post(url, {**asked, "reason": "для юристов линии"}, follow=True)
    request = ApprovalRequest.objects.get(action="intake.export_contacts")
    waiting = f"Request #{request.pk} for the list with contacts is waiting for a coordinator"
    assert page.content.decode().count(waiting) == 2  # the message, and the page itself
    assert reverse("approval_detail", args=[request.pk]) in page.content.decode()
    assert not DetentionExport.objects.exists()
    russian = client_for(operator)
    russian.cookies["django_language"] = "ru"
    page = russian.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f"Запрос №{request.pk} на список с контактами ждёт одобрения координатора" in page
    # The coordinator reads what would leave, without a name or a phone, and approves.
    summary = client_for(founders[1]).get(reverse("approval_detail", args=[request.pk]))
    text = summary.content.decode()
    assert "Detentions in the list now" in text and "Московская горячая линия" in text
    assert "+7 916" not in text and "Смирнова" not in text
    with django_capture_on_commit_callbacks(execute=True):
        approvals.approve(request.pk, founders[1], seen_digest=request.payload_digest)
    page = client.get(url).content.decode()
    assert "The list of 4 detentions is ready." in page and "with contacts" in page
    assert f"Request #{request.pk}" not in page
    download = reverse("intake_export_download", args=[hotline.slug])
    other = make_member("Геся Гельфман", Role.HOTLINE_OPERATOR, compartments=[hotline])
    assert b"already downloaded" in client_for(other).post(download, follow=True).content
    body = client.post(download).content
    assert "+7 916 555 01 02" in body.decode("utf-8-sig")
    assert b"already downloaded" in client.post(download, follow=True).content


def test_a_refused_list_with_contacts_says_so(
    client_for, founders, operator, hotline, stations, pushkin_square
):
    record(operator, hotline, stations, pushkin_square)
    client = client_for(operator)
    url = reverse("intake_export", args=[hotline.slug])
    client.post(url, {"held": "all", "format": "csv", "contacts": "on", "reason": "юристам"})
    request = ApprovalRequest.objects.get(action="intake.export_contacts")
    approvals.reject(request.pk, founders[1])
    page = client.get(url).content.decode()
    assert f"Request #{request.pk} for the list with contacts was refused" in page
    assert not DetentionExport.objects.exists()


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
