"""PNG checked as a stream: CRCs, lengths, filter types and frames, in bounded memory.

The crafted files are built here, chunk by chunk, after the PNG Specification (Third
Edition); the well-formed ones are also written by Pillow, an independent writer.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from custody.intake._images import DecodeState, ImageFacts, probe_image
from custody.intake._png import PngDamaged, PngTruncated, check_png
from damaged_images import assert_probe_is_consistent, damaged


def chunk(kind: bytes, data: bytes, *, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def header(
    width: int, height: int, *, depth: int = 8, colour: int = 2, interlace: int = 0
) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))


def rows(width: int, height: int, *, filters: bytes = b"\x00", pixel: int = 3) -> bytes:
    """Raw image data: each row its filter type (cycling through ``filters``), then pixels."""
    data = bytearray()
    for row in range(height):
        data.append(filters[row % len(filters)])
        data += bytes((row + column) % 256 for column in range(width * pixel))
    return bytes(data)


def idat(raw: bytes, pieces: int = 1) -> bytes:
    packed = zlib.compress(raw)
    size = -(-len(packed) // pieces)
    return b"".join(chunk(b"IDAT", packed[at : at + size]) for at in range(0, len(packed), size))


def png(*chunks: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


END = chunk(b"IEND", b"")


def probe(tmp_path: Path, data: bytes) -> ImageFacts:
    path = tmp_path / "image.png"
    path.write_bytes(data)
    return probe_image(path)


@pytest.fixture(autouse=True)
def pillow_never_decodes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: ImageFile.ImageFile) -> Any:
        raise AssertionError("Pillow was asked to decode a PNG")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_well_formed_image_in_several_chunks_is_complete(tmp_path: Path) -> None:
    data = png(header(40, 30), idat(rows(40, 30, filters=b"\x00\x01\x02\x03\x04"), 5), END)

    facts = probe(tmp_path, data)

    assert (facts.format, facts.width, facts.height) == ("PNG", 40, 30)
    assert (facts.decodes, facts.frames, facts.problem) == (DecodeState.COMPLETE, 1, None)


@pytest.mark.parametrize("interlace", [0, 1])
@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
@pytest.mark.parametrize("size", [(1, 1), (3, 7), (9, 2), (33, 17)])
def test_images_pillow_writes_are_complete(
    tmp_path: Path, mode: str, size: tuple[int, int], interlace: int
) -> None:
    image = Image.frombytes("RGB", size, bytes(range(256)) * (size[0] * size[1] * 3 // 256 + 1))
    path = tmp_path / "written.png"
    image.convert(mode).save(path, interlace=interlace)

    facts = probe_image(path)

    assert (facts.decodes, facts.frames) == (DecodeState.COMPLETE, 1)


def test_a_file_cut_inside_its_image_data_is_truncated(tmp_path: Path) -> None:
    whole = png(header(40, 30), idat(rows(40, 30)), END)

    facts = probe(tmp_path, whole[:60])

    assert facts.decodes is DecodeState.TRUNCATED
    assert facts.problem == "the file ends inside the IDAT chunk at byte 33"


def test_a_file_without_its_end_chunk_is_truncated(tmp_path: Path) -> None:
    facts = probe(tmp_path, png(header(40, 30), idat(rows(40, 30))))

    assert (facts.decodes, facts.problem) == (
        DecodeState.TRUNCATED,
        "the file ends before the PNG end chunk (IEND)",
    )


def test_image_data_whose_zlib_stream_stops_short_is_truncated(tmp_path: Path) -> None:
    packer = zlib.compressobj()
    packed = packer.compress(rows(40, 30)) + packer.flush(zlib.Z_SYNC_FLUSH)  # never finished

    facts = probe(tmp_path, png(header(40, 30), chunk(b"IDAT", packed), END))

    assert (facts.decodes, facts.problem) == (
        DecodeState.TRUNCATED,
        "the compressed image data ends before the image does",
    )


@pytest.mark.parametrize("damaged", [b"IDAT", b"tEXt", b"IEND"])
def test_a_chunk_whose_crc_does_not_match_is_corrupt(tmp_path: Path, damaged: bytes) -> None:
    # Pillow checks the CRCs of the chunks before the image data only, and never IDAT's.
    packed = zlib.compress(rows(4, 4))
    parts = [
        header(4, 4),
        chunk(b"IDAT", packed, crc=0 if damaged == b"IDAT" else None),
        chunk(b"tEXt", b"Comment\x00hello", crc=0 if damaged == b"tEXt" else None),
        chunk(b"IEND", b"", crc=0 if damaged == b"IEND" else None),
    ]
    at = {b"IDAT": 33, b"tEXt": 33 + 12 + len(packed), b"IEND": 33 + 12 + len(packed) + 25}

    facts = probe(tmp_path, png(*parts))

    assert facts.decodes is DecodeState.CORRUPT
    assert facts.problem == (
        f"the CRC of the {damaged.decode()} chunk at byte {at[damaged]} does not match"
    )


def test_a_row_with_a_filter_type_png_lacks_is_corrupt(tmp_path: Path) -> None:
    raw = bytearray(rows(10, 6))
    raw[2 * 31] = 7  # the third row's filter byte (each row: 1 + 10 x 3 bytes)

    facts = probe(tmp_path, png(header(10, 6), idat(bytes(raw)), END))

    assert (facts.decodes, facts.problem) == (
        DecodeState.CORRUPT,
        "row 3 of the image data has filter type 7",
    )


@pytest.mark.parametrize(
    ("height", "problem"),
    [
        (5, "the image data decompresses to 155 bytes where its size needs 186"),
        (7, "the image data decompresses to more than the 186 bytes its size needs"),
    ],
)
def test_image_data_of_the_wrong_length_is_corrupt(
    tmp_path: Path, height: int, problem: str
) -> None:
    facts = probe(tmp_path, png(header(10, 6), idat(rows(10, height)), END))

    assert (facts.decodes, facts.problem) == (DecodeState.CORRUPT, problem)


def test_interlaced_images_are_measured_pass_by_pass(tmp_path: Path) -> None:
    # Adam7 over 10 x 6 pixels of 8-bit grey: the seven passes are 2x1, 1x1, 3x1, 2x2, 5x1,
    # 5x3 and 10x3 pixels (columns x rows), each row as long as its pass is wide: 12 rows
    # and 72 bytes in all, where the image without interlacing needs 6 rows of 11.
    passes = [(2, 1), (1, 1), (3, 1), (2, 2), (5, 1), (5, 3), (10, 3)]
    raw = b"".join(b"\x00" + bytes(columns) for columns, count in passes for _ in range(count))
    interlaced = header(10, 6, colour=0, interlace=1)

    assert probe(tmp_path, png(interlaced, idat(raw), END)).decodes is DecodeState.COMPLETE
    flat = bytes(6 * 11)  # zeros: every byte a valid filter type, only the length is wrong
    facts = probe(tmp_path, png(interlaced, idat(flat), END))
    assert (facts.decodes, facts.problem) == (
        DecodeState.CORRUPT,
        "the image data decompresses to 66 bytes where its size needs 72",
    )
    bad = bytearray(raw)
    bad[3 + 2 + 4] = 9  # the first row of the fourth pass: row 4 of the data
    facts = probe(tmp_path, png(interlaced, idat(bytes(bad)), END))
    assert facts.problem == "row 4 of the image data has filter type 9"


def test_image_data_cut_by_another_chunk_ends_there(tmp_path: Path) -> None:
    packed = zlib.compress(rows(10, 6))
    text = chunk(b"tEXt", b"a\x00b")
    split = chunk(b"IDAT", packed[:20]) + text + chunk(b"IDAT", packed[20:])
    more = chunk(b"IDAT", packed) + text + chunk(b"IDAT", zlib.compress(b""))

    facts = probe(tmp_path, png(header(10, 6), split, END))
    assert (facts.decodes, facts.problem) == (
        DecodeState.TRUNCATED,
        "the compressed image data ends before the image does",
    )
    facts = probe(tmp_path, png(header(10, 6), more, END))
    assert (facts.decodes, facts.problem) == (
        DecodeState.CORRUPT,
        "the IDAT chunks are not consecutive",
    )


def test_a_palette_image_needs_its_palette(tmp_path: Path) -> None:
    raw = rows(4, 4, pixel=1)
    palette = chunk(b"PLTE", bytes(3 * 256))

    with_palette = png(header(4, 4, colour=3), palette, idat(raw), END)
    without = png(header(4, 4, colour=3), idat(raw), END)

    assert probe(tmp_path, with_palette).decodes is DecodeState.COMPLETE
    with pytest.raises(PngDamaged, match="without a PLTE chunk"):
        check_png(io.BytesIO(without), lambda width, height: None)


def animation(tmp_path: Path, *, default_image: bool = False) -> bytes:
    frames = [Image.new("RGBA", (40, 30), (shade, 0, 0, 255)) for shade in range(0, 250, 50)]
    path = tmp_path / "animation.png"
    frames[0].save(
        path, save_all=True, append_images=frames[1:], duration=100, default_image=default_image
    )
    return path.read_bytes()


@pytest.mark.parametrize("default_image", [False, True])
def test_every_frame_of_an_animation_is_checked(tmp_path: Path, default_image: bool) -> None:
    data = animation(tmp_path, default_image=default_image)
    sizes: list[tuple[int, int]] = []

    frames = check_png(io.BytesIO(data), lambda width, height: sizes.append((width, height)))

    with Image.open(io.BytesIO(data)) as image:
        assert frames == image.n_frames == len(sizes)
    assert probe(tmp_path, data).frames == frames


def test_a_damaged_frame_of_an_animation_is_found(tmp_path: Path) -> None:
    data = bytearray(animation(tmp_path))
    last = data.rindex(b"fdAT")
    length = int.from_bytes(data[last - 4 : last], "big")
    packed = zlib.decompress(bytes(data[last + 8 : last + 4 + length]))
    damaged = bytearray(packed)
    damaged[0] = 5
    payload = data[last + 4 : last + 8] + zlib.compress(bytes(damaged))
    data[last - 4 : last + 8 + length] = chunk(b"fdAT", bytes(payload))

    facts = probe(tmp_path, bytes(data))

    assert (facts.decodes, facts.problem) == (
        DecodeState.CORRUPT,
        "row 1 of the image data has filter type 5",
    )


def test_an_animation_missing_frames_it_announces_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(animation(tmp_path))
    at = data.index(b"acTL") + 4
    data[at : at + 4] = (9).to_bytes(4, "big")
    data[at + 8 : at + 12] = zlib.crc32(b"acTL" + data[at : at + 8]).to_bytes(4, "big")

    facts = probe(tmp_path, bytes(data))

    assert (facts.decodes, facts.problem) == (
        DecodeState.CORRUPT,
        "acTL announces 9 frames, the file has 5",
    )


def test_a_large_image_is_checked_in_bounded_memory() -> None:
    width = height = 4000  # 48 MB of pixels once decompressed
    packer, packed = zlib.compressobj(), []
    row = bytes(1 + 3 * width)
    packed = [packer.compress(row) for _ in range(height)] + [packer.flush()]
    data = png(header(width, height), chunk(b"IDAT", b"".join(packed)), END)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        frames = check_png(io.BytesIO(data), lambda w, h: None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert frames == 1
    assert peak < 4 << 20


def test_a_frame_can_be_refused_before_it_is_decompressed() -> None:
    data = png(header(40, 30), idat(rows(40, 30)), END)

    def refuse(width: int, height: int) -> None:
        raise OverflowError(f"{width} x {height}")

    with pytest.raises(OverflowError, match="40 x 30"):
        check_png(io.BytesIO(data), refuse)
    with pytest.raises(PngTruncated):
        check_png(io.BytesIO(data[:-12]), lambda width, height: None)


@given(
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6),
    keep=st.floats(0, 1),
)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_pngs_never_raise(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[float, int]], keep: float
) -> None:
    path = tmp_path_factory.mktemp("damaged") / "image.png"
    path.write_bytes(damaged(png(header(12, 9), idat(rows(12, 9), 3), END), edits, keep))
    assert_probe_is_consistent(path)
