"""PNG images checked chunk by chunk, in bounded memory (PNG Specification, Third Edition).

Pillow decodes a PNG into memory whole: 13,000 x 13,000 pixels take 676 MB, from a file of
under 500 KB. :func:`check_png` holds at most one read of the file and one piece of
decompressed data at a time, whatever the image's size. It walks every chunk, checking each
CRC (5.3), streams the image data (IDAT, and the fdAT frames of an animated PNG) through zlib
with a cap on each piece of output, counts the decompressed bytes against what the header
says the image needs (width, height, bit depth, colour type and interlacing, 7.2 and 8.2),
and checks that every row starts with a filter type from 0 to 4 (7.3). It does not undo the
filters, which cannot fail once their types are valid: data that passes decodes to its last
pixel.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO

import attrs

#: Bytes read from the file at a time.
READ_SIZE = 1 << 16
#: Most bytes of decompressed image data held at a time.
INFLATE_SIZE = 1 << 20
SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_LENGTH = 2**31 - 1  # chunk lengths and image dimensions (5.3, 11.2.1)
_SMALL_CHUNK = 64  # IHDR, acTL and fcTL are 8 to 26 bytes
_FILTER_TYPES = bytes(range(5))
# Bit depths each colour type allows, and its samples per pixel (11.2.1, Table 11.1).
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7 (8.2): where each of the seven passes starts, and its step, as (x, y, dx, dy).
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)


class PngDamaged(Exception):
    """The PNG data is damaged or malformed; the message says where."""


class PngTruncated(PngDamaged):
    """The file ends before the image does."""


@attrs.frozen
class _Header:
    """What IHDR says the image is (11.2.1)."""

    width: int
    height: int
    bits_per_pixel: int
    interlaced: bool
    palette: bool

    @classmethod
    def from_chunk(cls, data: bytes) -> _Header:
        if len(data) != 13:
            raise PngDamaged(f"the IHDR chunk holds {len(data)} bytes, not 13")
        width, height = int.from_bytes(data[:4], "big"), int.from_bytes(data[4:8], "big")
        depth, colour, compression, filtering, interlace = data[8:13]
        if not (0 < width <= _MAX_LENGTH and 0 < height <= _MAX_LENGTH):
            raise PngDamaged(f"IHDR gives an impossible size, {width} x {height}")
        if depth not in _DEPTHS.get(colour, ()):
            raise PngDamaged(f"IHDR gives bit depth {depth} with colour type {colour}")
        if (compression, filtering) != (0, 0) or interlace not in (0, 1):
            raise PngDamaged("IHDR names a compression, filter or interlace method PNG lacks")
        return cls(width, height, depth * _CHANNELS[colour], interlace == 1, colour == 3)

    def passes(self, width: int, height: int) -> list[tuple[int, int]]:
        """(rows, bytes per row with its filter byte) of each non-empty pass of an image."""
        if not self.interlaced:
            return [(height, 1 + (width * self.bits_per_pixel + 7) // 8)]
        passes = []
        for x, y, dx, dy in _ADAM7:
            columns, rows = max(0, (width - x + dx - 1) // dx), max(0, (height - y + dy - 1) // dy)
            if columns and rows:
                passes.append((rows, 1 + (columns * self.bits_per_pixel + 7) // 8))
        return passes


class _Rows:
    """Follows decompressed image data row by row, checking each row's filter type.

    Only the first byte of each row is looked at, a whole piece at a time, by slicing.
    """

    def __init__(self, passes: list[tuple[int, int]]) -> None:
        self._passes = passes
        self._pass = 0
        self._row = 0  # rows of the current pass done
        self._rows_before = 0  # rows of the passes before it
        self._next = 0  # where the next row starts, from the start of the next piece
        self.seen = 0
        self.needed = sum(rows * length for rows, length in passes)

    def feed(self, data: bytes) -> None:
        self.seen += len(data)
        if self.seen > self.needed:
            raise PngDamaged(
                f"the image data decompresses to more than the {self.needed} bytes its size needs"
            )
        at = self._next
        while at < len(data):  # rows remain: more bytes than needed were refused above
            rows, length = self._passes[self._pass]
            count = min(rows - self._row, (len(data) - at + length - 1) // length)
            types = data[at : at + (count - 1) * length + 1 : length]
            if types.translate(None, _FILTER_TYPES):
                bad = next(index for index, kind in enumerate(types) if kind > 4)
                row = self._rows_before + self._row + bad + 1
                raise PngDamaged(f"row {row} of the image data has filter type {types[bad]}")
            at += count * length
            self._row += count
            if self._row == rows:
                self._pass, self._row = self._pass + 1, 0
                self._rows_before += rows
        self._next = at - len(data)


class _Frame:
    """One image's compressed data (all IDAT chunks, or one frame's fdAT chunks)."""

    def __init__(self, passes: list[tuple[int, int]]) -> None:
        self._inflater = zlib.decompressobj()
        self._rows = _Rows(passes)

    def feed(self, data: bytes) -> None:
        # Bytes after the end of the zlib stream are no image data; decoders ignore them.
        try:
            while data and not self._inflater.eof:
                self._rows.feed(self._inflater.decompress(data, INFLATE_SIZE))
                data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise PngDamaged(f"the compressed image data is damaged ({exc})") from exc

    def finish(self) -> None:
        """Check that the data ended with its zlib stream and held exactly the image."""
        try:
            while not self._inflater.eof:  # output zlib holds back for want of room
                piece = self._inflater.decompress(b"", INFLATE_SIZE)
                if not piece:
                    raise PngTruncated("the compressed image data ends before the image does")
                self._rows.feed(piece)
        except zlib.error as exc:
            raise PngDamaged(f"the compressed image data is damaged ({exc})") from exc
        if self._rows.seen != self._rows.needed:
            raise PngDamaged(
                f"the image data decompresses to {self._rows.seen} bytes where its size "
                f"needs {self._rows.needed}"
            )


class _Chunks:
    """Reads the chunks of a PNG file in order, checking every CRC."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.offset = len(SIGNATURE)
        stream.seek(self.offset)

    def next(self) -> tuple[bytes, int]:
        """The next chunk's type and length; its data is to be read with :meth:`data`."""
        head = self._read(8)
        if len(head) < 8:
            raise PngTruncated("the file ends before the PNG end chunk (IEND)")
        length, kind = int.from_bytes(head[:4], "big"), head[4:]
        if not kind.isalpha() or length > _MAX_LENGTH:  # bytes.isalpha: ASCII letters only
            raise PngDamaged(f"no PNG chunk at byte {self.offset - 8} where one belongs")
        return kind, length

    def data(self, kind: bytes, length: int) -> Iterator[bytes]:
        """The chunk's data in pieces; its CRC is checked after the last one."""
        start, crc, left = self.offset - 8, zlib.crc32(kind), length
        while left:
            piece = self._read(min(left, READ_SIZE))
            if not piece:
                raise PngTruncated(f"the file ends inside the {_name(kind)} chunk at byte {start}")
            crc, left = zlib.crc32(piece, crc), left - len(piece)
            yield piece
        stored = self._read(4)
        if len(stored) < 4:
            raise PngTruncated(f"the file ends inside the {_name(kind)} chunk at byte {start}")
        if int.from_bytes(stored, "big") != crc:
            raise PngDamaged(f"the CRC of the {_name(kind)} chunk at byte {start} does not match")

    def whole(self, kind: bytes, length: int) -> bytes:
        """A small chunk's data, whole."""
        if length > _SMALL_CHUNK:
            raise PngDamaged(f"the {_name(kind)} chunk holds {length} bytes")
        return b"".join(self.data(kind, length))

    def _read(self, size: int) -> bytes:
        data = self._stream.read(size)
        self.offset += len(data)
        return data


def _name(kind: bytes) -> str:
    return kind.decode("ascii")


class _Walk:
    """The state of one walk through a PNG's chunks, from IHDR to IEND."""

    def __init__(self, chunks: _Chunks, on_frame: Callable[[int, int], None]) -> None:
        self._chunks = chunks
        self._on_frame = on_frame
        kind, length = chunks.next()
        if kind != b"IHDR":
            raise PngDamaged("the first chunk is not IHDR")
        self._header = _Header.from_chunk(chunks.whole(kind, length))
        self._frame: _Frame | None = None
        self._frame_kind = b""  # the chunk type carrying the open frame's data
        self._frame_size: tuple[int, int] | None = None  # from the last fcTL
        self._idat_done = self._palette = False
        self.announced: int | None = None  # frames acTL announces
        self.controls = 0  # fcTL chunks met
        self.frames = 0  # images checked: the default one, and each frame

    def step(self) -> bool:
        """Take one chunk; return False once IEND is taken."""
        kind, length = self._chunks.next()
        if self._frame is not None and kind != self._frame_kind:
            self._end_frame(self._frame)
        if kind == b"IEND":
            self._chunks.whole(kind, length)
            return False
        if kind == b"IDAT":
            self._image_data(kind, length)
        elif kind == b"fdAT":
            self._frame_data(kind, length)
        else:
            self._other(kind, length)
        return True

    def finish(self) -> int:
        """The number of frames, once IEND was taken."""
        if not self._idat_done:
            raise PngDamaged("the file holds no image data (no IDAT chunk)")
        if self.announced is not None and self.announced != self.controls:
            raise PngDamaged(
                f"acTL announces {self.announced} frames, the file has {self.controls}"
            )
        return self.frames

    def _image_data(self, kind: bytes, length: int) -> None:
        if self._idat_done:
            raise PngDamaged("the IDAT chunks are not consecutive")
        if self._header.palette and not self._palette:
            raise PngDamaged("a palette image without a PLTE chunk before its data")
        frame = self._frame
        if frame is None:
            # An fcTL before IDAT makes the default image the first frame, of the same size.
            frame = self._start_frame(kind, self._header.width, self._header.height)
            self._frame_size = None
        self._feed(frame, kind, length, skip=0)

    def _frame_data(self, kind: bytes, length: int) -> None:
        frame = self._frame
        if frame is None:
            if self._frame_size is None:
                raise PngDamaged("an fdAT chunk without an fcTL chunk before it")
            frame, self._frame_size = self._start_frame(kind, *self._frame_size), None
        if length < 4:
            raise PngDamaged("an fdAT chunk too short for its sequence number")
        self._feed(frame, kind, length, skip=4)

    def _other(self, kind: bytes, length: int) -> None:
        if kind == b"PLTE":
            self._palette = True
        if kind == b"acTL":
            self.announced = int.from_bytes(self._chunks.whole(kind, length)[:4], "big")
        elif kind == b"fcTL":
            self._frame_size = self._frame_control(self._chunks.whole(kind, length))
            self.controls += 1
        else:
            for _ in self._chunks.data(kind, length):  # read for its CRC only
                pass

    def _frame_control(self, data: bytes) -> tuple[int, int]:
        """The size of the frame an fcTL chunk starts (APNG, 11.3.6.2)."""
        if len(data) != 26:
            raise PngDamaged(f"an fcTL chunk holds {len(data)} bytes, not 26")
        width, height, x, y = (int.from_bytes(data[at : at + 4], "big") for at in (4, 8, 12, 16))
        if not (width and height and x + width <= self._header.width):
            raise PngDamaged(f"an fcTL chunk gives a frame of {width} x {height} at {x}, {y}")
        if y + height > self._header.height:
            raise PngDamaged(f"an fcTL chunk gives a frame of {width} x {height} at {x}, {y}")
        return width, height

    def _start_frame(self, kind: bytes, width: int, height: int) -> _Frame:
        self._on_frame(width, height)  # may refuse it before anything is decompressed
        self.frames += 1
        self._frame, self._frame_kind = _Frame(self._header.passes(width, height)), kind
        return self._frame

    def _feed(self, frame: _Frame, kind: bytes, length: int, *, skip: int) -> None:
        for piece in self._chunks.data(kind, length):
            if skip:  # the sequence number that starts an fdAT chunk
                piece, skip = piece[skip:], max(0, skip - len(piece))
            frame.feed(piece)

    def _end_frame(self, frame: _Frame) -> None:
        frame.finish()
        self._idat_done = self._idat_done or self._frame_kind == b"IDAT"
        self._frame = None


def check_png(stream: BinaryIO, on_frame: Callable[[int, int], None]) -> int:
    """Check a PNG file from its signature to its IEND chunk; return its number of frames.

    Args:
        stream: the file, open for reading; it is read from its start.
        on_frame: called with each image's width and height before its data is
            decompressed (the default image, then each frame of an animated PNG), so the
            caller can refuse to go on by raising.

    Returns:
        The images checked: 1 for a still image; for an animated one its frames, and the
        default image too when it is not the first frame (as Pillow counts them).

    Raises:
        PngTruncated: the file ends before IEND.
        PngDamaged: anything else is wrong; the message says what and where.
        OSError: reading the file failed.
    """
    stream.seek(0)
    if stream.read(len(SIGNATURE)) != SIGNATURE:
        raise PngDamaged("the file does not start with the PNG signature")
    walk = _Walk(_Chunks(stream), on_frame)
    while walk.step():
        pass
    return walk.finish()
