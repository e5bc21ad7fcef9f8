"""Photos with a public report: a van's number, a protocol, injuries.

Each photo is decoded and written anew by `core.images.clean_image` (as a case's photo is):
only the pixels are kept, so EXIF (GPS, time, camera), XMP, text chunks and colour profiles
are gone; anything that is not a JPEG, PNG or WebP image Pillow can read, and any image too
large to decode safely (a decompression bomb), is refused with the file's name. The cleaned
JPEG is stored encrypted (`ReportPhoto`) with the report, in quarantine.

The hotline's operators see it in the review and, once the report is accepted or linked, on
the detention's page (it follows its report); every viewing is recorded as a sensitive reading.
A rejected report's photos are deleted with their keys (crypto-shredded) and their bodies.

The text-only report takes none of this: `submit_with_photos` calls the public intake's
`submit_public_report` directly when no photo came with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from pompolit.audit.services import record, record_sensitive_read
from pompolit.core import images
from pompolit.intake import services as intake
from pompolit.intake.models import Detention, Quarantine, Report
from pompolit.intake.public.models import ReportPhoto
from pompolit.intake.public.services import PublicAnswers, Submitted, submit_public_report
from pompolit.members.models import Member
from pompolit.vault import conf
from pompolit.vault.fields.files import EncryptedFile, Upload

# Evidence, not a thumbnail: a protocol's small print must stay readable.
MAX_SIDE = 2560
CONTENT_TYPE = "image/jpeg"


def most() -> int:
    return int(getattr(settings, "POMPOLIT_INTAKE_PHOTOS", 3))


def max_bytes() -> int:
    return int(getattr(settings, "POMPOLIT_INTAKE_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def max_total() -> int:
    return int(getattr(settings, "POMPOLIT_INTAKE_PHOTOS_MAX_BYTES", 24 * 1024 * 1024))


class PhotoRefused(ValueError):
    """A photo cannot be taken; the message names the file, for the person who sent it."""


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes  # a metadata-free JPEG
    caption: str = ""


def too_large_message(name: str) -> str:
    return _("“%(name)s” is too large: at most %(size)s per photo.") % {
        "name": name, "size": filesizeformat(max_bytes())}


def clean(name: str, data: bytes) -> bytes:
    """The photo as a fresh JPEG with nothing but its pixels; `PhotoRefused` naming the file
    otherwise."""
    if len(data) > max_bytes():
        raise PhotoRefused(too_large_message(name))
    if not data:
        raise PhotoRefused(_("“%(name)s” is empty.") % {"name": name})
    try:
        return images.clean_image(data, max_side=MAX_SIDE)
    except images.ImageRefused as refused:
        if refused.reason == "too_big":
            width, height = refused.size
            raise PhotoRefused(
                _("“%(name)s” is too big an image (%(w)s × %(h)s pixels); send a smaller one.")
                % {"name": name, "w": width, "h": height}) from None
        if refused.reason == "unreadable":
            raise PhotoRefused(
                _("“%(name)s” is not a photo we can read: send JPEG, PNG or WebP images.")
                % {"name": name}) from None
        raise PhotoRefused(
            _("“%(name)s” is damaged and cannot be read.") % {"name": name}) from None


# -- storing ---------------------------------------------------------------------------------


def store_for_report(report: Report, photos: Sequence[CleanPhoto]) -> list[ReportPhoto]:
    """Keep the cleaned photos with the report, encrypted under its hotline's key."""
    stored = [
        _save(ReportPhoto(compartment_id=report.compartment_id, report=report,
                          caption=photo.caption), photo.data)
        for photo in photos[: most()]
    ]
    record("intake.report_photos_stored", obj=report,
           details={"report": report.pk, "photos": len(stored)})
    return stored


def keep_pending(photo: CleanPhoto) -> int:
    """A photo sent to the bot before its report exists: kept with no report, under the
    organisation's key; its id goes into the (encrypted) conversation."""
    return _save(ReportPhoto(caption=photo.caption), photo.data).pk


def _save(row: ReportPhoto, data: bytes) -> ReportPhoto:
    row.image = Upload("photo.jpg", data, CONTENT_TYPE)
    row.save()
    return row


def attach_pending(report: Report, ids: Sequence[int]) -> int:
    """The bot's waiting photos join their report; their keys move under the hotline's."""
    moved = 0
    for photo in ReportPhoto.objects.filter(pk__in=list(ids)[: most()], report=None):
        photo.image = photo.image  # decrypted under the old key, encrypted under the new
        photo.caption = photo.caption
        photo.report, photo.compartment_id = report, report.compartment_id
        photo.received_at = report.received_at
        photo.save()
        moved += 1
    if moved:
        record("intake.report_photos_stored", obj=report,
               details={"report": report.pk, "photos": moved})
    return moved


def submit_with_photos(answers: PublicAnswers, *, channel: str,
                       photos: Sequence[CleanPhoto] = (),
                       pending: Sequence[int] = ()) -> Submitted:
    """The public report and its photos, all or nothing; without photos, exactly the
    text-only path."""
    if not photos and not pending:
        return submit_public_report(answers, channel=channel)
    with transaction.atomic():
        submitted = submit_public_report(answers, channel=channel)
        if photos:
            store_for_report(submitted.report, photos)
        if pending:
            attach_pending(submitted.report, pending)
    return submitted


# -- forgetting ------------------------------------------------------------------------------


def _delete(photos: QuerySet[ReportPhoto]) -> int:
    """Delete the rows (and with them the only copy of each body's key), then the bodies."""
    rows = list(photos)
    blobs = [row.image.blob for row in rows if isinstance(row.image, EncryptedFile)]
    ReportPhoto.objects.filter(pk__in=[row.pk for row in rows]).delete()
    folder = conf.attachments_dir()

    def unlink() -> None:
        for blob in blobs:
            (folder / blob).unlink(missing_ok=True)

    transaction.on_commit(unlink)
    return len(rows)


def delete_for_rejected(actor: Member | None, report: Report) -> int:
    """A rejected report's photos are not kept: deleted, keys and bodies, and audited."""
    photos = ReportPhoto.objects.filter(report=report)
    if not photos.exists():
        return 0
    with transaction.atomic():
        count = _delete(photos)
        record("intake.report_photos_deleted", actor=actor, obj=report,
               details={"report": report.pk, "photos": count})
    return count


def still_waiting(ids: Sequence[int]) -> None:
    """A waiting photo's time is its conversation's last message: the sweep of abandoned
    ones (`forget_pending(before=...)`) counts from there."""
    ReportPhoto.objects.filter(pk__in=list(ids), report=None).update(received_at=timezone.now())


def forget_pending(ids: Sequence[int] = (), *, before: datetime.datetime | None = None) -> int:
    """The bot's waiting photos of a cancelled conversation (`ids`), or every one waiting
    since `before` (an abandoned conversation)."""
    waiting = ReportPhoto.objects.filter(report=None)
    if before is not None:
        waiting = waiting.filter(received_at__lt=before)
    elif ids:
        waiting = waiting.filter(pk__in=list(ids))
    else:
        return 0
    return _delete(waiting)


# -- showing ---------------------------------------------------------------------------------


def of_report(report: Report) -> list[ReportPhoto]:
    return list(ReportPhoto.objects.filter(report=report))


def of_detention(detention: Detention) -> list[ReportPhoto]:
    """The photos of the detention's accepted reports: they follow their report."""
    return list(ReportPhoto.objects.filter(
        report__detention=detention, report__quarantine=Quarantine.ACCEPTED,
    ))


def read_photo(actor: Member, photo: ReportPhoto) -> bytes | None:
    """The photo's bytes for an operator of its hotline; the reading is recorded."""
    report = photo.report
    if report is None:
        raise PermissionDenied(_("This photo belongs to no report yet."))
    intake.check_hotline(actor, report.compartment)
    if photo.__dict__.get("image") is None:
        return None
    image = photo.image
    assert isinstance(image, EncryptedFile)
    data = image.read()
    record_sensitive_read(actor, report, fields=[f"photo:{photo.pk}"])
    return data


def reject(actor: Member | None, report: Report, reason: str) -> Report:
    """Reject the report (intake/public/services.py) and delete its photos, together."""
    from pompolit.intake.public import services

    with transaction.atomic():
        rejected = services.reject(actor, report, reason)
        delete_for_rejected(actor, report)
    return rejected
