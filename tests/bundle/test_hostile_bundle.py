"""Hostile bundles: refused with BundleUnreadable and a message saying why, never a crash.

Archives that attack whoever unpacks them (paths leaving the folder, links, compression bombs,
duplicate names) are made with Python's zipfile; broken files are cut or made up; bundles
whose CBOR members are shaped to exhaust the reader (deep nesting, items over the item
limit, oversized members) are rewritten from the realistic bundle with the library's writer,
so the ZIP is well-formed and only the member is hostile. The oversized manifest is a sparse
file, so no test allocates what it claims. (Lengths claimed past a member's end are damage,
not attacks: see test_tamper_bundle.)
"""

from __future__ import annotations

import gc
import io
import os
import stat
import warnings
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import cbor2
import pytest

from custody.bundle import _layout, verify_bundle
from custody.bundle._layout import (
    CLOSING,
    ENTRIES,
    INCLUSION,
    KEYS,
    MANIFEST,
    README,
)
from custody.bundle._zip import ZipWriter
from custody.errors import BundleUnreadable
from custody.verify import TrustPolicy

if TYPE_CHECKING:
    from bundle.conftest import BundleCase, CliRun

CliVerify = Callable[[Path, Path], "CliRun"]

Members = list[tuple[str, bytes]]
DEEP = b"\x81" * 10_000 + b"\x00"  # 10,000 nested one-element arrays
# Items really over the 256 KiB item limit.
_OVER = 300 * 1024
HUGE_STRING_ITEM = b"\x82\x00\x5a" + _OVER.to_bytes(4, "big") + bytes(_OVER)
HUGE_ARRAY_ITEM = b"\x9a" + _OVER.to_bytes(4, "big") + bytes(_OVER)
README_BYTES = b"A bundle.\n"


def zipfile_archive(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """An archive made by Python's zipfile, stored unless a ZipInfo says otherwise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
            for info, data in members:
                archive.writestr(info, data)
    return path


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("files/evidence.jpg")
    info.create_system = 3  # UNIX, so the mode in external_attr counts
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def zip_bomb(path: Path) -> Path:
    """A 64 MiB member of zeros deflated to a few dozen KiB, streamed in."""
    info = zipfile.ZipInfo("files/bomb.bin")
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(README, README_BYTES)
        with archive.open(info, "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(64):
                member.write(block)
    assert path.stat().st_size < 1 << 20
    return path


class _SparseWriter:
    """A file the ZipWriter writes through, leaving holes where it writes only zeros."""

    def __init__(self, handle: io.BufferedRandom) -> None:
        self._handle = handle

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._handle.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._handle.seek(offset, whence)

    def flush(self) -> None:
        self._handle.flush()

    def write(self, data: bytes) -> int:
        if data.count(0) == len(data):
            self._handle.seek(len(data), io.SEEK_CUR)
            return len(data)
        return self._handle.write(data)


class _Zeros(io.RawIOBase):
    """``size`` zero bytes, made as they are read."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        count = min(len(view), self._left)
        view[:count] = bytes(count)
        self._left -= count
        return count


def oversized_manifest(path: Path) -> Path:
    """A well-formed bundle whose manifest.cbor is one byte over the limit: a sparse file."""
    size = _layout.MAX_MANIFEST_SIZE + 1
    with path.open("xb+") as handle:
        writer = ZipWriter(_SparseWriter(handle))  # type: ignore[arg-type]
        writer.add_bytes(README, README_BYTES)
        writer.add(MANIFEST, io.BufferedReader(_Zeros(size)), size)
        writer.close()
    assert path.stat().st_size > size
    return path


def member_replaced(name: str, data: bytes) -> Callable[[Members], Members]:
    def change(members: Members) -> Members:
        assert name in dict(members)
        return [(n, data if n == name else d) for n, d in members]

    return change


def first_entry_then(extra: bytes) -> Callable[[Members], Members]:
    """entries.cborseq with its first item kept and ``extra`` after it."""

    def change(members: Members) -> Members:
        data = dict(members)[ENTRIES]
        first = data[: _first_item_size(data)]
        return member_replaced(ENTRIES, first + extra)(members)

    return change


def _first_item_size(data: bytes) -> int:
    stream = io.BytesIO(data)
    cbor2.load(stream)  # cbor2, not the reader under test
    return stream.tell()


ZIP_SLIP = [
    "../evil.txt",
    "../../../../etc/cron.d/evil",
    "/etc/passwd",
    "files/../../evil.txt",
    "C:/Windows/System32/evil.dll",
    "files\\..\\..\\evil.txt",
    "files//evil.txt",
    "./README.txt",
    "files/",
]


@pytest.mark.parametrize("name", ZIP_SLIP)
def test_a_member_name_leaving_the_bundle_is_refused(tmp_path: Path, name: str) -> None:
    path = zipfile_archive(tmp_path / "slip.zip", [(README, README_BYTES), (name, b"owned\n")])
    with pytest.raises(BundleUnreadable, match="member") as refused:
        verify_bundle(path, TrustPolicy())
    assert repr(name) in str(refused.value)


# --- the hostile bundles: each made in a test's folder from the realistic bundle ------------


def slipping(folder: Path, _: BundleCase) -> Path:
    return zipfile_archive(folder / "b", [(README, README_BYTES), ("../evil.txt", b"x")])


def with_symlink(folder: Path, _: BundleCase) -> Path:
    return zipfile_archive(folder / "b", [(README, README_BYTES), (_symlink(), b"/etc/passwd")])


def bomb(folder: Path, _: BundleCase) -> Path:
    return zip_bomb(folder / "b")


def duplicated(folder: Path, _: BundleCase) -> Path:
    members = [(README, README_BYTES), (MANIFEST, b"\xa0"), (MANIFEST, b"\xa1")]
    return zipfile_archive(folder / "b", members)  # type: ignore[arg-type]


def case_colliding(folder: Path, _: BundleCase) -> Path:
    members = [(README, README_BYTES), ("files/A.jpg", b"a"), ("files/a.jpg", b"b")]
    return zipfile_archive(folder / "b", members)  # type: ignore[arg-type]


def cut(length: int | str, folder: Path, bundle_case: BundleCase) -> Path:
    data = bundle_case.path.read_bytes()
    path = folder / "b"
    path.write_bytes(data[: len(data) // 2 if isinstance(length, str) else length])
    return path


def written(data: bytes, folder: Path, _: BundleCase) -> Path:
    path = folder / "b"
    path.write_bytes(data)
    return path


def appended(folder: Path, bundle_case: BundleCase) -> Path:
    return written(bundle_case.path.read_bytes() + b"appended", folder, bundle_case)


def a_directory(folder: Path, _: BundleCase) -> Path:
    path = folder / "b"
    path.mkdir()
    return path


def nothing(folder: Path, _: BundleCase) -> Path:
    return folder / "missing.bundle"


def rewritten(change: Callable[[Members], Members], folder: Path, bundle_case: BundleCase) -> Path:
    return bundle_case.rewrite(folder / "b", change)


def over_limit(folder: Path, _: BundleCase) -> Path:
    return oversized_manifest(folder / "b")


# name: (how to make it, a fragment of the message saying why it is refused)
HOSTILE: dict[str, tuple[Callable[[Path, BundleCase], Path], str | None]] = {
    "a-path-leaving-the-bundle": (slipping, "'..' path segment"),
    "symlink": (with_symlink, "symbolic link"),
    "a-compression-bomb": (bomb, "compressed"),
    "duplicate-names": (duplicated, "appears twice"),
    "names-differing-in-case": (case_colliding, "letter case"),
    **{
        f"truncated-to-{length}": (partial(cut, length), None)
        for length in (1, 21, 22, 100, "half", -1, -22, -23, -100)
    },
    "garbage": (partial(written, bytes(range(256)) * 40), "not a ZIP archive"),
    "garbage-after-a-local-header-signature": (
        partial(written, b"PK\x03\x04" + b"\xff" * 5000),
        None,
    ),
    "trailing-data": (appended, "trailing data"),
    "empty-file": (partial(written, b""), "too short"),
    "a-directory": (a_directory, None),
    "no-such-file": (nothing, None),
    **{
        f"deep-cbor-in-{member}": (partial(rewritten, member_replaced(member, DEEP)), "nesting")
        for member in (MANIFEST, CLOSING, KEYS, INCLUSION, ENTRIES)
    },
    "deep-cbor-in-an-entries-item": (
        partial(rewritten, first_entry_then(DEEP)),
        "entries.cborseq item 2",
    ),
    "manifest-over-the-size-limit": (over_limit, "manifest.cbor"),
}

# Sequence items over the limit are read no further than the limit: damage to report where it
# is (one changed byte in a head can make one), not a reason to refuse the bundle.
OVERSIZED_ITEMS = {
    "entries-item-with-a-300-KiB-string": (
        partial(rewritten, first_entry_then(HUGE_STRING_ITEM)),
        "entries.cborseq",
    ),
    "entries-item-with-300-Ki-elements": (
        partial(rewritten, first_entry_then(HUGE_ARRAY_ITEM)),
        "entries.cborseq",
    ),
    "inclusion-item-with-a-300-KiB-string": (
        partial(rewritten, member_replaced(INCLUSION, HUGE_STRING_ITEM)),
        "inclusion.cborseq",
    ),
}


@pytest.mark.parametrize("name", list(OVERSIZED_ITEMS))
def test_a_sequence_item_over_the_limit_is_a_located_problem(
    bundle_case: BundleCase, tmp_path: Path, name: str
) -> None:
    make, member = OVERSIZED_ITEMS[name]
    result = bundle_case.verify(make(tmp_path, bundle_case))
    (malformed,) = [
        p
        for p in result.report.problems
        if p.code == "MEMBER_MALFORMED" and p.where.member == member
    ]
    assert "an item over 262208 bytes" in malformed.message


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_bundle_is_unreadable(bundle_case: BundleCase, tmp_path: Path, name: str) -> None:
    make, match = HOSTILE[name]
    path = make(tmp_path, bundle_case)
    with pytest.raises(BundleUnreadable, match=match) as refused:
        bundle_case.verify(path)
    message = str(refused.value)
    assert len(message) > 20, message
    assert "Traceback" not in message


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_bundle_exits_2_on_the_command_line(
    bundle_case: BundleCase, cli_verify: CliVerify, tmp_path: Path, name: str
) -> None:
    make, _ = HOSTILE[name]
    ran = cli_verify(make(tmp_path, bundle_case), bundle_case.trust_file)
    assert ran.code == 2, (ran.out, ran.err)
    assert ran.err.strip()
    assert "Traceback" not in ran.err + ran.out


def test_a_manifest_over_a_lowered_limit_is_refused_while_decoding(
    bundle_case: BundleCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = dict(bundle_case.members())[MANIFEST]
    monkeypatch.setattr(_layout, "MAX_MANIFEST_SIZE", len(manifest) - 1)
    with pytest.raises(BundleUnreadable, match=r"manifest\.cbor"):
        bundle_case.verify()


def test_a_refused_bundle_leaves_no_open_file(bundle_case: BundleCase, tmp_path: Path) -> None:
    make, _ = HOSTILE["deep-cbor-in-manifest.cbor"]
    path = make(tmp_path, bundle_case)
    before = len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else None
    for _ in range(5):
        with pytest.raises(BundleUnreadable):
            bundle_case.verify(path)
    gc.collect()
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) <= before
