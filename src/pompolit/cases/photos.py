"""A person's photo: checked, cleaned, encrypted, shown only to those who may see it.

A photo from a phone says where and when it was taken (EXIF GPS, time, camera serial), may
carry an editor's history (XMP), a colour profile naming the device, comments. None of that
may be stored: `clean_photo` decodes the image with Pillow, applies its EXIF orientation,
converts it to sRGB, copies the pixels alone into a new image, scales it down, and writes a
fresh JPEG — nothing of the upload's metadata survives because nothing of the file is kept
but its pixels. Anything Pillow cannot read as a JPEG, PNG or WebP image is refused.

The cleaned JPEG is stored with the case, encrypted by the vault under the compartment's key
(`Case.photo`); `read_photo` records the reading in the audit trail, `public_photo` gives it
to the public site only while the consent in force names the photo.
"""

from __future__ import annotations

import io
import math
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.consent import current
from pompolit.cases.models import Case
from pompolit.cases.services import _check_case
from pompolit.members.models import Member
from pompolit.vault import conf
from pompolit.vault.fields import EncryptedFile, Upload

FORMATS = {"JPEG", "PNG", "WEBP"}
# A photo for a case page, not a print: the longer side is scaled down to this.
MAX_SIDE = 1600
# Before decoding: a small file may unpack to an enormous image (a "decompression bomb").
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
CONTENT_TYPE = "image/jpeg"


def max_bytes() -> int:
    # A 48-megapixel phone JPEG can be 15 MB; held in memory while it is cleaned.
    return int(getattr(settings, "POMPOLIT_PHOTO_MAX_BYTES", 20 * 1024 * 1024))


def too_large() -> ValidationError:
    return _refuse(_("The photo is too large: at most %(size)s.")
                   % {"size": filesizeformat(max_bytes())})


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": message})


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours as the camera meant them, before its profile is dropped with the rest."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in {"RGB", "RGBA"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are
    return converted if converted is not None else image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new RGB image holding nothing but the pixels: no info, no EXIF, no profile."""
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        rgb = flat
    else:
        rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _decode_small(image: Image.Image) -> None:
    """A large JPEG is decoded at a half, quarter or eighth of its size when that still
    leaves MAX_SIDE, which saves much of the time and memory (bench/photos_bench.py). The
    ratio is kept, so it works whichever way the photo is turned."""
    width, height = image.size
    longest = max(width, height)
    if image.format == "JPEG" and longest > MAX_SIDE:
        factor = MAX_SIDE / longest
        image.draft(None, (math.ceil(width * factor), math.ceil(height * factor)))


def clean_photo(data: bytes) -> bytes:
    """The photo as a metadata-free JPEG no larger than MAX_SIDE; a clear refusal otherwise."""
    if len(data) > max_bytes():
        raise too_large()
    if not data:
        raise _refuse(_("The file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(FORMATS)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise _refuse(_("The image is too big (%(w)s × %(h)s pixels); send a "
                                    "smaller one.") % {"w": opened.width, "h": opened.height})
                opened.seek(0)  # an animation: its first frame
                _decode_small(opened)
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                clean = _pixels_only(_to_srgb(upright))
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise _refuse(_("This is not a photo we can read: send a JPEG, PNG or WebP image."
                        )) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(_("The image is damaged and cannot be read.")) from None
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


# -- the services ------------------------------------------------------------------------------


def _forget(old: EncryptedFile | None) -> None:
    """Remove a replaced photo's encrypted body once the change is committed."""
    if old is not None:
        blob = old.blob
        transaction.on_commit(lambda: (conf.attachments_dir() / blob).unlink(missing_ok=True))


def set_photo(actor: Member, case: Case, data: bytes) -> None:
    """Store the cleaned photo for the case, replacing the one before."""
    _check_case(actor, case)
    cleaned = clean_photo(data)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        old = locked.photo
        locked.photo = Upload("photo.jpg", cleaned, CONTENT_TYPE)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["photo", "updated_at"])
        record("cases.photo_set", actor=actor, obj=case,
               details={"bytes": len(cleaned), "replaced": old is not None})
        _forget(old)
    case.refresh_from_db(fields=["photo", "updated_at"])


def remove_photo(actor: Member, case: Case) -> None:
    _check_case(actor, case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        old = locked.photo
        if old is None:
            raise ValidationError(_("There is no photo to remove."))
        locked.photo = None
        locked.updated_at = timezone.now()
        locked.save(update_fields=["photo", "updated_at"])
        record("cases.photo_removed", actor=actor, obj=case)
        _forget(old)
    case.refresh_from_db(fields=["photo", "updated_at"])


def has_photo(case: Case) -> bool:
    """Without decrypting: is there a photo at all?"""
    return case.__dict__.get("photo") is not None


def read_photo(actor: Member, case: Case) -> bytes | None:
    """The photo's bytes for a case worker of the compartment; the reading is recorded."""
    _check_case(actor, case)
    if not has_photo(case):
        return None
    photo = case.photo
    assert isinstance(photo, EncryptedFile)
    data = photo.read()
    record_sensitive_read(actor, case, fields=["photo"])
    return data


def public_photo(public_id: str) -> bytes | None:
    """The photo of a published case, only while the consent in force names the photo."""
    case = Case.objects.filter(public_id=public_id).first()
    if case is None or not has_photo(case):
        return None
    consent = current(case)
    if consent is None or "photo" not in consent.scope:
        return None
    photo = case.photo
    assert isinstance(photo, EncryptedFile)
    return photo.read()
