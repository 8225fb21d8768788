"""EXIF facts: the sample photographs against exiftool, crafted and broken EXIF, round trips."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, TiffImagePlugin

from custody import encoding
from custody.errors import InvalidInput
from custody.intake._exif import FILE_CHANGED_NOTE, ExifFacts, GpsFix, read_exif
from custody.intake._facts import Fact, FactSource

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
SAMPLES = sorted(
    path for path in IMAGES.rglob("*") if path.suffix.lower() in {".jpg", ".jpeg", ".tif", ".tiff"}
)
# exiftool's names for the tags custody reads; EXIF: keeps it from answering from XMP. The
# unqualified GPS tags are exiftool's composite ones: signed by their N/S, E/W references.
EXIFTOOL_TAGS = [
    "-EXIF:DateTimeOriginal",
    "-EXIF:SubSecTimeOriginal",
    "-EXIF:OffsetTimeOriginal",
    "-EXIF:CreateDate",  # DateTimeDigitized
    "-EXIF:SubSecTimeDigitized",
    "-EXIF:OffsetTimeDigitized",
    "-EXIF:ModifyDate",  # IFD0 DateTime
    "-EXIF:SubSecTime",
    "-EXIF:OffsetTime",
    "-EXIF:Make",
    "-EXIF:Model",
    "-GPSLatitude",
    "-GPSLongitude",
    "-GPSAltitude",
]
# exiftool's meaning: DateTimeOriginal and CreateDate are when the picture was taken;
# ModifyDate (IFD0 DateTime) is "the date/time of the last file modification", never a
# capture time.
CAPTURE_TAGS = [
    ("DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal"),
    ("CreateDate", "SubSecTimeDigitized", "OffsetTimeDigitized"),
]
CHANGED_TAGS = [("ModifyDate", "SubSecTime", "OffsetTime")]


def sample_id(path: Path) -> str:
    return path.relative_to(IMAGES).as_posix()


@pytest.fixture(scope="module")
def exiftool_report() -> dict[str, dict[str, Any]]:
    """What exiftool reads from every sample, by path relative to the images folder."""
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool is not on PATH (Debian: apt-get install libimage-exiftool-perl)")
    run = subprocess.run(
        [exiftool, "-j", "-n", *EXIFTOOL_TAGS, *map(str, SAMPLES)],
        capture_output=True,
        check=False,
        text=True,
    )
    return {sample_id(Path(entry["SourceFile"])): entry for entry in json.loads(run.stdout)}


def expected_time(entry: dict[str, Any], time_tags: list[tuple[str, str, str]]) -> str | None:
    """The first time exiftool's values give among ``time_tags``, as custody writes times."""
    for date_tag, subsec_tag, offset_tag in time_tags:
        text = str(entry.get(date_tag, "")).strip()
        if not text or set(text) <= set("0: "):
            continue
        day, clock = text.split(" ")
        iso = f"{day.replace(':', '-')}T{clock}"
        if subsec_tag in entry:
            iso += "." + str(entry[subsec_tag])
        return iso + str(entry.get(offset_tag, ""))
    return None


def test_the_sample_photographs_are_there() -> None:
    assert len(SAMPLES) >= 20, f"expected the sample images under {IMAGES}"


@pytest.mark.parametrize("path", SAMPLES, ids=sample_id)
def test_capture_time_make_model_and_gps_agree_with_exiftool(
    path: Path, exiftool_report: dict[str, dict[str, Any]]
) -> None:
    entry = exiftool_report[sample_id(path)]
    facts = read_exif(path)

    assert facts.captured_at == expected_time(entry, CAPTURE_TAGS)
    assert facts.file_changed_at == expected_time(entry, CHANGED_TAGS)
    assert facts.make == entry.get("Make")
    assert facts.model == entry.get("Model")
    if "GPSLatitude" in entry:
        assert facts.gps is not None
        assert facts.gps.latitude == pytest.approx(entry["GPSLatitude"], abs=1e-6)
        assert facts.gps.longitude == pytest.approx(entry["GPSLongitude"], abs=1e-6)
    else:
        assert facts.gps is None
    altitude = facts.gps.altitude_m if facts.gps is not None else None
    if "GPSAltitude" in entry:
        assert altitude == pytest.approx(entry["GPSAltitude"], abs=1e-3)
    else:
        assert altitude is None


@pytest.mark.parametrize(
    ("name", "north", "east"),
    [
        ("gps/DSCN0010.jpg", True, True),
        ("gps/DSCN0012.jpg", True, True),
        ("gps/DSCN0021.jpg", True, True),
        ("gps/DSCN0025.jpg", True, True),
        ("Kodak_CX7530.jpg", False, True),  # GPSLatitudeRef S, 0°22'16.68"
    ],
)
def test_gps_hemispheres_come_from_the_references(name: str, north: bool, east: bool) -> None:
    gps = read_exif(IMAGES / "jpg" / name).gps

    assert isinstance(gps, GpsFix)
    assert (gps.lat_e7 > 0) is north
    assert (gps.lon_e7 > 0) is east
    assert gps.altitude_mm is None  # GPSAltitudeRef without GPSAltitude (Nikon) or neither


def test_gps_fix_is_integral_and_rounded_half_away_from_zero(tmp_path: Path) -> None:
    # 0.00018" is 5e-8 degrees: exactly half of the last digit kept.
    path = write_jpeg(
        tmp_path / "south-west.jpg",
        gps={
            1: "S",
            2: rationals((0, 1), (0, 1), (18, 100000)),
            3: "W",
            4: rationals((70, 1), (30, 1), (0, 1)),
            5: b"\x01",  # below sea level
            6: TiffImagePlugin.IFDRational(12345, 100),
        },
    )

    assert read_exif(path).gps == GpsFix(lat_e7=-1, lon_e7=-705_000_000, altitude_mm=-123_450)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_orientation_samples(orientation: int) -> None:
    path = IMAGES / "jpg" / "orientation" / f"landscape_{orientation}.jpg"

    assert read_exif(path).orientation == orientation


def test_text_is_trimmed_and_padded_values_are_normalised() -> None:
    pentax = read_exif(IMAGES / "jpg" / "Pentax_K10D.jpg")

    assert pentax.make == "PENTAX Corporation"  # stored with a trailing blank
    assert pentax.model == "PENTAX K10D"
    assert pentax.raw["Image Make"] == "PENTAX Corporation "  # raw keeps exifread's text
    assert pentax.captured_at_tag == "DateTimeOriginal"


def test_sub_seconds_are_kept_as_written() -> None:
    assert read_exif(IMAGES / "jpg" / "Canon_40D.jpg").captured_at == "2008-05-30T15:56:01.00"


def test_capture_time_falls_back_and_says_from_where(tmp_path: Path) -> None:
    path = write_jpeg(
        tmp_path / "fallback.jpg",
        ifd0={0x0132: "2020:01:02 03:04:05"},
        exif={
            0x9003: "0000:00:00 00:00:00",  # unknown: skipped without complaint
            0x9004: "2019:12:31 23:59:58",
            0x9292: "123",
            0x9012: "-03:30",
            0x9010: "+01:00",  # OffsetTime belongs to DateTime, not to this time
        },
    )
    facts = read_exif(path)

    assert facts.captured_at == "2019-12-31T23:59:58.123-03:30"
    assert facts.utc_offset == "-03:30"
    assert facts.captured_at_tag == "DateTimeDigitized"
    assert facts.problem is None
    fact = facts.facts()["captured_at"]
    assert fact.source is FactSource.FILE
    assert fact.note is not None
    assert "DateTimeDigitized" in fact.note


def test_an_offset_is_only_appended_from_its_own_tag(tmp_path: Path) -> None:
    path = write_jpeg(
        tmp_path / "offset.jpg",
        exif={0x9003: "2008:10:22 16:29:49", 0x9011: "+02:00", 0x9010: "-05:00"},
    )
    facts = read_exif(path)

    assert facts.captured_at == "2008-10-22T16:29:49+02:00"
    assert facts.utc_offset == "+02:00"


def test_garbage_times_are_named_and_skipped(tmp_path: Path) -> None:
    path = write_jpeg(
        tmp_path / "garbage.jpg",
        ifd0={0x0132: "2008:10:22 16:29:49"},
        exif={0x9003: "2008:13:45 99:00:00", 0x9004: "yesterday"},
    )
    facts = read_exif(path)

    assert (facts.captured_at, facts.captured_at_tag) == (None, None)
    assert facts.file_changed_at == "2008-10-22T16:29:49"
    assert facts.problem is not None
    assert "DateTimeOriginal" in facts.problem
    assert "DateTimeDigitized" in facts.problem


def test_the_time_a_file_was_last_written_is_never_its_capture_time(tmp_path: Path) -> None:
    # What an editing program leaves: only IFD0 DateTime, set when it saved the file.
    path = write_jpeg(
        tmp_path / "edited.jpg",
        ifd0={0x0132: "2024:02:29 08:15:00"},
        exif={0x9290: "25", 0x9010: "+01:00", 0x9011: "-05:00"},
    )
    facts = read_exif(path)

    assert facts.captured_at is None
    assert facts.utc_offset is None  # OffsetTimeOriginal belongs to no time here
    assert facts.file_changed_at == "2024-02-29T08:15:00.25+01:00"
    recorded = facts.facts()
    assert "captured_at" not in recorded
    assert recorded["file_changed_at"] == Fact(
        "2024-02-29T08:15:00.25+01:00", FactSource.FILE, FILE_CHANGED_NOTE
    )
    assert "not the capture time" in FILE_CHANGED_NOTE
    assert "unverified" in FILE_CHANGED_NOTE


def test_a_bad_last_written_time_is_named(tmp_path: Path) -> None:
    path = write_jpeg(
        tmp_path / "bad.jpg", ifd0={0x0132: "soon"}, exif={0x9003: "2008:10:22 16:29:49"}
    )
    facts = read_exif(path)

    assert facts.captured_at == "2008-10-22T16:29:49"
    assert facts.file_changed_at is None
    assert facts.problem == "DateTime 'soon' is not an EXIF date and time"


def test_facts_are_labelled_as_coming_from_the_file() -> None:
    facts = read_exif(IMAGES / "jpg" / "gps" / "DSCN0012.jpg").facts()

    assert facts["captured_at"] == Fact(
        "2008-10-22T16:29:49", FactSource.FILE, "camera clock, unverified"
    )
    assert facts["gps"].value == {"lat_e7": 434671567, "lon_e7": 118853950}
    assert facts["make"] == Fact("NIKON", FactSource.FILE)
    assert {fact.source for fact in facts.values()} == {FactSource.FILE}
    assert not {"raw", "problem", "captured_at_tag"} & facts.keys()


def test_raw_holds_every_tag_but_the_thumbnail() -> None:
    raw = read_exif(IMAGES / "jpg" / "gps" / "DSCN0010.jpg").raw

    assert raw["GPS GPSMapDatum"] == "WGS-84   "
    assert raw["EXIF DateTimeOriginal"] == "2008:10:22 16:28:39"
    assert "JPEGThumbnail" not in raw
    assert all(len(value) <= 1024 for value in raw.values())


def test_two_values_where_one_belongs_is_recorded_as_a_problem() -> None:
    kodak = read_exif(IMAGES / "jpg" / "Kodak_CX7530.jpg")  # ExifImageWidth = [100, 0]

    assert (kodak.width, kodak.height) == (100, 78)
    assert kodak.problem is not None
    assert "ExifImageWidth has 2 values" in kodak.problem


def test_exif_after_a_large_xmp_segment_is_found() -> None:
    # exifread alone looks 4,000 bytes past the first segments and misses this block.
    facts = read_exif(IMAGES / "jpg" / "xmp" / "no_exif.jpg")

    assert facts.software == "Adobe Photoshop CC (Macintosh)"
    assert facts.raw["Image Artist"] == "CREDIT"


@pytest.mark.parametrize(
    "name", ["invalid/image00971.jpg", "invalid/image01088.jpg", "invalid/image01137.jpg"]
)
def test_invalid_samples_have_no_exif_segment_only_xmp(name: str) -> None:
    facts = read_exif(IMAGES / "jpg" / name)

    assert facts == ExifFacts()  # nothing claimed, nothing broken: these carry XMP only


def test_corrupted_sample_still_yields_its_exif() -> None:
    facts = read_exif(IMAGES / "jpg" / "corrupted.jpg")  # the damage is in the image data

    assert facts.model == "u1020,S1020"
    assert facts.problem is None


@pytest.mark.parametrize("suffix", [".png", ".webp"])
def test_exif_in_png_and_webp_containers(tmp_path: Path, suffix: str) -> None:
    with Image.open(IMAGES / "jpg" / "gps" / "DSCN0025.jpg") as photo:
        photo.save(tmp_path / f"copy{suffix}", exif=photo.getexif())
    facts = read_exif(tmp_path / f"copy{suffix}")

    assert facts.captured_at == "2008-10-22T16:43:21"
    assert facts.gps == GpsFix(434683650, 118816350)


def test_files_without_exif_give_empty_facts(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("MM not a TIFF, just text\n")
    Image.new("L", (4, 4)).save(tmp_path / "plain.png")

    assert read_exif(tmp_path / "notes.txt") == ExifFacts()
    assert read_exif(tmp_path / "plain.png") == ExifFacts()


def test_crafted_directories_are_cut_short_not_followed(tmp_path: Path) -> None:
    # IFD0 claims 65,535 entries of 999 RATIONALs each: millions of reads if followed.
    entries = b"".join(struct.pack("<HHII", 0x0100 + i % 50, 5, 999, 8) for i in range(5000))
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 65535) + entries
    path = tmp_path / "crafted.jpg"
    path.write_bytes(jpeg_with_app1(tiff[:65000]))

    facts = read_exif(path)

    assert facts.problem is not None

    assert "reading stopped" in facts.problem


def test_exif_segment_that_is_not_tiff_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad-app1.jpg"
    path.write_bytes(jpeg_with_app1(b"not a TIFF header at all"))

    assert read_exif(path).problem == "the EXIF block does not start with a TIFF header"


@given(
    sample=st.sampled_from([p for p in SAMPLES if p.suffix == ".jpg"]),
    edits=st.lists(st.tuples(st.integers(0, 40_000), st.integers(0, 255)), max_size=24),
    cut=st.none() | st.integers(0, 40_000),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_exif_never_raises(
    tmp_path_factory: pytest.TempPathFactory,
    sample: Path,
    edits: list[tuple[int, int]],
    cut: int | None,
) -> None:
    data = bytearray(sample.read_bytes())
    for position, value in edits:
        if position < len(data):
            data[position] = value
    path = tmp_path_factory.mktemp("damaged") / "photo.jpg"
    path.write_bytes(bytes(data[:cut]))

    facts = read_exif(path)

    assert ExifFacts.from_dict(facts.to_dict()) == facts
    assert all(isinstance(fact, Fact) for fact in facts.facts().values())


def test_unreadable_paths_raise_invalid_input_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jpg"
    with pytest.raises(InvalidInput, match="cannot open") as raised:
        read_exif(missing)
    assert raised.value.field == str(missing)
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_exif(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)

    with pytest.raises(InvalidInput, match="not a regular file"):
        read_exif(fifo)


# Round trips and strict decoding.

texts = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
gps_fixes = st.builds(
    GpsFix,
    st.integers(-900_000_000, 900_000_000),
    st.integers(-1_800_000_000, 1_800_000_000),
    st.none() | st.integers(-(10**12), 10**12),
)


@st.composite
def exif_facts(draw: st.DrawFn) -> ExifFacts:
    time = draw(st.none() | st.datetimes().map(lambda t: t.isoformat(timespec="seconds")))
    offset = draw(st.none() | st.sampled_from(["+02:00", "-03:30", "+00:00"]))
    optional_text = st.none() | texts.map(str.strip).filter(bool)
    return ExifFacts(
        captured_at=None if time is None else time + (offset or ""),
        captured_at_tag=None
        if time is None
        else draw(st.sampled_from(["DateTimeDigitized", "DateTimeOriginal"])),
        utc_offset=None if time is None else offset,
        file_changed_at=draw(st.none() | st.datetimes().map(lambda t: t.isoformat())),
        make=draw(optional_text),
        model=draw(optional_text),
        lens=draw(optional_text),
        orientation=draw(st.none() | st.integers(1, 8)),
        gps=draw(st.none() | gps_fixes),
        width=draw(st.none() | st.integers(1, 2**32 - 1)),
        raw=draw(st.dictionaries(texts, texts | st.just(""))),
        problem=draw(optional_text),
    )


@given(exif_facts())
def test_exif_facts_round_trip(facts: ExifFacts) -> None:
    data = facts.to_dict()

    assert ExifFacts.from_dict(data) == facts
    assert ExifFacts.from_dict(encoding.decode(encoding.encode(data))) == facts
    assert "raw" not in data or data["raw"]


@given(gps_fixes)
def test_gps_fix_round_trips(fix: GpsFix) -> None:
    assert GpsFix.from_dict(fix.to_dict()) == fix


words = texts.filter(str.strip)  # fact text is never blank
fact_values = st.recursive(
    words | st.integers(-(2**64), 2**64 - 1) | st.booleans(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=12,
)


@given(fact_values, st.sampled_from(FactSource), st.none() | words)
def test_facts_round_trip_through_cbor(value: Any, source: FactSource, note: str | None) -> None:
    fact = Fact(value, source, note)
    data = fact.to_dict()

    assert Fact.from_dict(data) == fact
    assert Fact.from_dict(encoding.decode(encoding.encode(data))) == fact
    assert ("note" in data) is (note is not None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": 1.5, "source": "file"}, "value"),
        ({"value": {"lat": [1, 2.0]}, "source": "machine"}, "value.lat[1]"),
        ({"value": None, "source": "operator"}, "value"),
        ({"value": b"bytes", "source": "file"}, "value"),
        ({"value": "x", "source": "camera"}, "source"),
        ({"value": "x", "source": "file", "note": None}, "note"),
        ({"value": "x", "source": "file", "confidence": 3}, "fact"),
        ({"value": (1, 2), "source": "file"}, "value"),  # decoded CBOR arrays are lists
        ({"source": "file"}, "fact"),
    ],
)
def test_fact_from_dict_refuses(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        Fact.from_dict(data)

    assert raised.value.field == field


def test_fact_values_are_frozen_and_plain() -> None:
    fact = Fact({"gps": [1, 2]}, "file")

    assert fact.source is FactSource.FILE
    assert fact.value == {"gps": (1, 2)}
    assert fact.to_dict() == {"value": {"gps": [1, 2]}, "source": "file"}
    assert Fact(FactSource.MACHINE, FactSource.OPERATOR).to_dict()["value"] == "machine"
    with pytest.raises(TypeError):
        fact.value["gps"] = (3, 4)  # type: ignore[index]


def test_from_dict_leaves_its_input_alone() -> None:
    data = read_exif(IMAGES / "jpg" / "gps" / "DSCN0010.jpg").to_dict()
    copy = json.loads(json.dumps(data))

    ExifFacts.from_dict(data)

    assert data == copy


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"make": "X", "colour": "red"}, "exif"),
        ({"make": None}, "make"),
        ({"raw": {}}, "raw"),
        ({"orientation": 6.0}, "orientation"),
        ({"orientation": True}, "orientation"),
        ({"width": 1.5}, "width"),
        ({"gps": {"lat_e7": 1.0, "lon_e7": 2}}, "lat_e7"),
        ({"gps": {"lat_e7": 1, "lon_e7": 2, "alt": 3}}, "gps"),
        ({"raw": {"Image Make": 1.5}}, "raw.Image Make"),
        (
            {"captured_at": "2008-10-22 16:29:49", "captured_at_tag": "DateTimeOriginal"},
            "captured_at",
        ),
        (
            {"captured_at": "2008-10-22T16:29:49+02:00", "captured_at_tag": "DateTimeOriginal"},
            "utc_offset",
        ),
        ({"captured_at": "2008-10-22T16:29:49"}, "captured_at_tag"),
        ({"captured_at": "2008-10-22T16:29:49", "captured_at_tag": "DateTime"}, "captured_at_tag"),
        ({"file_changed_at": "2008:10:22 16:29:49"}, "file_changed_at"),
        ({"problem": "two\nlines"}, "problem"),
    ],
)
def test_from_dict_refuses(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        ExifFacts.from_dict(data)

    assert raised.value.field == field


def test_gps_fix_checks_its_range() -> None:
    with pytest.raises(InvalidInput, match="90"):
        GpsFix(900_000_001, 0)
    with pytest.raises(InvalidInput, match="180"):
        GpsFix(0, -1_800_000_001)
    fix = GpsFix(434671567, 118853950, 1500)
    assert (fix.latitude, fix.longitude, fix.altitude_m) == (43.4671567, 11.885395, 1.5)


# Helpers that write EXIF with Pillow, an independent writer.


def rationals(*parts: tuple[int, int]) -> tuple[TiffImagePlugin.IFDRational, ...]:
    return tuple(TiffImagePlugin.IFDRational(n, d) for n, d in parts)


def write_jpeg(
    path: Path,
    *,
    ifd0: dict[int, Any] | None = None,
    exif: dict[int, Any] | None = None,
    gps: dict[int, Any] | None = None,
) -> Path:
    tags = Image.Exif()
    tags.update(ifd0 or {})
    tags.get_ifd(ExifTags.IFD.Exif).update(exif or {})
    tags.get_ifd(ExifTags.IFD.GPSInfo).update(gps or {})
    Image.new("RGB", (16, 8), (90, 120, 200)).save(path, exif=tags)
    return path


def jpeg_with_app1(tiff: bytes) -> bytes:
    segment = b"Exif\x00\x00" + tiff
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment + b"\xff\xd9"
