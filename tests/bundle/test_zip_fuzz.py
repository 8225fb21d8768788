"""Fuzzing the bundle ZIP reader: whatever the bytes, it accepts them safely or raises
BundleUnreadable, and nothing else.

Inputs are small valid archives (plain and ZIP64) with random flips, insertions, deletions and
truncations, fully random bytes, and random bytes behind a well-formed end record, which gets
past the first check and exercises the central directory parser.
"""

from __future__ import annotations

import io
import struct
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from custody.bundle import _zip
from custody.bundle._zip import BundleUnreadable, ZipReader, ZipWriter, check_member_name

MEMBERS = [("a.txt", b"alpha"), ("dir/b.bin", bytes(range(40))), ("empty", b""), ("\u00e9", b"e")]


def write(*, zip64: bool) -> bytes:
    limits = (_zip._ZIP64_LIMIT, _zip._ZIP64_COUNT_LIMIT)
    if zip64:
        _zip._ZIP64_LIMIT, _zip._ZIP64_COUNT_LIMIT = 30, 2
    try:
        out = io.BytesIO()
        writer = ZipWriter(out)
        for name, data in MEMBERS:
            writer.add_bytes(name, data)
        writer.close()
    finally:
        _zip._ZIP64_LIMIT, _zip._ZIP64_COUNT_LIMIT = limits
    return out.getvalue()


PLAIN = write(zip64=False)
ZIP64 = write(zip64=True)


def check(data: bytes) -> None:
    """Open ``data`` as a bundle: refused with BundleUnreadable, or accepted and readable."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.zip"
        path.write_bytes(data)
        try:
            reader = ZipReader(path)
        except BundleUnreadable:
            return
        with reader:
            assert reader.archive_size == len(data)
            names = [member.name for member in reader.members]
            assert len(set(names)) == len(names)
            for member in reader.members:
                check_member_name(member.name)
                assert 0 <= member.data_offset <= member.data_offset + member.size <= len(data)
                content = data[member.data_offset : member.data_offset + member.size]
                assert reader.read(member, limit=member.size) == content
                with reader.open(member) as stream:
                    assert stream.read() == content


# (kind, where, amount, payload): the position wraps around the data's length.
Mutation = tuple[str, int, int, bytes]
mutation = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "truncate"]),
    st.integers(0, 1 << 16),
    st.integers(0, 7),
    st.binary(min_size=1, max_size=8),
)


def mutate(data: bytes, changes: list[Mutation]) -> bytes:
    buffer = bytearray(data)
    for kind, where, amount, payload in changes:
        at = where % (len(buffer) + 1)
        if kind == "flip" and at < len(buffer):
            buffer[at] ^= 1 << amount
        elif kind == "insert":
            buffer[at:at] = payload
        elif kind == "delete":
            del buffer[at : at + amount + 1]
        elif kind == "truncate":
            del buffer[at:]
    return bytes(buffer)


@settings(max_examples=300, deadline=None)
@given(base=st.sampled_from([PLAIN, ZIP64]), changes=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_archives_are_read_safely_or_refused(base: bytes, changes: list[Mutation]) -> None:
    check(mutate(base, changes))


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused(data: bytes) -> None:
    check(data)


@settings(max_examples=300, deadline=None)
@given(
    body=st.binary(max_size=600),
    count=st.integers(0, 0xFFFF),
    size=st.integers(0, 0xFFFFFFFF) | st.integers(0, 700),
    offset=st.integers(0, 0xFFFFFFFF) | st.integers(0, 700),
)
def test_random_bytes_behind_an_end_record_are_refused(
    body: bytes, count: int, size: int, offset: int
) -> None:
    check(body + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, offset, 0))


def test_the_unmutated_bases_are_accepted() -> None:
    assert b"PK\x06\x06" in ZIP64
    for base in (PLAIN, ZIP64):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "base.zip"
            path.write_bytes(base)
            with ZipReader(path) as reader:
                assert [member.name for member in reader.members] == [name for name, _ in MEMBERS]
        check(base)
