"""Reading the bundle's CBOR sequence members (RFC 8742) item by item, in bounded memory.

A bundle of many events spends much of its reading time here, so the member is read in
large blocks and each item decoded from memory. Items of the two shapes the sequences hold,
``[index, signed event]`` and ``[index, [hash, ...]]`` with every head in its shortest form,
are decoded on a fast path. Anything else (another shape or type, a longer head than needed,
a length past the member's end, an item over the limit) is read again from its first byte
on the careful path: the item is delimited head by head and handed to the strict decoder,
which accepts only deterministic CBOR and names what is wrong. Both paths accept the same
items and decode them to the same values; a property test holds them to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from custody.bundle._layout import MAX_SEQUENCE_ITEM, decode_member
from custody.encoding import SHORTEST_MINIMUM
from custody.errors import InvalidInput

_BLOCK = 1 << 20
#: Bytes that follow the initial byte for additional information 24..27 (RFC 8949 §3).
_ARGUMENT_SIZES = {24: 1, 25: 2, 26: 4, 27: 8}
_UNSIGNED, _BYTES, _TEXT, _ARRAY, _MAP = 0, 2, 3, 4, 5
_HASH_ITEM = 34  # a 32-byte byte string: head 0x58 0x20, then the hash


def read_sequence(stream: BinaryIO, member: str, size: int) -> Iterator[tuple[int, Any]]:
    """The data items of a CBOR sequence member of ``size`` bytes, decoded strictly.

    Yields:
        (position, decoded item); position counts from 1 for messages.

    Raises:
        BundleUnreadable: an item nested deeper than the bundle's limit.
        InvalidInput: an item that is not deterministic CBOR, a truncated one, or one over
            the item limit.
    """
    return _SequenceReader(stream, member, size).items()


class _SequenceReader:
    """A window on the member: ``_data[_at:]`` is read but not yet decoded, and the item
    being decoded starts at ``_start`` (kept across refills, so it can be read again)."""

    def __init__(self, stream: BinaryIO, member: str, size: int) -> None:
        self._stream = stream
        self._member = member
        self._unread = size  # bytes of the member not yet taken from the stream
        self._data = b""
        self._at = 0
        self._start = 0

    def items(self) -> Iterator[tuple[int, Any]]:
        position = 0
        while True:
            self._start = self._at
            if not self._fill(1):
                return
            position += 1
            plain = self._plain()
            if plain is None:
                where = f"{self._member} item {position}"
                plain = decode_member(self._delimit(where), where, MAX_SEQUENCE_ITEM)
            yield position, plain

    # -- the fast path ---------------------------------------------------------------------

    def _plain(self) -> list[Any] | None:
        """The item at ``_at`` if it has one of the sequences' shapes in deterministic CBOR
        and lies whole within the member and the item limit; ``None`` leaves it to the
        careful path. A window that may end inside the item is refilled once."""
        found = _pair(self._data, self._at)
        if found is None and self._fill(min(MAX_SEQUENCE_ITEM, self._left())):
            found = _pair(self._data, self._at)
        if found is None or found[1] - self._at > MAX_SEQUENCE_ITEM:
            return None
        value, self._at = found
        return value

    # -- the careful path --------------------------------------------------------------------

    def _delimit(self, where: str) -> bytes:
        """The raw bytes of the item starting at ``_at``, found head by head.

        Raises:
            InvalidInput: not an item of the sequences' subset of CBOR, truncated, or over
                the item limit.
        """
        pending = 1
        while pending:
            major, _, argument = self._head(where)
            pending -= 1
            if major in (_BYTES, _TEXT):
                self._skip(argument, where)
            elif major in (_ARRAY, _MAP):
                pending += argument * (2 if major == _MAP else 1)
                if pending > self._left():
                    raise InvalidInput(
                        "truncated: an item has more elements than the member has bytes",
                        field=where,
                    )
            self._check_item_size(0, where)
        return self._data[self._start : self._at]

    def _skip(self, length: int, where: str) -> None:
        # Both a length past the member's end and one over the item limit are damage: the
        # bytes are never read, so they cost nothing.
        if length > self._left():
            raise InvalidInput("truncated: an item runs past the member's end", field=where)
        self._check_item_size(length, where)
        self._fill(length)
        self._at += length

    def _check_item_size(self, more: int, where: str) -> None:
        # No more than the limit is ever read into memory, so an item over it is a finding
        # about the member: one changed byte in a head can make one.
        if self._at - self._start + more > MAX_SEQUENCE_ITEM:
            raise InvalidInput(
                f"an item over {MAX_SEQUENCE_ITEM} bytes, larger than any bundle item",
                field=where,
            )

    # -- the window --------------------------------------------------------------------------

    def _head(self, where: str) -> tuple[int, int, int]:
        """Consume the next head: (major type, additional information, argument).

        Raises:
            InvalidInput: a type or length form the sequences never hold, or truncated.
        """
        if not self._fill(1):
            raise _truncated(where)
        initial = self._data[self._at]
        major, info = initial >> 5, initial & 0x1F
        if major > _MAP or info > 27:
            raise InvalidInput("not an item of the bundle's CBOR subset", field=where)
        size = _ARGUMENT_SIZES.get(info, 0)
        if not size:
            self._at += 1
            return major, info, info
        if not self._fill(1 + size):
            raise _truncated(where)
        argument = int.from_bytes(self._data[self._at + 1 : self._at + 1 + size], "big")
        self._at += 1 + size
        return major, info, argument

    def _left(self) -> int:
        """Bytes of the member after ``_at``."""
        return len(self._data) - self._at + self._unread

    def _fill(self, length: int) -> bool:
        """Whether ``length`` bytes from ``_at`` are in the window, reading on if needed;
        ``False`` if the member ends first. Callers bound ``length`` by the item limit."""
        missing = length - (len(self._data) - self._at)
        if missing <= 0:
            return True
        if missing > self._unread:
            return False
        blocks = [self._data[self._start :]]
        wanted = max(missing, min(_BLOCK, self._unread))
        while wanted > 0:
            block = self._stream.read(wanted)
            if not block:
                raise _truncated(self._member)
            blocks.append(block)
            wanted -= len(block)
            self._unread -= len(block)
        self._data = b"".join(blocks)
        self._at -= self._start
        self._start = 0
        return True


def _pair(data: bytes, at: int) -> tuple[list[Any], int] | None:
    """``[unsigned, bytes]`` or ``[unsigned, [32-byte hash, ...]]`` at ``data[at]``, all heads
    in shortest form, with the offset after it; ``None`` for anything else or a cut-off item.
    """
    if data[at] != 0x82:  # an array of two
        return None
    index, at = _argument(data, at + 1, _UNSIGNED)
    if index < 0 or at >= len(data):
        return None
    if data[at] >> 5 == _BYTES:
        length, at = _argument(data, at, _BYTES)
        end = at + length
        return None if length < 0 or end > len(data) else ([index, data[at:end]], end)
    count, at = _argument(data, at, _ARRAY)
    end = at + _HASH_ITEM * count
    if count < 0 or end > len(data):
        return None
    hashes = data[at:end]
    # Every element is a byte string of 32 (0x58 0x20): checked for all of them at once.
    if hashes[0::_HASH_ITEM] != b"\x58" * count or hashes[1::_HASH_ITEM] != b"\x20" * count:
        return None
    return [index, [hashes[n + 2 : n + _HASH_ITEM] for n in range(0, len(hashes), _HASH_ITEM)]], end


def _argument(data: bytes, at: int, major: int) -> tuple[int, int]:
    """The argument of a head of type ``major`` at ``data[at]`` and the offset after the head;
    ``(-1, at)`` if the head is of another type, longer than needed, or cut off."""
    if at >= len(data) or data[at] >> 5 != major:
        return -1, at
    info = data[at] & 0x1F
    if info < 24:
        return info, at + 1
    size = _ARGUMENT_SIZES.get(info)
    if size is None or at + 1 + size > len(data):
        return -1, at
    argument = int.from_bytes(data[at + 1 : at + 1 + size], "big")
    return (argument, at + 1 + size) if argument >= SHORTEST_MINIMUM[info] else (-1, at)


def _truncated(where: str) -> InvalidInput:
    return InvalidInput("truncated: the member ends inside an item", field=where)
