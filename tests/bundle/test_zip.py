"""The bundle ZIP subset: round trips, what ordinary tools make of it, and one test per refusal.

Hostile archives are built with Python's zipfile where it can make them, and by hand with
``struct`` where it cannot (overlapping members, ZIP64 end records claiming 10**6 members).
"""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import stat
import struct
import subprocess
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest

from custody.bundle import _zip
from custody.bundle._zip import (
    MAX_MEMBERS,
    MAX_NAME_BYTES,
    BundleUnreadable,
    MemberDigest,
    ZipMember,
    ZipReader,
    ZipWriter,
    check_member_name,
)
from custody.errors import InvalidInput

THREE_MIB = random.Random(7).randbytes(3 << 20)
MEMBERS = [
    ("manifest.cbor", b"\xa1\x61\x76\x01"),
    ("empty", b""),
    ("files/Ärztlicher Befund \u2013 2026.pdf", b"%PDF-1.7\n" * 100),
    ("files/photos/IMG_0001.jpg", THREE_MIB),
    ("README.txt", b"Open with any ZIP tool.\n"),
]


def archive(members: list[tuple[str, bytes]] = MEMBERS) -> bytes:
    out = io.BytesIO()
    writer = ZipWriter(out)
    for name, data in members:
        writer.add_bytes(name, data)
    writer.close()
    return out.getvalue()


def small_archive() -> bytes:
    return archive([("a.txt", b"alpha"), ("dir/b.txt", b"bravo!"), ("empty", b"")])


def save(tmp_path: Path, data: bytes, name: str = "bundle.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(tmp_path: Path, data: bytes) -> str:
    with pytest.raises(BundleUnreadable) as caught:
        ZipReader(save(tmp_path, data))
    return str(caught.value)


def with_zipfile(
    *members: tuple[str | zipfile.ZipInfo, bytes],
    comment: bytes = b"",
    compression: int = zipfile.ZIP_STORED,
) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we ask for
        with zipfile.ZipFile(out, "w", compression=compression) as made:
            for name, data in members:
                made.writestr(name, data)
            made.comment = comment
    return out.getvalue()


def end_offset(data: bytes) -> int:
    return len(data) - 22


def central_offsets(data: bytes) -> list[int]:
    (count, _, start) = struct.unpack_from("<HII", data, end_offset(data) + 10)
    offsets = []
    for _ in range(count):
        offsets.append(start)
        lengths = struct.unpack_from("<HHH", data, start + 28)
        start += 46 + sum(lengths)
    return offsets


def patch(data: bytes, offset: int, new: bytes) -> bytes:
    return data[:offset] + new + data[offset + len(new) :]


# Hand-made records, for archives zipfile will not make.


def local_header(name: bytes, data: bytes, *, crc: int | None = None) -> bytes:
    crc = zlib.crc32(data) if crc is None else crc
    size = len(data)
    return (
        struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 0, 0, 0x21, crc, size, size, len(name), 0
        )
        + name
    )


def central_header(
    name: bytes,
    data: bytes,
    offset: int,
    *,
    extra: bytes = b"",
    sizes: tuple[int, int] | None = None,
) -> bytes:
    size, compressed = sizes or (len(data), len(data))
    fixed = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        0x0314,
        20,
        0x800,
        0,
        0,
        0x21,
        zlib.crc32(data),
        compressed,
        size,
        len(name),
        len(extra),
        0,
        0,
        0,
        0o100644 << 16,
        offset,
    )
    return fixed + name + extra


def end_record(count: int, size: int, offset: int) -> bytes:
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, offset, 0)


def zip64_end(count: int, size: int, offset: int, at: int, *, body: int = 44) -> bytes:
    record = struct.pack(
        "<IQHHIIQQQQ", 0x06064B50, body, 0x032D, 45, 0, 0, count, count, size, offset
    )
    locator = struct.pack("<IIQI", 0x07064B50, 0, at, 1)
    return record + locator + end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)


# --- round trips -------------------------------------------------------------------------------


def test_members_round_trip_in_order(tmp_path: Path) -> None:
    data = archive()
    with ZipReader(save(tmp_path, data)) as reader:
        assert [member.name for member in reader.members] == [name for name, _ in MEMBERS]
        assert reader.archive_size == len(data)
        for (name, content), member in zip(MEMBERS, reader.members, strict=True):
            assert member.size == len(content)
            assert member.crc32 == zlib.crc32(content)
            assert reader.read(member, limit=len(content)) == content
            assert data[member.data_offset : member.data_offset + member.size] == content
            with reader.open(member) as stream:
                assert stream.read(3) + stream.read() == content
                assert stream.read() == b""
            assert reader.member(name) == member
        assert reader.member("missing") is None


def test_writing_is_deterministic() -> None:
    assert archive() == archive()
    assert archive() != archive(list(reversed(MEMBERS)))


def test_add_streams_and_returns_the_digests() -> None:
    out = io.BytesIO()
    writer = ZipWriter(out)
    digest = writer.add("big", io.BytesIO(THREE_MIB), len(THREE_MIB), chunk=4097)
    writer.close()
    assert digest == MemberDigest(
        "big", len(THREE_MIB), hashlib.sha256(THREE_MIB).digest(), zlib.crc32(THREE_MIB)
    )
    assert out.getvalue() == archive([("big", THREE_MIB)])


def test_fields_are_fixed() -> None:
    data = archive([("a", b"x")])
    (version, flags, method, time, date) = struct.unpack_from("<HHHHH", data, 4)
    assert (version, flags, method, time, date) == (20, 0x0800, 0, 0, 0x0021)
    (central,) = central_offsets(data)
    made_by, needed = struct.unpack_from("<HH", data, central + 4)
    assert (made_by, needed) == ((3 << 8) | 20, 20)
    (external,) = struct.unpack_from("<I", data, central + 38)
    assert external == 0o100644 << 16
    assert len(data) == (30 + 1 + 1) + (46 + 1) + 22  # no extra fields, no comments


def test_empty_archive(tmp_path: Path) -> None:
    data = archive([])
    assert len(data) == 22
    with ZipReader(save(tmp_path, data)) as reader:
        assert reader.members == ()
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == []


def test_close_is_idempotent_and_ends_writing() -> None:
    out = io.BytesIO()
    writer = ZipWriter(out)
    writer.add_bytes("a", b"x")
    writer.close()
    writer.close()
    assert out.getvalue() == archive([("a", b"x")])
    with pytest.raises(InvalidInput, match="closed"):
        writer.add_bytes("b", b"y")


# --- what ordinary tools make of it --------------------------------------------------------


def test_python_zipfile_reads_the_output() -> None:
    with zipfile.ZipFile(io.BytesIO(archive())) as made:
        assert made.testzip() is None
        assert made.namelist() == [name for name, _ in MEMBERS]
        for name, content in MEMBERS:
            assert made.read(name) == content
            assert not made.getinfo(name).is_dir()


def unzip_test(path: Path) -> None:
    result = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors detected" in result.stdout


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_unzip_accepts_the_output(tmp_path: Path) -> None:
    unzip_test(save(tmp_path, archive()))


def test_the_reader_accepts_plain_zipfile_archives(tmp_path: Path) -> None:
    data = with_zipfile(("a", b"x"), ("b/c", b"yz"))
    with ZipReader(save(tmp_path, data)) as reader:
        assert [(member.name, member.size) for member in reader.members] == [("a", 1), ("b/c", 2)]


# --- ZIP64, with lowered thresholds --------------------------------------------------------

ZIP64_MEMBERS = [("small", b"s" * 50), ("large", b"L" * 150), ("empty", b""), ("last", b"z" * 7)]


@pytest.mark.parametrize(
    ("limit", "count_limit"),
    [
        pytest.param(100, 0xFFFF, id="sizes-offsets-and-directory"),
        pytest.param(200, 0xFFFF, id="offsets-only"),
        pytest.param(1 << 20, 3, id="count-only"),
        pytest.param(0, 0, id="every-field"),
    ],
)
def test_zip64_fields_are_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int, count_limit: int
) -> None:
    monkeypatch.setattr(_zip, "_ZIP64_LIMIT", limit)
    monkeypatch.setattr(_zip, "_ZIP64_COUNT_LIMIT", count_limit)
    data = archive(ZIP64_MEMBERS)
    path = save(tmp_path, data)
    with ZipReader(path) as reader:
        assert [(m.name, reader.read(m, 1000)) for m in reader.members] == ZIP64_MEMBERS
    with zipfile.ZipFile(path) as made:
        assert made.testzip() is None
        assert [(name, made.read(name)) for name in made.namelist()] == ZIP64_MEMBERS
    if shutil.which("unzip"):
        unzip_test(path)


def test_zip64_records_appear_only_where_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert b"PK\x06\x06" not in archive(ZIP64_MEMBERS)
    monkeypatch.setattr(_zip, "_ZIP64_LIMIT", 100)
    data = archive(ZIP64_MEMBERS)
    large = data.index(b"large") - 30
    assert struct.unpack_from("<H", data, large + 4) == (45,)  # version needed
    assert struct.unpack_from("<II", data, large + 18) == (0xFFFFFFFF, 0xFFFFFFFF)
    assert data[large + 35 : large + 35 + 20] == struct.pack("<HHQQ", 1, 16, 150, 150)
    small = data.index(b"small") - 30
    assert struct.unpack_from("<II", data, small + 18) == (50, 50)  # no ZIP64 for 50 bytes
    # The last local header sits past offset 100: only its central offset overflows.
    last = data.rindex(b"PK\x01\x02")
    assert struct.unpack_from("<I", data, last + 42)[0] == 0xFFFFFFFF
    assert struct.unpack_from("<HHQ", data, last + 46 + 4) == (1, 8, data.index(b"last") - 30)
    assert data[-22 - 20 - 56 : -22 - 20 - 52] == b"PK\x06\x06"


# --- writer refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("../evil", "'..'"),
        ("/etc/passwd", "absolute"),
        ("a/../../b", "'..'"),
        ("C:/x", "drive letter"),
        ("c:x", "drive letter"),
        ("a\\b", "backslash"),
        ("", "empty"),
        ("a//b", "empty path segment"),
        ("./a", "'.'"),
        ("a/.", "'.'"),
        ("dir/", "folder"),
        ("a\x00b", "U+0000"),
        ("line\nbreak", "U+000A"),
        ("del\x7f", "U+007F"),
        ("\ud800", "surrogate"),
        ("x" * (MAX_NAME_BYTES + 1), "at most 240"),
        ("é" * (MAX_NAME_BYTES // 2 + 1), "at most 240"),
        ("a..", "ending in '.'"),
        ("README.txt.", "ending in '.'"),
        ("files/x.jpg ", "ending in '.' or ' '"),
        ("dir./x", "ending in '.'"),
        ("files/a:b", "':'"),
        ("files/x.jpg:stream", "':'"),
    ],
)
def test_bad_names_are_refused(name: str, word: str) -> None:
    with pytest.raises(InvalidInput, match="member name") as caught:
        check_member_name(name)
    assert word in str(caught.value)
    with pytest.raises(InvalidInput, match="member name"):
        ZipWriter(io.BytesIO()).add_bytes(name, b"")


@pytest.mark.parametrize(
    "name",
    [
        "a",
        "files/x.pdf",
        "Ärzte/befund \u2013 2026.pdf",
        "..a",
        "a.b/.c",
        "x" * MAX_NAME_BYTES,
    ],
)
def test_good_names_are_accepted(name: str) -> None:
    check_member_name(name)


@pytest.mark.parametrize("second", ["a.txt", "A.TXT", "a.TXT"])
def test_writer_refuses_colliding_names(second: str) -> None:
    writer = ZipWriter(io.BytesIO())
    writer.add_bytes("a.txt", b"")
    with pytest.raises(InvalidInput, match="already in the archive"):
        writer.add_bytes(second, b"")


@pytest.mark.parametrize(("declared", "actual"), [(10, b"short"), (3, b"too long")])
def test_writer_refuses_a_source_of_another_size(declared: int, actual: bytes) -> None:
    writer = ZipWriter(io.BytesIO())
    with pytest.raises(InvalidInput, match="declared") as caught:
        writer.add("m", io.BytesIO(actual), declared, chunk=2)
    assert caught.value.field == "m"
    with pytest.raises(InvalidInput, match="discard"):
        writer.close()
    with pytest.raises(InvalidInput, match="discard"):
        writer.add_bytes("other", b"")


def test_writer_refuses_bad_arguments() -> None:
    out = io.BytesIO(b"already here")
    out.seek(3)
    with pytest.raises(InvalidInput, match="positioned at its start"):
        ZipWriter(out)
    writer = ZipWriter(io.BytesIO())
    with pytest.raises(InvalidInput, match="out of range"):
        writer.add("m", io.BytesIO(), -1)
    with pytest.raises(InvalidInput, match="chunk"):
        writer.add("m", io.BytesIO(), 0, chunk=0)


def test_writer_refuses_too_many_members(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zip, "MAX_MEMBERS", 2)
    writer = ZipWriter(io.BytesIO())
    writer.add_bytes("a", b"")
    writer.add_bytes("b", b"")
    with pytest.raises(InvalidInput, match="at most 2 members"):
        writer.add_bytes("c", b"")


# --- hostile archives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("../evil", "'..' path segment"),
        ("/etc/passwd", "absolute"),
        ("a/../../b", "'..' path segment"),
        ("C:/x", "drive letter"),
        ("a\\b", "backslash"),
    ],
)
def test_zip_slip_names_are_refused(tmp_path: Path, name: str, word: str) -> None:
    data = with_zipfile((zipfile.ZipInfo(name), b"evil"))
    message = refusal(tmp_path, data)
    assert word in message
    assert repr(name) in message


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    data = with_zipfile((link, b"/etc/passwd"))
    assert "links are not allowed" in refusal(tmp_path, data)


@pytest.mark.parametrize(
    ("mode", "word"),
    [(stat.S_IFIFO | 0o644, "regular file"), (stat.S_IFDIR | 0o755, "folder")],
)
def test_other_file_types_are_refused(tmp_path: Path, mode: int, word: str) -> None:
    info = zipfile.ZipInfo("thing")
    info.external_attr = mode << 16
    assert word in refusal(tmp_path, with_zipfile((info, b"")))


def test_directory_entry_is_refused(tmp_path: Path) -> None:
    assert "is a folder" in refusal(tmp_path, with_zipfile(("folder/", b"")))
    # The name alone, with no folder attributes:
    assert "ends with '/'" in refusal(tmp_path, with_zipfile((zipfile.ZipInfo("folder/"), b"")))
    # What zipfile.ZipFile.mkdir writes, but without the trailing "/":
    folder = zipfile.ZipInfo("folder")
    folder.external_attr = (stat.S_IFDIR | 0o775) << 16 | 0x10
    assert "is a folder" in refusal(tmp_path, with_zipfile((folder, b"")))
    folder.external_attr = 0x10  # the MS-DOS folder attribute alone
    assert "is a folder" in refusal(tmp_path, with_zipfile((folder, b"")))


def test_deflated_member_is_refused_as_a_zip_bomb(tmp_path: Path) -> None:
    bomb = with_zipfile(("zeros", bytes(10 << 20)), compression=zipfile.ZIP_DEFLATED)
    assert len(bomb) < 100_000
    message = refusal(tmp_path, bomb)
    assert "'zeros'" in message
    assert "compressed (method 8)" in message
    assert "stored uncompressed" in message


def test_encrypted_member_is_refused(tmp_path: Path) -> None:
    data = small_archive()
    data = patch(data, 6, struct.pack("<H", 0x0801))
    data = patch(data, central_offsets(data)[0] + 8, struct.pack("<H", 0x0801))
    assert "encrypted members are not allowed" in refusal(tmp_path, data)


def test_data_descriptor_flag_is_refused(tmp_path: Path) -> None:
    data = small_archive()
    data = patch(data, central_offsets(data)[1] + 8, struct.pack("<H", 0x0808))
    assert "flags 0x0808" in refusal(tmp_path, data)


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    data = with_zipfile(("a", b"1"), ("a", b"2"))
    assert "'a' appears twice" in refusal(tmp_path, data)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Report.pdf", "REPORT.PDF"), ("straße", "STRASSE"), ("caf\u00e9", "cafe\u0301")],
)
def test_names_equal_after_casefold_are_refused(tmp_path: Path, first: str, second: str) -> None:
    data = with_zipfile((first, b"1"), (second, b"2"))
    assert "collide" in refusal(tmp_path, data)


def test_overlapping_members_are_refused(tmp_path: Path) -> None:
    # Two central entries point at the one local header at offset 0.
    local = local_header(b"a", b"xyz") + b"xyz"
    central = central_header(b"a", b"xyz", 0) + central_header(b"b", b"xyz", 0)
    data = local + central + end_record(2, len(central), len(local))
    assert "overlaps" in refusal(tmp_path, data)


def test_bytes_between_members_are_refused(tmp_path: Path) -> None:
    first = local_header(b"a", b"x") + b"x"
    second = local_header(b"b", b"y") + b"y"
    hidden = b"hidden payload"
    central = central_header(b"a", b"x", 0) + central_header(b"b", b"y", len(first + hidden))
    data = (
        first
        + hidden
        + second
        + central
        + end_record(2, len(central), len(first + hidden + second))
    )
    assert "14 unaccounted bytes" in refusal(tmp_path, data)


def test_bytes_before_the_central_directory_are_refused(tmp_path: Path) -> None:
    member = local_header(b"a", b"x") + b"x"
    central = central_header(b"a", b"x", 0)
    data = member + b"junk" + central + end_record(1, len(central), len(member) + 4)
    assert "4 unaccounted bytes" in refusal(tmp_path, data)


def test_prepended_data_is_refused(tmp_path: Path) -> None:
    message = refusal(tmp_path, b"MZ stub" + small_archive())
    assert "central directory is declared" in message
    # A self-extractor's way, with every offset adjusted to the prefix:
    path = save(tmp_path, b"#!/bin/sh\nexit 0\n", "sfx.zip")
    with zipfile.ZipFile(path, "a") as made:
        made.writestr("a", b"x")
    with pytest.raises(BundleUnreadable, match="17 bytes of unknown data precede"):
        ZipReader(path)


def test_trailing_data_is_refused(tmp_path: Path) -> None:
    assert "trailing data" in refusal(tmp_path, small_archive() + b"\x00" * 5)


def test_archive_comment_is_refused(tmp_path: Path) -> None:
    data = with_zipfile(("a", b"x"), comment=b"hello")
    assert "5-byte archive comment" in refusal(tmp_path, data)


def test_member_comment_is_refused(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("a")
    info.comment = b"note"
    assert "has a comment" in refusal(tmp_path, with_zipfile((info, b"")))


def test_every_truncation_is_refused(tmp_path: Path) -> None:
    data = small_archive()
    for length in range(len(data)):
        with pytest.raises(BundleUnreadable):
            ZipReader(save(tmp_path, data[:length]))


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"", "too short"),
        (b"PK\x05\x06", "too short"),
        (random.Random(1).randbytes(5000), "not a ZIP archive"),
        (b"%PDF-1.7\n" * 100, "not a ZIP archive"),
    ],
)
def test_garbage_is_refused(tmp_path: Path, data: bytes, word: str) -> None:
    assert word in refusal(tmp_path, data)


def test_huge_member_count_fails_fast(tmp_path: Path) -> None:
    # A ZIP64 end record claiming 10**6 members in a central directory of 46 * 10**6 bytes.
    data = zip64_end(10**6, 46 * 10**6, 0, 0)
    assert "claims 1000000 members" in refusal(tmp_path, data)
    assert str(MAX_MEMBERS) in refusal(tmp_path, data)
    data = zip64_end(2**64 - 1, 2**64 - 1, 0, 0)
    assert "at most" in refusal(tmp_path, data)


def test_member_count_must_fit_the_central_directory(tmp_path: Path) -> None:
    data = end_record(MAX_MEMBERS, 0, 0)
    assert f"cannot hold {MAX_MEMBERS} entries" in refusal(tmp_path, data)
    data = zip64_end(MAX_MEMBERS, 0, 0, 0)
    assert "cannot hold" in refusal(tmp_path, data)


def test_local_name_must_match_the_central_name(tmp_path: Path) -> None:
    data = small_archive()
    data = patch(data, 30, b"A")  # "a.txt" becomes "A.txt" in its local header only
    message = refusal(tmp_path, data)
    assert "'A.txt'" in message
    assert "byte for byte" in message


def test_local_crc_must_match_the_central_crc(tmp_path: Path) -> None:
    data = patch(small_archive(), 14, b"\x00\x00\x00\x00")
    assert "CRC-32" in refusal(tmp_path, data)


def test_local_sizes_must_match_the_central_sizes(tmp_path: Path) -> None:
    data = patch(small_archive(), 18, struct.pack("<II", 4, 4))
    assert "sizes 4 and 4" in refusal(tmp_path, data)


def test_sizes_must_agree_for_a_stored_member(tmp_path: Path) -> None:
    local = local_header(b"a", b"xyz") + b"xyz"
    central = central_header(b"a", b"xyz", 0, sizes=(3, 2))
    data = local + central + end_record(1, len(central), len(local))
    assert "compressed size of 2" in refusal(tmp_path, data)


def test_member_data_must_end_before_the_central_directory(tmp_path: Path) -> None:
    local = local_header(b"a", b"xyz") + b"xyz"
    central = central_header(b"a", b"xyz" * 10, 0)
    data = local + central + end_record(1, len(central), len(local))
    assert "run into the central directory" in refusal(tmp_path, data)


def test_unflagged_non_ascii_name_is_refused(tmp_path: Path) -> None:
    data = small_archive()
    for at in (6, central_offsets(data)[0] + 8):
        data = patch(data, at, b"\x00\x00")
    data = data.replace(b"a.txt", b"\xe4.txt")
    assert "not flagged as UTF-8" in refusal(tmp_path, data)


def test_flagged_name_must_be_utf8(tmp_path: Path) -> None:
    data = small_archive().replace(b"a.txt", b"\xff.txt")
    assert "flagged as UTF-8 but is not" in refusal(tmp_path, data)


def test_extra_fields_are_parsed_strictly(tmp_path: Path) -> None:
    local = local_header(b"a", b"x") + b"x"

    def with_extra(extra: bytes) -> bytes:
        central = central_header(b"a", b"x", 0, extra=extra)
        return local + central + end_record(1, len(central), len(local))

    assert "runs past" in refusal(tmp_path, with_extra(struct.pack("<HH", 0x5455, 9) + b"\x00"))
    assert "truncated extra field" in refusal(tmp_path, with_extra(b"\x01"))
    unmarked = struct.pack("<HHQ", 1, 8, 1)
    assert "must hold exactly the 0 fields" in refusal(tmp_path, with_extra(unmarked))
    assert "two ZIP64 extra fields" in refusal(tmp_path, with_extra(struct.pack("<HH", 1, 0) * 2))


@pytest.mark.parametrize(
    "field",
    [
        struct.pack("<HH", 0x5455, 5) + b"\x01\x00\x00\x00\x00",  # a time stamp
        struct.pack("<HHB", 0x7075, 6, 1) + b"\x00\x00\x00\x00b",  # Info-ZIP Unicode path
    ],
)
def test_extra_fields_but_zip64_are_refused_in_either_header(tmp_path: Path, field: bytes) -> None:
    # Other readers honour some (a Unicode path names another file): they could extract
    # something other than what was verified.
    local = local_header(b"a", b"x")
    local_with = patch(local, 28, struct.pack("<H", len(field))) + field + b"x"
    central = central_header(b"a", b"x", 0, extra=field)
    in_central = local + b"x" + central + end_record(1, len(central), len(local) + 1)
    plain = central_header(b"a", b"x", 0)
    in_local = local_with + plain + end_record(1, len(plain), len(local_with))
    kind = struct.unpack_from("<H", field)[0]
    for data in (in_central, in_local):
        assert f"extra field of kind 0x{kind:04x}" in refusal(tmp_path, data)


def test_a_zip64_locator_before_an_end_record_without_marks_is_refused(tmp_path: Path) -> None:
    # Readers that follow any locator there would read another central directory.
    local = local_header(b"a", b"x") + b"x"
    central = central_header(b"a", b"x", 0)
    locator = struct.pack("<IIQI", 0x07064B50, 0, 0, 1)
    hidden = local + central[:-20] + locator
    data = hidden + end_record(1, len(central), len(local))
    assert "ZIP64 locator sits at offset" in refusal(tmp_path, data)


def test_zip64_marks_need_a_zip64_field(tmp_path: Path) -> None:
    local = local_header(b"a", b"x") + b"x"
    central = central_header(b"a", b"x", 0, sizes=(0xFFFFFFFF, 0xFFFFFFFF))
    data = local + central + end_record(1, len(central), len(local))
    assert "no ZIP64 extra field" in refusal(tmp_path, data)


def test_zip64_end_records_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zip, "_ZIP64_COUNT_LIMIT", 1)
    data = small_archive()
    record = len(data) - 22 - 20 - 56
    assert "locator" in refusal(tmp_path, patch(data, record + 56, b"XXXX"))
    assert "points to offset" in refusal(
        tmp_path, patch(data, record + 56 + 8, struct.pack("<Q", 1))
    )
    assert "no ZIP64 end record" in refusal(tmp_path, patch(data, record, b"XXXX"))
    assert "basic form" in refusal(tmp_path, patch(data, record + 4, struct.pack("<Q", 45)))
    assert "disagree" in refusal(
        tmp_path, patch(data, len(data) - 22 + 8, struct.pack("<HHI", 2, 2, _zip._MARK32))
    )
    assert "too short" in refusal(tmp_path, end_record(0xFFFF, 0, 0))


def test_multi_disk_archives_are_refused(tmp_path: Path) -> None:
    data = small_archive()
    assert "multi-disk" in refusal(tmp_path, patch(data, len(data) - 22 + 4, b"\x01\x00"))
    assert "disk 1" in refusal(tmp_path, patch(data, central_offsets(data)[0] + 34, b"\x01\x00"))


def test_newer_zip_versions_are_refused(tmp_path: Path) -> None:
    data = small_archive()
    assert "version 6.3" in refusal(
        tmp_path, patch(data, central_offsets(data)[0] + 6, b"\x3f\x00")
    )


def test_a_folder_or_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleUnreadable, match="not a regular file"):
        ZipReader(tmp_path)
    with pytest.raises(BundleUnreadable, match="No such file") as caught:
        ZipReader(tmp_path / "missing.zip")
    assert caught.value.field == str(tmp_path / "missing.zip")


# --- reading members -------------------------------------------------------------------------


def test_read_refuses_a_member_over_the_limit(tmp_path: Path) -> None:
    with ZipReader(save(tmp_path, small_archive())) as reader:
        member = reader.members[1]
        with pytest.raises(BundleUnreadable, match="more than the 5 allowed"):
            reader.read(member, limit=5)
        assert reader.read(member, limit=6) == b"bravo!"


def test_members_of_other_bundles_are_refused(tmp_path: Path) -> None:
    with ZipReader(save(tmp_path, small_archive())) as reader:
        forged = ZipMember("a.txt", 1000, 0, 0)
        with pytest.raises(InvalidInput, match="not a member"):
            reader.read(forged, limit=10**6)
        with pytest.raises(InvalidInput, match="not a member"):
            reader.open(forged)


def test_streams_of_several_members_interleave(tmp_path: Path) -> None:
    with ZipReader(save(tmp_path, archive())) as reader:
        big, pdf = reader.member("files/photos/IMG_0001.jpg"), reader.members[2]
        assert big is not None
        with reader.open(big) as first, reader.open(pdf) as second:
            parts = [first.read(1000), second.read(10), first.read(), second.read()]
        assert parts[0] + parts[2] == THREE_MIB
        assert parts[1] + parts[3] == MEMBERS[2][1]


def test_a_file_truncated_after_opening_is_reported(tmp_path: Path) -> None:
    path = save(tmp_path, archive())
    with ZipReader(path) as reader:
        member = reader.member("files/photos/IMG_0001.jpg")
        assert member is not None
        with path.open("r+b") as handle:
            handle.truncate(member.data_offset + 10)
        with pytest.raises(BundleUnreadable, match="IMG_0001"):
            reader.read(member, limit=len(THREE_MIB))
        with reader.open(member) as stream, pytest.raises(BundleUnreadable, match="IMG_0001"):
            stream.read()
