"""A strict, deterministic subset of ZIP for custody bundles: a STORED-only writer and reader.

A bundle is handed to people who need not trust whoever made it, and is opened by tools that
custody does not control. Both ends therefore keep to a small subset of ZIP (PKWARE APPNOTE
6.3.10), chosen so that the reader can refuse every hostile trick it knows of:

* Members are STORED, never compressed. The expansion ratio is exactly one, so a bundle cannot
  be a zip bomb, and a member's bytes in the archive are the bytes that were hashed.
* Members are regular files with safe relative names (:func:`check_member_name`): no folders,
  links, absolute paths, ``..`` segments, backslashes, drive letters or control characters, and
  no two names that would collide on a case-insensitive file system. This stops "zip slip".
* The archive is one contiguous run: local header, data, local header, data, ..., central
  directory, end record, with nothing before, between or after them. Every byte belongs to one
  structure, so members cannot overlap and nothing can hide in gaps, comments or trailing data.
* No encryption, data descriptors, comments or multi-disk fields; the only extra field written
  is ZIP64's (the reader refuses other extra fields), and ZIP64 records appear only where a size,
  offset or count overflows the classic fields.

The writer is deterministic: every field that ZIP lets a writer choose (time stamps, host,
permissions) is fixed, so the same members with the same bytes in the same order give the same
archive, byte for byte.

The reader parses the central directory and every local header when it opens an archive, and
refuses anything outside the subset with :class:`BundleUnreadable`, whatever the bytes. It
checks every untrusted count and size against the file size and its limits before acting on
it. It does not read or CRC-check member data: members may be gigabytes, and the caller hashes
what it reads anyway.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import threading
import unicodedata
import zlib
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, Final

import attrs

from custody._fs import open_regular_file
from custody.errors import BundleUnreadable, InvalidInput

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "MAX_MEMBERS",
    "MAX_NAME_BYTES",
    "BundleUnreadable",
    "MemberDigest",
    "ZipMember",
    "ZipReader",
    "ZipWriter",
    "check_member_name",
]

#: The most members a bundle may hold; the reader refuses a larger count before reading it.
MAX_MEMBERS: Final = 32_768
#: The longest member name, in bytes of UTF-8: short enough for every common file system.
MAX_NAME_BYTES: Final = 240

# Sizes and offsets at or above this limit, and counts at or above the next, go to ZIP64
# fields. They are module variables so that tests can exercise ZIP64 without writing 4 GiB.
_ZIP64_LIMIT = 0xFFFFFFFF
_ZIP64_COUNT_LIMIT = 0xFFFF

# What a classic field holds when its value is in a ZIP64 record instead.
_MARK16: Final = 0xFFFF
_MARK32: Final = 0xFFFFFFFF

_LOCAL: Final = struct.Struct("<IHHHHHIIIHH")
_CENTRAL: Final = struct.Struct("<IHHHHHHIIIHHHHHII")
_END: Final = struct.Struct("<IHHHHIIH")
_END64: Final = struct.Struct("<IQHHIIQQQQ")
_LOCATOR: Final = struct.Struct("<IIQI")
_EXTRA_HEADER: Final = struct.Struct("<HH")

_LOCAL_SIGNATURE: Final = 0x04034B50
_CENTRAL_SIGNATURE: Final = 0x02014B50
_END_SIGNATURE: Final = 0x06054B50
_END64_SIGNATURE: Final = 0x06064B50
_LOCATOR_SIGNATURE: Final = 0x07064B50
_ZIP64_EXTRA: Final = 0x0001

_ENCRYPTED: Final = 0x0001
_UTF8_NAME: Final = 0x0800
_STORED: Final = 0
_VERSION: Final = 20  # APPNOTE 4.4.3.2: 2.0 for plain stored files
_VERSION_ZIP64: Final = 45  # ... and 4.5 for ZIP64
_MADE_BY_UNIX: Final = 3 << 8
_DATE_1980: Final = 0x0021  # 1980-01-01, the earliest date ZIP can hold; the time is 00:00
_FILE_ATTRIBUTES: Final = 0o100644 << 16  # a regular file, rw-r--r--
_DOS_DIRECTORY: Final = 0x10
_CRC_AT: Final = 14  # where the CRC-32 sits in a local header
_END64_BODY: Final = _END64.size - 12  # its size field counts neither itself nor the signature
_LONGEST_END: Final = _END.size + 0xFFFF  # an end record with the longest comment
_READ_BLOCK: Final = 1 << 20
_DRIVE = re.compile(r"[A-Za-z]:")


class _Refused(Exception):
    """Why an archive is refused; the reader turns it into :class:`BundleUnreadable`."""


def _crc(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 0 <= value <= _MARK32:
        raise InvalidInput(f"{value} is not a CRC-32", field=attribute.name)


def _sha256(_: object, attribute: attrs.Attribute[bytes], value: bytes) -> None:
    if not isinstance(value, bytes) or len(value) != 32:
        raise InvalidInput("is not a 32-byte SHA-256 digest", field=attribute.name)


@attrs.frozen
class MemberDigest:
    """What :meth:`ZipWriter.add` wrote: the member's name, size, SHA-256 and CRC-32."""

    name: str
    size: int = attrs.field(validator=attrs.validators.ge(0))
    sha256: bytes = attrs.field(validator=_sha256)
    crc32: int = attrs.field(validator=_crc)


@attrs.frozen
class ZipMember:
    """A member of an archive that :class:`ZipReader` accepted.

    Attributes:
        name: the member's name, checked by :func:`check_member_name`.
        size: its size in bytes (stored, so the same in the archive and out of it).
        crc32: the CRC-32 the archive records for it; the reader does not check it.
        data_offset: where the member's bytes start in the archive.
    """

    name: str
    size: int = attrs.field(validator=attrs.validators.ge(0))
    crc32: int = attrs.field(validator=_crc)
    data_offset: int = attrs.field(validator=attrs.validators.ge(0))


# --- names -------------------------------------------------------------------------------------


def check_member_name(name: str) -> None:
    """Refuse a member name that could escape or confuse the folder a bundle is extracted to.

    A name is accepted if it is a relative POSIX path of a file: non-empty, at most
    :data:`MAX_NAME_BYTES` bytes of UTF-8, with no control character, no backslash (Windows
    reads it as a separator), no leading ``/``, no drive letter (``C:``), no trailing ``/``
    (a folder), no empty, ``.`` or ``..`` segment, no ``:`` and no segment ending in ``.`` or
    a space (Windows drops those, so two names could be one file). The writer and the reader
    both apply it.

    Raises:
        InvalidInput: naming the member and what is wrong with its name.
    """
    problem = _name_problem(name)
    if problem is not None:
        raise InvalidInput(f"member name {problem}", field=name)


def _name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a member name, as the end of a sentence; None if nothing."""
    if not name:
        return "is empty"
    try:
        length = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "is not valid Unicode (it holds a lone surrogate)"
    if length > MAX_NAME_BYTES:
        return f"is {length} bytes of UTF-8 long; names may have at most {MAX_NAME_BYTES}"
    control = next((char for char in name if unicodedata.category(char) == "Cc"), None)
    if control is not None:
        return f"contains the control character U+{ord(control):04X}"
    if "\\" in name:
        return "contains a backslash, which Windows reads as a folder separator: use '/'"
    if name.startswith("/"):
        return "is an absolute path: names must stay inside the bundle"
    if _DRIVE.match(name):
        return "starts with a drive letter: names must stay inside the bundle"
    if name.endswith("/"):
        return "ends with '/', so it names a folder: bundles hold only files"
    segments = name.split("/")
    if ".." in segments:
        return "has a '..' path segment: names must stay inside the bundle"
    if "" in segments:
        return "has an empty path segment ('//')"
    if "." in segments:
        return "has a '.' path segment"
    if ":" in name:
        return "contains ':', which Windows reads as a drive or a stream of another file"
    if any(segment.endswith((".", " ")) for segment in segments):
        return "has a segment ending in '.' or ' ', which Windows drops (two names, one file)"
    return None


def _collision_key(name: str) -> str:
    # Windows and macOS file systems ignore letter case, and macOS also equates the composed
    # and decomposed forms of accented letters: names equal under this key extract to one file.
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


# --- writer ------------------------------------------------------------------------------------


@attrs.frozen
class _Written:
    name: bytes
    size: int
    crc32: int
    offset: int


class ZipWriter:
    """Write a ZIP archive of stored members, the same bytes for the same members.

    Each member is streamed once: its local header goes out with a CRC of zero, then its data,
    and the CRC is patched in afterwards, so no data descriptor is needed and the output must
    be seekable. :meth:`close` writes the central directory and end records. If adding a member
    fails, the archive cannot be finished: the caller discards the output.

    Args:
        out: a seekable binary stream positioned at its start; the writer does not close it.

    Raises:
        InvalidInput: ``out`` is not seekable or not at its start.
    """

    def __init__(self, out: BinaryIO) -> None:
        try:
            usable = out.seekable() and out.tell() == 0
        except (OSError, ValueError):
            usable = False
        if not usable:
            raise InvalidInput("must be a seekable stream positioned at its start", field="out")
        self._out = out
        self._written: list[_Written] = []
        self._keys: set[str] = set()
        self._offset = 0
        self._closed = False
        self._failed: str | None = None  # the member whose writing broke off

    def add(self, name: str, source: BinaryIO, size: int, *, chunk: int = 1 << 20) -> MemberDigest:
        """Stream exactly ``size`` bytes from ``source`` into a new stored member.

        Args:
            name: the member's name; see :func:`check_member_name`.
            source: the member's bytes; it must hold exactly ``size`` of them.
            size: the member's size, declared before writing (it decides ZIP64).
            chunk: the most bytes read from ``source`` at once.

        Returns:
            the member's name, size, SHA-256 and CRC-32, computed while streaming.

        Raises:
            InvalidInput: a bad or repeated name (names that differ only in letter case count
                as repeated), a bad size, more than :data:`MAX_MEMBERS` members, a writer that
                is closed or broken, or a source shorter or longer than ``size``; the last
                leaves the archive unfinishable.
        """
        self._check_open()
        self._admit(name, size, chunk)
        encoded = name.encode("utf-8")
        offset = self._offset
        self._failed = name  # until the member is complete
        self._write(_local_header(encoded, size))
        sha256, crc = self._copy(name, source, size, chunk)
        self._out.seek(offset + _CRC_AT)
        self._out.write(struct.pack("<I", crc))
        self._out.seek(self._offset)
        self._written.append(_Written(encoded, size, crc, offset))
        self._keys.add(_collision_key(name))
        self._failed = None
        return MemberDigest(name, size, sha256, crc)

    def add_bytes(self, name: str, data: bytes) -> MemberDigest:
        """Add a member holding ``data``; see :meth:`add`."""
        return self.add(name, io.BytesIO(data), len(data))

    def close(self) -> None:
        """Write the central directory and the end records; closing again does nothing.

        Raises:
            InvalidInput: adding a member failed earlier, so the archive cannot be finished.
        """
        if self._closed:
            return
        self._check_open()
        start = self._offset
        for written in self._written:
            self._write(_central_header(written))
        self._write(_end_records(len(self._written), start, self._offset - start))
        self._out.flush()
        self._closed = True

    def _check_open(self) -> None:
        if self._failed is not None:
            raise InvalidInput(
                "writing this member failed, so the archive cannot be finished: discard it",
                field=self._failed,
            )
        if self._closed:
            raise InvalidInput("the archive is already closed", field="out")

    def _admit(self, name: str, size: int, chunk: int) -> None:
        check_member_name(name)
        if _collision_key(name) in self._keys:
            raise InvalidInput(
                "member name is already in the archive (perhaps in other letter case)", field=name
            )
        if len(self._written) >= MAX_MEMBERS:
            raise InvalidInput(f"a bundle holds at most {MAX_MEMBERS} members", field=name)
        if not 0 <= size < 1 << 64:
            raise InvalidInput(f"member size {size} is out of range", field=name)
        if chunk < 1:
            raise InvalidInput(f"chunk size {chunk} must be positive", field=name)

    def _copy(self, name: str, source: BinaryIO, size: int, chunk: int) -> tuple[bytes, int]:
        digest = hashlib.sha256()
        crc = 0
        remaining = size
        while remaining:
            block = source.read(min(chunk, remaining))
            if not block:
                raise InvalidInput(
                    f"the source ended after {size - remaining} of the declared {size} bytes",
                    field=name,
                )
            if len(block) > remaining:
                raise InvalidInput(
                    f"the source holds more than the declared {size} bytes", field=name
                )
            digest.update(block)
            crc = zlib.crc32(block, crc)
            self._write(block)
            remaining -= len(block)
        if source.read(1):
            raise InvalidInput(f"the source holds more than the declared {size} bytes", field=name)
        return digest.digest(), crc

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._offset += len(data)


def _local_header(name: bytes, size: int) -> bytes:
    # APPNOTE 4.5.3: a ZIP64 local header carries both sizes in its extra field.
    if size >= _ZIP64_LIMIT:
        extra, version, stored = _zip64_extra(size, size), _VERSION_ZIP64, _MARK32
    else:
        extra, version, stored = b"", _VERSION, size
    fixed = _LOCAL.pack(
        _LOCAL_SIGNATURE,
        version,
        _UTF8_NAME,
        _STORED,
        0,
        _DATE_1980,
        0,  # the CRC, patched in once the data is written
        stored,
        stored,
        len(name),
        len(extra),
    )
    return fixed + name + extra


def _central_header(written: _Written) -> bytes:
    # APPNOTE 4.5.3: the central ZIP64 extra field holds only the fields that overflow.
    big_size = written.size >= _ZIP64_LIMIT
    big_offset = written.offset >= _ZIP64_LIMIT
    wide = ([written.size, written.size] if big_size else []) + (
        [written.offset] if big_offset else []
    )
    extra = _zip64_extra(*wide) if wide else b""
    version = _VERSION_ZIP64 if wide else _VERSION
    size = _MARK32 if big_size else written.size
    fixed = _CENTRAL.pack(
        _CENTRAL_SIGNATURE,
        _MADE_BY_UNIX | version,
        version,
        _UTF8_NAME,
        _STORED,
        0,
        _DATE_1980,
        written.crc32,
        size,
        size,
        len(written.name),
        len(extra),
        0,  # comment length
        0,  # disk number start
        0,  # internal attributes
        _FILE_ATTRIBUTES,
        _MARK32 if big_offset else written.offset,
    )
    return fixed + written.name + extra


def _zip64_extra(*values: int) -> bytes:
    return _EXTRA_HEADER.pack(_ZIP64_EXTRA, 8 * len(values)) + struct.pack(
        f"<{len(values)}Q", *values
    )


def _end_records(count: int, directory_offset: int, directory_size: int) -> bytes:
    big_count = count >= _ZIP64_COUNT_LIMIT
    big_size = directory_size >= _ZIP64_LIMIT
    big_offset = directory_offset >= _ZIP64_LIMIT
    classic = _END.pack(
        _END_SIGNATURE,
        0,
        0,
        _MARK16 if big_count else count,
        _MARK16 if big_count else count,
        _MARK32 if big_size else directory_size,
        _MARK32 if big_offset else directory_offset,
        0,  # comment length
    )
    if not (big_count or big_size or big_offset):
        return classic
    end64 = _END64.pack(
        _END64_SIGNATURE,
        _END64_BODY,
        _MADE_BY_UNIX | _VERSION_ZIP64,
        _VERSION_ZIP64,
        0,
        0,
        count,
        count,
        directory_size,
        directory_offset,
    )
    locator = _LOCATOR.pack(_LOCATOR_SIGNATURE, 0, directory_offset + directory_size, 1)
    return end64 + locator + classic


# --- reader ------------------------------------------------------------------------------------


@attrs.frozen
class _Directory:
    """Where the central directory is, and where the end records that follow it begin."""

    count: int
    offset: int
    size: int
    end: int


@attrs.frozen
class _Central:
    """A central directory entry, checked on its own."""

    name: str
    raw_name: bytes
    flags: int
    size: int
    crc32: int
    offset: int


class ZipReader:
    """Open a bundle and check its structure; read its members on request.

    Opening parses the end records, the central directory and every local header, and refuses
    any archive outside custody's subset (see the module documentation). Member data is read
    only through :meth:`open` and :meth:`read`, with positioned reads, so streams of several
    members can be used at once.

    Args:
        path: the bundle file; it must be a regular file.

    Attributes:
        members: the members, in central-directory order.
        archive_size: the size of the bundle file in bytes, when it was opened.

    Raises:
        BundleUnreadable: the file cannot be read or is refused; the message says what is
            wrong and where (member name, byte offset).
    """

    members: tuple[ZipMember, ...]
    archive_size: int

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = os.fspath(path)
        self._lock = threading.Lock()  # for seek-and-read where there is no os.pread
        try:
            self._file = open_regular_file(self._path, buffered=False)
        except InvalidInput as exc:
            reason = str(exc).removeprefix(f"{exc.field}: ")
            raise BundleUnreadable(reason, field=self._path) from exc
        self._closed = False
        try:
            self.members = self._parse()
        except BaseException:
            self.close()
            raise
        self._by_name = {member.name: member for member in self.members}

    def member(self, name: str) -> ZipMember | None:
        """The member called ``name``, or None."""
        return self._by_name.get(name)

    def open(self, member: ZipMember) -> BinaryIO:
        """A read-only stream of exactly the member's bytes; usable as a context manager.

        Raises:
            InvalidInput: ``member`` is not a member of this bundle.
            BundleUnreadable: (on reading) the file changed or failed since it was opened.
        """
        self._check_member(member)
        return io.BufferedReader(_MemberStream(self, member))

    def read(self, member: ZipMember, limit: int) -> bytes:
        """The member's bytes, all at once.

        Raises:
            InvalidInput: ``member`` is not a member of this bundle.
            BundleUnreadable: the member is larger than ``limit`` bytes, or the file changed
                or failed since it was opened.
        """
        self._check_member(member)
        if member.size > limit:
            raise BundleUnreadable(
                f"member {member.name!r} is {member.size} bytes, more than the {limit} allowed",
                field=self._path,
            )
        return self._read_member(member, member.data_offset, member.size)

    def close(self) -> None:
        """Close the bundle file; streams from :meth:`open` stop working. Closing again is fine."""
        if not self._closed:
            self._closed = True
            self._file.close()

    def __enter__(self) -> ZipReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- reading bytes ---

    def _read_at(self, offset: int, size: int) -> bytes:
        """``size`` bytes at ``offset``, or fewer where the file ends."""
        if self._closed:
            raise ValueError("the bundle is closed")
        parts = []
        while size > 0:
            block = self._read_once(offset, min(size, _READ_BLOCK))
            if not block:
                break
            parts.append(block)
            offset += len(block)
            size -= len(block)
        return b"".join(parts)

    def _read_once(self, offset: int, size: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), size, offset)
        with self._lock:
            self._file.seek(offset)
            return self._file.read(size)

    def _exact(self, offset: int, size: int) -> bytes:
        data = self._read_at(offset, size)
        if len(data) != size:
            raise _Refused(
                f"the file ends at offset {offset + len(data)}, inside the {size} bytes expected "
                f"at offset {offset} (was it changed while being read?)"
            )
        return data

    def _read_member(self, member: ZipMember, offset: int, size: int) -> bytes:
        try:
            return self._exact(offset, size)
        except (_Refused, OSError) as exc:
            raise BundleUnreadable(
                f"cannot read member {member.name!r} at offset {offset}: {exc}", field=self._path
            ) from None

    def _check_member(self, member: ZipMember) -> None:
        if self._by_name.get(member.name) != member:
            raise InvalidInput("is not a member of this bundle", field=member.name)

    # --- parsing ---

    def _parse(self) -> tuple[ZipMember, ...]:
        # Whatever the bytes, only BundleUnreadable leaves: the other exceptions are the
        # safety net behind the explicit checks.
        try:
            self.archive_size = os.fstat(self._file.fileno()).st_size
            directory = self._read_end()
            entries = self._read_central_directory(directory)
            return self._check_layout(entries, directory.offset)
        except _Refused as exc:
            raise BundleUnreadable(str(exc), field=self._path) from None
        except (OSError, ValueError, struct.error, OverflowError, MemoryError) as exc:
            raise BundleUnreadable(f"cannot read the bundle ({exc})", field=self._path) from exc

    def _read_end(self) -> _Directory:
        if self.archive_size < _END.size:
            raise _Refused(
                f"the file is {self.archive_size} bytes long, too short to be a ZIP archive"
            )
        end = self.archive_size - _END.size
        signature, disk, directory_disk, on_disk, count, size, offset, comment = _END.unpack(
            self._exact(end, _END.size)
        )
        if signature != _END_SIGNATURE:
            raise _Refused(self._misplaced_end())
        if comment:
            raise _Refused(f"the end record at offset {end} declares an archive comment")
        if disk or directory_disk or on_disk != count:
            raise _Refused(f"the end record at offset {end} describes a multi-disk archive")
        if count == _MARK16 or _MARK32 in (size, offset):
            return self._read_end64(end, count, size, offset)
        self._refuse_unused_locator(end)
        return _Directory(count, offset, size, end)

    def _refuse_unused_locator(self, end: int) -> None:
        """Refuse a ZIP64 locator before an end record that calls for none: some readers
        follow any locator there, to a directory this reader would never look at."""
        at = end - _LOCATOR.size
        if at >= 0 and self._exact(at, 4) == struct.pack("<I", _LOCATOR_SIGNATURE):
            raise _Refused(
                f"a ZIP64 locator sits at offset {at}, before an end record that calls for no "
                "ZIP64 records: readers would disagree on where the central directory is"
            )

    def _misplaced_end(self) -> str:
        # Only to explain the refusal: look for an end record followed by something.
        start = max(0, self.archive_size - _LONGEST_END)
        tail = self._read_at(start, self.archive_size - start)
        found = tail.rfind(struct.pack("<I", _END_SIGNATURE), 0, len(tail) - _END.size + 4)
        if found < 0:
            return "no ZIP end record at the end of the file: not a ZIP archive, or a truncated one"
        after = len(tail) - found - _END.size
        at = start + found
        (comment,) = struct.unpack_from("<H", tail, found + _END.size - 2)
        if comment == after:
            return (
                f"the end record at offset {at} is followed by a {after}-byte archive comment; "
                "bundles carry no comment"
            )
        return (
            f"{after} bytes of trailing data follow the end record at offset {at}; "
            "bundles end with their end record"
        )

    def _read_end64(self, end: int, count: int, size: int, offset: int) -> _Directory:
        locator_at = end - _LOCATOR.size
        record_at = locator_at - _END64.size
        if record_at < 0:
            raise _Refused(
                f"the end record at offset {end} calls for ZIP64 records, "
                "but the file is too short to hold them"
            )
        signature, disk, where, disks = _LOCATOR.unpack(self._exact(locator_at, _LOCATOR.size))
        if signature != _LOCATOR_SIGNATURE:
            raise _Refused(
                f"the end record at offset {end} calls for ZIP64 records, "
                f"but there is no ZIP64 locator right before it, at offset {locator_at}"
            )
        if disk or disks != 1:
            raise _Refused(
                f"the ZIP64 locator at offset {locator_at} describes a multi-disk archive"
            )
        if where != record_at:
            raise _Refused(
                f"the ZIP64 locator points to offset {where}, but the ZIP64 end record must sit "
                f"right before the locator, at offset {record_at}"
            )
        (signature, body, _, _, disk, directory_disk, on_disk, count64, size64, offset64) = (
            _END64.unpack(self._exact(record_at, _END64.size))
        )
        if signature != _END64_SIGNATURE:
            raise _Refused(f"there is no ZIP64 end record at offset {record_at}")
        if body != _END64_BODY:
            raise _Refused(
                f"the ZIP64 end record at offset {record_at} declares {body + 12} bytes; "
                f"only the {_END64.size}-byte basic form is allowed"
            )
        if disk or directory_disk or on_disk != count64:
            raise _Refused(
                f"the ZIP64 end record at offset {record_at} describes a multi-disk archive"
            )
        for field, classic, mark, wide in (
            ("member count", count, _MARK16, count64),
            ("central directory size", size, _MARK32, size64),
            ("central directory offset", offset, _MARK32, offset64),
        ):
            if classic not in (mark, wide):
                raise _Refused(
                    f"the end record and the ZIP64 end record disagree on the {field} "
                    f"({classic} and {wide})"
                )
        return _Directory(count64, offset64, size64, record_at)

    def _read_central_directory(self, directory: _Directory) -> list[_Central]:
        count, offset, size, end = directory.count, directory.offset, directory.size, directory.end
        if count > MAX_MEMBERS:
            raise _Refused(
                f"the archive claims {count} members; a bundle holds at most {MAX_MEMBERS}"
            )
        if offset + size != end:
            raise _Refused(
                f"the central directory is declared at offsets {offset} to {offset + size}, but "
                f"it must end where the end records begin, at offset {end} "
                "(were bytes added to or cut from the archive?)"
            )
        if not _CENTRAL.size * count <= size <= self.archive_size:
            raise _Refused(
                f"a central directory of {size} bytes cannot hold {count} entries "
                f"of at least {_CENTRAL.size} bytes each"
            )
        cursor = _Cursor(self._read_at, offset, end)
        entries = [_central_entry(cursor, number, count) for number in range(1, count + 1)]
        if cursor.position != end:
            raise _Refused(
                f"{end - cursor.position} unaccounted bytes follow the last central directory "
                f"entry, at offset {cursor.position}"
            )
        _check_unique(entries)
        return entries

    def _check_layout(self, entries: list[_Central], directory: int) -> tuple[ZipMember, ...]:
        # Each member must start exactly where the previous one ends, and the central directory
        # where the last one ends: no prepended data, gaps, overlaps or hidden bytes.
        members: list[ZipMember] = []
        expected = 0
        for entry in entries:
            if entry.offset != expected:
                raise _Refused(_misplaced_member(entry, expected, first=not members))
            member = self._local_entry(entry, directory)
            members.append(member)
            expected = member.data_offset + member.size
        if expected != directory:
            raise _Refused(
                f"{directory - expected} unaccounted bytes lie between the end of the members, "
                f"at offset {expected}, and the central directory, at offset {directory}"
            )
        return tuple(members)

    def _local_entry(self, entry: _Central, directory: int) -> ZipMember:
        where = f"member {entry.name!r} (local header at offset {entry.offset})"
        if entry.offset + _LOCAL.size > directory:
            raise _Refused(f"{where} runs into the central directory at offset {directory}")
        (
            signature,
            needed,
            flags,
            method,
            _,
            _,
            crc,
            compressed,
            size,
            name_length,
            extra_length,
        ) = _LOCAL.unpack(self._exact(entry.offset, _LOCAL.size))
        if signature != _LOCAL_SIGNATURE:
            raise _Refused(
                f"there is no local header at offset {entry.offset}, where the central directory "
                f"places member {entry.name!r}"
            )
        _check_features(where, needed, flags, method)
        if flags != entry.flags:
            raise _Refused(
                f"{where} has flags 0x{flags:04x}; the central directory says 0x{entry.flags:04x}"
            )
        data_offset = entry.offset + _LOCAL.size + name_length + extra_length
        if data_offset + entry.size > directory:
            raise _Refused(
                f"{where}: its {entry.size} bytes of data from offset {data_offset} run into "
                f"the central directory at offset {directory}"
            )
        variable = self._exact(entry.offset + _LOCAL.size, name_length + extra_length)
        raw_name = variable[:name_length]
        if raw_name != entry.raw_name:
            raise _Refused(
                f"{where} names the member {_label(raw_name)}: the local and central names "
                "must match byte for byte"
            )
        extra = _zip64_field(where, variable[name_length:])
        sizes = _resolve_zip64(where, extra, (size, compressed))
        if sizes != (entry.size, entry.size):
            raise _Refused(
                f"{where} gives the sizes {sizes[0]} and {sizes[1]}; "
                f"the central directory says {entry.size}"
            )
        if crc != entry.crc32:
            raise _Refused(
                f"{where} has the CRC-32 {crc:08x}; the central directory says {entry.crc32:08x}"
            )
        return ZipMember(entry.name, entry.size, entry.crc32, data_offset)


class _Cursor:
    """Reads one region of the archive front to back, through a bounded buffer."""

    def __init__(self, read_at: Callable[[int, int], bytes], start: int, end: int) -> None:
        self._read_at = read_at
        self.position = start
        self._end = end
        self._buffer = b""
        self._buffer_at = start

    def take(self, size: int) -> bytes | None:
        """The next ``size`` bytes, or None if the region (or the file) ends before them."""
        if self.position + size > self._end:
            return None
        skip = self.position - self._buffer_at
        if skip + size > len(self._buffer):
            want = min(max(size, _READ_BLOCK), self._end - self.position)
            self._buffer = self._read_at(self.position, want)
            self._buffer_at = self.position
            skip = 0
            if len(self._buffer) < size:
                return None
        self.position += size
        return self._buffer[skip : skip + size]


def _central_entry(cursor: _Cursor, number: int, count: int) -> _Central:
    at = cursor.position
    fixed = cursor.take(_CENTRAL.size)
    if fixed is None:
        raise _Refused(
            f"central directory entry {number} of {count}, at offset {at}, runs past the end "
            "of the central directory"
        )
    (
        signature,
        _,  # version made by
        needed,
        flags,
        method,
        _,  # time
        _,  # date
        crc,
        compressed,
        size,
        name_length,
        extra_length,
        comment,
        disk,
        _,  # internal attributes
        external,
        offset,
    ) = _CENTRAL.unpack(fixed)
    if signature != _CENTRAL_SIGNATURE:
        raise _Refused(
            f"there is no central directory entry at offset {at} (entry {number} of {count})"
        )
    variable = cursor.take(name_length + extra_length + comment)
    if variable is None:
        raise _Refused(
            f"central directory entry {number} of {count}, at offset {at}, runs past the end "
            "of the central directory"
        )
    raw_name = variable[:name_length]
    where = f"member {_label(raw_name)} (central directory entry at offset {at})"
    _check_features(where, needed, flags, method)
    if comment:
        raise _Refused(f"{where} has a comment; bundles carry no comments")
    if disk:
        raise _Refused(f"{where} starts on disk {disk}; multi-disk archives are not allowed")
    _check_file_type(where, external)
    name = _decode_name(where, raw_name, flags)
    extra = _zip64_field(where, variable[name_length : name_length + extra_length])
    size, compressed, offset = _resolve_zip64(where, extra, (size, compressed, offset))
    if compressed != size:
        raise _Refused(
            f"{where} has {size} bytes but a compressed size of {compressed}: "
            "bundle members are stored uncompressed"
        )
    return _Central(name, raw_name, flags, size, crc, offset)


def _label(raw_name: bytes) -> str:
    """A member's name fit for a message, before it is known to be valid."""
    return repr(raw_name.decode("utf-8", "backslashreplace"))


def _check_features(where: str, needed: int, flags: int, method: int) -> None:
    if needed > _VERSION_ZIP64:
        raise _Refused(
            f"{where} needs ZIP version {needed // 10}.{needed % 10} to extract; "
            "bundles need at most 4.5"
        )
    if flags & _ENCRYPTED:
        raise _Refused(f"{where} is encrypted: encrypted members are not allowed")
    if flags & ~_UTF8_NAME:
        raise _Refused(
            f"{where} uses ZIP features that bundles do not allow (general purpose flags "
            f"0x{flags:04x}; only 0x0800, UTF-8 names, is allowed)"
        )
    if method != _STORED:
        raise _Refused(
            f"{where} is compressed (method {method}); bundle members are stored uncompressed"
        )


def _check_file_type(where: str, external: int) -> None:
    # The high 16 bits are a UNIX mode when present. A mode with permission bits but no file
    # type (as Python's zipfile writes) says nothing against a regular file.
    mode = external >> 16
    if stat.S_ISLNK(mode):
        raise _Refused(f"{where} is a symbolic link: links are not allowed")
    if stat.S_ISDIR(mode) or external & _DOS_DIRECTORY:
        raise _Refused(f"{where} is a folder: bundles hold only files")
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        raise _Refused(
            f"{where} is not a regular file (file type 0o{stat.S_IFMT(mode):o}): "
            "bundles hold only regular files"
        )


def _decode_name(where: str, raw_name: bytes, flags: int) -> str:
    if flags & _UTF8_NAME:
        try:
            name = raw_name.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused(f"{where}: its name is flagged as UTF-8 but is not") from None
    elif raw_name.isascii():
        name = raw_name.decode("ascii")
    else:
        raise _Refused(
            f"{where}: its name is not ASCII and not flagged as UTF-8, so its encoding is unknown"
        )
    problem = _name_problem(name)
    if problem is not None:
        raise _Refused(f"member {name!r} {problem}")
    return name


def _zip64_field(where: str, extra: bytes) -> bytes | None:
    """The data of the ZIP64 extra field in ``extra``, if there is one.

    Any other extra field is refused: other readers honour some of them (a Unicode path
    naming another file, a second directory for ZIP64 readers), so what they extract could
    differ from what was verified.
    """
    found: bytes | None = None
    position = 0
    while position < len(extra):
        if position + _EXTRA_HEADER.size > len(extra):
            raise _Refused(f"{where} has a truncated extra field header at byte {position}")
        kind, length = _EXTRA_HEADER.unpack_from(extra, position)
        start = position + _EXTRA_HEADER.size
        if start + length > len(extra):
            raise _Refused(
                f"{where} has an extra field of {length} bytes at byte {position} that runs past "
                f"the {len(extra)} bytes declared"
            )
        if kind != _ZIP64_EXTRA:
            raise _Refused(
                f"{where} has an extra field of kind 0x{kind:04x} at byte {position}; "
                "bundles carry no extra field but ZIP64's"
            )
        if found is not None:
            raise _Refused(f"{where} has two ZIP64 extra fields")
        found = extra[start : start + length]
        position = start + length
    return found


def _resolve_zip64(where: str, zip64: bytes | None, values: tuple[int, ...]) -> tuple[int, ...]:
    """``values`` with each 0xFFFFFFFF replaced, in order, by the next value of the ZIP64 field."""
    marked = sum(value == _MARK32 for value in values)
    if zip64 is None:
        if marked:
            raise _Refused(f"{where} has fields marked as ZIP64 but no ZIP64 extra field")
        return values
    if len(zip64) != 8 * marked:
        raise _Refused(
            f"{where} has a ZIP64 extra field of {len(zip64)} bytes; it must hold exactly the "
            f"{marked} fields marked 0xFFFFFFFF, 8 bytes each"
        )
    wide = iter(struct.unpack(f"<{marked}Q", zip64))
    return tuple(next(wide) if value == _MARK32 else value for value in values)


def _check_unique(entries: list[_Central]) -> None:
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        key = _collision_key(entry.name)
        other = seen.setdefault(key, entry.name)
        if len(seen) == number:
            continue
        if other == entry.name:
            raise _Refused(f"member {entry.name!r} appears twice in the central directory")
        raise _Refused(
            f"members {other!r} and {entry.name!r} differ only in letter case or Unicode form, "
            "and would collide on case-insensitive file systems"
        )


def _misplaced_member(entry: _Central, expected: int, *, first: bool) -> str:
    if entry.offset < expected:
        return (
            f"member {entry.name!r} starts at offset {entry.offset}, which overlaps the previous "
            f"member (it ends at offset {expected})"
        )
    if first:
        return (
            f"{entry.offset} bytes of unknown data precede the first member, {entry.name!r}: "
            "bundles start with their first member"
        )
    return (
        f"{entry.offset - expected} unaccounted bytes lie between the previous member (it ends "
        f"at offset {expected}) and member {entry.name!r} at offset {entry.offset}"
    )


class _MemberStream(io.RawIOBase):
    """The bytes of one member, read with positioned reads from the reader's file."""

    def __init__(self, reader: ZipReader, member: ZipMember) -> None:
        super().__init__()
        self._reader = reader
        self._member = member
        self._position = member.data_offset
        self._end = member.data_offset + member.size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._end - self._position)
        if wanted <= 0:
            return 0
        data = self._reader._read_member(self._member, self._position, wanted)
        view[:wanted] = data
        self._position += wanted
        return wanted
