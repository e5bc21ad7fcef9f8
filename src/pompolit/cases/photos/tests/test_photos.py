"""Photos (cases/photos.py): only real images; every piece of metadata gone (GPS, camera,
XMP, colour profile, comments), turned upright first, scaled down; stored encrypted; read by
the compartment with the reading logged; public only while the consent names the photo."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from pompolit.audit.models import AuditEntry
from pompolit.cases.models import Case
from pompolit.cases.photos import services as photos
from pompolit.cases.public import consent
from pompolit.cases.testing import days, leaks_in, phone_photo, plain
from pompolit.core import images


@pytest.fixture(autouse=True)
def attachments(tmp_path, monkeypatch):
    monkeypatch.setenv("POMPOLIT_ATTACHMENTS_DIR", str(tmp_path))
    return tmp_path


def opened(data):
    return Image.open(io.BytesIO(data))


def test_a_phone_photo_loses_all_its_metadata():
    original = phone_photo()
    assert len(leaks_in(original)) >= 6  # the test image does carry all of it
    assert opened(original).getexif().get_ifd(0x8825)  # GPS
    cleaned = photos.clean_photo(original)
    assert leaks_in(cleaned) == []
    image = opened(cleaned)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not {"exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp"} & set(image.info)


def test_the_orientation_is_applied_before_the_exif_goes():
    image = opened(photos.clean_photo(phone_photo(size=(400, 200), orientation=6)))
    # Stored sideways (400 × 200, red left): shown upright it is 200 × 400, red on top.
    assert image.size == (200, 400)
    top = image.getpixel((100, 50))
    bottom = image.getpixel((100, 350))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_cleaned_into_jpeg(fmt):
    cleaned = photos.clean_photo(phone_photo(fmt))
    assert leaks_in(cleaned) == []
    assert opened(cleaned).format == "JPEG" and opened(cleaned).size == (200, 400)


def test_transparency_becomes_white():
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 0, 0)).save(out, "PNG")
    assert opened(photos.clean_photo(out.getvalue())).getpixel((15, 15)) == (255, 255, 255)


def test_large_photos_are_scaled_down():
    image = opened(photos.clean_photo(plain("JPEG", (4000, 3000))))
    assert max(image.size) == photos.MAX_SIDE and image.size == (1600, 1200)
    image = opened(photos.clean_photo(plain("PNG", (3300, 2000))))
    assert image.size == (1600, 970)


def test_a_large_sideways_jpeg_decoded_small_still_comes_out_upright_and_full_size():
    original = phone_photo(size=(4000, 3000), orientation=6)
    assert opened(original).size == (4000, 3000)
    image = opened(photos.clean_photo(original))
    assert image.size == (1200, 1600)
    assert image.getpixel((600, 100))[0] > 200  # red, formerly on the left, now on top


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"%PDF-1.7 not a photo", "JPEG, PNG or WebP"),
    (b"GIF89a" + bytes(40), "JPEG, PNG or WebP"),
    (plain("GIF"), "JPEG, PNG or WebP"),
    (plain("BMP"), "JPEG, PNG or WebP"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "JPEG, PNG or WebP"),
    (plain("JPEG")[:120], "damaged"),
])
def test_what_is_not_a_readable_photo_is_refused(data, message):
    with pytest.raises(ValidationError, match=message):
        photos.clean_photo(data)


def test_size_limits(settings):
    settings.POMPOLIT_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="too large"):
        photos.clean_photo(plain("PNG", (400, 400), "RGB") + bytes(1000))


def test_a_decompression_bomb_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    with pytest.raises(ValidationError, match="too big"):
        photos.clean_photo(plain("PNG", (101, 100)))


def test_stored_encrypted_nothing_readable_on_disk(unsealed_vault, worker, exile, attachments):
    photos.set_photo(worker, exile, phone_photo())
    blobs = list(attachments.iterdir())
    assert len(blobs) == 1
    raw = blobs[0].read_bytes()
    assert b"JFIF" not in raw and leaks_in(raw) == []
    stored = Case.objects.get(pk=exile.pk)
    column = stored.__dict__["photo"]
    assert "photo.jpg" not in column and "image/jpeg" not in column  # the column is ciphertext
    data = photos.read_photo(worker, stored)
    assert data is not None and opened(data).format == "JPEG" and leaks_in(data) == []
    entry = AuditEntry.objects.filter(action="cases.photo_set").get()
    assert entry.details["replaced"] is False


def test_reading_is_logged_and_only_inside_the_compartment(unsealed_vault, worker, outsider,
                                                           exile):
    photos.set_photo(worker, exile, plain("JPEG"))
    photos.read_photo(worker, exile)
    read = AuditEntry.objects.filter(action="read.sensitive").last()
    assert read.details["fields"] == ["photo"] and read.actor_id == worker.pk
    with pytest.raises(PermissionDenied):
        photos.read_photo(outsider, exile)
    with pytest.raises(PermissionDenied):
        photos.set_photo(outsider, exile, plain("JPEG"))


def test_replacing_and_removing_delete_the_old_body(unsealed_vault, worker, exile, attachments,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        photos.set_photo(worker, exile, plain("JPEG"))
    first = {p.name for p in attachments.iterdir()}
    with django_capture_on_commit_callbacks(execute=True):
        photos.set_photo(worker, exile, plain("PNG"))
    second = {p.name for p in attachments.iterdir()}
    assert len(second) == 1 and not first & second
    with django_capture_on_commit_callbacks(execute=True):
        photos.remove_photo(worker, exile)
    assert list(attachments.iterdir()) == []
    assert not photos.has_photo(Case.objects.get(pk=exile.pk))
    with pytest.raises(ValidationError, match="no photo"):
        photos.remove_photo(worker, exile)
    actions = list(AuditEntry.objects.filter(action__startswith="cases.photo").values_list(
        "action", flat=True).order_by("seq"))
    assert actions == ["cases.photo_set", "cases.photo_set", "cases.photo_removed"]


def test_public_only_while_the_consent_names_the_photo(unsealed_vault, worker, exile):
    photos.set_photo(worker, exile, plain("JPEG"))
    assert photos.public_photo(exile.public_id) is None  # no consent
    consent.give(worker, exile, given_by="prisoner", given_on=days(-5), scope=["name"])
    assert photos.public_photo(exile.public_id) is None  # consent without the photo
    consent.give(worker, exile, given_by="prisoner", given_on=days(-1),
                 scope=["name", "photo"])
    assert opened(photos.public_photo(exile.public_id)).format == "JPEG"
    consent.withdraw(worker, exile, given_by="prisoner")
    assert photos.public_photo(exile.public_id) is None
    assert photos.public_photo("nosuchcase22") is None
