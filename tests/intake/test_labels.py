"""Evidence labels: size, resolution, text checks, and a QR code that reads back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from custody.errors import InvalidInput
from custody.intake._labels import QR_BORDER, evidence_label, write_label

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
REFERENCES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,60}", fullmatch=True)


def open_png(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


# --- reading the QR code back from the pixels ----------------------------------------------


_RUN = re.compile(rb"\x00+|\xff+")


def _runs(line: bytes) -> list[tuple[bool, int, int]]:
    """(dark, start, length) for each run of equal pixels in a thresholded row or column."""
    return [(run[0][0] == 0, run.start(), run.end() - run.start()) for run in _RUN.finditer(line)]


def _finder_hits(line: bytes) -> list[tuple[int, int]]:
    """(centre, module) of every dark-light-dark-light-dark run of widths 1:1:3:1:1."""
    runs = _runs(line)
    hits = []
    for i in range(len(runs) - 4):
        window = runs[i : i + 5]
        if not window[0][0]:
            continue
        a, b, c, d, e = (length for _, _, length in window)
        if a == b == d == e and c == 3 * a:
            hits.append((window[2][1] + c // 2, a))
    return hits


def _stretches(values: list[int]) -> list[list[int]]:
    """Sorted integers split into runs of consecutive values."""
    groups: list[list[int]] = []
    for value in values:
        if groups and value == groups[-1][-1] + 1:
            groups[-1].append(value)
        else:
            groups.append([value])
    return groups


def find_finders(image: Image.Image) -> list[tuple[int, int, int]]:
    """Centres (x, y) and module size of the QR finder patterns, found as a reader would.

    The 1:1:3:1:1 pattern must appear on exactly the rows through the finder's three centre
    modules, and on the column through its centre with the same module size.
    """
    width, height = image.size
    pixels = image.point(lambda value: 0 if value < 128 else 255).tobytes()
    rows: dict[tuple[int, int], list[int]] = {}
    for y in range(height):
        for x, module in _finder_hits(pixels[y * width : (y + 1) * width]):
            rows.setdefault((x, module), []).append(y)
    finders = []
    for (x, module), ys in rows.items():
        column = pixels[x::width]
        for stretch in _stretches(ys):
            if len(stretch) != 3 * module:
                continue  # not exactly the three centre modules of a finder
            y = stretch[0] + 3 * module // 2
            if any(abs(cy - y) <= 1 and m == module for cy, m in _finder_hits(column)):
                finders.append((x, y, module))
    return sorted(finders, key=lambda finder: (finder[1], finder[0]))


def read_qr(image: Image.Image) -> list[list[bool]]:
    """The module matrix of the one QR code on ``image``, checking how it is drawn.

    Every module must be a uniform square of whole pixels, and the four-module quiet zone
    around the symbol must be white.
    """
    finders = find_finders(image)
    assert len(finders) == 3, finders
    (x0, y0, module), (x1, y1, m1), (x2, y2, m2) = finders
    assert module == m1 == m2
    assert y0 == y1  # top-left and top-right
    assert x0 == x2  # top-left and bottom-left
    size = (x1 - x0) // module + 7
    assert (x1 - x0) % module == 0
    assert y2 - y0 == x1 - x0  # square
    # Locate the exact top-left corner: the first dark pixel of the finder's outer ring.
    left = next(x for x in range(x0 - 4 * module, x0) if image.getpixel((x, y0)) < 128)
    top = next(y for y in range(y0 - 4 * module, y0) if image.getpixel((x0, y)) < 128)
    matrix = []
    for row in range(size):
        cells = []
        for col in range(size):
            box = (
                left + col * module,
                top + row * module,
                left + (col + 1) * module,
                top + (row + 1) * module,
            )
            low, high = image.crop(box).getextrema()
            assert low == high, f"module ({row}, {col}) is not uniform"
            cells.append(low < 128)
        matrix.append(cells)
    quiet = (
        left - QR_BORDER * module,
        top - QR_BORDER * module,
        left + (size + QR_BORDER) * module,
        top + (size + QR_BORDER) * module,
    )
    assert min(quiet) >= 0
    assert quiet[2] <= image.width
    assert quiet[3] <= image.height
    zone = image.crop(quiet)
    inside = QR_BORDER * module, (QR_BORDER + size) * module
    zone.paste(255, (inside[0], inside[0], inside[1], inside[1]))
    assert zone.getextrema() == (255, 255), "the quiet zone is not clear"
    return matrix


def expected_matrix(content: str) -> list[list[bool]]:
    symbol = segno.make(content, error="m", micro=False)
    assert symbol.error in ("M", "Q", "H")
    return [[bool(cell) for cell in row] for row in symbol.matrix]


def assert_qr_reads(png: bytes, content: str) -> None:
    assert read_qr(open_png(png)) == expected_matrix(content)


# --- the QR code ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "item", "size_mm", "dpi"),
    [
        ("CASE", "ITEM", (100, 50), 300),
        ("NPM-2026-014", "ITEM-0007", (100, 50), 300),
        ("npm-2026-014", "bag.3_b", (62, 29), 300),  # lower case: byte mode
        ("NPM-2026-014", "ITEM-0007", (50, 100), 203),  # portrait, thermal printer
        ("C" * 128, "I" * 128, (100, 50), 600),  # the longest references
    ],
)
def test_qr_code_holds_the_chain_subject(
    case: str, item: str, size_mm: tuple[int, int], dpi: int
) -> None:
    png = evidence_label(case, item, seals=["S-1"], size_mm=size_mm, dpi=dpi)
    assert_qr_reads(png, f"{case}/{item}")


def test_qr_reader_notices_a_different_symbol() -> None:
    png = evidence_label("CASE", "ITEM")
    assert read_qr(open_png(png)) != expected_matrix("CASE/ITEN")


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg is not installed")
def test_zbar_reads_the_label(tmp_path: Path) -> None:
    path = tmp_path / "label.png"
    path.write_bytes(evidence_label("NPM-2026-014", "ITEM-0007"))
    run = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, check=True, timeout=60
    )
    assert run.stdout.decode().strip() == "NPM-2026-014/ITEM-0007"


@settings(max_examples=25, deadline=None)
@given(case=REFERENCES, item=REFERENCES)
def test_any_references_read_back(case: str, item: str) -> None:
    assert_qr_reads(evidence_label(case, item), f"{case}/{item}")


# --- size, resolution, determinism ---------------------------------------------------------


@pytest.mark.parametrize(
    ("size_mm", "dpi", "pixels"),
    [
        ((100, 50), 300, (1181, 591)),
        ((62, 29), 300, (732, 343)),
        ((50, 100), 203, (400, 799)),
        ((102, 152), 600, (2409, 3591)),
    ],
)
def test_label_has_the_pixels_and_resolution_to_print_at_size(
    size_mm: tuple[int, int], dpi: int, pixels: tuple[int, int]
) -> None:
    assert pixels == tuple(round(mm / 25.4 * dpi) for mm in size_mm)
    image = open_png(evidence_label("CASE", "ITEM", size_mm=size_mm, dpi=dpi))
    assert image.format == "PNG"
    assert image.size == pixels
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
    assert image.mode == "L"
    assert image.getextrema() == (0, 255)  # black on white
    assert image.getpixel((0, 0)) == 255


def test_same_input_gives_same_bytes() -> None:
    arguments = {
        "seals": ["S-000124", "S-000123"],
        "description": "Shirt, blue, stained.",
        "storage_location": "Room 2, shelf B",
    }
    first = evidence_label("NPM-2026-014", "ITEM-0007", **arguments)  # type: ignore[arg-type]
    second = evidence_label("NPM-2026-014", "ITEM-0007", **arguments)  # type: ignore[arg-type]
    assert first == second
    assert first != evidence_label("NPM-2026-014", "ITEM-0008", **arguments)  # type: ignore[arg-type]


def test_seal_order_does_not_matter() -> None:
    assert evidence_label("C", "I", seals=["B-2", "A-1"]) == evidence_label(
        "C", "I", seals=["A-1", "B-2"]
    )


def test_png_carries_no_time_or_text() -> None:
    png = evidence_label("CASE", "ITEM", description="Knife")
    chunks, pos = [], 8
    while pos < len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        chunks.append(png[pos + 4 : pos + 8])
        pos += 12 + length
    assert set(chunks) == {b"IHDR", b"pHYs", b"IDAT", b"IEND"}


# --- text ----------------------------------------------------------------------------------


def margins_are_clear(png: bytes, dpi: int) -> bool:
    image = open_png(png)
    margin = 2 * dpi * 10 // 254  # the 2 mm margin, rounded down
    inner = image.crop((margin, margin, image.width - margin, image.height - margin))
    image.paste(255, (margin, margin, image.width - margin, image.height - margin))
    return image.getextrema() == (255, 255) and inner.getextrema()[0] == 0


@pytest.mark.parametrize(
    ("size_mm", "dpi"), [((100, 50), 300), ((62, 29), 300), ((62, 29), 203), ((50, 100), 300)]
)
def test_long_text_stays_inside_the_label(size_mm: tuple[int, int], dpi: int) -> None:
    png = evidence_label(
        "NPM-2026-014",
        "ITEM-0007",
        seals=["S-000123"],
        description="Blue cotton shirt with a torn left sleeve. " * 95,  # 4085 characters
        storage_location="Evidence room 2, shelf B, box 14",
        size_mm=size_mm,
        dpi=dpi,
    )
    assert margins_are_clear(png, dpi)
    assert_qr_reads(png, "NPM-2026-014/ITEM-0007")


def test_long_unbroken_words_are_wrapped_inside_the_label() -> None:
    png = evidence_label(
        "C" * 128, "I" * 128, seals=["X" * 64, "Y" * 64], description="Z" * 2000, dpi=300
    )
    assert margins_are_clear(png, 300)


def test_text_that_cannot_fit_is_refused() -> None:
    seals = [f"SEAL-{number:04d}" for number in range(60)]
    with pytest.raises(InvalidInput, match="too small") as raised:
        evidence_label("CASE", "ITEM", seals=seals, size_mm=(40, 20), dpi=300)
    assert raised.value.field == "size_mm"


def test_qr_code_that_cannot_fit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="QR code") as raised:
        evidence_label("C" * 128, "I" * 128, size_mm=(20, 20), dpi=300)
    assert raised.value.field == "size_mm"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"case": ""}, "case"),
        ({"case": "a/b"}, "case"),
        ({"case": "-leading"}, "case"),
        ({"case": "x" * 129}, "case"),
        ({"item": "caf\u00e9"}, "item"),
        ({"item": "two words"}, "item"),
        ({"seals": [""]}, "seals"),
        ({"seals": [" S-1"]}, "seals"),
        ({"seals": ["S\n1"]}, "seals"),
        ({"seals": ["x" * 65]}, "seals"),
        ({"seals": ["S-1", "S-1"]}, "seals"),
        ({"seals": "S-1"}, "seals"),
        ({"description": ""}, "description"),
        ({"description": "nul\x00"}, "description"),
        ({"description": "x" * 4097}, "description"),
        ({"storage_location": "x" * 501}, "storage_location"),
        ({"description": "Pr\u00e9l\u00e8vement"}, "description"),  # beyond the font
        ({"seals": ["\u2116 12"]}, "seals"),
        ({"storage_location": "\u0421\u0435\u0439\u0444"}, "storage_location"),
        ({"dpi": 99}, "dpi"),
        ({"dpi": 1201}, "dpi"),
        ({"dpi": True}, "dpi"),
        ({"dpi": 300.0}, "dpi"),
        ({"size_mm": (19, 50)}, "size_mm"),
        ({"size_mm": (100, 301)}, "size_mm"),
        ({"size_mm": [100, 50]}, "size_mm"),
        ({"size_mm": (100.0, 50)}, "size_mm"),
        ({"size_mm": (100,)}, "size_mm"),
        ({"size_mm": (300, 300), "dpi": 1200}, "size_mm"),
    ],
)
def test_bad_input_is_refused(arguments: dict[str, object], field: str) -> None:
    full: dict[str, object] = {"case": "CASE", "item": "ITEM", **arguments}
    with pytest.raises(InvalidInput) as raised:
        evidence_label(**full)  # type: ignore[arg-type]
    assert raised.value.field == field


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed")
def test_a_font_of_ones_own_prints_other_scripts() -> None:
    png = evidence_label(
        "CASE",
        "ITEM",
        description="Pr\u00e9l\u00e8vement \u2116 3, \u0440\u0443\u0431\u0430\u0448\u043a\u0430",
        font=DEJAVU,
    )
    assert margins_are_clear(png, 300)
    assert_qr_reads(png, "CASE/ITEM")


def test_missing_font_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot load the font"):
        evidence_label("CASE", "ITEM", font=tmp_path / "missing.ttf")


# --- writing -------------------------------------------------------------------------------


def test_write_label_creates_a_new_file(tmp_path: Path) -> None:
    png = evidence_label("CASE", "ITEM")
    path = tmp_path / "label.png"
    write_label(path, png)
    assert path.read_bytes() == png
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(InvalidInput, match="refusing to overwrite"):
        write_label(path, b"other")
    assert path.read_bytes() == png
    assert sorted(p.name for p in tmp_path.iterdir()) == ["label.png"]
