"""The photo pages: upload on the case page, served to the compartment with no-store, shown on
the public page only when the consent names the photo; uploads never touch the disk."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from pompolit.cases.models import Case
from pompolit.cases.photos import services as photos
from pompolit.cases.public import consent
from pompolit.cases.testing import days, leaks_in, phone_photo, plain


@pytest.fixture(autouse=True)
def attachments(tmp_path, monkeypatch):
    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path / "attachments"))


def url(name, case):
    return reverse(name, args=[case.compartment.slug, case.pk])


def upload(client, case, data, name="IMG_2041.jpg"):
    return client.post(url("case_photo_upload", case),
                       {"photo": SimpleUploadedFile(name, data, "image/jpeg")}, follow=True)


def test_upload_on_the_case_page_and_see_it(unsealed_vault, client_for, worker, exile):
    client = client_for(worker)
    page = client.get(url("case_detail", exile)).content.decode()
    assert 'enctype="multipart/form-data"' in page and "No photo." in page
    response = upload(client, exile, phone_photo())
    assert "The photo is saved" in response.content.decode()
    assert url("case_photo", exile) in response.content.decode()
    served = client.get(url("case_photo", exile))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"]
    assert served["X-Content-Type-Options"] == "nosniff"
    body = served.content
    assert leaks_in(body) == [] and Image.open(io.BytesIO(body)).size == (200, 400)


def test_not_an_image_is_refused_with_a_message(unsealed_vault, client_for, worker, exile):
    response = upload(worker and client_for(worker), exile, b"%PDF-1.4 protokol doprosa",
                      "протокол.jpg")
    assert "send a JPEG, PNG or WebP image" in response.content.decode()
    assert not photos.has_photo(Case.objects.get(pk=exile.pk))


def test_no_file_chosen(unsealed_vault, client_for, worker, exile):
    response = client_for(worker).post(url("case_photo_upload", exile), follow=True)
    assert "Choose a photo to upload." in response.content.decode()


def test_too_large_is_refused_and_never_written_to_a_temporary_file(
        unsealed_vault, client_for, worker, exile, settings, monkeypatch):
    settings.POMPOLIT_PHOTO_MAX_BYTES = 2000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # Django alone would spool this to disk

    def no_disk(*args, **kwargs):
        raise AssertionError("the upload was written to a temporary file")

    monkeypatch.setattr("django.core.files.uploadedfile.tempfile.NamedTemporaryFile", no_disk)
    monkeypatch.setattr("django.core.files.temp.NamedTemporaryFile", no_disk)
    response = upload(client_for(worker), exile, plain("PNG", (100, 100)) + bytes(5000))
    assert "The photo is too large: at most 2.0\xa0KB." in response.content.decode()
    settings.POMPOLIT_PHOTO_MAX_BYTES = 10 * 1024 * 1024
    response = upload(client_for(worker), exile, plain("JPEG", (300, 300)))
    assert "The photo is saved" in response.content.decode()


def test_upload_needs_the_csrf_token(unsealed_vault, worker, exile):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    response = client.post(url("case_photo_upload", exile),
                           {"photo": SimpleUploadedFile("a.jpg", plain("JPEG"))})
    assert response.status_code == 403
    assert not photos.has_photo(Case.objects.get(pk=exile.pk))


def test_remove(unsealed_vault, client_for, worker, exile):
    photos.set_photo(worker, exile, plain("JPEG"))
    client = client_for(worker)
    response = client.post(url("case_photo_remove", exile), follow=True)
    assert "The photo is removed." in response.content.decode()
    assert client.get(url("case_photo", exile)).status_code == 404


def test_another_compartment_gets_404(unsealed_vault, client_for, worker, outsider, exile):
    photos.set_photo(worker, exile, plain("JPEG"))
    client = client_for(outsider)
    assert client.get(url("case_photo", exile)).status_code == 404
    assert client.get(reverse("case_photo", args=["moscow", exile.pk])).status_code == 404
    assert upload(client, exile, plain("JPEG")).status_code == 404


def test_the_public_page_shows_the_photo_only_with_consent(unsealed_vault, worker, exile):
    photos.set_photo(worker, exile, plain("JPEG"))
    visitor = Client(HTTP_ACCEPT_LANGUAGE="ru")
    page_url = reverse("public_case", args=[exile.public_id])
    photo_url = reverse("public_case_photo", args=[exile.public_id])
    consent.give(worker, exile, given_by="relative", given_on=days(-3), scope=["name"])
    page = visitor.get(page_url).content.decode()
    assert photo_url not in page and "photo-placeholder" in page
    assert visitor.get(photo_url).status_code == 404
    consent.give(worker, exile, given_by="relative", given_on=days(-1),
                 scope=["name", "photo"])
    page = visitor.get(page_url).content.decode()
    assert photo_url in page and "Ремизова Анна Петровна" in page
    served = visitor.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"]
    consent.withdraw(worker, exile, given_by="relative")
    assert visitor.get(photo_url).status_code == 404


def test_consent_to_the_photo_without_one_shows_the_placeholder(worker, exile):
    consent.give(worker, exile, given_by="prisoner", given_on=days(-1), scope=["name", "photo"])
    page = Client().get(reverse("public_case", args=[exile.public_id])).content.decode()
    assert "photo-placeholder" in page
    assert reverse("public_case_photo", args=[exile.public_id]) not in page


def test_the_public_page_needs_no_key_only_the_photo_does(unsealed_vault, worker, exile):
    """Whether there is a photo is known without decrypting: sealed, the page still renders;
    the photo itself then answers "sealed"."""
    from pompolit.vault.keys.services import seal

    photos.set_photo(worker, exile, plain("JPEG"))
    consent.give(worker, exile, given_by="prisoner", given_on=days(-1), scope=["name", "photo"])
    seal(reason="тест")
    visitor = Client()
    page = visitor.get(reverse("public_case", args=[exile.public_id]))
    assert page.status_code == 200
    assert reverse("public_case_photo", args=[exile.public_id]) in page.content.decode()
    assert visitor.get(reverse("public_case_photo", args=[exile.public_id])).status_code == 503
