"""EXIF facts of a photograph: read with exifread, normalised, bounded and never fatal.

What a camera writes into a file is a claim by that camera (its clock, its GPS receiver, its
idea of its own name), not a proven fact. :func:`read_exif` records those claims faithfully:
the normalised values the intake needs, every tag exifread returns as text, and a one-line
``problem`` when the EXIF block is broken. Tag names and numbers in comments are those of
EXIF 2.32 (CIPA DC-008-2019); "IFD0" is the primary image's directory (exifread's ``Image``).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from datetime import datetime
from fractions import Fraction
from typing import Any, BinaryIO, NamedTuple, cast

import attrs
import exifread

from custody._fs import reading_regular_file
from custody.errors import InvalidInput
from custody.intake._facts import Fact, FactSource, canonical
from custody.model import FrozenMap, expect_map, text_field

#: Most tags kept in :attr:`ExifFacts.raw`; a real camera writes a few hundred at most.
MAX_TAGS = 2000
#: Most characters of tag names and texts kept in ``raw`` altogether (a recorded event must
#: stay well under the ledger's entry size limit, whatever the file claims).
MAX_RAW_CHARS = 32 * 1024
#: Longest text kept for one tag value, in characters.
MAX_VALUE_CHARS = 1024
#: Most bytes exifread may read from one file: a whole EXIF block is at most 64 KiB in a JPEG.
MAX_READ_BYTES = 16 << 20
#: Most reads and seeks exifread may make for one file. The sample photographs need at most
#: 1,600; a crafted directory of 65,535 entries with 999 values each would need millions.
MAX_READ_CALLS = 100_000
_MAX_JPEG_MARKERS = 1024  # segments (and fill bytes) walked before giving up on finding EXIF
_MAX_CHUNKS = 100_000  # PNG or WebP chunks walked; an 800 MB PNG in 8 KiB IDAT chunks has this many
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_KEY_CHARS = 128
_PROBLEM_CHARS = 2000

_THUMBNAILS = frozenset({"JPEGThumbnail", "TIFFThumbnail"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1 control characters
_EXIF_TIME = re.compile(r"(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})", re.ASCII)
_UNKNOWN_TIME = re.compile(r"[0: ]*")  # unknown: blanks (EXIF 2.32) or zeros (some cameras)
_SUBSEC = re.compile(r"\d{1,9}", re.ASCII)
_OFFSET = re.compile(r"[+-]([01]\d|2[0-3]):[0-5]\d", re.ASCII)
_ISO_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?([+-]\d{2}:\d{2})?", re.ASCII
)
_TIFF_HEADERS = (b"II*\x00", b"MM\x00*")  # byte order and 42: TIFF 6.0 section 2, file header
_E7 = 10_000_000

# Tag numbers (EXIF 2.32, CIPA DC-008-2019; the OffsetTime tags date from EXIF 2.31 and
# CameraSerialNumber is DNG's), for exifread versions that print a tag they do not know as
# "Tag 0xNNNN". exifread calls PixelXDimension and PixelYDimension ExifImageWidth and -Length.
_NUMBERS = {
    "Make": 0x010F,
    "Model": 0x0110,
    "Orientation": 0x0112,
    "Software": 0x0131,
    "DateTime": 0x0132,
    "DateTimeOriginal": 0x9003,
    "DateTimeDigitized": 0x9004,
    "OffsetTime": 0x9010,
    "OffsetTimeOriginal": 0x9011,
    "OffsetTimeDigitized": 0x9012,
    "SubSecTime": 0x9290,
    "SubSecTimeOriginal": 0x9291,
    "SubSecTimeDigitized": 0x9292,
    "ExifImageWidth": 0xA002,
    "ExifImageLength": 0xA003,
    "BodySerialNumber": 0xA431,
    "LensMake": 0xA433,
    "LensModel": 0xA434,
    "LensSerialNumber": 0xA435,
    "CameraSerialNumber": 0xC62F,
    "GPSLatitudeRef": 0x0001,
    "GPSLatitude": 0x0002,
    "GPSLongitudeRef": 0x0003,
    "GPSLongitude": 0x0004,
    "GPSAltitudeRef": 0x0005,
    "GPSAltitude": 0x0006,
}


class _TimeTags(NamedTuple):
    """A date-and-time tag with the sub-second and UTC-offset tags that belong to it."""

    ifd: str
    name: str
    subsec: str
    offset: str


# The capture times, in order of preference (EXIF 2.32, 4.6.5): when the picture was taken,
# else when it was digitised (the same moment for a digital camera).
_CAPTURE_TAGS = (
    _TimeTags("EXIF", "DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal"),
    _TimeTags("EXIF", "DateTimeDigitized", "SubSecTimeDigitized", "OffsetTimeDigitized"),
)
# IFD0 DateTime is when the file was last changed (EXIF 2.32, 4.6.4): by the camera when it
# wrote the file, or by whatever program saved it since. It is never a capture time.
_CHANGED_TAGS = _TimeTags("Image", "DateTime", "SubSecTime", "OffsetTime")
_TIME_NOTES = {
    "DateTimeOriginal": "camera clock, unverified",
    "DateTimeDigitized": "camera clock when digitised (DateTimeDigitized), unverified",
}
#: The note of the ``file_changed_at`` fact.
FILE_CHANGED_NOTE = (
    "EXIF DateTime: when the camera or software last wrote the file, not the capture time; "
    "unverified"
)


class _ReadingStopped(Exception):
    """exifread was stopped: the EXIF data asked for more reading than it can need."""


def _latitude(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or not -90 * _E7 <= value <= 90 * _E7:
        raise InvalidInput("must be an integer of 1e-7 degrees within ±90°", field=attribute.name)


def _longitude(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or not -180 * _E7 <= value <= 180 * _E7:
        raise InvalidInput("must be an integer of 1e-7 degrees within ±180°", field=attribute.name)


def _optional_int(low: int, high: int) -> Any:
    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and (type(value) is not int or not low <= value <= high):
            raise InvalidInput(f"must be an integer from {low} to {high}", field=attribute.name)

    return validate


@attrs.frozen
class GpsFix:
    """A position from the file's GPS tags, in integers so it can be signed (no floats).

    Attributes:
        lat_e7: latitude in 1e-7 degrees, north positive.
        lon_e7: longitude in 1e-7 degrees, east positive.
        altitude_mm: altitude in millimetres, negative below sea level, if the file has one.
    """

    lat_e7: int = attrs.field(validator=_latitude)
    lon_e7: int = attrs.field(validator=_longitude)
    altitude_mm: int | None = attrs.field(
        default=None, validator=_optional_int(-(2**63), 2**63 - 1)
    )

    @property
    def latitude(self) -> float:
        """Latitude in decimal degrees, for display only."""
        return self.lat_e7 / _E7

    @property
    def longitude(self) -> float:
        """Longitude in decimal degrees, for display only."""
        return self.lon_e7 / _E7

    @property
    def altitude_m(self) -> float | None:
        """Altitude in metres, for display only."""
        return None if self.altitude_mm is None else self.altitude_mm / 1000

    def to_dict(self) -> dict[str, Any]:
        """The fix as a CBOR-ready dict; the altitude is left out when unknown."""
        out: dict[str, Any] = {"lat_e7": self.lat_e7, "lon_e7": self.lon_e7}
        if self.altitude_mm is not None:
            out["altitude_mm"] = self.altitude_mm
        return out

    @classmethod
    def from_dict(cls, data: Any) -> GpsFix:
        """Build a fix from :meth:`to_dict` output; unknown keys, nulls and floats are refused.

        Raises:
            InvalidInput: naming the offending field.
        """
        fields = expect_map(data, "gps", required={"lat_e7", "lon_e7"}, optional={"altitude_mm"})
        fix = cls(fields["lat_e7"], fields["lon_e7"], fields.get("altitude_mm"))
        return canonical(fix, data, "gps")


def _local_time(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    match = _ISO_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None or not _is_time(match):
        raise InvalidInput(
            "must be an ISO 8601 local time such as 2008-10-22T16:29:49 (optionally with "
            "up to 9 sub-second digits and a ±HH:MM offset)",
            field=attribute.name,
        )


def _time_tag(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value not in _TIME_NOTES:
        raise InvalidInput(f"must be one of {sorted(_TIME_NOTES)}", field=attribute.name)


def _utc_offset(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not (isinstance(value, str) and _OFFSET.fullmatch(value)):
        raise InvalidInput("must be a UTC offset such as +02:00", field=attribute.name)


def _gps(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, GpsFix):
        raise InvalidInput("must be a GpsFix", field=attribute.name)


def _frozen_raw(value: Any) -> Mapping[str, str]:
    """Check the raw tags once, in bulk (this runs for every file), and freeze them."""
    if not isinstance(value, Mapping):
        raise InvalidInput("must be a map of tag names to text", field="raw")
    keys, texts = tuple(value), tuple(value.values())
    if not (
        len(keys) <= MAX_TAGS
        and set(map(type, keys)) | set(map(type, texts)) <= {str}
        and sum(map(len, keys)) + sum(map(len, texts)) <= MAX_RAW_CHARS
        and min(map(len, keys), default=1) > 0
        and max(map(len, keys), default=0) <= _KEY_CHARS
        and max(map(len, texts), default=0) <= MAX_VALUE_CHARS
        and not _CONTROL.search("".join(keys))
        and not _CONTROL.search("".join(texts))
    ):
        _explain_raw(value)
    return value if type(value) is FrozenMap else FrozenMap(value)


def _explain_raw(value: Mapping[Any, Any]) -> None:
    """Raise for the first offending raw entry (the slow path of :func:`_frozen_raw`)."""
    if len(value) > MAX_TAGS:
        raise InvalidInput(f"has more than {MAX_TAGS} tags", field="raw")
    if sum(len(str(key)) + len(str(text)) for key, text in value.items()) > MAX_RAW_CHARS:
        raise InvalidInput(f"holds more than {MAX_RAW_CHARS} characters", field="raw")
    for key, text in value.items():
        if not isinstance(key, str) or not key or len(key) > _KEY_CHARS or _CONTROL.search(key):
            raise InvalidInput(
                f"tag name {key!r} is not 1-{_KEY_CHARS} printable characters", field="raw"
            )
        if not isinstance(text, str) or len(text) > MAX_VALUE_CHARS or _CONTROL.search(text):
            raise InvalidInput(
                f"must be text of at most {MAX_VALUE_CHARS} printable characters",
                field=f"raw.{key}",
            )
    raise InvalidInput("holds a value that is not text", field="raw")  # a str subclass


@attrs.frozen
class ExifFacts:
    """The EXIF facts of one file, normalised, plus every tag as exifread printed it.

    Every value is what the file claims, not what is true. Times are the camera's local
    wall-clock time; the UTC offset is appended only when the file records the offset that
    belongs to the chosen time tag (``OffsetTimeOriginal`` for ``DateTimeOriginal``, and so
    on), never guessed from another tag or from the place.

    Attributes:
        captured_at: when the picture was taken, by the camera's clock: ISO 8601 local time,
            e.g. ``2008-10-22T16:29:49`` or ``2008-05-30T15:56:01.00+02:00``, from
            DateTimeOriginal, else DateTimeDigitized, with that tag's sub-seconds and offset
            when present. Never taken from IFD0 DateTime (see ``file_changed_at``).
        captured_at_tag: which of those two tags ``captured_at`` came from.
        utc_offset: the offset appended to ``captured_at`` (``+02:00``), if the file has one.
        file_changed_at: IFD0 DateTime, with SubSecTime and OffsetTime when present, in the
            same form: when the camera or software last wrote the file, which an editing
            program sets to the time it saved it.
        make, model: the camera maker and model (IFD0 Make, Model).
        body_serial: BodySerialNumber (0xA431), else the DNG CameraSerialNumber (0xC62F).
        lens: LensModel, prefixed by LensMake unless the model already starts with it.
        lens_serial: LensSerialNumber (0xA435).
        software: IFD0 Software: firmware or the last program that saved the file.
        orientation: IFD0 Orientation, 1-8.
        gps: the GPS position, if the file has a usable one.
        width, height: the pixel dimensions the EXIF block declares (PixelXDimension and
            PixelYDimension, exifread's ExifImageWidth and ExifImageLength); they may
            differ from the real image after editing.
        raw: every tag exifread returned (thumbnail bytes excepted), name -> printed text,
            control characters removed, each at most 1024 characters, at most 2000 tags.
        problem: one line saying what was broken or unusable, if anything.
    """

    captured_at: str | None = attrs.field(default=None, validator=_local_time)
    captured_at_tag: str | None = attrs.field(default=None, validator=_time_tag)
    utc_offset: str | None = attrs.field(default=None, validator=_utc_offset)
    file_changed_at: str | None = attrs.field(default=None, validator=_local_time)
    make: str | None = attrs.field(default=None, validator=text_field(MAX_VALUE_CHARS))
    model: str | None = attrs.field(default=None, validator=text_field(MAX_VALUE_CHARS))
    body_serial: str | None = attrs.field(default=None, validator=text_field(MAX_VALUE_CHARS))
    lens: str | None = attrs.field(default=None, validator=text_field(MAX_VALUE_CHARS))
    lens_serial: str | None = attrs.field(default=None, validator=text_field(MAX_VALUE_CHARS))
    software: str | None = attrs.field(default=None, validator=text_field(MAX_VALUE_CHARS))
    orientation: int | None = attrs.field(default=None, validator=_optional_int(1, 8))
    gps: GpsFix | None = attrs.field(default=None, validator=_gps)
    width: int | None = attrs.field(default=None, validator=_optional_int(1, 2**32 - 1))
    height: int | None = attrs.field(default=None, validator=_optional_int(1, 2**32 - 1))
    raw: Mapping[str, str] = attrs.field(factory=FrozenMap, converter=_frozen_raw)
    problem: str | None = attrs.field(
        default=None, validator=text_field(_PROBLEM_CHARS, one_line=True)
    )

    def __attrs_post_init__(self) -> None:
        if (self.captured_at is None) != (self.captured_at_tag is None):
            raise InvalidInput("must be given exactly when captured_at is", field="captured_at_tag")
        match = _ISO_TIME.fullmatch(self.captured_at or "")
        if (match.group(7) if match else None) != self.utc_offset:
            raise InvalidInput("must be the offset at the end of captured_at", field="utc_offset")

    def facts(self) -> dict[str, Fact]:
        """The normalised facts present, each a :class:`Fact` from :attr:`FactSource.FILE`.

        Keys are the attribute names (``captured_at``, ``utc_offset``, ``file_changed_at``,
        ``make``, ``gps``, ...); ``gps`` is a map ``{"lat_e7", "lon_e7"[, "altitude_mm"]}``.
        Each time carries its own note: ``captured_at`` that it is the camera clock,
        unverified (and which tag it came from when it is not DateTimeOriginal),
        ``file_changed_at`` :data:`FILE_CHANGED_NOTE`. ``raw``, ``problem`` and
        ``captured_at_tag`` are not facts.
        """
        notes = {
            "captured_at": _TIME_NOTES.get(self.captured_at_tag or ""),
            "file_changed_at": FILE_CHANGED_NOTE,
        }
        out: dict[str, Fact] = {}
        for field in attrs.fields(ExifFacts):
            value = getattr(self, field.name)
            if value is None or field.name in ("captured_at_tag", "raw", "problem"):
                continue
            if isinstance(value, GpsFix):
                value = value.to_dict()
            out[field.name] = Fact(value, FactSource.FILE, notes.get(field.name))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The facts as a CBOR-ready dict (no floats); absent fields and an empty raw left out."""
        out: dict[str, Any] = {}
        for field in attrs.fields(ExifFacts):
            value = getattr(self, field.name)
            if value is None or (field.name == "raw" and not value):
                continue
            if isinstance(value, GpsFix):
                value = value.to_dict()
            elif field.name == "raw":
                value = dict(value)
            out[field.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> ExifFacts:
        """Build the facts from :meth:`to_dict` output; the input is never changed.

        Exactly what :meth:`to_dict` writes is accepted: unknown keys, nulls, an empty raw map,
        floats and booleans where integers belong are refused.

        Raises:
            InvalidInput: naming the offending field.
        """
        fields = expect_map(data, "exif", required=set(), optional=_EXIF_KEYS)
        if "gps" in fields:
            fields["gps"] = GpsFix.from_dict(fields["gps"])
        if isinstance(fields.get("raw"), dict):
            fields["raw"] = FrozenMap(fields["raw"])
        return canonical(cls(**fields), data, "exif")


_EXIF_KEYS = frozenset(field.name for field in attrs.fields(ExifFacts))


def read_exif(path: str | os.PathLike[str]) -> ExifFacts:
    """Read and normalise the EXIF block of a file; broken EXIF is recorded, never raised.

    The file is opened read-only and never written. In a JPEG, PNG or WebP file custody finds
    the EXIF block itself and hands exifread only that block: exifread's own JPEG search looks
    4,000 bytes past the first segments and misses EXIF behind a large XMP segment (the sample
    ``xmp/no_exif.jpg``), and it misreads WebP EXIF chunks. TIFF, HEIF, AVIF and JPEG XL files
    go to exifread whole, through a view that allows at most :data:`MAX_READ_BYTES` bytes and
    :data:`MAX_READ_CALLS` reads (as do the extracted blocks), so crafted offsets and counts
    cannot make it read without end. Other files have no EXIF and never reach exifread.

    MakerNotes are not decoded (``details=False``): the maker-specific parsers are the least
    robust part of exifread and the facts custody needs are all in standard tags. On the sample
    photographs exifread takes 0.1-0.8 ms per file this way, and 5-7 ms per Nikon GPS photo
    and 71 ms for the 1.9 MB Olympus file with MakerNotes decoded.

    Time tags that are blank or all zeros (how EXIF says "unknown") are treated as absent;
    other unparseable times are skipped and named in ``problem`` (for the capture time,
    DateTimeDigitized is then used). Text values lose trailing NULs and whitespace and every control
    character; empty text becomes ``None``.

    Args:
        path: the file.

    Returns:
        The facts. A file with no EXIF gives empty facts with ``problem`` None; a broken
        block gives what could be read (possibly nothing) and ``problem`` says what went wrong.

    Raises:
        InvalidInput: naming the file, if it cannot be opened or read (not found, no
            permission, an I/O error, a directory or device); never for its content.
    """
    name = os.fspath(path)
    with reading_regular_file(name) as handle:
        stream, problems = _exif_stream(handle)
        tags = _run_exifread(stream, problems) if stream is not None else {}
    return _normalised(tags, problems)


def _exif_stream(handle: BinaryIO) -> tuple[BinaryIO | None, list[str]]:
    """The stream to hand exifread, or ``None`` when the file has no EXIF to look for."""
    head = handle.read(12)
    if head[:2] == b"\xff\xd8":  # JPEG SOI
        payload, problems = _jpeg_exif_payload(handle)
        return (None if payload is None else io.BytesIO(payload)), problems
    if head[:8] == _PNG_SIGNATURE:
        payload, problems = _png_exif_payload(handle)
        return (None if payload is None else io.BytesIO(payload)), problems
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        payload, problems = _webp_exif_payload(handle)
        return (None if payload is None else io.BytesIO(payload)), problems
    if head[:4] in _TIFF_HEADERS or _exifread_container(head):
        return handle, []
    return None, []


def _exifread_container(head: bytes) -> bool:
    """Whether exifread knows how to find EXIF in a file starting with ``head``."""
    return (
        head[4:12] in (b"ftypheic", b"ftypavif", b"ftypmif1")
        or head == b"\x00\x00\x00\x0cJXL \r\n\x87\n"
    )


def _jpeg_exif_payload(handle: BinaryIO) -> tuple[bytes | None, list[str]]:
    """The TIFF structure inside the first EXIF APP1 segment of a JPEG (``Exif\\0\\0`` first).

    Walks the marker segments after SOI (ITU-T T.81 Annex B) up to the start of scan; the
    image data itself is never read.
    """
    handle.seek(2)
    for _ in range(_MAX_JPEG_MARKERS):
        start = handle.tell()
        head = handle.read(4)
        if len(head) < 4:
            return None, ["the file ends inside the JPEG header, before any EXIF segment"]
        if head[0] != 0xFF:
            return None, [f"the JPEG header is broken at byte {start}: no marker where one belongs"]
        marker, length = head[1], int.from_bytes(head[2:], "big")
        if marker == 0xFF:  # a fill byte before a marker (T.81 B.1.1.2)
            handle.seek(start + 1)
        elif marker in (0xDA, 0xD9):  # start of scan or end of image: no more metadata
            return None, []
        elif marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM and RSTn stand alone
            handle.seek(start + 2)
        elif length < 2:
            return None, [f"the JPEG segment at byte {start} has an impossible length {length}"]
        elif marker == 0xE1 and length >= 8 and handle.read(6)[:5] == b"Exif\x00":
            payload = handle.read(length - 8)
            if len(payload) < length - 8:
                return payload, ["the EXIF segment is cut short: the file ends inside it"]
            return payload, []
        else:
            handle.seek(start + 2 + length)
    return None, [f"no EXIF segment among the first {_MAX_JPEG_MARKERS} JPEG markers"]


def _png_exif_payload(handle: BinaryIO) -> tuple[bytes | None, list[str]]:
    """The TIFF structure inside a PNG's eXIf chunk (PNG Specification, Third Edition).

    eXIf may come before or after the image data, so every chunk header is read (the chunk
    data is skipped), up to :data:`_MAX_CHUNKS` chunks.
    """
    handle.seek(8)
    for _ in range(_MAX_CHUNKS):
        head = handle.read(8)  # length (4 bytes, big-endian) and chunk type
        length, kind = int.from_bytes(head[:4], "big"), head[4:]
        if len(head) < 8 or kind == b"IEND":
            return None, []  # a cut-short file is the image probe's finding, not an EXIF one
        if kind == b"eXIf":
            return _chunk_payload(handle, length, "eXIf")
        handle.seek(length + 4, os.SEEK_CUR)  # the data and its CRC
    return None, [f"no eXIf chunk among the first {_MAX_CHUNKS} PNG chunks"]


def _webp_exif_payload(handle: BinaryIO) -> tuple[bytes | None, list[str]]:
    """The TIFF structure inside a WebP file's EXIF chunk (RIFF container, RFC 9649).

    exifread expects an ``Exif\\0\\0`` prefix that the WebP specification does not have, and
    so misreads such chunks; custody finds the chunk itself.
    """
    handle.seek(12)
    for _ in range(_MAX_CHUNKS):
        head = handle.read(8)  # FourCC and size (4 bytes, little-endian)
        kind, length = head[:4], int.from_bytes(head[4:], "little")
        if len(head) < 8:
            return None, []
        if kind == b"EXIF":
            return _chunk_payload(handle, length, "EXIF")
        handle.seek(length + (length & 1), os.SEEK_CUR)  # chunks are padded to even sizes
    return None, [f"no EXIF chunk among the first {_MAX_CHUNKS} WebP chunks"]


def _chunk_payload(handle: BinaryIO, length: int, kind: str) -> tuple[bytes | None, list[str]]:
    """The EXIF data of a PNG or WebP chunk, without the ``Exif\\0\\0`` some writers put first."""
    if length > MAX_READ_BYTES:
        return None, [f"the {kind} chunk claims {length} bytes; not read"]
    payload = handle.read(length)
    problems = (
        [] if len(payload) == length else [f"the {kind} chunk is cut short by the file's end"]
    )
    return (payload[6:] if payload.startswith(b"Exif\x00\x00") else payload), problems


class _BoundedReader:
    """A read-only view of a stream that caps how much and how often exifread reads it.

    exifread follows offsets and counts taken from the file; bounded here, a crafted file
    ends in :class:`_ReadingStopped` instead of a huge allocation or minutes of tiny reads.
    Reads that come up short (an offset or count pointing past the end) are counted.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._bytes_left = MAX_READ_BYTES
        self._calls_left = MAX_READ_CALLS
        self.short_reads = 0

    def _stopped(self) -> _ReadingStopped:
        if self._calls_left < 0:
            return _ReadingStopped(f"reading stopped after {MAX_READ_CALLS} reads (crafted EXIF?)")
        return _ReadingStopped(f"reading stopped after {MAX_READ_BYTES} bytes (crafted EXIF?)")

    # read and seek run hundreds of times per file: the checks are inlined and kept short.
    def read(self, size: int | None = -1) -> bytes:
        self._calls_left -= 1
        if self._calls_left < 0 or self._bytes_left <= 0:
            raise self._stopped()
        if size is None or size < 0 or size > self._bytes_left:
            size = self._bytes_left
        data = self._raw.read(size)
        self._bytes_left -= len(data)
        if len(data) < size:
            self.short_reads += 1
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self._calls_left -= 1
        if self._calls_left < 0:
            raise self._stopped()
        if whence == os.SEEK_CUR:
            offset, whence = self._raw.tell() + offset, os.SEEK_SET
        if whence == os.SEEK_SET and offset < 0:
            raise _ReadingStopped("an EXIF offset points before the start of the file")
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()


def _run_exifread(stream: BinaryIO, problems: list[str]) -> dict[str, Any]:
    """exifread's tags for ``stream``; its failures become entries of ``problems``."""
    if isinstance(stream, io.BytesIO) and stream.getvalue()[:4] not in _TIFF_HEADERS:
        problems.append("the EXIF block does not start with a TIFF header")
        return {}
    reader = _BoundedReader(stream)
    try:
        tags = exifread.process_file(cast(BinaryIO, reader), details=False)
    except _ReadingStopped as exc:
        problems.append(str(exc))
        return {}
    except OSError as exc:
        if exc.errno is not None:
            raise
        problems.append(f"exifread could not read the EXIF block ({exc})")
        return {}
    except Exception as exc:  # exifread raises many kinds on broken input; none is fatal here
        problems.append(f"exifread could not read the EXIF block ({type(exc).__name__}: {exc})")
        return {}
    if reader.short_reads:
        problems.append(
            f"{reader.short_reads} EXIF offsets or lengths point past the end of the EXIF data"
        )
    return tags


def _normalised(tags: Mapping[str, Any], problems: list[str]) -> ExifFacts:
    captured_at, tag_name, offset = _capture_time(tags, problems)
    changed = _exif_time(tags, _CHANGED_TAGS, problems)
    lens_make = _text(tags, "EXIF", "LensMake")
    lens_model = _text(tags, "EXIF", "LensModel")
    if lens_make and lens_model and not lens_model.startswith(lens_make):
        lens_model = f"{lens_make} {lens_model}"
    orientation = _integer(tags, "Image", "Orientation", problems)
    if orientation is not None and not 1 <= orientation <= 8:
        problems.append(f"Orientation {orientation} is not 1-8")
        orientation = None
    raw = _printed(tags, problems)
    return ExifFacts(
        captured_at=captured_at,
        captured_at_tag=tag_name,
        utc_offset=offset,
        file_changed_at=None if changed is None else changed[0] + (changed[1] or ""),
        make=_text(tags, "Image", "Make"),
        model=_text(tags, "Image", "Model"),
        body_serial=_text(tags, "EXIF", "BodySerialNumber")
        or _text(tags, "Image", "CameraSerialNumber"),
        lens=lens_model or lens_make,
        lens_serial=_text(tags, "EXIF", "LensSerialNumber"),
        software=_text(tags, "Image", "Software"),
        orientation=orientation,
        gps=_gps_fix(tags, problems),
        width=_dimension(tags, "ExifImageWidth", problems),
        height=_dimension(tags, "ExifImageLength", problems),
        raw=raw,
        problem=_one_line_problem(problems),
    )


def _tag(tags: Mapping[str, Any], ifd: str, name: str) -> Any:
    """exifread's tag ``IFD Name``, or ``IFD Tag 0xNNNN`` in versions that do not name it."""
    found = tags.get(f"{ifd} {name}")
    return found if found is not None else tags.get(f"{ifd} Tag 0x{_NUMBERS[name]:04X}")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _text(tags: Mapping[str, Any], ifd: str, name: str) -> str | None:
    """An ASCII tag as text: NULs, control characters and trailing whitespace removed."""
    values = getattr(_tag(tags, ifd, name), "values", None)
    if isinstance(values, list) and all(type(v) is int and 0 <= v < 256 for v in values):
        values = bytes(values)  # text some writers store as BYTE or UNDEFINED
    if isinstance(values, bytes):
        values = values.decode("utf-8", "replace")
    if not isinstance(values, str):
        return None
    return _clean(values).rstrip()[:MAX_VALUE_CHARS] or None


def _integer(tags: Mapping[str, Any], ifd: str, name: str, problems: list[str]) -> int | None:
    """A SHORT or LONG tag that should hold one integer; extra values are named as a problem."""
    tag = _tag(tags, ifd, name)
    if tag is None:
        return None
    values = getattr(tag, "values", None)
    if not isinstance(values, list) or not values or type(values[0]) is not int:
        problems.append(f"{name} {_clean(str(tag))[:40]!r} is not an integer")
        return None
    if len(values) > 1:
        problems.append(f"{name} has {len(values)} values where EXIF allows one; the first is used")
    return values[0]


def _dimension(tags: Mapping[str, Any], name: str, problems: list[str]) -> int | None:
    value = _integer(tags, "EXIF", name, problems)
    return value if value is not None and 0 < value < 2**32 else None  # 0 means "not stated"


def _capture_time(
    tags: Mapping[str, Any], problems: list[str]
) -> tuple[str | None, str | None, str | None]:
    """(ISO local time, the tag it came from, its UTC offset) from the first usable capture
    time tag, or three ``None``."""
    for time_tags in _CAPTURE_TAGS:
        found = _exif_time(tags, time_tags, problems)
        if found is not None:
            local, offset = found
            return local + (offset or ""), time_tags.name, offset
    return None, None, None


def _exif_time(
    tags: Mapping[str, Any], time_tags: _TimeTags, problems: list[str]
) -> tuple[str, str | None] | None:
    """(ISO local time with sub-seconds, its UTC offset) of one time tag, if usable.

    A blank or all-zero time is absent without complaint; an unparseable one is named in
    ``problems``, and so are sub-seconds or an offset that cannot be used (then left out).
    """
    text = _text(tags, time_tags.ifd, time_tags.name)
    if text is None or _UNKNOWN_TIME.fullmatch(text):
        return None
    match = _EXIF_TIME.fullmatch(text)
    if match is None or not _is_time(match):
        problems.append(f"{time_tags.name} {text[:40]!r} is not an EXIF date and time")
        return None
    year, month, day, hour, minute, second = match.groups()
    iso = f"{year}-{month}-{day}T{hour}:{minute}:{second}"
    subsec = _text(tags, "EXIF", time_tags.subsec)
    if subsec is not None and _SUBSEC.fullmatch(subsec.strip()):
        iso += "." + subsec.strip()
    elif subsec is not None:
        problems.append(f"{time_tags.subsec} {subsec[:40]!r} is not a fraction of a second")
    offset = _text(tags, "EXIF", time_tags.offset)
    if offset is not None and _OFFSET.fullmatch(offset):
        return iso, offset
    if offset is not None and not _UNKNOWN_TIME.fullmatch(offset):
        problems.append(f"{time_tags.offset} {offset[:40]!r} is not a UTC offset such as +02:00")
    return iso, None


def _is_time(match: re.Match[str]) -> bool:
    """Whether the first six groups of ``match`` (year .. second) name a real calendar time."""
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


class _Axis(NamedTuple):
    """One coordinate in the GPS IFD (EXIF 2.32 GPS attributes) and its hemisphere reference."""

    name: str
    ref_name: str
    positive: str
    negative: str
    limit: int


_LATITUDE = _Axis("GPSLatitude", "GPSLatitudeRef", "N", "S", 90)
_LONGITUDE = _Axis("GPSLongitude", "GPSLongitudeRef", "E", "W", 180)


def _gps_fix(tags: Mapping[str, Any], problems: list[str]) -> GpsFix | None:
    """The GPS position, or ``None`` (with a problem when present but unusable)."""
    if _tag(tags, "GPS", "GPSLatitude") is None and _tag(tags, "GPS", "GPSLongitude") is None:
        return None
    try:
        lat_e7 = _coordinate(tags, _LATITUDE)
        lon_e7 = _coordinate(tags, _LONGITUDE)
    except ValueError as exc:
        problems.append(str(exc))
        return None
    return GpsFix(lat_e7, lon_e7, _altitude_mm(tags, problems))


def _coordinate(tags: Mapping[str, Any], axis: _Axis) -> int:
    """Degrees, minutes and seconds (three RATIONALs) signed by their reference, in 1e-7°.

    Computed exactly in integers: floats would round differently from one reader to another.

    Raises:
        ValueError: with a one-line explanation if the coordinate is missing or unusable.
    """
    tag = _tag(tags, "GPS", axis.name)
    if tag is None:
        raise ValueError(f"{axis.name} is missing while the other coordinate is present")
    parts = _rationals(getattr(tag, "values", None))
    if parts is None or not 1 <= len(parts) <= 3:
        raise ValueError(f"{axis.name} {_clean(str(tag))[:60]!r} is not degrees, minutes, seconds")
    numerator, denominator = 0, 1
    for index, (part_numerator, part_denominator) in enumerate(parts):
        scale = part_denominator * 60**index  # minutes are 1/60, seconds 1/3600 of a degree
        numerator, denominator = (
            numerator * scale + part_numerator * denominator,
            denominator * scale,
        )
    hemisphere = (_text(tags, "GPS", axis.ref_name) or "").strip().upper()
    if hemisphere not in (axis.positive, axis.negative):
        raise ValueError(
            f"{axis.ref_name} {hemisphere!r} is not {axis.positive} or {axis.negative}"
        )
    if numerator > axis.limit * denominator:
        raise ValueError(
            f"{axis.name} {numerator / denominator:.7f} is beyond {axis.limit} degrees"
        )
    e7 = _round_half_up(numerator * _E7, denominator)
    return -e7 if hemisphere == axis.negative else e7


def _altitude_mm(tags: Mapping[str, Any], problems: list[str]) -> int | None:
    """GPSAltitude in mm, negative when GPSAltitudeRef is 1 (below sea level; default 0)."""
    tag = _tag(tags, "GPS", "GPSAltitude")
    if tag is None:
        return None
    parts = _rationals(getattr(tag, "values", None))
    ref_tag = _tag(tags, "GPS", "GPSAltitudeRef")
    ref = getattr(ref_tag, "values", [0]) if ref_tag is not None else [0]
    if parts is None or len(parts) != 1 or not isinstance(ref, list) or ref[:1] not in ([0], [1]):
        problems.append(f"GPSAltitude {_clean(str(tag))[:40]!r} with its reference is unusable")
        return None
    millimetres = _round_half_up(parts[0][0] * 1000, parts[0][1])
    return -millimetres if ref[0] == 1 else millimetres


def _rationals(values: Any) -> list[tuple[int, int]] | None:
    """Non-negative RATIONAL (or integer) values as (numerator, denominator); else ``None``."""
    if not isinstance(values, list) or not values:
        return None
    out = []
    for value in values:
        if type(value) is int:
            out.append((value, 1))
        elif isinstance(value, Fraction):  # exifread's Ratio; it keeps x/0 as it is
            out.append((value.numerator, value.denominator))
        else:
            return None
    return out if all(n >= 0 and d > 0 for n, d in out) else None


def _round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (both >= 0) rounded to an integer, halves up (exactly).

    For the non-negative magnitudes used here, half up is half away from zero.
    """
    return (2 * numerator + denominator) // (2 * denominator)


def _printed(tags: Mapping[str, Any], problems: list[str]) -> dict[str, str]:
    """Every tag's printable text, cleaned and bounded; thumbnails and non-text left out."""
    raw = {
        key: tag.printable[:MAX_VALUE_CHARS]
        for key, tag in tags.items()
        if isinstance(key, str)
        and key not in _THUMBNAILS
        and isinstance(getattr(tag, "printable", None), str)
    }
    if len(raw) > MAX_TAGS:
        problems.append(f"{len(raw)} tags; only the first {MAX_TAGS} are kept")
        raw = dict(list(raw.items())[:MAX_TAGS])
    raw = _within_budget(raw, problems)
    if _CONTROL.search("".join(raw)) or _CONTROL.search("".join(raw.values())):
        cleaned = ((_clean(key)[:_KEY_CHARS], _clean(text)) for key, text in raw.items())
        raw = {key: text for key, text in cleaned if key}
    return raw


def _within_budget(raw: dict[str, str], problems: list[str]) -> dict[str, str]:
    """The first tags whose names and texts fit in :data:`MAX_RAW_CHARS` characters.

    A crafted file can point thousands of tags at one long string; recorded whole, they
    would make a signed event too large to record.
    """
    kept: dict[str, str] = {}
    used = 0
    for key, text in raw.items():
        used += len(key) + len(text)
        if used > MAX_RAW_CHARS:
            problems.append(
                f"the raw tags exceed {MAX_RAW_CHARS} characters; {len(raw) - len(kept)} "
                "are left out"
            )
            break
        kept[key] = text
    return kept


def _one_line_problem(problems: list[str]) -> str | None:
    if not problems:
        return None
    text = _clean("; ".join(problems))
    return text if len(text) <= _PROBLEM_CHARS else text[: _PROBLEM_CHARS - 3] + "..."
