"""Builders for the case registry's tests, and for other apps' (the URL × role access matrix).

The pytest fixtures that build a registry with history in it are in `cases/conftest.py`; they
and the tests of every feature subpackage take their small helpers from here.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from PIL import ExifTags, Image, ImageCms

from pompolit.cases.models import (
    Case,
    CaseStatus,
    Consent,
    Event,
    EventType,
    Facility,
    FacilityType,
    Person,
)
from pompolit.cases.partial import PartialDate

# The day the registry's tests search on (a fixed "today" for the sign of life).
TODAY = datetime.date(2025, 6, 1)


def P(text: str) -> PartialDate:
    return PartialDate.parse(text)


def event_type(code: str) -> EventType:
    return EventType.objects.get(code=code)


def status(code: str) -> CaseStatus:
    return CaseStatus.objects.get(code=code)


def days(n: int) -> datetime.date:
    """Today, n days ahead (or back, for n < 0)."""
    return timezone.localdate() + datetime.timedelta(days=n)


@dataclass
class MatrixObjects:
    facility: Facility
    case: Case
    event: Event


def matrix(world: Any) -> MatrixObjects:
    """A facility, and a case with one event in the world's compartment; made once per world."""
    made: MatrixObjects | None = world.extra.get("cases")
    if made is None:
        facility = Facility.objects.create(
            name="Бутырская тюрьма", type=FacilityType.objects.get(code="prison"),
            region="Москва", city="Москва",
        )
        person = Person.objects.create(display_name="Гоц Абрам Рафаилович")
        case = Case.objects.create(
            compartment=world.compartment, person=person,
            status=CaseStatus.objects.get(code="detained"), current_facility=facility,
        )
        event = Event.objects.create(
            case=case, compartment=world.compartment, type=EventType.objects.get(code="arrest"),
            date=PartialDate.from_date(datetime.date(1922, 2, 28)), facility=facility,
        )
        made = world.extra["cases"] = MatrixObjects(facility, case, event)
    return made


def matrix_public_case(world: Any) -> Case:
    """A published case for the access matrix: the matrix's case, with a consent."""
    case = matrix(world).case
    if not Consent.objects.filter(case=case).exists():
        Consent.objects.create(case=case, given_by="prisoner",
                               given_on=datetime.date(1922, 3, 1), scope=["name"])
    return case


def everything_stored() -> list[str]:
    """Every value of every table as text, and every session decoded (base64 inside too)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection

    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — names from the schema
            found += [str(value) for row in cursor.fetchall() for value in row]
    for session in Session.objects.all():
        for value in SessionStore().decode(session.session_data).values():
            found.append(str(value))
            for text in (value.values() if isinstance(value, dict) else [value]):
                with contextlib.suppress(binascii.Error, ValueError):
                    found.append(base64.b64decode(str(text), validate=True).decode("utf-8",
                                                                                  "replace"))
    return found


# -- images for the photo tests: one straight from a phone, with everything a phone writes ----

# What must not survive: where, with what, by whom.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (55.0, 45.0, 21.0),
    ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (37.0, 37.0, 4.0),
}
MAKE = "KanareikaCam"
SERIAL = "SN-LUBYANKA-1922"
OWNER = "Вера Фигнер"
COMMENT = "снято у ворот Бутырки"
XMP_TEXT = "XMPTAJNA"


def phone_photo(fmt: str = "JPEG", size: tuple[int, int] = (400, 200),
                orientation: int = 6) -> bytes:
    """A landscape picture, red on the left, blue on the right, stored sideways: EXIF
    orientation 6 says "turn it 90° clockwise to show it", as phones do."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = MAKE
    exif[ExifTags.Base.BodySerialNumber] = SERIAL
    exif[ExifTags.Base.Artist] = OWNER
    exif[ExifTags.Base.GPSInfo] = GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{XMP_TEXT}</x:xmpmeta>'.encode()
    if fmt == "JPEG":
        image.save(out, "JPEG", exif=exif.tobytes(), icc_profile=icc,
                   comment=COMMENT.encode(), xmp=xmp, quality=95)
    elif fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_itxt("Comment", COMMENT)
        text.add_text("XML:com.adobe.xmp", xmp.decode())
        image.save(out, "PNG", exif=exif.tobytes(), icc_profile=icc, pnginfo=text)
    else:
        image.save(out, fmt, exif=exif.tobytes(), icc_profile=icc, xmp=xmp)
    return out.getvalue()


def plain(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, fmt)
    return out.getvalue()


LEAKS = [b"Exif", MAKE.encode(), SERIAL.encode(), OWNER.encode(), COMMENT.encode(),
         XMP_TEXT.encode(), b"ICC_PROFILE", b"adobe", b"http://ns.adobe.com", b"GPS"]


def leaks_in(data: bytes) -> list[bytes]:
    return [marker for marker in LEAKS if marker in data]
