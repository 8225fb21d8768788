"""Image probe: format from content, decode states for broken files, bombs, round trips."""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from custody import encoding
from custody.errors import InvalidInput
from custody.intake._images import MAX_PIXELS, OCTET_STREAM, DecodeState, ImageFacts, probe_image
from damaged_images import assert_probe_is_consistent, damaged

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
GOOD = sorted(
    path
    for path in IMAGES.rglob("*")
    if path.suffix.lower() in {".jpg", ".tiff"} and path.name != "corrupted.jpg"
)
PHOTO = IMAGES / "jpg" / "gps" / "DSCN0010.jpg"


def sample_id(path: Path) -> str:
    return path.relative_to(IMAGES).as_posix()


@pytest.mark.parametrize("path", GOOD, ids=sample_id)
def test_good_samples_decode_completely(path: Path) -> None:
    facts = probe_image(path)

    assert facts.decodes is DecodeState.COMPLETE
    assert facts.problem is None
    assert facts.frames == 1
    assert (facts.format, facts.media_type) in {("JPEG", "image/jpeg"), ("TIFF", "image/tiff")}
    with Image.open(path) as image:
        assert (facts.width, facts.height) == image.size


def test_corrupted_sample_is_corrupt_where_its_bytes_were_overwritten() -> None:
    facts = probe_image(IMAGES / "jpg" / "corrupted.jpg")

    assert facts.decodes is DecodeState.CORRUPT
    assert (facts.format, facts.width, facts.height) == ("JPEG", 3648, 2736)
    assert facts.problem == (
        "invalid JPEG marker 0xFF9F at byte 229375, after 16383 bytes of 0xFF from byte 212992"
    )


@pytest.mark.parametrize(
    "name", ["invalid/image00971.jpg", "invalid/image01088.jpg", "invalid/image01137.jpg"]
)
def test_invalid_samples_are_whole_images(name: str) -> None:
    # "Invalid" for EXIF readers: their EXIF-like facts sit in XMP; the JPEG data is whole.
    facts = probe_image(IMAGES / "jpg" / name)

    assert facts.decodes is DecodeState.COMPLETE
    assert facts.format == "JPEG"


def test_format_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    renamed = tmp_path / "holiday.png"
    shutil.copyfile(PHOTO, renamed)

    facts = probe_image(renamed)

    assert (facts.format, facts.media_type) == ("JPEG", "image/jpeg")
    assert facts.decodes is DecodeState.COMPLETE


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_copy_is_truncated(tmp_path: Path, fraction: float) -> None:
    data = PHOTO.read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: int(len(data) * fraction)])

    facts = probe_image(cut)

    assert facts.decodes is DecodeState.TRUNCATED
    assert facts.format == "JPEG"
    assert facts.problem is not None
    assert "truncated" in facts.problem


@pytest.mark.parametrize("path", [p for p in GOOD if p.suffix == ".jpg"], ids=sample_id)
def test_every_sample_photograph_cut_short_is_truncated(tmp_path: Path, path: Path) -> None:
    data = path.read_bytes()
    states = set()
    for cut in (len(data) // 3, 2 * len(data) // 3, len(data) - 1):
        (tmp_path / "cut.jpg").write_bytes(data[:cut])
        states.add(probe_image(tmp_path / "cut.jpg").decodes)

    assert states == {DecodeState.TRUNCATED}


def test_a_copy_missing_only_its_end_marker_is_truncated(tmp_path: Path) -> None:
    cut = tmp_path / "no-eoi.jpg"
    cut.write_bytes(PHOTO.read_bytes()[:-2])

    assert probe_image(cut).decodes is DecodeState.TRUNCATED


def test_a_block_of_overwritten_bytes_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(PHOTO.read_bytes())
    data[60_000:64_096] = b"\xff" * 4096  # a flash page written as erased
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(bytes(data))

    facts = probe_image(damaged)

    assert facts.decodes is DecodeState.CORRUPT
    assert facts.problem  # here libjpeg itself gives up; corrupted.jpg is one it decodes


def test_random_bytes_are_not_an_image(tmp_path: Path) -> None:
    noise = tmp_path / "photo.jpg"
    noise.write_bytes(random.Random(2026).randbytes(4096))

    facts = probe_image(noise)

    assert facts == ImageFacts(
        None, OCTET_STREAM, None, None, None, DecodeState.NOT_AN_IMAGE, facts.problem
    )
    assert facts.problem == "not an image format Pillow can read"


def test_an_empty_file_is_not_an_image(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.touch()

    facts = probe_image(empty)

    assert (facts.decodes, facts.problem) == (DecodeState.NOT_AN_IMAGE, "the file is empty")


def test_a_huge_png_header_is_too_large_and_never_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(100_000, 100_000))
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)

    facts = probe_image(bomb)

    assert facts.decodes is DecodeState.TOO_LARGE
    assert facts.problem is not None
    assert "10000000000 pixels" in facts.problem


def test_the_limit_holds_when_pillows_own_is_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(100_000, 100_000))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)

    facts = probe_image(bomb)

    assert facts.decodes is DecodeState.TOO_LARGE
    assert (facts.format, facts.media_type) == ("PNG", "image/png")
    assert (facts.width, facts.height) == (100_000, 100_000)
    assert facts.problem == f"10000000000 pixels, more than the limit of {MAX_PIXELS}; not decoded"


def test_probing_changes_no_pillow_setting(tmp_path: Path) -> None:
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(PHOTO.read_bytes()[:20_000])

    probe_image(cut)
    probe_image(IMAGES / "jpg" / "corrupted.jpg")

    assert before == (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)


def test_every_frame_is_counted_and_checked(tmp_path: Path) -> None:
    frames = [Image.new("L", (40, 30), shade) for shade in range(0, 250, 50)]
    pages = tmp_path / "pages.tif"
    frames[0].save(pages, save_all=True, append_images=frames[1:], compression="tiff_lzw")
    animation = tmp_path / "animation.gif"
    frames[0].save(animation, save_all=True, append_images=frames[1:])
    cut = tmp_path / "cut.gif"
    cut.write_bytes(animation.read_bytes()[:-40])

    assert probe_image(pages).frames == 5
    assert probe_image(animation).frames == 5
    assert probe_image(cut).decodes is DecodeState.TRUNCATED


def test_multi_picture_jpeg_checks_each_picture(tmp_path: Path) -> None:
    mpo = tmp_path / "camera.jpg"
    Image.new("RGB", (800, 600), "red").save(
        mpo, "MPO", save_all=True, append_images=[Image.new("RGB", (160, 120), "blue")]
    )
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(mpo.read_bytes()[:-300])  # inside the second picture

    whole = probe_image(mpo)
    assert (whole.format, whole.frames, whole.decodes) == ("MPO", 2, DecodeState.COMPLETE)
    assert probe_image(cut).decodes is DecodeState.TRUNCATED


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_a_tiff_whose_directory_is_cut_off_is_truncated(tmp_path: Path) -> None:
    whole = io.BytesIO()
    pixels = Image.frombytes("RGB", (64, 64), bytes(range(256)) * 48)
    pixels.save(whole, "TIFF", compression="tiff_adobe_deflate")
    cut = tmp_path / "cut.tif"
    cut.write_bytes(whole.getvalue()[:-200])  # Pillow writes the directory last

    facts = probe_image(cut)

    assert facts.decodes is DecodeState.TRUNCATED
    assert facts.problem is not None
    assert "TIFF" in facts.problem


@given(
    sample=st.sampled_from([p for p in GOOD if p.stat().st_size < 200_000]),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=16),
    keep=st.floats(0, 1),
)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.filterwarnings("ignore")  # Pillow warns about some damage it survives
def test_damaged_images_never_raise(
    tmp_path_factory: pytest.TempPathFactory,
    sample: Path,
    edits: list[tuple[float, int]],
    keep: float,
) -> None:
    path = tmp_path_factory.mktemp("damaged") / "image.bin"
    path.write_bytes(damaged(sample.read_bytes(), edits, keep))
    assert_probe_is_consistent(path)


def test_unreadable_paths_raise_invalid_input_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jpg"
    with pytest.raises(InvalidInput, match="cannot open") as raised:
        probe_image(missing)
    assert raised.value.field == str(missing)
    with pytest.raises(InvalidInput, match="not a regular file"):
        probe_image(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)

    with pytest.raises(InvalidInput, match="not a regular file"):
        probe_image(fifo)


# Round trips and strict decoding.

image_facts = st.one_of(
    st.builds(
        ImageFacts,
        st.sampled_from(["JPEG", "TIFF", "PNG", "MPO"]),
        st.sampled_from(["image/jpeg", "image/tiff", "image/png", "image/mpo"]),
        st.integers(1, 2**31),
        st.integers(1, 2**31),
        st.integers(1, 10_000),
        st.just(DecodeState.COMPLETE),
    ),
    st.builds(
        ImageFacts,
        st.none() | st.just("JPEG"),
        st.just(OCTET_STREAM),
        st.none(),
        st.none(),
        st.none(),
        st.sampled_from([DecodeState.TRUNCATED, DecodeState.CORRUPT, DecodeState.TOO_LARGE]),
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).filter(str.strip),
    ),
)


@given(image_facts)
def test_image_facts_round_trip(facts: ImageFacts) -> None:
    data = facts.to_dict()

    assert ImageFacts.from_dict(data) == facts
    assert ImageFacts.from_dict(encoding.decode(encoding.encode(data))) == facts
    assert None not in data.values()


def test_from_dict_leaves_its_input_alone() -> None:
    data = probe_image(PHOTO).to_dict()
    copy = dict(data)

    ImageFacts.from_dict(data)

    assert data == copy


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "red"}, "image"),
        ({"width": 640.0}, "width"),
        ({"frames": 1.0}, "frames"),
        ({"height": True}, "height"),
        ({"format": None}, "format"),
        ({"decodes": "complete-ish"}, "decodes"),
        ({"media_type": "jpeg"}, "media_type"),
        ({"problem": "complete images have no problem"}, "problem"),
    ],
)
def test_from_dict_refuses(change: dict[str, Any], field: str) -> None:
    data = probe_image(PHOTO).to_dict() | change

    with pytest.raises(InvalidInput) as raised:
        ImageFacts.from_dict(data)

    assert raised.value.field == field


def test_not_an_image_has_no_format() -> None:
    with pytest.raises(InvalidInput, match="no format or size"):
        ImageFacts("JPEG", OCTET_STREAM, None, None, None, DecodeState.NOT_AN_IMAGE, "no")


# Helpers.


def refuse_to_decode(self: ImageFile.ImageFile) -> Any:
    raise AssertionError("the probe decoded an image over the pixel limit")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` RGB pixels and carries almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
