"""Images from uploads, cleaned: nothing of the file is kept but its pixels.

A photo from a phone says where and when it was taken (EXIF GPS, time, camera serial), may
carry an editor's history (XMP), a colour profile naming the device, comments. `clean_image`
decodes the image with Pillow (JPEG, PNG or WebP only), refuses a decompression bomb before
decoding, applies the EXIF orientation, converts to sRGB, copies the pixels alone into a new
image, scales it down to `max_side` and writes a fresh JPEG. Used for case photos
(cases/photos/services.py) and expense receipts (ledger/expenses/attachments.py); each says
"no" in its own words, from the `ImageRefused.reason` raised here.
"""

from __future__ import annotations

import io
import math
import warnings
from typing import Literal

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG", "PNG", "WEBP"}
# Before decoding: a small file may unpack to an enormous image (a "decompression bomb").
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85


class ImageRefused(ValueError):
    def __init__(self, reason: Literal["unreadable", "damaged", "too_big"],
                 size: tuple[int, int] = (0, 0)) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size


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


def _decode_small(image: Image.Image, max_side: int) -> None:
    """A large JPEG is decoded at a half, quarter or eighth of its size when that still
    leaves `max_side`, which saves much of the time and memory (bench/photos_bench.py). The
    ratio is kept, so it works whichever way the photo is turned."""
    width, height = image.size
    longest = max(width, height)
    if image.format == "JPEG" and longest > max_side:
        factor = max_side / longest
        image.draft(None, (math.ceil(width * factor), math.ceil(height * factor)))


def clean_image(data: bytes, *, max_side: int, decode_small: bool = True) -> bytes:
    """The image as a metadata-free JPEG no larger than `max_side`; `ImageRefused` if not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(FORMATS)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise ImageRefused("too_big", opened.size)
                opened.seek(0)  # an animation: its first frame
                if decode_small:
                    _decode_small(opened, max_side)
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                clean = _pixels_only(_to_srgb(upright))
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise ImageRefused("unreadable") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageRefused("damaged") from None
    clean.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
