"""Derived copies: previews and privacy-safe copies of real camera photographs."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import exifread
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageStat, PngImagePlugin

from custody.errors import InvalidInput
from custody.intake._derive import (
    MAX_PIXELS,
    DerivedFile,
    DerivedKind,
    create_file,
    make_derived,
)

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
GPS_PHOTOS = sorted((IMAGES / "jpg" / "gps").glob("*.jpg"))
ORIENTATION = IMAGES / "jpg" / "orientation"
# Samples from exif-samples whose *metadata* is broken (they crashed EXIF readers); their
# pixels decode, so a copy must succeed and carry none of the broken metadata.
DAMAGED_METADATA = [
    *sorted((IMAGES / "jpg" / "invalid").glob("*.jpg")),
    IMAGES / "jpg/corrupted.jpg",
]
EXIFTOOL = Path(shutil.which("exiftool") or "/nonexistent/exiftool")
KINDS = list(DerivedKind)

# exiftool groups (family 0) that carry camera, location or author metadata.
METADATA_GROUPS = {"EXIF", "XMP", "MakerNotes", "IPTC", "Photoshop", "ICC_Profile", "GPS", "APP14"}


def _derive(source: Path, kind: DerivedKind, out: Path, **options: int) -> DerivedFile:
    return make_derived(source, kind, out / f"{source.stem}.{kind.value}", **options)


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of the segments before the image data, checking nothing follows EOI."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while True:
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: entropy-coded data follows up to EOI
            break
        markers.append(marker)
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    # Inside entropy-coded data 0xFF is always stuffed, so EOI occurs once, at the very end.
    assert data[pos:].count(b"\xff\xd9") == 1
    assert data.endswith(b"\xff\xd9")
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    assert pos == len(data)
    return chunks


def assert_no_metadata(path: Path) -> None:
    """Nothing but pixels: no EXIF, XMP, IPTC, ICC, comment or thumbnail, nothing after EOI."""
    data = path.read_bytes()
    if data[:2] == b"\xff\xd8":
        markers = jpeg_segments(data)
        app_or_comment = [m for m in markers if 0xE0 <= m <= 0xEF or m == 0xFE]
        assert app_or_comment == [0xE0]  # the JFIF header alone
        assert data[6:11] == b"JFIF\x00"
    else:
        chunks = png_chunks(data)
        assert set(chunks) <= {b"IHDR", b"IDAT", b"IEND"}
    for needle in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"8BIM", b"ICC_PROFILE"):
        assert needle not in data
    with path.open("rb") as handle:
        assert exifread.process_file(handle, details=True) == {}
    with Image.open(path) as image:
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment", "photoshop", "adobe"} & set(image.info)


def exif_tags(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        return dict(exifread.process_file(handle, details=True))


def files_in(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


# --- location and metadata -----------------------------------------------------------------


def test_samples_are_present() -> None:
    assert len(GPS_PHOTOS) == 4
    assert all((ORIENTATION / f"landscape_{o}.jpg").is_file() for o in (1, 3, 6, 8))


@pytest.mark.parametrize("photo", GPS_PHOTOS, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", KINDS)
def test_copies_of_gps_photographs_lose_their_location(
    photo: Path, kind: DerivedKind, tmp_path: Path
) -> None:
    assert any(tag.startswith("GPS") for tag in exif_tags(photo))  # the test can see GPS
    derived = _derive(photo, kind, tmp_path)
    tags = exif_tags(derived.path)
    assert not any("GPS" in tag for tag in tags)
    assert tags == {}  # no EXIF block at all
    assert_no_metadata(derived.path)
    assert "gps" not in json.dumps(dict(derived.recipe)).lower()


@pytest.mark.skipif(not EXIFTOOL.exists(), reason="exiftool is not installed")
@pytest.mark.parametrize("photo", GPS_PHOTOS, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", KINDS)
def test_exiftool_finds_no_metadata_groups_in_copies(
    photo: Path, kind: DerivedKind, tmp_path: Path
) -> None:
    def groups(path: Path) -> dict[str, object]:
        run = subprocess.run(
            [str(EXIFTOOL), "-j", "-G", "-a", "-u", str(path)],
            capture_output=True,
            check=True,
            timeout=60,
        )
        return dict(json.loads(run.stdout)[0])

    original = groups(photo)
    assert any("GPS" in key for key in original)  # exiftool sees the location in the original
    assert {"EXIF", "XMP", "MakerNotes"} <= {key.split(":")[0] for key in original}
    copy = groups(_derive(photo, kind, tmp_path).path)
    assert not any("GPS" in key for key in copy)
    assert not METADATA_GROUPS & {key.split(":")[0] for key in copy}


@pytest.mark.parametrize("photo", DAMAGED_METADATA, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", KINDS)
def test_photographs_with_damaged_metadata_give_clean_copies(
    photo: Path, kind: DerivedKind, tmp_path: Path
) -> None:
    derived = _derive(photo, kind, tmp_path)
    assert_no_metadata(derived.path)


def test_embedded_thumbnail_and_trailing_preview_are_dropped(tmp_path: Path) -> None:
    # corrupted.jpg carries an EXIF thumbnail and an Olympus preview after the image's EOI.
    source = IMAGES / "jpg" / "corrupted.jpg"
    assert source.read_bytes().count(b"\xff\xd8") > 1
    derived = make_derived(source, DerivedKind.PRIVACY_SAFE, tmp_path / "copy.jpg")
    data = derived.path.read_bytes()
    assert data.count(b"\xff\xd8") == 1
    with Image.open(source) as original:
        assert (derived.width, derived.height) == original.size


def test_png_text_exif_and_profile_are_dropped(tmp_path: Path) -> None:
    source = tmp_path / "source.png"
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825)[2] = (52.0, 31.0, 0.0)
    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "52.52 N 13.40 E")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    picture = Image.new("RGBA", (20, 10), (200, 30, 30, 255))
    picture.putpixel((0, 0), (0, 0, 0, 0))
    picture.save(source, exif=exif.tobytes(), pnginfo=text, dpi=(300, 300), icc_profile=profile)
    assert any(tag.startswith("GPS") for tag in exif_tags(source))
    derived = make_derived(source, DerivedKind.PRIVACY_SAFE, tmp_path / "copy.png")
    assert derived.media_type == "image/png"
    assert derived.recipe["alpha"] == "kept"
    assert derived.recipe["icc"] == "converted-to-srgb"
    assert png_chunks(derived.path.read_bytes()) == [b"IHDR", b"IDAT", b"IEND"]
    assert b"52.52" not in derived.path.read_bytes()


# --- orientation ---------------------------------------------------------------------------


def thumbnail(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("L").resize((16, 12), Image.Resampling.BOX)


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


def test_privacy_safe_copies_are_upright(tmp_path: Path) -> None:
    copies = {}
    for orientation in (1, 3, 6, 8):
        source = ORIENTATION / f"landscape_{orientation}.jpg"
        with Image.open(source) as original:
            stored = original.size
        derived = _derive(source, DerivedKind.PRIVACY_SAFE, tmp_path)
        assert derived.recipe["orientation_applied"] == orientation
        swapped = orientation in (6, 8)
        assert (derived.width, derived.height) == (stored[::-1] if swapped else stored)
        with Image.open(derived.path) as copy:
            assert copy.size == (derived.width, derived.height) == (600, 450)
        copies[orientation] = thumbnail(derived.path)
    for orientation in (3, 6, 8):
        assert mean_difference(copies[1], copies[orientation]) < 8
    # The comparison can tell: the stored pixels of landscape_3, not turned, are far off.
    assert mean_difference(copies[1], thumbnail(ORIENTATION / "landscape_3.jpg")) > 30


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_previews_are_upright_too(orientation: int, tmp_path: Path) -> None:
    reference = thumbnail(ORIENTATION / "landscape_1.jpg")
    source = ORIENTATION / f"landscape_{orientation}.jpg"
    derived = _derive(source, DerivedKind.PREVIEW, tmp_path, max_side=200)
    assert (derived.width, derived.height) == (200, 150)
    assert mean_difference(reference, thumbnail(derived.path)) < 8


# --- previews, hashes and determinism ------------------------------------------------------


@pytest.mark.parametrize("max_side", [1, 64, 333, 639, 640, 1024])
@pytest.mark.parametrize(
    "source", [GPS_PHOTOS[0], ORIENTATION / "landscape_6.jpg"], ids=lambda p: p.name
)
def test_preview_fits_max_side_and_keeps_aspect_ratio(
    source: Path, max_side: int, tmp_path: Path
) -> None:
    with Image.open(source) as original:
        width, height = original.size
    upright = (height, width) if source.name == "landscape_6.jpg" else (width, height)
    derived = _derive(source, DerivedKind.PREVIEW, tmp_path, max_side=max_side)
    assert max(derived.width, derived.height) == min(max_side, max(upright))
    # Each side is the exact scaled side rounded to a whole pixel (at least one).
    scale = min(1, max_side / max(upright))
    assert abs(derived.width - upright[0] * scale) <= 0.5 or derived.width == 1
    assert abs(derived.height - upright[1] * scale) <= 0.5 or derived.height == 1
    assert derived.media_type == "image/jpeg"
    assert derived.recipe["max_side"] == max_side
    with Image.open(derived.path) as preview:
        assert preview.format == "JPEG"
        assert preview.size == (derived.width, derived.height)


def test_small_images_are_not_enlarged(tmp_path: Path) -> None:
    source = IMAGES / "jpg" / "Canon_40D.jpg"
    with Image.open(source) as original:
        size = original.size
    derived = _derive(source, DerivedKind.PREVIEW, tmp_path)
    assert (derived.width, derived.height) == size


@pytest.mark.parametrize("kind", KINDS)
def test_hash_and_size_are_those_of_the_written_file(kind: DerivedKind, tmp_path: Path) -> None:
    derived = _derive(GPS_PHOTOS[1], kind, tmp_path)
    data = derived.path.read_bytes()
    assert derived.sha256 == hashlib.sha256(data).digest()
    assert derived.size == len(data) == derived.path.stat().st_size
    assert derived.kind is kind
    assert derived.path == tmp_path / f"{GPS_PHOTOS[1].stem}.{kind.value}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "source", [GPS_PHOTOS[2], ORIENTATION / "landscape_8.jpg"], ids=lambda p: p.name
)
def test_same_input_gives_same_bytes(source: Path, kind: DerivedKind, tmp_path: Path) -> None:
    first = make_derived(source, kind, tmp_path / "first", max_side=300, quality=85)
    second = make_derived(source, kind, tmp_path / "second", max_side=300, quality=85)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256 == second.sha256
    assert first.recipe == second.recipe
    assert first.recipe["quality"] == 85


def test_recipe_says_what_was_done(tmp_path: Path) -> None:
    source = ORIENTATION / "landscape_6.jpg"
    preview = _derive(source, DerivedKind.PREVIEW, tmp_path, max_side=256, quality=80)
    assert {
        "operation": "preview",
        "max_side": 256,
        "quality": 80,
        "orientation_applied": 6,
        "format": "JPEG",
        "icc": "converted-to-srgb",
        "frames": 1,
        "frame": 0,
    }.items() <= dict(preview.recipe).items()
    safe = _derive(source, DerivedKind.PRIVACY_SAFE, tmp_path)
    assert safe.recipe["operation"] == "privacy-safe"
    assert safe.recipe["subsampling"] == "4:4:4"
    assert "max_side" not in safe.recipe
    for recipe in (preview.recipe, safe.recipe):
        assert all(type(value) in (str, int) for value in recipe.values())


def test_original_is_untouched(tmp_path: Path) -> None:
    originals = tmp_path / "originals"
    originals.mkdir()
    source = originals / "DSCN0012.jpg"
    shutil.copy2(GPS_PHOTOS[1], source)
    before = source.read_bytes(), source.stat().st_mtime_ns, source.stat().st_mode
    out = tmp_path / "out"
    out.mkdir()
    for kind in KINDS:
        _derive(source, kind, out)
    assert (source.read_bytes(), source.stat().st_mtime_ns, source.stat().st_mode) == before
    assert files_in(originals) == ["DSCN0012.jpg"]  # nothing written beside the original
    assert files_in(out) == ["DSCN0012.preview", "DSCN0012.privacy-safe"]


def test_copies_are_private_to_their_owner(tmp_path: Path) -> None:
    derived = _derive(GPS_PHOTOS[0], DerivedKind.PREVIEW, tmp_path)
    assert derived.path.stat().st_mode & 0o777 == 0o600


# --- broken input --------------------------------------------------------------------------


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _half(path: Path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]


BROKEN: dict[str, Callable[[], bytes]] = {
    "random-bytes": lambda: random.Random(7).randbytes(4096),
    "empty": lambda: b"",
    "text": lambda: b"This is a note, not a photograph.\n" * 20,
    "jpeg-header-only": lambda: GPS_PHOTOS[0].read_bytes()[:600],
    "truncated-jpeg": lambda: _half(GPS_PHOTOS[0]),
    "truncated-orientation-jpeg": lambda: _half(ORIENTATION / "landscape_6.jpg"),
    "truncated-tiff": lambda: _half(IMAGES / "tiff" / "BSG1.tiff"),
    "png-bad-data": lambda: _png(64, 64, b"\x78\x9c" + b"\xff" * 40),
    "png-bomb-header": lambda: _png(100_000, 100_000, zlib.compress(b"\x00" * 1000)),
    "eps": lambda: b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_input_is_refused_and_leaves_nothing(
    case: str, kind: DerivedKind, tmp_path: Path
) -> None:
    source = tmp_path / f"{case}.bin"
    source.write_bytes(BROKEN[case]())
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput) as raised:
        make_derived(source, kind, out / "copy.jpg")
    assert str(source) in str(raised.value)
    assert raised.value.__cause__ is not None or "pixels" in str(raised.value)
    assert files_in(out) == []


def test_missing_source_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        make_derived(tmp_path / "missing.jpg", DerivedKind.PREVIEW, tmp_path / "copy.jpg")
    with pytest.raises(InvalidInput, match="cannot read"):
        make_derived(tmp_path, DerivedKind.PREVIEW, tmp_path / "copy.jpg")
    assert files_in(tmp_path) == []


def test_images_over_the_pixel_limit_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="decompression bomb") as raised:
        make_derived(
            GPS_PHOTOS[0], DerivedKind.PREVIEW, tmp_path / "copy.jpg", max_pixels=640 * 480 - 1
        )
    assert str(GPS_PHOTOS[0]) in str(raised.value)
    made = make_derived(
        GPS_PHOTOS[0], DerivedKind.PREVIEW, tmp_path / "fits.jpg", max_pixels=640 * 480
    )
    assert made.width == 640
    assert files_in(tmp_path) == ["fits.jpg"]


def test_pixel_limit_holds_when_pillow_limit_is_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # as an embedder might
    source = tmp_path / "bomb.png"
    source.write_bytes(_png(20_000, 20_000, zlib.compress(b"\x00" * 1000)))
    assert MAX_PIXELS < 20_000 * 20_000
    with pytest.raises(InvalidInput, match="decompression bomb"):
        make_derived(source, DerivedKind.PRIVACY_SAFE, tmp_path / "copy.jpg")
    assert files_in(tmp_path) == ["bomb.png"]


def test_pillow_limits_are_left_alone(tmp_path: Path) -> None:
    before = Image.MAX_IMAGE_PIXELS
    _derive(GPS_PHOTOS[0], DerivedKind.PREVIEW, tmp_path, max_pixels=10**9)
    assert before == Image.MAX_IMAGE_PIXELS


# --- destinations --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_existing_destination_is_refused_and_kept(kind: DerivedKind, tmp_path: Path) -> None:
    destination = tmp_path / "copy.jpg"
    destination.write_bytes(b"keep me")
    with pytest.raises(InvalidInput, match="refusing to overwrite") as raised:
        make_derived(GPS_PHOTOS[0], kind, destination)
    assert str(destination) in str(raised.value)
    assert destination.read_bytes() == b"keep me"
    assert files_in(tmp_path) == ["copy.jpg"]


def test_dangling_symlink_destination_is_refused(tmp_path: Path) -> None:
    destination = tmp_path / "copy.jpg"
    destination.symlink_to(tmp_path / "elsewhere.jpg")
    with pytest.raises(InvalidInput, match="refusing to overwrite"):
        make_derived(GPS_PHOTOS[0], DerivedKind.PREVIEW, destination)
    assert not (tmp_path / "elsewhere.jpg").exists()


def test_missing_destination_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot create"):
        make_derived(GPS_PHOTOS[0], DerivedKind.PREVIEW, tmp_path / "absent" / "copy.jpg")


def test_failed_write_removes_the_temporary_file(tmp_path: Path) -> None:
    def fail_halfway(handle: io.BufferedIOBase) -> None:
        handle.write(b"partial")
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        create_file(tmp_path / "label.png", fail_halfway)  # type: ignore[arg-type]
    assert files_in(tmp_path) == []


def test_create_file_hashes_what_it_writes(tmp_path: Path) -> None:
    digest, size = create_file(tmp_path / "data", lambda handle: handle.write(b"abc"))
    assert (digest, size) == (hashlib.sha256(b"abc").digest(), 3)
    assert (tmp_path / "data").read_bytes() == b"abc"


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"kind": "thumbnail"}, "kind"),
        ({"max_side": 0}, "max_side"),
        ({"max_side": True}, "max_side"),
        ({"max_side": 70_000}, "max_side"),
        ({"quality": 0}, "quality"),
        ({"quality": 101}, "quality"),
        ({"quality": 90.0}, "quality"),
        ({"max_pixels": 0}, "max_pixels"),
    ],
)
def test_bad_arguments_are_refused(options: dict[str, object], field: str, tmp_path: Path) -> None:
    arguments: dict[str, object] = {"kind": DerivedKind.PREVIEW, **options}
    with pytest.raises(InvalidInput) as raised:
        make_derived(GPS_PHOTOS[0], destination=tmp_path / "copy.jpg", **arguments)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert files_in(tmp_path) == []


def test_kind_may_be_given_by_value(tmp_path: Path) -> None:
    derived = make_derived(GPS_PHOTOS[0], "privacy-safe", tmp_path / "copy.jpg")
    assert derived.kind is DerivedKind.PRIVACY_SAFE


def test_derived_file_is_valid_from_construction(tmp_path: Path) -> None:
    good = {
        "kind": "preview",
        "path": tmp_path / "x.jpg",
        "sha256": bytes(32),
        "size": 1,
        "media_type": "image/jpeg",
        "width": 1,
        "height": 1,
        "recipe": {"operation": "preview"},
    }
    assert DerivedFile(**good).recipe == {"operation": "preview"}  # type: ignore[arg-type]
    for field, bad in [
        ("sha256", b"short"),
        ("width", 0),
        ("media_type", "image/gif"),
        ("recipe", {"scale": 0.5}),
        ("recipe", {"flag": True}),
        ("kind", "thumbnail"),
    ]:
        with pytest.raises(InvalidInput):
            DerivedFile(**{**good, field: bad})  # type: ignore[arg-type]


# --- colour modes, transparency, frames ----------------------------------------------------


def test_multi_frame_tiff_uses_the_first_frame(tmp_path: Path) -> None:
    source = tmp_path / "pages.tiff"
    pages = [Image.new("RGB", (30, 20), colour) for colour in ("red", "lime", "blue")]
    pages[0].save(source, save_all=True, append_images=pages[1:])
    derived = make_derived(source, DerivedKind.PRIVACY_SAFE, tmp_path / "copy.jpg")
    assert (derived.recipe["frames"], derived.recipe["frame"]) == (3, 0)
    with Image.open(derived.path) as copy:
        red, green, blue = copy.convert("RGB").getpixel((15, 10))
    assert red > 200
    assert max(green, blue) < 60


def test_multi_picture_jpeg_uses_the_first_picture(tmp_path: Path) -> None:
    source = tmp_path / "stereo.mpo"
    exif = Image.Exif()
    exif[0x0112] = 6
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    first.save(source, "MPO", save_all=True, append_images=[second], exif=exif.tobytes())
    for kind in KINDS:
        derived = make_derived(source, kind, tmp_path / kind.value)
        assert (derived.recipe["frames"], derived.recipe["orientation_applied"]) == (2, 6)
        assert (derived.width, derived.height) == (30, 40)
        assert_no_metadata(derived.path)
        with Image.open(derived.path) as copy:
            assert copy.format == "JPEG"
            red, _, blue = copy.getpixel((15, 20))
        assert red > 200
        assert blue < 60


def test_transparency_is_flattened_on_white_in_previews(tmp_path: Path) -> None:
    source = tmp_path / "clear.png"
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(source)
    preview = make_derived(source, DerivedKind.PREVIEW, tmp_path / "preview.jpg")
    assert preview.media_type == "image/jpeg"
    with Image.open(preview.path) as image:
        assert image.convert("L").getextrema()[0] > 245
    safe = make_derived(source, DerivedKind.PRIVACY_SAFE, tmp_path / "safe.png")
    assert safe.media_type == "image/png"
    with Image.open(safe.path) as image:
        assert image.mode == "RGBA"


def test_opaque_alpha_gives_a_jpeg(tmp_path: Path) -> None:
    source = IMAGES / "tiff" / "Arbitro.tiff"  # RGBA, every pixel opaque
    derived = make_derived(source, DerivedKind.PRIVACY_SAFE, tmp_path / "copy.jpg")
    assert derived.media_type == "image/jpeg"
    assert derived.recipe["alpha"] == "flattened-on-white"


def test_sixteen_bit_grey_keeps_its_range(tmp_path: Path) -> None:
    source = tmp_path / "deep.png"
    Image.new("I;16", (8, 8), 51400).save(source)  # 200 x 257
    derived = make_derived(source, DerivedKind.PRIVACY_SAFE, tmp_path / "copy.jpg")
    assert derived.recipe["tone"] == "16-bit-to-8-bit"
    with Image.open(derived.path) as copy:
        assert copy.mode == "L"
        assert abs(copy.getpixel((4, 4)) - 200) <= 2


# Every mode a camera, scanner or editor is likely to produce, in the formats that hold it.
FORMATS_BY_MODE = {
    "1": ["PNG", "TIFF"],
    "L": ["JPEG", "PNG", "TIFF"],
    "LA": ["PNG", "TIFF"],
    "P": ["PNG", "GIF"],
    "RGB": ["JPEG", "PNG", "TIFF", "WEBP"],
    "RGBA": ["PNG", "TIFF", "WEBP"],
    "CMYK": ["JPEG", "TIFF"],
    "I;16": ["PNG", "TIFF"],
}

# How a camera stores an upright picture under each EXIF orientation (TIFF 6.0, tag 274).
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _in_mode(upright: Image.Image, mode: str) -> Image.Image:
    if mode == "I;16":
        return upright.convert("I").point(lambda value: value * 257).convert("I;16")
    if mode == "P":
        return upright.convert("RGB").convert("P")
    return upright.convert(mode)


def _quarter_marked(width: int, height: int) -> Image.Image:
    """White, with a black top-left quarter that shows which way a copy is turned."""
    upright = Image.new("L", (width, height), 255)
    ImageDraw.Draw(upright).rectangle((0, 0, width // 2 - 1, height // 2 - 1), fill=0)
    return upright


def _stored(upright: Image.Image, orientation: int, mode: str, fmt: str, path: Path) -> None:
    """Save ``upright`` as a camera would under ``orientation``, with a GPS position."""
    method = STORED_AS[orientation]
    stored = upright if method is None else upright.transpose(method)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (52.0, 31.0, 0.0)  # GPSLatitude
    _in_mode(stored, mode).save(path, fmt, exif=exif.tobytes())


def assert_top_left_dark(path: Path) -> None:
    with Image.open(path) as copy:
        grey = copy.convert("L")
    w, h = grey.size
    top_left = grey.crop((0, 0, w // 2, h // 2)).resize((1, 1), Image.Resampling.BOX)
    bottom_right = grey.crop((w - w // 2, h - h // 2, w, h)).resize((1, 1), Image.Resampling.BOX)
    assert top_left.getpixel((0, 0)) + 100 < bottom_right.getpixel((0, 0))


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "WEBP"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_orientation_is_turned_once(
    orientation: int, fmt: str, kind: DerivedKind, tmp_path: Path
) -> None:
    # Pillow turns TIFFs upright itself while loading; the copy must not turn them twice.
    source = tmp_path / f"source.{fmt.lower()}"
    _stored(_quarter_marked(40, 24), orientation, "RGB", fmt, source)
    derived = make_derived(source, kind, tmp_path / "copy", max_side=20)
    assert derived.recipe["orientation_applied"] == orientation
    expected = (40, 24) if kind is DerivedKind.PRIVACY_SAFE else (20, 12)
    assert (derived.width, derived.height) == expected
    assert_top_left_dark(derived.path)


@st.composite
def photographs(draw: st.DrawFn) -> tuple[str, str, tuple[int, int], int]:
    mode = draw(st.sampled_from(sorted(FORMATS_BY_MODE)))
    fmt = draw(st.sampled_from(FORMATS_BY_MODE[mode]))
    size = draw(st.tuples(st.integers(8, 48), st.integers(8, 48)))
    return mode, fmt, size, draw(st.integers(1, 8))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(photo=photographs(), kind=st.sampled_from(KINDS), max_side=st.integers(4, 64))
def test_any_photograph_gives_a_clean_upright_copy(
    tmp_path_factory: pytest.TempPathFactory,
    photo: tuple[str, str, tuple[int, int], int],
    kind: DerivedKind,
    max_side: int,
) -> None:
    mode, fmt, (width, height), orientation = photo
    directory = tmp_path_factory.mktemp("photo")
    source = directory / f"source.{fmt.lower()}"
    _stored(_quarter_marked(width, height), orientation, mode, fmt, source)
    with Image.open(source) as saved:  # GIF, for one, cannot hold the orientation
        recorded = saved.getexif().get(0x0112, 1)
    assert recorded in (orientation, 1)

    derived = make_derived(source, kind, directory / "copy", max_side=max_side)

    assert_no_metadata(derived.path)
    assert derived.recipe["orientation_applied"] == recorded
    turned = recorded == orientation
    swapped = orientation >= 5
    expected = (height, width) if swapped and not turned else (width, height)
    if kind is DerivedKind.PREVIEW:
        assert max(derived.width, derived.height) == min(max_side, max(expected))
    else:
        assert (derived.width, derived.height) == expected
    with Image.open(derived.path) as copy:
        assert copy.size == (derived.width, derived.height)
    if turned and min(derived.width, derived.height) >= 4:
        assert_top_left_dark(derived.path)
