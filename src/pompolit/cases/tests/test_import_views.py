"""The import pages: upload, mapping, preview with errors, commit; the session is cleared after."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from pompolit.cases.models import Case

# The uploaded file waits for its commit encrypted with the vault.
pytestmark = pytest.mark.usefixtures("unsealed_vault")

LIST = ("Фамилия;Имя;Отчество;Дата рождения;Номер дела\n"
        "Ремизова;Анна;Петровна;1897;ГПУ № 7-1922\n"
        "Гоц;Абрам;Рафаилович;03.1881;\n").encode("cp1251")


def upload(client, compartment, data=LIST, name="список.csv"):
    return client.post(reverse("cases_import"), {
        "compartment": compartment.pk, "file": SimpleUploadedFile(name, data),
    })


MAPPING = {"surname": "0", "given": "1", "patronymic": "2", "birth_date": "3",
           "case_number": "4"}


def test_upload_preview_and_import(worker, compartment, client_for):
    client = client_for(worker)
    assert client.get(reverse("cases_import")).status_code == 200
    response = upload(client, compartment)
    assert response.status_code == 302 and response["Location"] == reverse("cases_import_map")
    page = client.get(reverse("cases_import_map")).content.decode()
    assert "Ремизова" in page and 'value="0" selected' in page
    page = client.post(reverse("cases_import_map"), {**MAPPING, "action": "preview"})
    text = page.content.decode()
    assert "will be added" in text and 'value="import"' in text
    assert Case.objects.count() == 0
    response = client.post(reverse("cases_import_map"), {**MAPPING, "action": "import"})
    assert response.status_code == 302 and Case.objects.count() == 2
    # The file is gone from the session: importing again needs a new upload.
    assert client.get(reverse("cases_import_map"))["Location"] == reverse("cases_import")


def test_the_preview_lists_errors_and_offers_no_import(worker, compartment, client_for):
    client = client_for(worker)
    upload(client, compartment, "Фамилия;Дата рождения\nГоц;весной\n".encode())
    text = client.post(reverse("cases_import_map"),
                       {"surname": "0", "birth_date": "1", "action": "preview"}).content.decode()
    assert "весной" in text and 'value="import"' not in text
    client.post(reverse("cases_import_map"), {"surname": "0", "birth_date": "1",
                                              "action": "import"})
    assert Case.objects.count() == 0


def test_only_own_compartments_are_offered(outsider, compartment, client_for):
    client = client_for(outsider)
    response = upload(client, compartment)
    assert response.status_code == 200 and Case.objects.count() == 0
    assert "Оренбургская ссылка" not in client.get(reverse("cases_import")).content.decode()


def test_a_big_file_is_refused_on_upload(worker, compartment, client_for):
    with override_settings(POMPOLIT_IMPORT_MAX_BYTES=50):
        response = upload(client_for(worker), compartment)
    assert response.status_code == 200 and "larger than" in response.content.decode()
