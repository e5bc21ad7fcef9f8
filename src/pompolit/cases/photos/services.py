"""A person's photo: checked, cleaned, encrypted, shown only to those who may see it.

A photo from a phone says where and when it was taken (EXIF GPS, time, camera serial), may
carry an editor's history (XMP), a colour profile naming the device, comments. None of that
may be stored: `clean_photo` has `core.images.clean_image` decode the image with Pillow,
apply its EXIF orientation, convert it to sRGB, copy the pixels alone into a new image, scale
it down, and write a fresh JPEG — nothing of the upload's metadata survives because nothing
of the file is kept but its pixels. Anything Pillow cannot read as a JPEG, PNG or WebP image
is refused.

The cleaned JPEG is stored with the case, encrypted by the vault under the compartment's key
(`Case.photo`); `read_photo` records the reading in the audit trail, `public_photo` gives it
to the public site only while the consent in force names the photo.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.cases.models import Case
from pompolit.cases.public.consent import current
from pompolit.cases.services import check_case
from pompolit.core import images
from pompolit.members.models import Member
from pompolit.vault import conf
from pompolit.vault.fields.files import EncryptedFile, Upload

# A photo for a case page, not a print: the longer side is scaled down to this.
MAX_SIDE = 1600
CONTENT_TYPE = "image/jpeg"


def max_bytes() -> int:
    # A 48-megapixel phone JPEG can be 15 MB; held in memory while it is cleaned.
    return int(getattr(settings, "POMPOLIT_PHOTO_MAX_BYTES", 20 * 1024 * 1024))


def too_large() -> ValidationError:
    return _refuse(_("The photo is too large: at most %(size)s.")
                   % {"size": filesizeformat(max_bytes())})


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": message})


def clean_photo(data: bytes) -> bytes:
    """The photo as a metadata-free JPEG no larger than MAX_SIDE; a clear refusal otherwise."""
    if len(data) > max_bytes():
        raise too_large()
    if not data:
        raise _refuse(_("The file is empty."))
    try:
        return images.clean_image(data, max_side=MAX_SIDE)
    except images.ImageRefused as refused:
        if refused.reason == "too_big":
            width, height = refused.size
            raise _refuse(_("The image is too big (%(w)s × %(h)s pixels); send a "
                            "smaller one.") % {"w": width, "h": height}) from None
        if refused.reason == "unreadable":
            raise _refuse(_("This is not a photo we can read: send a JPEG, PNG or WebP image."
                            )) from None
        raise _refuse(_("The image is damaged and cannot be read.")) from None


# -- the services ------------------------------------------------------------------------------


def _forget(old: EncryptedFile | None) -> None:
    """Remove a replaced photo's encrypted body once the change is committed."""
    if old is not None:
        blob = old.blob
        transaction.on_commit(lambda: (conf.attachments_dir() / blob).unlink(missing_ok=True))


def set_photo(actor: Member, case: Case, data: bytes) -> None:
    """Store the cleaned photo for the case, replacing the one before."""
    check_case(actor, case)
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
    check_case(actor, case)
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
    check_case(actor, case)
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
