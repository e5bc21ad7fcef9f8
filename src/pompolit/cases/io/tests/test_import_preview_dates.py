"""The import preview writes the birth dates it read as the page writes dates, in either
language, whatever form the file used (1897, 03.1881, 1881-03-15)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("unsealed_vault")

LIST = (
    "Фамилия;Имя;Дата рождения\n"
    "Ремизова;Анна;1897\n"
    "Гоц;Абрам;1881-03\n"
    "Спиридонова;Мария;1884-10-16\n"
).encode()
MAPPING = {"surname": "0", "given": "1", "birth_date": "2", "action": "preview"}


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", ["<td>1897</td>", "<td>Mar 1881</td>", "<td>16 Oct 1884</td>"]),
        ("ru", ["<td>1897</td>", "<td>03.1881</td>", "<td>16.10.1884</td>"]),
    ],
)
def test_the_preview_shows_birth_dates_in_the_reader_s_format(
    worker, compartment, client_for, language, shown
):
    client = client_for(worker)
    client.cookies["django_language"] = language
    client.post(
        reverse("cases_import"),
        {"compartment": compartment.pk, "file": SimpleUploadedFile("список.csv", LIST)},
    )
    html = client.post(reverse("cases_import_map"), MAPPING).content.decode()
    # The table of what will be imported (the file's own cells are shown above it verbatim).
    preview = html.rsplit("<caption>", 1)[1]
    for cell in shown:
        assert cell in preview
    # Only the correction boxes hold the file's own text, for the case worker to edit.
    assert "<td>1881-03</td>" not in preview and "<td>1884-10-16</td>" not in preview
