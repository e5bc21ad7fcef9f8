"""The import preview (issue 13, point 6): a row may be skipped or corrected instead of failing
the whole file; the facility column is matched to the list of facilities, and a name that is
ambiguous or unknown is the case worker's to decide — nothing is created unless ticked."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pompolit.audit.models import AuditEntry
from pompolit.cases.io.importing import facility_ref
from pompolit.cases.models import Case, Event, Facility, FacilityType

pytestmark = pytest.mark.usefixtures("unsealed_vault")

MAP = reverse("cases_import_map")
LIST = (
    "ФИО;Дата рождения;Дата задержания;Учреждение;Регион\n"
    "Ремизова Анна Петровна;1897;03.1922;Лубянка;Москва\n"
    "Гоц Абрам Рафаилович;весной;;;\n"
    "Чернышёв Алексей Игоревич;02.04.1987;06.03.2023;ИК-6 Омск;Омская область\n"
)
MAPPING = {"full_name": "0", "birth_date": "1", "arrest_date": "2", "facility": "3", "region": "4"}


def start(client, compartment, data=LIST):
    response = client.post(
        reverse("cases_import"),
        {
            "compartment": compartment.pk,
            "file": SimpleUploadedFile("список.csv", data.encode()),
        },
    )
    assert response.status_code == 302


def preview(client, **data):
    return client.post(MAP, {**MAPPING, "action": "preview", **data}).content.decode()


def shown(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_a_row_with_an_error_is_skipped_and_the_rest_imported(
    worker, compartment, facilities, client_for
):
    client = client_for(worker)
    start(client, compartment)
    page = preview(client)
    assert 'value="import"' not in page
    assert "Expected a date: a year (1897)" in page and "весной" in page
    page = preview(client, shown_rows=shown(page, "shown_rows"), **{"skip-3": "on"})
    assert "skipped by you: 1" in page and 'value="import"' in page
    response = client.post(
        MAP, {**MAPPING, "action": "import", "shown_rows": "2,3,4", "skip-3": "on"}
    )
    assert response.status_code == 302
    assert sorted(Case.objects.values_list("person__display_name", flat=True)) == [
        "Ремизова Анна Петровна",
        "Чернышёв Алексей Игоревич",
    ]


def test_a_row_corrected_in_the_preview_is_checked_again_and_imported(
    worker, compartment, facilities, client_for
):
    client = client_for(worker)
    start(client, compartment)
    page = preview(client)
    page = preview(
        client,
        shown_rows=shown(page, "shown_rows"),
        **{"fix-3-birth_date": "1881-03", "fix-3-full_name": "Гоц Абрам Рафаилович"},
    )
    assert "No errors in the rows kept" in page and 'value="1881-03"' in page
    # A correction that is still wrong says which row, which column and what was expected.
    page = preview(client, shown_rows="3", **{"fix-3-birth_date": "31.02.1881"})
    assert "31.02.1881" in page and 'value="import"' not in page
    assert re.search(r"<td><a href=\"#row-3\">3</a></td>\s*<td>Дата рождения", page)
    preview(client, shown_rows="3", **{"fix-3-birth_date": "03.1881"})
    client.post(MAP, {**MAPPING, "action": "import"})
    gotz = Case.objects.get(person__display_name="Гоц Абрам Рафаилович")
    assert str(gotz.person.birth_date) == "1881-03"


def test_a_facility_found_by_its_words_goes_on_the_timeline_with_the_arrest(
    worker, compartment, facilities, client_for
):
    client = client_for(worker)
    start(client, compartment)
    page = preview(client, shown_rows="3", **{"skip-3": "on"})
    assert page.count('<span class="badge ok">found</span>') == 2
    client.post(MAP, {**MAPPING, "action": "import"})
    chernyshev = Case.objects.get(person__display_name="Чернышёв Алексей Игоревич")
    assert chernyshev.current_facility == facilities["ik6"]
    arrest = Event.objects.get(case=chernyshev)
    assert arrest.type.code == "arrest" and str(arrest.date) == "2023-03-06"
    assert chernyshev.in_custody_since.isoformat() == "2023-03-06"
    assert "ИК-6 Омск" not in (chernyshev.notes or "")
    # One audit entry a row: the case's opening says its arrest too.
    opened = AuditEntry.objects.get(action="cases.case_opened", object_id=str(chernyshev.pk))
    assert opened.details["arrest"] == {"event": arrest.pk, "date": "2023-03-06"}


def test_a_facility_without_a_date_of_arrest_stays_in_the_notes(
    worker, compartment, facilities, client_for
):
    client = client_for(worker)
    start(client, compartment, "ФИО;Учреждение\nЛунц Григорий Исаакович;Бутырки\n")
    page = client.post(
        MAP, {"full_name": "0", "facility": "1", "action": "preview"}
    ).content.decode()
    assert "No date of arrest: the facility is kept in the notes." in page
    client.post(MAP, {"full_name": "0", "facility": "1", "action": "import"})
    case = Case.objects.get()
    assert case.current_facility is None and not case.events.exists()
    assert "Бутырки" in case.notes


def test_an_ambiguous_facility_is_reported_and_the_case_worker_chooses(
    worker, compartment, client_for
):
    colony = FacilityType.objects.get(code="colony")
    ryazan = Facility.objects.create(
        name="ФКУ ИК-2 УФСИН России по Рязанской области", type=colony, region="Рязанская область"
    )
    Facility.objects.create(
        name="ФКУ ИК-2 УФСИН России по Омской области", type=colony, region="Омская область"
    )
    client = client_for(worker)
    start(client, compartment, "ФИО;Дата задержания;Учреждение\nИванов Иван;2022;ИК-2\n")
    mapping = {"full_name": "0", "arrest_date": "1", "facility": "2"}
    page = client.post(MAP, {**mapping, "action": "preview"}).content.decode()
    assert "ambiguous: 2 facilities fit" in page
    ref = facility_ref("ИК-2", "")
    page = client.post(
        MAP,
        {
            **mapping,
            "action": "preview",
            "shown_facilities": ref,
            f"facility-{ref}": str(ryazan.pk),
        },
    ).content.decode()
    client.post(MAP, {**mapping, "action": "import"})
    assert Case.objects.get().current_facility == ryazan


def test_an_unknown_facility_is_created_only_when_ticked(worker, compartment, client_for):
    client = client_for(worker)
    data = (
        "ФИО;Дата задержания;Учреждение;Регион\n"
        "Петров Пётр;2024;СИЗО-3 Кострома;Костромская область\n"
    )
    start(client, compartment, data)
    mapping = {"full_name": "0", "arrest_date": "1", "facility": "2", "region": "3"}
    page = client.post(MAP, {**mapping, "action": "preview"}).content.decode()
    assert "not in the list" in page and "Create “СИЗО-3 Кострома” as a new facility" in page
    ref = facility_ref("СИЗО-3 Кострома", "Костромская область")
    # The type is guessed from the name; left unticked, nothing is created.
    assert re.search(r'<option value="pretrial" selected>', page)
    client.post(
        MAP,
        {
            **mapping,
            "action": "preview",
            "shown_facilities": ref,
            f"facility-{ref}": "",
            f"facility-type-{ref}": "pretrial",
            f"facility-region-{ref}": "Костромская область",
            f"facility-new-{ref}": "on",
        },
    )
    client.post(MAP, {**mapping, "action": "import"})
    facility = Facility.objects.get()
    assert facility.name == "СИЗО-3 Кострома" and facility.type.code == "pretrial"
    assert facility.region == "Костромская область"
    assert Case.objects.get().current_facility == facility
    assert AuditEntry.objects.filter(action="cases.facility_created").count() == 1


def test_an_unknown_facility_left_alone_creates_nothing(worker, compartment, client_for):
    client = client_for(worker)
    start(client, compartment, "ФИО;Дата задержания;Учреждение\nПетров Пётр;2024;СИЗО-3\n")
    client.post(MAP, {"full_name": "0", "arrest_date": "1", "facility": "2", "action": "import"})
    assert not Facility.objects.exists()
    case = Case.objects.get()
    assert case.current_facility is None and "СИЗО-3" in case.notes
    # The arrest is on the timeline all the same, with no facility.
    assert case.events.get().facility is None


def test_the_import_stays_all_or_nothing_over_the_rows_kept(
    worker, compartment, facilities, client_for
):
    client = client_for(worker)
    start(client, compartment)
    response = client.post(MAP, {**MAPPING, "action": "import"})
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Nothing was imported" in response.content.decode()
