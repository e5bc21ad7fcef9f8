"""Photos with a public report (intake/public/photos.py): only real images, re-encoded with
nothing but their pixels (no EXIF GPS, no PNG text), refused with the file's name otherwise,
kept encrypted in quarantine, shown only to the hotline's operators (and recorded), following
an accepted report to its detention, deleted with a rejected one — and never spooled to disk."""

import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from pompolit.audit.models import AuditEntry
from pompolit.intake.models import Detention, Report, ReportPhoto
from pompolit.intake.public import photos
from pompolit.vault import conf

pytestmark = pytest.mark.django_db

FORM = {
    "surname": "Лебедев",
    "given": "Кирилл",
    "birth": "2003",
    "city": "Москва",
    "place_text": "Манежная площадь",
    "reporter": "witness",
    "note": "Его били в автозаке, вот фото номера.",
}
GPS_PLACE = "Moscow, Manezhnaya ploshchad 1"
PNG_SECRET = "Адрес съёмки: Тверская ул., 13, кв. 7"


@pytest.fixture(autouse=True)
def attachments(tmp_path: Any, monkeypatch: Any, settings: Any, unsealed_vault: Any) -> Any:
    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)  # where Django would spool a large upload
    cache.clear()
    yield tmp_path
    cache.clear()


def jpeg_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    """A phone's photo: GPS position, time, camera, owner in EXIF."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Artist] = "Мария Лебедева"
    exif[ExifTags.Base.DateTime] = "2026:03:06 19:31:00"
    gps = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (55.0, 45.0, 20.9),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (37.0, 36.0, 59.0),
        ExifTags.GPS.GPSAreaInformation: GPS_PLACE,
    }
    exif[ExifTags.Base.GPSInfo] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_itxt("Comment", PNG_SECRET)
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 10)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def upload(name: str, data: bytes, kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def send(*files: SimpleUploadedFile, **changes: Any) -> Any:
    client = Client(REMOTE_ADDR="198.51.100.20", HTTP_ACCEPT_LANGUAGE="en")
    return client.post(reverse("intake_public_report"), {**FORM, **changes, "photos": list(files)})


def stored_bytes(photo: ReportPhoto) -> bytes:
    return photo.image.read()


def blobs(attachments: Any) -> list[Any]:
    folder = attachments / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


# -- what is kept of a photo -----------------------------------------------------------------


def test_the_exif_gps_of_a_phone_photo_does_not_survive(hotline: Any, attachments: Any) -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = send(upload("IMG_2041.jpg", original))
    assert response.status_code == 200, response.content.decode()
    photo = ReportPhoto.objects.get()
    assert photo.report == Report.objects.get() and photo.compartment == hotline
    kept = stored_bytes(photo)
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG" and image.size == (640, 480)
    assert dict(image.getexif()) == {}
    for marker in (b"Exif", b"GPS", GPS_PLACE.encode(), b"PhoneMaker",
                   "Лебедева".encode()):
        assert marker not in kept
    # On disk the body is encrypted: neither the upload nor the cleaned image is there.
    (body,) = blobs(attachments)
    assert kept not in body.read_bytes() and kept[:64] not in body.read_bytes()
    assert AuditEntry.objects.filter(action="intake.report_photos_stored").get().details == {
        "report": photo.report_id, "photos": 1}


def test_the_text_chunks_of_a_png_are_gone(hotline: Any) -> None:
    assert PNG_SECRET.encode() in png_with_text()
    assert send(upload("скан протокола.png", png_with_text(), "image/png")).status_code == 200
    kept = stored_bytes(ReportPhoto.objects.get())
    assert Image.open(io.BytesIO(kept)).format == "JPEG"
    assert PNG_SECRET.encode() not in kept and b"iTXt" not in kept and b"Comment" not in kept


def test_three_photos_are_kept_in_the_order_sent(hotline: Any) -> None:
    files = [upload(f"photo-{n}.jpg", jpeg_with_gps((100 + n, 80))) for n in range(3)]
    assert send(*files).status_code == 200
    kept = [Image.open(io.BytesIO(stored_bytes(p))).size for p in ReportPhoto.objects.all()]
    assert kept == [(100, 80), (101, 80), (102, 80)]


def test_a_report_without_photos_takes_the_text_only_path(hotline: Any) -> None:
    assert send().status_code == 200
    assert Report.objects.count() == 1
    assert not ReportPhoto.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="intake.report_photos").exists()


# -- what is refused, and how the form says it -------------------------------------------------


def refused(response: Any) -> str:
    assert response.status_code == 400
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()
    page = response.content.decode()
    # What was typed is kept; the files must be chosen again, and the page says so.
    assert 'value="Лебедев"' in page and "Его били в автозаке" in page
    assert "choose the photos again" in page
    return page


def test_an_html_file_named_jpg_is_refused_by_name(hotline: Any) -> None:
    polyglot = b"\xff\xd8\xff\xe0<html><script>alert(document.cookie)</script></html>"
    page = refused(send(upload("номер автозака.jpg", polyglot)))
    assert "“номер автозака.jpg” is" in page
    assert "<script>alert(document.cookie)" not in page


@pytest.mark.parametrize("size", [(8_000, 7_500), (12_000, 10_000)])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    hotline: Any, size: tuple[int, int]
) -> None:
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")  # 60 or 120 megapixels in a small file
    assert len(out.getvalue()) < 1_000_000
    page = refused(send(upload("bomb.png", out.getvalue(), "image/png")))
    if size == (8_000, 7_500):  # over our limit (core/images.py)
        assert "“bomb.png” is too big an image (8000 × 7500 pixels)" in page
    else:  # over Pillow's own, which refuses to open it at all
        assert "“bomb.png” is not a photo we can read" in page


def test_more_photos_than_allowed_are_refused(hotline: Any) -> None:
    files = [upload(f"{n}.jpg", jpeg_with_gps((50, 50))) for n in range(4)]
    page = refused(send(*files))
    assert "At most 3 photos with one report." in page


def test_a_photo_too_large_is_refused_by_name(hotline: Any, settings: Any) -> None:
    settings.POMPOLIT_INTAKE_PHOTO_MAX_BYTES = 2000
    page = refused(send(upload("IMG_9.jpg", jpeg_with_gps((800, 600)))))
    assert "“IMG_9.jpg” is too large: at most" in page


def test_photos_too_large_together_are_refused(hotline: Any, settings: Any) -> None:
    one = jpeg_with_gps((300, 300))
    settings.POMPOLIT_INTAKE_PHOTOS_MAX_BYTES = len(one) + 10
    page = refused(send(upload("a.jpg", one), upload("b.jpg", one)))
    assert "The photos together are too large" in page


def test_an_upload_over_the_memory_limit_is_dropped_never_spooled_to_disk(
    hotline: Any, settings: Any, attachments: Any
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 5000  # Django alone would write it to a file
    page = refused(send(upload("большое.jpg", jpeg_with_gps((1200, 900)))))
    assert "“большое.jpg” is too large" in page
    assert list((attachments / "spool").iterdir()) == []


# -- who sees them -----------------------------------------------------------------------------


def report_with_photo() -> ReportPhoto:
    assert send(upload("IMG_1.jpg", jpeg_with_gps())).status_code == 200
    return ReportPhoto.objects.get()


def photo_url(photo: ReportPhoto) -> str:
    return reverse("intake_report_photo", args=[photo.report.compartment.slug, photo.pk])


def test_the_operator_sees_the_photo_in_the_review_decrypted_and_recorded(
    hotline: Any, operator: Any, client_for: Any
) -> None:
    photo = report_with_photo()
    client = client_for(operator)
    review = reverse("intake_quarantine_report", args=[hotline.slug, photo.report_id])
    page = client.get(review).content.decode()
    assert photo_url(photo) in page
    response = client.get(photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response
    assert response.content == stored_bytes(photo)
    read = AuditEntry.objects.filter(action="read.sensitive", object_id=str(photo.report_id))
    assert read.filter(details__fields=[f"photo:{photo.pk}"]).exists()


def test_the_photo_is_no_one_elses(
    hotline: Any, spb_hotline: Any, spb_operator: Any, client_for: Any
) -> None:
    photo = report_with_photo()
    anonymous = Client().get(photo_url(photo))
    assert anonymous.status_code in (302, 403) and anonymous.content[:3] != b"\xff\xd8\xff"
    elsewhere = client_for(spb_operator).get(photo_url(photo))
    assert elsewhere.status_code in (403, 404)
    # Under the other hotline's address, the photo is not found either.
    other = reverse("intake_report_photo", args=[spb_hotline.slug, photo.pk])
    assert client_for(spb_operator).get(other).status_code == 404


def test_photos_follow_an_accepted_report_to_its_detention(
    hotline: Any, operator: Any, client_for: Any
) -> None:
    photo = report_with_photo()
    client = client_for(operator)
    review = reverse("intake_quarantine_report", args=[hotline.slug, photo.report_id])
    assert client.post(review, {"action": "accept"}).status_code == 302
    detention = Detention.objects.get()
    page = client.get(reverse("intake_detention", args=[hotline.slug, detention.pk]))
    assert photo_url(photo) in page.content.decode()
    assert photos.of_detention(detention) == [photo]
    assert client.get(photo_url(photo)).status_code == 200


def test_a_rejected_reports_photos_are_deleted_keys_and_bodies(
    hotline: Any, operator: Any, client_for: Any, attachments: Any
) -> None:
    photo = report_with_photo()
    assert len(blobs(attachments)) == 1
    review = reverse("intake_quarantine_report", args=[hotline.slug, photo.report_id])
    with pytest.MonkeyPatch.context():
        response = client_for(operator).post(review, {"action": "reject", "reason": "fake"})
    assert response.status_code == 302
    assert not ReportPhoto.objects.exists()
    assert Report.objects.get().quarantine == "rejected"
    entry = AuditEntry.objects.get(action="intake.report_photos_deleted")
    assert entry.details == {"report": photo.report_id, "photos": 1}
    assert entry.actor_id == operator.pk


def test_the_rejected_photos_body_leaves_the_disk_once_committed(
    hotline: Any, operator: Any, attachments: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo = report_with_photo()
    with django_capture_on_commit_callbacks(execute=True):
        photos.reject(operator, photo.report, "spam")
    assert blobs(attachments) == []
    assert conf.attachments_dir() == attachments / "attachments"
