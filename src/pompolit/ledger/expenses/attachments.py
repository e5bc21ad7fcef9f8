"""Receipts attached to expenses: only PDF, JPEG, PNG and WebP; images lose their metadata.

An image is decoded and written again by `core.images.clean_image` (Pillow): only its pixels
are kept — no EXIF with GPS or camera serial, no XMP, no profile, no comments — as a JPEG
large enough to read a receipt (the longer side at most RECEIPT_SIDE). A PDF is kept as it
is (its document information may name its author: documented in docs/ledger.md). The stored
name is neutral ("attachment-2.jpg"): the uploader's file name is never kept.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pompolit.core.images import ImageRefused, clean_image
from pompolit.vault.fields.files import Upload

MAX_BYTES = 10 * 1024 * 1024
# A receipt must stay legible: small print on a phone photo of an A4 page.
RECEIPT_SIDE = 3000
_IMAGE_STARTS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


def clean_attachment(upload: Upload, number: int) -> Upload:
    """A checked, metadata-free copy under a neutral name; refused with a clear message."""
    data = upload.data
    if len(data) > MAX_BYTES:
        raise ValidationError({"attachments": _("A file may be at most 10 MB.")})
    if data.startswith(b"%PDF-"):
        return Upload(f"attachment-{number}.pdf", data, "application/pdf")
    if data.startswith(_IMAGE_STARTS):
        try:
            return Upload(f"attachment-{number}.jpg", clean_image(data, max_side=RECEIPT_SIDE),
                          "image/jpeg")
        except ImageRefused as refused:
            if refused.reason == "too_big":
                width, height = refused.size
                raise ValidationError({"attachments": _(
                    "File %(n)s is too big an image (%(w)s × %(h)s pixels).")
                    % {"n": number, "w": width, "h": height}}) from None
            raise ValidationError({"attachments": _(
                "File %(n)s is damaged and cannot be read as an image.") % {"n": number}
            }) from None
    raise ValidationError({"attachments": _(
        "File %(n)s is neither a PDF nor a JPEG or PNG image.") % {"n": number}})
