"""Receipts attached to expenses: only PDF, JPEG and PNG; images lose their metadata.

Pillow is not a dependency, so images are not re-encoded: the metadata is cut out of the
file's structure instead — JPEG's APP1–APP15 (EXIF with GPS and camera serial, XMP, …) and
COM segments, PNG's text, EXIF and time chunks. The pixels are untouched. A PDF is kept
as it is (its document information may name its author: documented in docs/ledger.md).
The stored name is neutral ("attachment-2.jpg"): the uploader's file name is never kept.
"""

from __future__ import annotations

import struct

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pompolit.vault.fields import Upload

MAX_BYTES = 10 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


class AttachmentError(ValueError):
    pass


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without APPn (n ≥ 1) and COM segments; everything from the scan on is kept."""
    if not data.startswith(b"\xff\xd8"):
        raise AttachmentError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise AttachmentError("broken JPEG segment")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the image data follows, no more metadata
            out += data[pos:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[pos:pos + 2]
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise AttachmentError("broken JPEG segment")
        if not (0xE1 <= marker <= 0xEF or marker == 0xFE):
            out += data[pos:end]
        pos = end
    raise AttachmentError("JPEG without image data")


def strip_png(data: bytes) -> bytes:
    """The PNG without its text, EXIF and time chunks."""
    if not data.startswith(PNG_SIGNATURE):
        raise AttachmentError("not a PNG")
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise AttachmentError("broken PNG chunk")
        if kind not in PNG_DROPPED:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    raise AttachmentError("PNG without its end")


def clean_attachment(upload: Upload, number: int) -> Upload:
    """A checked, metadata-free copy under a neutral name; refused with a clear message."""
    data = upload.data
    if len(data) > MAX_BYTES:
        raise ValidationError({"attachments": _("A file may be at most 10 MB.")})
    try:
        if data.startswith(b"%PDF-"):
            return Upload(f"attachment-{number}.pdf", data, "application/pdf")
        if data.startswith(b"\xff\xd8\xff"):
            return Upload(f"attachment-{number}.jpg", strip_jpeg(data), "image/jpeg")
        if data.startswith(PNG_SIGNATURE):
            return Upload(f"attachment-{number}.png", strip_png(data), "image/png")
    except AttachmentError:
        raise ValidationError({"attachments": _(
            "File %(n)s is damaged and cannot be read as an image.") % {"n": number}}) from None
    raise ValidationError({"attachments": _(
        "File %(n)s is neither a PDF nor a JPEG or PNG image.") % {"n": number}})
