"""Images for the photo tests: one straight from a phone, with everything a phone writes."""

from __future__ import annotations

import io

from PIL import ExifTags, Image, ImageCms

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
