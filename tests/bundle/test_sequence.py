"""The CBOR sequence reader: known items, every failure, its fast path against the careful one."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody import encoding
from custody.bundle import _sequence
from custody.bundle._layout import MAX_SEQUENCE_ITEM, entry_item, inclusion_item
from custody.bundle._sequence import read_sequence
from custody.errors import BundleUnreadable, InvalidInput

Outcome = tuple[list[Any], str | None]


def read_all(data: bytes, *, careful: bool = False, block: int | None = None) -> Outcome:
    """The items read, and the error that stopped the reading (as ``Type: message``)."""
    items: list[Any] = []
    patch = pytest.MonkeyPatch()
    try:
        if careful:
            patch.setattr(_sequence, "_pair", lambda data, at: None)
        if block is not None:
            patch.setattr(_sequence, "_BLOCK", block)
        for _, item in read_sequence(io.BytesIO(data), "seq.cborseq", len(data)):
            items.append(item)
    except (InvalidInput, BundleUnreadable) as exc:
        return items, f"{type(exc).__name__}: {exc}"
    finally:
        patch.undo()
    return items, None


HASHES = [bytes([n]) * 32 for n in range(15)]


def test_reads_the_two_shapes_of_the_sequences() -> None:
    data = entry_item(7, b"signed event") + inclusion_item(70_000, HASHES) + entry_item(2**40, b"")
    assert read_all(data) == ([[7, b"signed event"], [70_000, HASHES], [2**40, b""]], None)


def test_an_empty_member_has_no_items() -> None:
    assert read_all(b"") == ([], None)


def test_items_spanning_the_reading_blocks_are_read_whole() -> None:
    data = b"".join(
        entry_item(n, bytes([n]) * n) + inclusion_item(n, HASHES[:n]) for n in range(12)
    )
    expected = read_all(data)
    assert expected[1] is None
    assert len(expected[0]) == 24
    for block in (1, 2, 7, 33, 100):
        assert read_all(data, block=block) == expected


def test_other_deterministic_items_are_decoded_strictly() -> None:
    data = encoding.encode({"a": 1}) + encoding.encode("text") + encoding.encode([1, [2, [b"x"]]])
    assert read_all(data) == ([{"a": 1}, "text", [1, [2, [b"x"]]]], None)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (entry_item(1, b"abc")[:-1], "InvalidInput: truncated"),
        (b"\x82\x01\x5a\xff\xff\xff\xff", "InvalidInput: truncated"),
        (b"\x9b" + (2**40).to_bytes(8, "big"), "InvalidInput: truncated"),
        (b"\x82\x18\x01\x40", "InvalidInput: not deterministic CBOR"),
        (b"\x82\x01\x59\x00\x03abc", "InvalidInput: not deterministic CBOR"),
        (b"\x9f\x01\xff", "InvalidInput: not an item of the bundle's CBOR subset"),
        (b"\xc0\x01", "InvalidInput: not an item of the bundle's CBOR subset"),
        (b"\xf5", "InvalidInput: not an item of the bundle's CBOR subset"),
    ],
)
def test_a_damaged_item_is_named(data: bytes, expected: str) -> None:
    items, error = read_all(data)
    assert items == []
    assert error is not None
    kind, message = expected.split(": ", 1)
    assert error.startswith(f"{kind}: seq.cborseq item 1: {message}")


def test_an_item_over_the_limit_is_a_damaged_item() -> None:
    big = MAX_SEQUENCE_ITEM + 1
    data = b"\x82\x01\x5a" + big.to_bytes(4, "big") + bytes(big)
    items, error = read_all(data)
    assert items == []
    assert error is not None
    assert error.startswith("InvalidInput: seq.cborseq item 1: an item over")


def test_items_before_a_damaged_one_are_kept() -> None:
    data = entry_item(1, b"a") + entry_item(2, b"b") + b"\x82\x18\x03\x40"
    items, error = read_all(data)
    assert items == [[1, b"a"], [2, b"b"]]
    assert error is not None
    assert "seq.cborseq item 3" in error


def _sequence_bytes() -> st.SearchStrategy[bytes]:
    entries = st.builds(entry_item, st.integers(0, 2**64 - 1), st.binary(max_size=300))
    proofs = st.builds(
        inclusion_item,
        st.integers(0, 2**64 - 1),
        st.lists(st.binary(min_size=31, max_size=33), max_size=30),
    )
    return st.lists(st.one_of(entries, proofs), max_size=6).map(b"".join)


@st.composite
def _damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(_sequence_bytes()))
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) if draw(st.booleans()) else bytes(data)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_sequence_bytes(), _damaged(), st.binary(max_size=200)))
def test_fast_and_careful_paths_agree(data: bytes) -> None:
    careful = read_all(data, careful=True)
    assert read_all(data) == careful
    assert read_all(data, block=5) == careful


@settings(max_examples=100, deadline=None)
@given(_sequence_bytes())
def test_well_formed_sequences_read_back_without_error(data: bytes) -> None:
    items, error = read_all(data)
    assert error is None
    assert b"".join(encoding.encode(item) for item in items) == data
