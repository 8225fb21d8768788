"""What intake records about one file: digests, media facts and where each fact came from."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from custody.errors import CustodyError, InvalidInput
from custody.intake._digests import Algorithm, Digests, hash_file
from custody.intake._exif import ExifFacts, read_exif
from custody.intake._facts import Fact, FactSource
from custody.intake._images import ImageFacts, probe_image
from custody.intake._names import recorded_name

_UNVERIFIED_FILE_TIME = "file system time, unverified"


@attrs.frozen
class FileReport:
    """One file as intake sees it, before anything is recorded.

    Attributes:
        source: the file's name as recorded: for a file in a folder given to intake, its
            path from that folder's parent (``visit-1/IMG_0001.jpg``), for a file given
            directly its name, and for inspect the path as given; always escaped as
            :func:`recorded_name` escapes it.
        digests: size and digests of its bytes.
        image: what Pillow found (format from the content, dimensions, whether it decodes).
        exif: the EXIF facts, normalised, with every raw tag.
        modified: the file system's modification time (the intake machine's, unverified).
    """

    source: str
    digests: Digests
    image: ImageFacts
    exif: ExifFacts
    modified: datetime | None = None

    @property
    def media_type(self) -> str:
        """The media type found from the content."""
        return self.image.media_type

    def facts(self, *, notes: str | None = None) -> dict[str, Fact]:
        """Every normalised fact, each with its source (file, operator or intake machine)."""
        facts = dict(self.exif.facts())
        machine = {
            "media_type": self.image.media_type,
            "format": self.image.format,
            # Beside the EXIF block's declared width and height, which editing can falsify.
            "decoded_width": self.image.width,
            "decoded_height": self.image.height,
            "frames": self.image.frames,
            "decodes": self.image.decodes.value,
            "decode_problem": self.image.problem,
            "exif_problem": self.exif.problem,
        }
        facts.update(
            (name, Fact(value, FactSource.MACHINE))
            for name, value in machine.items()
            if value is not None
        )
        if self.modified is not None:
            facts["file_modified"] = Fact(
                _iso(self.modified), FactSource.MACHINE, _UNVERIFIED_FILE_TIME
            )
        if notes is not None:
            facts["notes"] = Fact(notes, FactSource.OPERATOR)
        return facts

    def to_details(self, *, notes: str | None = None) -> dict[str, Any]:
        """The CBOR-ready facts an ``acquired`` event carries (SHA-256 and size are in its
        artifact; the other digests, the source name, the facts and the raw EXIF tags here).
        """
        details: dict[str, Any] = {
            "source": self.source,
            "facts": {
                name: fact.to_dict() for name, fact in sorted(self.facts(notes=notes).items())
            },
        }
        extra_digests = {
            name: digest for name, digest in self.digests.to_dict().items() if name != "sha256"
        }
        if extra_digests:
            details["digests"] = extra_digests
        if self.exif.raw:
            details["exif_raw"] = dict(self.exif.raw)
        return details

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary, as ``custody inspect --json`` prints it."""
        exif = self.exif
        gps = None
        if exif.gps is not None:
            gps = {"lat": exif.gps.latitude, "lon": exif.gps.longitude}
            if exif.gps.altitude_m is not None:
                gps["alt"] = exif.gps.altitude_m
        return {
            "file": self.source,
            "size": self.digests.size,
            "hashes": self.digests.hex(),
            "media_type": self.image.media_type,
            "format": self.image.format,
            "width": self.image.width,
            "height": self.image.height,
            "decodes": self.image.decodes.value,
            "problem": self.image.problem,
            "captured_at": exif.captured_at,
            "file_changed_at": exif.file_changed_at,
            "make": exif.make,
            "model": exif.model,
            "gps": gps,
            "exif_problem": exif.problem,
            "modified": _iso(self.modified) if self.modified else None,
            "facts": {name: fact.to_dict() for name, fact in sorted(self.facts().items())},
            "raw_tags": dict(exif.raw),
        }


def examine(
    path: str | os.PathLike[str],
    digests: Digests,
    *,
    source: str,
    modified: datetime | None = None,
) -> FileReport:
    """The media facts of the file at ``path``, whose digests are known; writes nothing.

    Raises:
        InvalidInput: the file cannot be read, or a reader library failed on its content
            (the message names the file and the failure).
    """
    try:
        image, exif = probe_image(path), read_exif(path)
    except CustodyError:
        raise
    except Exception as exc:  # Pillow and exifread raise many kinds on crafted content
        raise InvalidInput(
            f"examining the file failed: {type(exc).__name__}: {exc}", field=source
        ) from exc
    return FileReport(source, digests, image, exif, modified)


def inspect_file(
    path: str | os.PathLike[str], algorithms: Iterable[Algorithm] = (Algorithm.SHA256,)
) -> FileReport:
    """What intake would record about the file at ``path``, writing nothing.

    Raises:
        InvalidInput: the file cannot be read (the message names it).
    """
    name = os.fspath(path)
    if os.path.isdir(name):
        raise InvalidInput(f"{name} is a folder; inspect takes files")
    digests = hash_file(name, algorithms)
    return examine(name, digests, source=recorded_name(name), modified=modification_time(name))


def modification_time(path: str | os.PathLike[str]) -> datetime | None:
    """The file system's modification time of ``path``, to the millisecond, if readable."""
    try:
        seconds = os.stat(path).st_mtime_ns // 1_000_000 / 1000
    except OSError:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def facts_from_details(details: Mapping[str, Any]) -> dict[str, Fact]:
    """The facts an intake ``acquired`` event recorded, read back.

    Raises:
        InvalidInput: if they are malformed.
    """
    facts = details.get("facts", {})
    if not isinstance(facts, Mapping):
        raise InvalidInput("must be a map", field="details.facts")
    return {str(name): Fact.from_dict(value) for name, value in facts.items()}
