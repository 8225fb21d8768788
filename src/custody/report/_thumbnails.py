"""Thumbnails of the evaluation's photographs: small, upright, without metadata.

A thumbnail is re-encoded from the decoded pixels of the photograph's file, so nothing of the
file's metadata (EXIF, GPS or any other) can come along. A file that is not an image in one of
the formats read here, is larger than :data:`MAX_PHOTO_PIXELS`, or does not decode completely
gives no thumbnail.
"""

from __future__ import annotations

import io
from typing import Final

import attrs
from PIL import Image, ImageOps, UnidentifiedImageError

# libjpeg decodes a damaged JPEG without an error, as grey or smeared blocks, and a court must
# not be shown such a picture as the photograph; intake's walk over the JPEG markers finds the
# damage. It is private to intake, which should export a version for bytes.
from custody.intake import jpeg_structure_problem

__all__ = ["MAX_PHOTO_PIXELS", "THUMBNAIL_SIDE", "Thumbnail", "make_thumbnail"]

#: The longest side of a photograph's thumbnail, in pixels.
THUMBNAIL_SIDE: Final = 480
#: The largest photograph decoded for a thumbnail, in pixels (below Pillow's own warning
#: limit); a larger one is shown as "image not available".
MAX_PHOTO_PIXELS: Final = 80_000_000

_THUMBNAIL_QUALITY = 85
_PHOTO_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP")
# What Pillow raises on files it cannot decode (see custody.intake._derive); MemoryError is
# the machine, not the file, and is left alone.
_DECODE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    TypeError,
    Image.DecompressionBombError,
)


@attrs.frozen
class Thumbnail:
    """A photograph's thumbnail: a JPEG file and its size in pixels."""

    jpeg: bytes
    width: int
    height: int


def make_thumbnail(data: bytes) -> Thumbnail | None:
    """A JPEG of at most THUMBNAIL_SIDE pixels, upright, without metadata; ``None`` for a file
    that is not an image, is too large, or does not decode completely."""
    side = (THUMBNAIL_SIDE, THUMBNAIL_SIDE)
    try:
        with Image.open(io.BytesIO(data), formats=_PHOTO_FORMATS) as image:
            if image.width * image.height > MAX_PHOTO_PIXELS:
                return None
            if image.format in ("JPEG", "MPO") and jpeg_structure_problem(data) is not None:
                return None  # damaged data that libjpeg would decode as grey blocks
            image.draft("RGB", side)  # JPEG: decode at 1/2, 1/4 or 1/8 scale when enough
            image.load()
            upright = _upright(image)
            upright.thumbnail(side, Image.Resampling.LANCZOS)
            picture = _opaque_rgb(upright)
    except (UnidentifiedImageError, *_DECODE_ERRORS):
        return None
    # A new image from the bare pixels: nothing of the file's metadata can come along.
    clean = Image.frombytes("RGB", picture.size, picture.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=_THUMBNAIL_QUALITY, optimize=True)
    return Thumbnail(out.getvalue(), *clean.size)


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says; as it is if the EXIF is unreadable
    (the pixels are still the photograph's, only their turn is unknown)."""
    try:
        return ImageOps.exif_transpose(image)
    except _DECODE_ERRORS:
        return image.copy()


def _opaque_rgb(picture: Image.Image) -> Image.Image:
    """The picture as RGB, transparent parts on white."""
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return picture.convert("RGB")
