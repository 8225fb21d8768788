"""What Pillow makes of a file: its format (from the content), its size, and whether it decodes.

An image that does not decode to its last pixel is worth knowing about at intake: a copy cut
short, a damaged card, a file that only pretends to be a photograph. :func:`probe_image`
records that as a :class:`DecodeState` and a one-line ``problem``; it never raises for what is
in the file. The format comes from the bytes, never from the file name. It checks in bounded
memory: JPEGs are decoded at an eighth of their size, PNGs are checked as a stream
(:mod:`custody.intake._png`), and other images are decoded only if decoding them is
expected to fit in :data:`DECODE_BUDGET`.
"""

from __future__ import annotations

import enum
import mmap
import os
import re
from typing import Any, BinaryIO

import attrs
from PIL import Image, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError

from custody._fs import reading_regular_file
from custody.errors import InvalidInput
from custody.intake._facts import canonical
from custody.intake._png import PngDamaged, PngTruncated, check_png
from custody.model import enum_member, expect_map, text_field

#: Largest image, in pixels summed over all frames, that :func:`probe_image` decodes.
#: Pillow's own limit (``Image.MAX_IMAGE_PIXELS``, twice of which raises) is left as it is
#: and may refuse smaller images first; this one holds even where a program turned Pillow's off.
MAX_PIXELS = 200_000_000
#: Most frames (TIFF pages, GIF frames) decoded; a file with more is reported as too large.
MAX_FRAMES = 10_000
#: Most bytes of memory decoding one frame may be expected to take, for images that are
#: neither JPEGs (decoded at 1/8 scale) nor PNGs (checked as a stream); a frame expected to
#: take more is not decoded, and its state is ``not_checked``. With the ~57 MiB the command
#: line needs anyway, this keeps ``custody inspect`` and each intake worker under 100 MiB
#: whatever the file.
DECODE_BUDGET = 40 << 20
# How many copies of a frame's pixels a decoder holds at its peak, as measured: libwebp
# decodes into buffers of its own that Pillow then copies; the others decode about in place
# (two copies leave room for their working buffers). The file comes on top: libtiff maps it
# into memory and Pillow reads a WebP file whole.
_PIXEL_COPIES = {"WEBP": 5, "JPEG2000": 5}
_OTHER_DECODERS_COPIES = 2
#: The media type of content that is not an image Pillow can name.
OCTET_STREAM = "application/octet-stream"
_PROBLEM_CHARS = 1000
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w!#$&^.+-]{0,126}/[A-Za-z0-9][\w!#$&^.+-]{0,126}", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# JPEG (ITU-T T.81 Annex B): in entropy-coded data 0xFF is followed only by 0x00 (a stuffed
# data byte) or RST0-7; anything else ends the scan. Markers may be preceded by 0xFF fill bytes.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_FILL = re.compile(rb"\xff+")
_SCAN_WINDOW = 8 << 20  # bytes of a memory-mapped JPEG searched before they are given back
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


class DecodeState(enum.StrEnum):
    """How far an image decodes."""

    COMPLETE = "complete"  # every frame decodes to its last pixel
    TRUNCATED = "truncated"  # the data ends before the image does
    CORRUPT = "corrupt"  # the data is damaged or malformed
    NOT_AN_IMAGE = "not_an_image"  # no image format Pillow reads matches the content
    TOO_LARGE = "too_large"  # over the decompression-bomb limit; not decoded
    NOT_CHECKED = "not_checked"  # decoding would need more memory than allowed; not decoded


def _decode_state(value: Any) -> DecodeState:
    return enum_member(DecodeState, value, "decodes")


def _media_type(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not (isinstance(value, str) and _MEDIA_TYPE.fullmatch(value)):
        raise InvalidInput(f"{value!r} is not a media type such as image/jpeg", field="media_type")


def _count(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not int or not 1 <= value < 2**63):
        raise InvalidInput("must be a positive integer", field=attribute.name)


@attrs.frozen
class ImageFacts:
    """What the intake machine observed when it opened and decoded a file with Pillow.

    Attributes:
        format: Pillow's name for the format found in the content ("JPEG", "TIFF", "PNG",
            "MPO" for a JPEG carrying extra images, ...), or ``None`` if it found none.
        media_type: the media type of that format, or ``application/octet-stream``.
        width, height: the pixel size of the first frame, when the header could be read.
        frames: how many frames were decoded (1 for a still image); ``None`` unless the image
            decodes completely.
        decodes: how far it decodes.
        problem: one line saying what is wrong; present exactly when ``decodes`` is not
            ``complete``.
    """

    format: str | None = attrs.field(validator=text_field(64))
    media_type: str = attrs.field(validator=_media_type)
    width: int | None = attrs.field(validator=_count)
    height: int | None = attrs.field(validator=_count)
    frames: int | None = attrs.field(validator=_count)
    decodes: DecodeState = attrs.field(converter=_decode_state)
    problem: str | None = attrs.field(
        default=None, validator=text_field(_PROBLEM_CHARS, one_line=True)
    )

    def __attrs_post_init__(self) -> None:
        if (self.width is None) != (self.height is None):
            raise InvalidInput("width and height must be given together", field="width")
        if (self.problem is None) != (self.decodes is DecodeState.COMPLETE):
            raise InvalidInput(
                "must be given exactly when the image is not complete", field="problem"
            )
        if self.decodes is DecodeState.NOT_AN_IMAGE and (
            self.format is not None or self.width is not None or self.frames is not None
        ):
            raise InvalidInput("content that is not an image has no format or size", field="format")

    def to_dict(self) -> dict[str, Any]:
        """The facts as a CBOR-ready dict; absent fields are left out."""
        out: dict[str, Any] = {"media_type": self.media_type, "decodes": self.decodes.value}
        for name in ("format", "width", "height", "frames", "problem"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> ImageFacts:
        """Build the facts from :meth:`to_dict` output; the input is never changed.

        Unknown keys, nulls, floats and booleans where integers belong are refused.

        Raises:
            InvalidInput: naming the offending field.
        """
        fields = expect_map(
            data,
            "image",
            required={"media_type", "decodes"},
            optional={"format", "width", "height", "frames", "problem"},
        )
        facts = cls(
            fields.get("format"),
            fields["media_type"],
            fields.get("width"),
            fields.get("height"),
            fields.get("frames"),
            fields["decodes"],
            fields.get("problem"),
        )
        return canonical(facts, data, "image")


class _TooLarge(Exception):
    """The image is over :data:`MAX_PIXELS` or :data:`MAX_FRAMES`."""


class _OverBudget(Exception):
    """Decoding a frame is expected to take more than :data:`DECODE_BUDGET` bytes."""


def probe_image(path: str | os.PathLike[str]) -> ImageFacts:
    """Identify a file by its content with Pillow and check that every frame decodes.

    The file is opened read-only, by a handle without a name, so Pillow identifies the
    format from the bytes alone. Before anything is decoded, the size is checked against
    :data:`MAX_PIXELS` and :data:`MAX_FRAMES` (Pillow's decompression-bomb error and warning
    count as too large too). Pillow's global settings are not changed: truncated images are
    not loaded leniently, and its pixel limit stays whatever the program set.

    JPEG and MPO frames are decoded at 1/8 scale (``Image.draft``): libjpeg still reads every
    entropy-coded byte, so a truncated file is still caught (every cut tried on the sample
    photographs was), at about two thirds of the cost of a full decode for a 640x480 photo
    and a third for 10 megapixels. libjpeg shrugs off damaged data with a warning Pillow
    hides, so custody also walks the JPEG markers to the end of the first image (a
    memory-mapped scan) and reports a marker that cannot be there, which is how a block of
    overwritten bytes shows (the sample ``corrupted.jpg``). PNGs (animated ones too) are not
    decoded by Pillow but checked as a stream, in bounded memory, by
    :func:`custody.intake._png.check_png`: every chunk's CRC, the decompressed size, every
    row's filter type. Other formats are decoded fully, frame by frame, when decoding the
    frame is expected to fit in :data:`DECODE_BUDGET` (its pixels, as many times as the
    decoder copies them, and the file's size); a larger frame is not decoded, and
    ``decodes`` is ``not_checked``, with a ``problem`` saying why.

    Args:
        path: the file.

    Returns:
        The facts; for content that is broken or not an image, ``decodes`` and ``problem``
        say so.

    Raises:
        InvalidInput: naming the file, if it cannot be opened or read (not found, no
            permission, an I/O error, a directory or device); never for its content.
    """
    name = os.fspath(path)
    with reading_regular_file(name) as handle:
        return _probe(handle)


def _probe(handle: BinaryIO) -> ImageFacts:
    try:
        image = Image.open(handle)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return ImageFacts(None, OCTET_STREAM, None, None, None, DecodeState.TOO_LARGE, _line(exc))
    except UnidentifiedImageError:
        return _unidentified(handle)
    except Exception as exc:  # Pillow raises many kinds on a broken header
        _reraise_io_error(exc)
        return ImageFacts(None, OCTET_STREAM, None, None, None, _broken(exc), _line(exc, "open"))
    with image:
        width, height = image.size
        found = (image.format, image.get_format_mimetype() or OCTET_STREAM, width, height)
        jpeg = isinstance(image, JpegImagePlugin.JpegImageFile)
        try:
            frames = _check_frames(handle, image)
        except Exception as exc:  # decoders raise many kinds on damaged data
            state, problem = _verdict(exc)
            if jpeg and state is DecodeState.NOT_CHECKED:
                # The marker walk needs no pixels: it still finds a file cut short or overwritten.
                state, problem = _jpeg_structure(handle) or (state, problem)
            return ImageFacts(*found, None, state, problem)
        if jpeg:
            verdict = _jpeg_structure(handle)
            if verdict is not None:
                return ImageFacts(*found, None, *verdict)
    return ImageFacts(*found, frames, DecodeState.COMPLETE)


def _verdict(exc: Exception) -> tuple[DecodeState, str]:
    """The state and problem of an image whose frames could not all be checked.

    Raises:
        OSError: ``exc`` itself, if the operating system raised it (a disk failing).
    """
    if isinstance(exc, _TooLarge | Image.DecompressionBombError | Image.DecompressionBombWarning):
        return DecodeState.TOO_LARGE, _line(exc)
    if isinstance(exc, _OverBudget):
        return DecodeState.NOT_CHECKED, _line(exc)
    if isinstance(exc, PngDamaged):
        truncated = isinstance(exc, PngTruncated)
        return (DecodeState.TRUNCATED if truncated else DecodeState.CORRUPT), _line(exc)
    _reraise_io_error(exc)
    return _broken(exc), _line(exc, "decode")


def _check_frames(handle: BinaryIO, image: Image.Image) -> int:
    """Check that every frame decodes; return how many there are.

    Raises:
        _TooLarge: over :data:`MAX_PIXELS` or :data:`MAX_FRAMES`; nothing is decoded then.
        _OverBudget: decoding a frame is expected to take more than :data:`DECODE_BUDGET`.
        PngDamaged: what is wrong with a PNG.
    """
    if isinstance(image, JpegImagePlugin.JpegImageFile):
        return _decode_jpeg(handle, image)
    if isinstance(image, PngImagePlugin.PngImageFile):
        return _check_png(handle, image)
    return _decode_frames(image, os.fstat(handle.fileno()).st_size)


def _decode_jpeg(handle: BinaryIO, image: JpegImagePlugin.JpegImageFile) -> int:
    """Decode every JPEG (or MPO) frame at 1/8 scale, a few MiB at most."""
    count = int(getattr(image, "n_frames", 1))  # MPO: from its index, without decoding
    pixels = image.size[0] * image.size[1]
    _check_size(pixels, count)
    _check_coefficients(image)
    image.draft(None, (1, 1))
    image.load()
    for index in range(1, count):
        # A draft survives seek() and breaks the next frame: each frame gets a fresh image.
        with Image.open(handle) as frame:
            frame.seek(index)
            pixels += frame.size[0] * frame.size[1]
            _check_size(pixels, count)
            _check_coefficients(frame)
            frame.draft(None, (1, 1))
            frame.load()
    return count


def _check_coefficients(image: Image.Image) -> None:
    """Refuse to decode a progressive JPEG whose coefficients would exceed the budget.

    Decoding at reduced scale saves the pixels, but libjpeg keeps every DCT coefficient of
    a progressive image (two bytes a sample) until its last scan: 108 MB for a 6000 x 6000
    photograph with halved chroma.
    """
    layers = getattr(image, "layer", [])
    if not image.info.get("progressive") or not layers:
        return
    wide, tall = max(layer[1] for layer in layers), max(layer[2] for layer in layers)
    samples = sum(layer[1] * layer[2] for layer in layers) / (wide * tall)
    width, height = image.size
    needed = int(width * height * samples * 2)
    if needed > DECODE_BUDGET:
        raise _OverBudget(
            f"decoding this progressive JPEG of {width} x {height} pixels would take about "
            f"{needed >> 20} MiB of memory, over the budget of {DECODE_BUDGET >> 20} MiB; "
            "not decoded, so whether it decodes completely is not known"
        )


def _check_png(handle: BinaryIO, image: PngImagePlugin.PngImageFile) -> int:
    """Check a PNG as a stream, counting its frames' pixels against the limits as they come."""
    _check_size(image.size[0] * image.size[1], int(getattr(image, "n_frames", 1)))
    pixels = frames = 0

    def count(width: int, height: int) -> None:
        nonlocal pixels, frames
        pixels, frames = pixels + width * height, frames + 1
        _check_size(pixels, frames)

    return check_png(handle, count)


def _decode_frames(image: Image.Image, file_size: int) -> int:
    """Decode every frame of an image of another format, within :data:`DECODE_BUDGET`."""
    pixels = 0
    for index in range(MAX_FRAMES):
        if index:
            try:
                image.seek(index)
            except EOFError:
                return index
        pixels += image.size[0] * image.size[1]
        _check_size(pixels, index + 1)
        _check_budget(image, file_size)
        image.load()
    try:
        image.seek(MAX_FRAMES)
    except EOFError:
        return MAX_FRAMES
    raise _TooLarge(f"more than {MAX_FRAMES} frames; not decoded further")


def _check_budget(image: Image.Image, file_size: int) -> None:
    """Refuse to decode a frame expected to take more than :data:`DECODE_BUDGET` bytes."""
    width, height = image.size
    copies = _PIXEL_COPIES.get(image.format or "", _OTHER_DECODERS_COPIES)
    needed = width * height * _bytes_per_pixel(image.mode) * copies + file_size
    if needed > DECODE_BUDGET:
        raise _OverBudget(
            f"decoding {width} x {height} pixels ({image.format} {image.mode}) would take "
            f"about {needed >> 20} MiB of memory, over the budget of {DECODE_BUDGET >> 20} "
            "MiB; not decoded, so whether it decodes completely is not known"
        )


def _bytes_per_pixel(mode: str) -> int:
    # How Pillow stores a pixel in memory: one byte for the 1, L and P modes, two for the
    # 16-bit ones, four for every other mode (RGB is padded to four).
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


def _check_size(pixels: int, frames: int) -> None:
    """Refuse to decode more than the limits, counting the frames met so far."""
    if frames > MAX_FRAMES:
        raise _TooLarge(f"{frames} frames, more than {MAX_FRAMES}; not decoded")
    if pixels > MAX_PIXELS:
        raise _TooLarge(f"{pixels} pixels, more than the limit of {MAX_PIXELS}; not decoded")


def _jpeg_structure(handle: BinaryIO) -> tuple[DecodeState, str] | None:
    """Walk the markers of the first JPEG image from SOI to EOI (ITU-T T.81 Annex B).

    Returns:
        ``None`` if the structure holds, else the state and a one-line problem.
    """
    try:
        view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # an empty or unmappable file: Pillow's verdict stands
        return None
    with view:
        return _walk_jpeg(view)


def jpeg_structure_problem(data: bytes) -> str | None:
    """What is wrong with the marker structure of JPEG bytes, or ``None`` if it is sound.

    Catches damage libjpeg decodes without complaint (as grey blocks), such as a stretch of
    the entropy-coded data overwritten; used by :func:`probe_image` and by reports that show
    photographs.
    """
    problem = _walk_jpeg(data)
    return None if problem is None else problem[1]


def _walk_jpeg(data: mmap.mmap | bytes) -> tuple[DecodeState, str] | None:
    end, position, in_scan = len(data), 2, False
    while True:
        if in_scan:  # skip the entropy-coded data up to the first 0xFF that is no RSTn or 0x00
            scan_end = _scan_end(data, position)
            if scan_end is None:
                return DecodeState.TRUNCATED, "the file ends inside the compressed JPEG data"
            position = scan_end
        fill = _FILL.match(data, position)
        if fill is None:
            return DecodeState.CORRUPT, f"no JPEG marker at byte {position} where one belongs"
        at = fill.end()
        if at >= end:
            return DecodeState.TRUNCATED, "the file ends before the JPEG end-of-image marker"
        code, position = data[at], at + 1
        if code == 0xD9:  # EOI
            return None
        if in_scan and (code == 0x00 or 0xD0 <= code <= 0xD7):  # fill bytes, then data or RSTn
            continue
        if code < 0xC0 or code == 0xD8 or 0xD0 <= code <= 0xD7:
            problem = f"invalid JPEG marker 0xFF{code:02X} at byte {at - 1}"
            if at - fill.start() > 1:  # overwritten blocks often read as runs of 0xFF
                problem += f", after {at - fill.start() - 1} bytes of 0xFF from byte {fill.start()}"
            return DecodeState.CORRUPT, problem
        if at + 3 > end:
            return DecodeState.TRUNCATED, "the file ends inside a JPEG marker segment"
        length = int.from_bytes(data[at + 1 : at + 3], "big")
        if length < 2:
            return DecodeState.CORRUPT, f"JPEG segment at byte {at - 1} has impossible length"
        position, in_scan = at + 1 + length, code == 0xDA  # SOS: entropy-coded data follows


def _scan_end(data: mmap.mmap | bytes, position: int) -> int | None:
    """Where the entropy-coded data from ``position`` ends, or ``None`` if it runs to the end.

    Searched a window at a time: the pages of a memory-mapped file already searched are
    given back as it goes, so a large JPEG is never resident whole (a 71 MB photograph
    took 71 MB more memory when it was).
    """
    end = len(data)
    while position < end:
        stop = min(end, position + _SCAN_WINDOW)
        found = _SCAN_END.search(data, position, stop + 1)  # a match may straddle the edge
        if found is not None:
            return found.start()
        if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            start = position - position % mmap.PAGESIZE
            data.madvise(mmap.MADV_DONTNEED, start, stop - stop % mmap.PAGESIZE - start)
        position = stop
    return None


def _unidentified(handle: BinaryIO) -> ImageFacts:
    """The facts of content Pillow could not identify: broken if it starts like an image."""
    size = os.fstat(handle.fileno()).st_size
    handle.seek(0)
    head = handle.read(16)
    name = next((fmt for magic, fmt in _SIGNATURES if head.startswith(magic)), None)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        name = "WebP"
    if size == 0:
        state, problem = DecodeState.NOT_AN_IMAGE, "the file is empty"
    elif name is None:
        state, problem = DecodeState.NOT_AN_IMAGE, "not an image format Pillow can read"
    elif name == "TIFF" and _tiff_directory(head) >= size:
        state = DecodeState.TRUNCATED
        problem = "starts like a TIFF image, but its first directory lies past the end of the file"
    else:
        state, problem = (
            DecodeState.CORRUPT,
            f"starts like a {name} image, but Pillow cannot open it",
        )
    return ImageFacts(None, OCTET_STREAM, None, None, None, state, problem)


def _tiff_directory(head: bytes) -> int:
    """The offset of the first IFD from a TIFF header (TIFF 6.0, section 2)."""
    return int.from_bytes(head[4:8], "little" if head[:2] == b"II" else "big")


def _broken(exc: BaseException) -> DecodeState:
    # Pillow has no exception type for running out of data, only its wording.
    return DecodeState.TRUNCATED if "truncated" in str(exc).lower() else DecodeState.CORRUPT


def _line(exc: BaseException, stage: str | None = None) -> str:
    """One line for ``problem`` from a Pillow exception."""
    text = " ".join(_CONTROL.sub(" ", str(exc)).split()) or type(exc).__name__
    if stage is not None:
        text = f"Pillow cannot {stage} it: {text}"
    return text if len(text) <= _PROBLEM_CHARS else text[: _PROBLEM_CHARS - 3] + "..."


def _reraise_io_error(exc: Exception) -> None:
    """Re-raise ``exc`` if the operating system raised it: a disk fails, the content does not."""
    if isinstance(exc, OSError) and exc.errno is not None:
        raise exc
