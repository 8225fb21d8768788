"""Derived working copies of images: a small preview, and a privacy-safe full copy.

Originals are only ever opened for reading, and nothing is written beside them: a copy goes
to a destination the caller names, through a temporary file in that destination's directory,
and is hashed while it is written. Each copy comes with a recipe of what was done to the
pixels, for the signed ``derived`` event that links it to its original (DESIGN.md, "The
record").

A copy is a new file encoded from the pixels of the first frame alone, turned upright. No
metadata block of the original survives (EXIF with GPS and maker notes, XMP, IPTC and
Photoshop resources, comments, ICC profiles, embedded thumbnails and previews, data after the
end of the image), because nothing but pixels is handed to the encoder (DESIGN.md principle 5).
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import io
import os
import struct
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import attrs
import PIL
from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError, features

from custody._fs import create_new_file, refuse_existing
from custody.errors import InvalidInput
from custody.model import FrozenMap, count_field, digest_field

__all__ = ["MAX_PIXELS", "DerivedFile", "DerivedKind", "make_derived"]

MAX_PIXELS = 120_000_000
"""The largest image :func:`make_derived` decodes by default, in pixels.

Enough for 108-megapixel phone cameras and 100-megapixel medium format; a larger image costs
gigabytes of memory once decoded, so it needs an explicit ``max_pixels``.
"""

# Decoders for the formats evidence photographs come in, and no others: some of Pillow's
# plugins hand the file to an outside program (EPS runs Ghostscript) or parse rare formats.
# Multi-picture JPEGs (MPO) come through the JPEG decoder.
_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP")

# What Pillow raises on files it cannot decode: the generic errors plus the ones its plugins
# let escape on crafted input. MemoryError is left alone: it is the machine, not the file.
_DECODE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    ZeroDivisionError,
    Image.DecompressionBombError,
)

_JPEG_MAX_SIDE = 65_500  # libjpeg refuses anything larger
_ORIENTATION_TAG = 0x0112

# EXIF orientation (TIFF 6.0, tag 274) -> the transposition that turns the pixels upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_GREY_16 = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
_MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


class DerivedKind(enum.StrEnum):
    """What a derived copy is for."""

    PREVIEW = "preview"
    """A small JPEG for everyday viewing; its longest side is at most ``max_side``."""

    PRIVACY_SAFE = "privacy-safe"
    """Full resolution, upright, without any metadata (JPEG, or PNG to keep transparency)."""


def _kind(value: Any) -> DerivedKind:
    try:
        return DerivedKind(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a derived kind ({', '.join(DerivedKind)})", field="kind"
        ) from None


def _positive(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput("must be a positive integer", field=attribute.name)


def _media_type(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in _MEDIA_TYPES.values():
        raise InvalidInput(f"{value!r} is not a media type custody writes", field=attribute.name)


def _recipe(value: Mapping[str, Any]) -> Mapping[str, str | int]:
    # The recipe goes into a signed event as CBOR, where floats and bools have no place.
    if not isinstance(value, Mapping):
        raise InvalidInput("must be a map", field="recipe")
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidInput("must have text keys", field="recipe")
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise InvalidInput("values must be text or integers", field=f"recipe.{key}")
    return FrozenMap(value)


@attrs.frozen
class DerivedFile:
    """A derived copy as written: where it is, what it is, and how it was made.

    Attributes:
        kind: what the copy is for.
        path: the file written.
        sha256: the SHA-256 of the bytes written.
        size: the number of bytes written.
        media_type: ``image/jpeg`` or ``image/png``.
        width: the copy's width in pixels, upright.
        height: the copy's height in pixels, upright.
        recipe: what was done, as text and integers only (no floats), ready for the
            ``derived`` event. It names no file: file names can identify people.
    """

    kind: DerivedKind = attrs.field(converter=_kind)
    path: Path = attrs.field(converter=Path)
    sha256: bytes = attrs.field(validator=digest_field())
    size: int = attrs.field(validator=count_field)
    media_type: str = attrs.field(validator=_media_type)
    width: int = attrs.field(validator=_positive)
    height: int = attrs.field(validator=_positive)
    recipe: Mapping[str, str | int] = attrs.field(converter=_recipe)


def make_derived(
    source: str | os.PathLike[str],
    kind: DerivedKind | str,
    destination: str | os.PathLike[str],
    *,
    max_side: int = 1024,
    quality: int = 90,
    max_pixels: int = MAX_PIXELS,
) -> DerivedFile:
    """Write a derived copy of the image ``source`` to the new file ``destination``.

    The copy holds the pixels of the first frame (of a multi-page TIFF, an animated GIF or
    WebP, or a multi-picture JPEG), turned upright by the EXIF orientation, converted to sRGB
    when an ICC profile is embedded, and nothing else. A preview is a JPEG scaled down with
    Lanczos filtering so that its longest side is at most ``max_side`` (never scaled up),
    transparency flattened onto white. A privacy-safe copy keeps the full resolution; it is a
    PNG when the image has transparent pixels, a JPEG otherwise. The same input and arguments
    give the same bytes (with the same Pillow and codec versions, which the recipe records).

    The file is created readable by its owner only (0o600), appears complete or not at all,
    and never replaces an existing file. Nothing is written next to ``source``.

    Not checked: whether the pixels show what the original shows. Pillow's process-wide
    ``PIL.Image.MAX_IMAGE_PIXELS`` still applies when it is stricter than ``max_pixels``, and
    an embedder who sets ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES`` makes truncated images pass
    with grey where data is missing.

    Args:
        source: the image to copy (JPEG or MPO, PNG, TIFF, WebP, GIF, BMP); opened read-only.
        kind: a :class:`DerivedKind` or its value.
        destination: the file to create; it must not exist, its directory must.
        max_side: the longest side of a preview in pixels; ignored for privacy-safe copies.
        quality: the JPEG quality, 1 to 100.
        max_pixels: the largest image decoded, in pixels (width times height).

    Returns:
        The facts of the copy, its SHA-256 computed over the bytes as they were written.

    Raises:
        InvalidInput: an argument is out of range; ``destination`` exists or cannot be
            written; ``source`` is missing, unreadable, not an image of a supported format,
            truncated or corrupt, or larger than ``max_pixels``. The message names the file.
    """
    kind = _kind(kind)
    _check_int(max_side, "max_side", _JPEG_MAX_SIDE)
    _check_int(quality, "quality", 100)
    _check_int(max_pixels, "max_pixels", 2**40)
    target = Path(destination)
    refuse_existing(target)  # before decoding, which may take a while
    name = os.fspath(source)
    # Encoded inside the with block: when no pixel needed changing, the picture is the
    # opened image itself, which closing the file would discard.
    with _opened(name, max_pixels) as image:
        picture, recipe = _decoded(image, name, kind, max_side)
        fmt, options = _encoding(picture, kind, quality, recipe)
        width, height = picture.size
        if fmt == "JPEG" and max(width, height) > _JPEG_MAX_SIDE:
            raise InvalidInput(f"is too large for a JPEG copy ({width}x{height})", field=name)
        sha256, size = create_file(target, lambda handle: picture.save(handle, fmt, **options))
    return DerivedFile(kind, target, sha256, size, _MEDIA_TYPES[fmt], width, height, recipe)


def _check_int(value: Any, field: str, maximum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise InvalidInput(f"must be an integer from 1 to {maximum}", field=field)


# --- decoding ------------------------------------------------------------------------------


@contextlib.contextmanager
def _opened(name: str, max_pixels: int) -> Iterator[ImageFile.ImageFile]:
    """The image in ``name``, identified but not decoded, its size checked."""
    try:
        handle = open(name, "rb")  # noqa: SIM115 (closed by the with statement below)
    except FileNotFoundError as exc:
        raise InvalidInput("no such file", field=name) from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read the file ({exc.strerror})", field=name) from exc
    with handle:
        try:
            image = Image.open(handle, formats=_FORMATS)
        except UnidentifiedImageError as exc:
            raise InvalidInput(
                f"not an image custody reads ({', '.join(_FORMATS)})", field=name
            ) from exc
        except _DECODE_ERRORS as exc:
            raise InvalidInput(f"cannot read the image ({exc})", field=name) from exc
        with image:
            width, height = image.size
            if width * height > max_pixels:
                raise InvalidInput(
                    f"has {width}x{height} pixels, more than the limit of {max_pixels}; "
                    "refused as a possible decompression bomb",
                    field=name,
                )
            yield image


def _decoded(
    image: ImageFile.ImageFile, name: str, kind: DerivedKind, max_side: int
) -> tuple[Image.Image, dict[str, str | int]]:
    """The upright picture to encode, and the recipe so far; decode errors name ``name``."""
    recipe: dict[str, str | int] = {"operation": kind.value}
    try:
        recipe["source_format"] = image.format or "unknown"
        recipe["source_mode"] = image.mode
        recipe["frames"] = getattr(image, "n_frames", 1)
        recipe["frame"] = 0
        target = _fitted(image.size, max_side)
        if kind is DerivedKind.PREVIEW:
            # JPEG only: let libjpeg decode at 1/2, 1/4 or 1/8 scale, never below the target.
            image.draft(None, target)
        stated = _tiff_orientation(image)
        image.load()
        # What is left to turn, read only after load(): reading a PNG's EXIF decodes the
        # pixels, and a failed decode swallowed there would leave a blank image that a second
        # load() accepts.
        orientation = _orientation(image)
        picture = _in_srgb(image, recipe)
    except InvalidInput:
        raise
    except _DECODE_ERRORS as exc:
        raise InvalidInput(f"cannot decode the image ({exc})", field=name) from exc
    if kind is DerivedKind.PREVIEW:
        picture = _flattened(picture, recipe)
        recipe["max_side"] = max_side
        recipe["resample"] = "lanczos"
        if target != picture.size:
            picture = picture.resize(target, Image.Resampling.LANCZOS)
    else:
        picture = _transparent_or_flattened(picture, recipe)
    if orientation in _UPRIGHT:
        picture = picture.transpose(_UPRIGHT[orientation])
    recipe["orientation_applied"] = orientation if orientation in _UPRIGHT else stated
    return picture, recipe


def _orientation(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation, 1 when absent, unreadable or out of range."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except _DECODE_ERRORS:
        return 1  # broken EXIF: the pixels are still good, only their turn is unknown
    return value if isinstance(value, int) and value in _UPRIGHT else 1


def _tiff_orientation(image: Image.Image) -> int:
    """The orientation tag of a TIFF, 1 for other formats.

    Pillow turns a TIFF upright as it loads it and then drops the tag; this reads what the
    file said beforehand, for the recipe.
    """
    tags = getattr(image, "tag_v2", None)
    value = tags.get(_ORIENTATION_TAG) if tags is not None else None
    return value if isinstance(value, int) and value in _UPRIGHT else 1


def _fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """``size`` scaled down, aspect ratio kept, so its longest side is at most ``max_side``."""
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return size
    # Integer arithmetic, rounded to nearest: the same size on every platform.
    return (
        max(1, (width * max_side + longest // 2) // longest),
        max(1, (height * max_side + longest // 2) // longest),
    )


# --- colour --------------------------------------------------------------------------------


def _in_srgb(image: Image.Image, recipe: dict[str, str | int]) -> Image.Image:
    """The picture as L, LA, RGB or RGBA, in sRGB where a colour profile said otherwise.

    Embedded ICC profiles are applied, not copied: the pixels are converted to sRGB (the
    colour space assumed for untagged images) and the profile is dropped. A profile is not
    identifying in itself, but it is free text (maker, model, copyright, dates) that a
    privacy-safe copy has no need to carry, and sRGB pixels look right in every viewer.
    """
    profile = image.info.get("icc_profile")
    recipe["icc"] = "none"
    if image.mode == "CMYK" and profile:
        converted = _profile_to_srgb(image, profile, "RGB")
        if converted is not None:
            recipe["icc"] = "converted-to-srgb"
            return converted
    picture = _working_mode(image, recipe)
    if profile and picture.mode in ("L", "LA"):
        recipe["icc"] = "dropped-grey"  # a grey profile is a tone curve; the error is small
    elif profile:
        converted = _profile_to_srgb(picture, profile, picture.mode)
        recipe["icc"] = "dropped-unreadable" if converted is None else "converted-to-srgb"
        picture = picture if converted is None else converted
    return picture


def _working_mode(image: Image.Image, recipe: dict[str, str | int]) -> Image.Image:
    """``image`` converted to L, LA, RGB or RGBA; ``recipe`` says how when it is not plain."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA") and "transparency" not in image.info:
        return image
    if mode in _GREY_16:
        recipe["tone"] = "16-bit-to-8-bit"  # full range kept: 65535 becomes 255
        return image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if mode in ("I", "F"):
        return _stretched(image, recipe)
    if mode in ("1", "L"):
        return image.convert("LA" if "transparency" in image.info else "L")
    if mode == "La":
        return image.convert("LA")
    if mode in ("PA", "RGBA", "RGBa") or "transparency" in image.info:
        return image.convert("RGBA")
    if mode == "P" and image.palette is not None and image.palette.mode == "RGBA":
        return image.convert("RGBA")
    if mode == "CMYK":
        recipe["cmyk"] = "naive"  # no profile: Pillow's direct formula, colours approximate
    return image.convert("RGB")


def _stretched(image: Image.Image, recipe: dict[str, str | int]) -> Image.Image:
    # 32-bit integer and float pixels have no fixed range: map the image's own to 0-255.
    low, high = _extrema(image)
    recipe["tone"] = "stretched-to-8-bit"
    if high <= low:
        return Image.new("L", image.size, 0)
    scale = 255 / (high - low)
    return image.point(lambda value: (value - low) * scale).convert("L")


def _extrema(band: Image.Image) -> tuple[float, float]:
    # Pillow types getextrema() for every mode at once; one band gives one (low, high).
    return cast(tuple[float, float], band.getextrema())


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _profile_to_srgb(picture: Image.Image, profile: bytes, mode: str) -> Image.Image | None:
    """``picture`` converted by LittleCMS from its embedded ``profile``; None if unusable."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            picture,
            source,
            _srgb(),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode=mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken or mismatched profile: keep the numbers as they are
    return converted


def _flattened(picture: Image.Image, recipe: dict[str, str | int]) -> Image.Image:
    """``picture`` without an alpha channel, composited onto white."""
    if picture.mode not in ("LA", "RGBA"):
        return picture
    recipe["alpha"] = "flattened-on-white"
    opaque = picture.mode[:-1]
    background = Image.new(opaque, picture.size, 255 if opaque == "L" else (255, 255, 255))
    background.paste(picture.convert(opaque), mask=picture.getchannel("A"))
    return background


def _transparent_or_flattened(picture: Image.Image, recipe: dict[str, str | int]) -> Image.Image:
    """``picture`` with its alpha channel if any pixel is transparent, flattened otherwise."""
    if picture.mode in ("LA", "RGBA") and _extrema(picture.getchannel("A"))[0] < 255:
        recipe["alpha"] = "kept"
        return picture
    return _flattened(picture, recipe)


# --- encoding ------------------------------------------------------------------------------


def _encoding(
    picture: Image.Image, kind: DerivedKind, quality: int, recipe: dict[str, str | int]
) -> tuple[str, dict[str, Any]]:
    """The format and encoder options for ``picture``; completes ``recipe``."""
    # Only pixels reach the encoder: Pillow's writers pick up comments, profiles and
    # transparency keys from ``info``, so it is emptied.
    picture.info.clear()
    if picture.mode in ("LA", "RGBA"):
        recipe["format"] = "PNG"
        recipe["encoder"] = f"Pillow {PIL.__version__} zlib {features.version('zlib')}"
        return "PNG", {"compress_level": 6}
    # 4:4:4 keeps the full colour resolution of evidence; a preview can spare it.
    subsampling = "4:2:0" if kind is DerivedKind.PREVIEW else "4:4:4"
    recipe["format"] = "JPEG"
    recipe["quality"] = quality
    if picture.mode == "RGB":
        recipe["subsampling"] = subsampling
    recipe["encoder"] = f"Pillow {PIL.__version__} {_jpeg_library()}"
    options = {"quality": quality, "subsampling": subsampling, "optimize": True}
    return "JPEG", options


def _jpeg_library() -> str:
    turbo = features.version("libjpeg_turbo")
    return f"libjpeg-turbo {turbo}" if turbo else f"libjpeg {features.version('jpg')}"


# --- writing -------------------------------------------------------------------------------


class _HashingWriter:
    """Passes writes on to a file and hashes them on the way, in one pass.

    It has no ``fileno()`` on purpose: given one, Pillow's encoders write to the descriptor
    directly and the bytes would go unhashed.
    """

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        written = self._file.write(data)
        self.hash.update(data)
        self.size += len(data)
        return written

    def flush(self) -> None:
        self._file.flush()


def create_file(path: Path, fill: Callable[[IO[bytes]], object]) -> tuple[bytes, int]:
    """Create the new file ``path`` (owner-only) with what ``fill`` writes; atomically and
    durably, never replacing a file (see :func:`custody._fs.create_new_file`).

    Returns:
        The SHA-256 and the size of the bytes written.

    Raises:
        InvalidInput: ``path`` exists, or cannot be created or written (the message names
            it); whatever ``fill`` raises otherwise passes through.
    """
    writer: _HashingWriter | None = None

    def hashing_fill(handle: IO[bytes]) -> None:
        nonlocal writer
        writer = _HashingWriter(cast(BinaryIO, handle))
        fill(cast(IO[bytes], writer))

    create_new_file(path, hashing_fill)
    assert writer is not None  # create_new_file returned, so fill ran
    return writer.hash.digest(), writer.size
