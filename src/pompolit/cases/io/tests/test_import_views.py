"""The import pages: upload, mapping, preview with errors, commit; the session is cleared after."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from pompolit.cases.models import Case
from pompolit.cases.testing import everything_stored

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


# -- the pending file (issue 11, item 12; issue 18) --------------------------------------------

CANARY = "канарейка-7f3a"
WITH_PHONES = ("Фамилия;Имя;Телефон матери\n"
               f"Ремизова;Анна;+7 912 345-67-89 {CANARY}\n").encode()


def test_a_pending_list_is_stored_encrypted_not_in_the_session(worker, compartment, client_for):
    client = client_for(worker)
    upload(client, compartment, WITH_PHONES, "список-семей-Орёл.csv")
    assert client.get(reverse("cases_import_map")).status_code == 200
    assert not any(CANARY in value for value in everything_stored())


def test_the_trail_keeps_the_files_digest_and_rows_never_its_name(worker, compartment,
                                                                   client_for):
    import hashlib

    from pompolit.audit.models import AuditEntry

    client = client_for(worker)
    upload(client, compartment, LIST, "список-семей-Орёл.csv")
    client.post(reverse("cases_import_map"), {**MAPPING, "action": "import"})
    entry = AuditEntry.objects.get(action="cases.list_imported")
    assert entry.details["file_sha256"] == hashlib.sha256(LIST).hexdigest()
    assert entry.details["rows"] == 2
    assert not any("Орёл" in value for value in everything_stored())


def test_cancel_deletes_the_file(worker, compartment, client_for):
    from pompolit.vault.uploads.models import PendingUpload

    client = client_for(worker)
    upload(client, compartment)
    assert PendingUpload.objects.count() == 1
    response = client.post(reverse("cases_import_map"), {"action": "cancel"})
    assert response["Location"] == reverse("cases_import")
    assert PendingUpload.objects.count() == 0


def test_a_pending_list_expires_and_is_swept_with_the_expired_sessions(
        worker, compartment, client_for):
    import datetime
    import io

    import time_machine
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from pompolit.vault.uploads.models import PendingUpload

    client = client_for(worker)
    with override_settings(POMPOLIT_PENDING_UPLOAD_MINUTES=10):
        upload(client, compartment)
    stale = client_for(worker).session.session_key
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        # Still signed in (30 minutes of idleness), but the file's time is over.
        assert client.get(reverse("cases_import_map"))["Location"] == reverse("cases_import")
        assert PendingUpload.objects.count() == 1
        call_command("cleanup", stdout=io.StringIO())
        assert PendingUpload.objects.count() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        call_command("cleanup", stdout=io.StringIO())
        assert not Session.objects.filter(session_key=stale).exists()


def test_the_web_process_sweeps_by_itself(worker, compartment, client_for):
    import datetime

    import time_machine
    from django.utils import timezone

    from pompolit.vault.uploads.models import PendingUpload

    client = client_for(worker)
    with override_settings(POMPOLIT_PENDING_UPLOAD_MINUTES=10):
        upload(client, compartment)
    with override_settings(POMPOLIT_HOUSEKEEPING_MINUTES=0.0001), \
            time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=True):
        client.get(reverse("case_list"))
        client.get(reverse("case_list"))
    assert PendingUpload.objects.count() == 0


def test_another_member_cannot_use_a_pending_list(worker, compartment, client_for, make_member):
    from pompolit.members.roles import Role

    client = client_for(worker)
    upload(client, compartment)
    other = make_member("Ольга Любатович", Role.CASE_WORKER, compartments=[compartment])
    thief = client_for(other)
    session = thief.session
    session["cases.import"] = client.session["cases.import"]
    session.save()
    assert thief.get(reverse("cases_import_map"))["Location"] == reverse("cases_import")


def test_the_preview_of_a_long_list_is_a_page_with_counts(worker, compartment, client_for):
    rows = "".join(f"Фамилия{n};Имя;1990\n" for n in range(250))
    client = client_for(worker)
    upload(client, compartment, ("Фамилия;Имя;Дата рождения\n" + rows).encode())
    page = client.post(reverse("cases_import_map"), {"surname": "0", "given": "1",
                                                     "birth_date": "2", "action": "preview"})
    text = page.content.decode()
    assert "Фамилия49 Имя" in text and "Фамилия50 Имя" not in text and "Фамилия200" not in text
    assert "Will be added: 250" in text and "Rows 1–50 of 250" in text
    text = client.post(reverse("cases_import_map"), {
        "surname": "0", "given": "1", "birth_date": "2", "action": "preview", "page": "5",
    }).content.decode()
    assert "Фамилия249 Имя" in text and "Фамилия49 Имя" not in text
