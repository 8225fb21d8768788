"""Body diagrams: every view draws, markers sit where they say, the legend keeps every entry,
anchors fall inside the outline on the right side, and bad input is refused by name."""

from __future__ import annotations

import functools
import io
import os
import struct
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from PIL import Image, ImageChops, ImageDraw

from custody.errors import InvalidInput
from custody.medical import Aspect, BodyRegion, DiagramView, Laterality
from custody.report import Marker, _diagrams, default_view, diagram_png, draw_diagram, region_anchor
from custody.report._diagrams import BACKGROUND, BODY_FILL, MARKER_FILL, VIEWS
from custody.report._i18n import LANGUAGES

DPI = 150  # enough pixels to sample, quick to draw
MARGIN_MM = 8  # the image's margin round the frame, as the module documents
SIDES = (Laterality.RIGHT, Laterality.LEFT, None)
DEJAVU = _diagrams.FONT_PATHS[0]


def mm(length: float, dpi: int = DPI) -> float:
    return length * dpi / 25.4


def frame_pixel(view: DiagramView, x: int, y: int, dpi: int = DPI) -> tuple[int, int]:
    """Where normalised (x, y) is on an untitled diagram, by the documented layout."""
    margin = round(mm(MARGIN_MM, dpi))
    width, height = (round(mm(side, dpi)) for side in VIEWS[view])
    return margin + round(x * width / 10_000), margin + round(y * height / 10_000)


@functools.cache
def plain(view: DiagramView) -> Image.Image:
    return draw_diagram(view, [], dpi=DPI)


def blobs(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the connected areas of exactly the marker colour."""
    difference = ImageChops.difference(image, Image.new("RGB", image.size, MARKER_FILL))
    mask = difference.convert("L").point(lambda value: 255 if value == 0 else 0)
    boxes = []
    while (box := mask.getbbox()) is not None:
        top = box[1]
        left = next(x for x in range(box[0], box[2]) if mask.getpixel((x, top)) == 255)
        ImageDraw.floodfill(mask, (left, top), 128)
        area = mask.point(lambda value: 255 if value == 128 else 0)
        boxes.append(area.getbbox() or box)
        mask.paste(0, mask=area)
    return boxes


def legend_entries(view: DiagramView, image: Image.Image) -> int:
    """The numbered circles below the frame: areas of marker colour at least 3 mm across
    (the holes in digits such as 0 and 8 are smaller)."""
    frame_bottom = frame_pixel(view, 0, 10_000)[1]
    legend = image.crop((0, frame_bottom + 1, image.width, image.height))
    return sum(1 for box in blobs(legend) if is_circle(box, mm(3)))


def is_circle(box: tuple[int, int, int, int], diameter: float) -> bool:
    """Whether an area's bounding box is a square at least ``diameter`` wide."""
    width, height = box[2] - box[0], box[3] - box[1]
    return min(width, height) >= diameter and abs(width - height) <= 2


def scattered(count: int, label: str = "contusion") -> list[Marker]:
    """``count`` markers on a grid over the frame, at least 8% of it apart."""
    return [
        Marker(n, 800 + (n - 1) % 10 * 940, 500 + (n - 1) // 10 * 1000, f"{label} {n}")
        for n in range(1, count + 1)
    ]


# --- views -----------------------------------------------------------------------------------


def test_every_view_is_drawable() -> None:
    assert set(VIEWS) == set(DiagramView)


@pytest.mark.parametrize("view", list(DiagramView))
def test_each_view_draws_an_outlined_body(view: DiagramView) -> None:
    image = plain(view)
    width, height = (round(mm(side)) for side in VIEWS[view])
    margin = round(mm(MARGIN_MM))
    assert image.mode == "RGB"
    assert image.width == width + 2 * margin
    assert image.height >= height + 2 * margin
    assert image.getpixel((0, 0)) == BACKGROUND
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 16) or ()}
    assert BODY_FILL in colours
    assert any(isinstance(colour, tuple) and max(colour) < 60 for colour in colours)  # outline


def test_whole_body_is_a5_at_300_dpi() -> None:
    image = draw_diagram(DiagramView.FRONT, [])
    margin = round(mm(MARGIN_MM, 300))
    assert (image.width - 2 * margin, image.height - 2 * margin) == (1748, 2480)


@pytest.mark.parametrize("view", [DiagramView.FRONT, DiagramView.HANDS_PALMAR])
def test_the_figure_is_symmetric(view: DiagramView) -> None:
    """Views whose halves mirror each other are drawn so, to the pixel (but the letters)."""
    image = plain(view)
    margin = round(mm(MARGIN_MM))
    width, height = (round(mm(side)) for side in VIEWS[view])
    letters_clear = round(mm(22))  # the "R" and "L" sit in the corners above or below
    band = (margin, margin + letters_clear, margin + width, margin + height - letters_clear)
    figure = image.crop(band)
    mirrored = figure.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    differing = ImageChops.difference(figure, mirrored).convert("L").point(lambda v: v > 60)
    assert differing.histogram()[1] < width  # a few pixels of rounding at most


# --- markers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y"), [(0, 0), (10_000, 10_000), (5000, 5000), (2600, 3100), (10_000, 0), (1, 9999)]
)
@pytest.mark.parametrize("view", [DiagramView.FRONT, DiagramView.HEAD_SIDE])
def test_a_marker_is_drawn_at_its_position(view: DiagramView, x: int, y: int) -> None:
    image = draw_diagram(view, [Marker(7, x, y, "abrasion")], dpi=DPI)
    assert image.getpixel(frame_pixel(view, x, y)) == MARKER_FILL


def test_a_marker_leaves_its_point_visible() -> None:
    """The numbered circle stands off the point: round the dot, the figure still shows."""
    x, y = region_anchor(DiagramView.FRONT, BodyRegion.CHEST) or (0, 0)
    image = draw_diagram(DiagramView.FRONT, [Marker(12, x, y, "bruise")], dpi=300)
    cx, cy = frame_pixel(DiagramView.FRONT, x, y, 300)
    ring = [
        image.getpixel((round(cx + mm(1.6, 300) * dx), round(cy + mm(1.6, 300) * dy)))
        for dx, dy in ((1, 0), (0, 1), (-1, 0), (0, -1), (0.7, 0.7), (-0.7, 0.7))
    ]
    assert sum(pixel == BODY_FILL for pixel in ring) >= 4
    circles = [box for box in blobs(image) if is_circle(box, mm(4, 300))]
    assert len(circles) == 2  # on the figure, and in the legend


def test_sixty_markers_are_all_drawn_and_listed() -> None:
    markers = scattered(60)
    image = draw_diagram(DiagramView.FRONT, markers, dpi=DPI)
    for marker in markers:
        assert image.getpixel(frame_pixel(DiagramView.FRONT, marker.x, marker.y)) == MARKER_FILL
    assert legend_entries(DiagramView.FRONT, image) == 60


@pytest.mark.parametrize("view", [DiagramView.FRONT, DiagramView.HANDS_DORSAL])
def test_the_legend_grows_with_the_markers(view: DiagramView) -> None:
    one, thirty = (draw_diagram(view, scattered(n), dpi=DPI) for n in (1, 30))
    assert legend_entries(view, one) == 1
    assert legend_entries(view, thirty) == 30
    assert thirty.height > one.height
    assert thirty.width == one.width


def test_long_labels_wrap_and_lengthen_the_legend() -> None:
    short = draw_diagram(DiagramView.FRONT, [Marker(1, 5000, 5000, "scar")], dpi=DPI)
    words = Marker(1, 5000, 5000, ("linear tramline bruise " * 9)[:200])
    one_word = Marker(1, 5000, 5000, "x" * 200)
    for marker in (words, one_word):
        image = draw_diagram(DiagramView.FRONT, [marker], dpi=DPI)
        assert image.width == short.width
        assert image.height > short.height
        assert legend_entries(DiagramView.FRONT, image) == 1


def test_the_largest_number_fits() -> None:
    image = draw_diagram(DiagramView.FEET_PLANTAR, [Marker(999, 5000, 5000, "burn")], dpi=DPI)
    assert image.getpixel(frame_pixel(DiagramView.FEET_PLANTAR, 5000, 5000)) == MARKER_FILL
    assert legend_entries(DiagramView.FEET_PLANTAR, image) == 1


def test_markers_may_come_in_any_order() -> None:
    markers = scattered(5)
    assert diagram_png(DiagramView.BACK, markers, dpi=DPI) == diagram_png(
        DiagramView.BACK, markers[::-1], dpi=DPI
    )


def test_a_title_moves_the_figure_down() -> None:
    marker = Marker(1, 5000, 5000, "x")
    untitled = draw_diagram(DiagramView.FRONT, [marker], dpi=DPI)
    titled = draw_diagram(DiagramView.FRONT, [marker], dpi=DPI, title="Cuerpo, vista anterior")
    assert titled.height > untitled.height
    assert titled.getpixel(frame_pixel(DiagramView.FRONT, 5000, 5000)) != MARKER_FILL


# --- PNG -------------------------------------------------------------------------------------


def png_chunks(png: bytes) -> Iterator[bytes]:
    position = 8  # the signature
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        yield png[position + 4 : position + 8]
        position += 12 + length


def test_png_is_deterministic_and_records_nothing_but_pixels_and_dpi() -> None:
    markers = scattered(12, "quemadura, cicatriz hipertrófica")
    first = diagram_png(DiagramView.FRONT, markers, title="Vista anterior")
    assert first == diagram_png(DiagramView.FRONT, markers, title="Vista anterior")
    assert set(png_chunks(first)) == {b"IHDR", b"pHYs", b"IDAT", b"IEND"}


@pytest.mark.parametrize("dpi", [72, 300, 600])
def test_png_records_its_dpi(dpi: int) -> None:
    with Image.open(io.BytesIO(diagram_png(DiagramView.HEAD_FRONT, [], dpi=dpi))) as image:
        assert tuple(round(value) for value in image.info["dpi"]) == (dpi, dpi)
        assert image.size == draw_diagram(DiagramView.HEAD_FRONT, [], dpi=dpi).size


# --- anchors ---------------------------------------------------------------------------------


def anchored() -> Iterator[tuple[DiagramView, BodyRegion, Laterality | None]]:
    for view in DiagramView:
        for region in BodyRegion:
            for side in SIDES:
                if region_anchor(view, region, side) is not None:
                    yield view, region, side


@pytest.mark.parametrize(("view", "region", "side"), list(anchored()))
def test_anchors_are_inside_the_body(
    view: DiagramView, region: BodyRegion, side: Laterality | None
) -> None:
    x, y = region_anchor(view, region, side) or (0, 0)
    assert plain(view).getpixel(frame_pixel(view, x, y)) == BODY_FILL


def test_every_region_has_an_anchor_on_its_default_view() -> None:
    for region in BodyRegion:
        for aspect in (None, *Aspect):
            view = default_view(region, aspect)
            anchor = region_anchor(view, region)
            assert (anchor is None) == (region in {BodyRegion.WHOLE_BODY, BodyRegion.OTHER})


@pytest.mark.parametrize(
    ("view", "region", "aspect"),
    [
        (DiagramView.FRONT, BodyRegion.UPPER_BACK, None),
        (DiagramView.FRONT, BodyRegion.BUTTOCK, None),
        (DiagramView.FRONT, BodyRegion.SOLE, None),
        (DiagramView.FRONT, BodyRegion.FOREARM, Aspect.POSTERIOR),
        (DiagramView.FRONT, BodyRegion.HAND, Aspect.DORSAL),
        (DiagramView.FRONT, BodyRegion.WHOLE_BODY, None),
        (DiagramView.FRONT, BodyRegion.OTHER, None),
        (DiagramView.BACK, BodyRegion.FACE, None),
        (DiagramView.BACK, BodyRegion.CHEST, None),
        (DiagramView.BACK, BodyRegion.THIGH, Aspect.ANTERIOR),
        (DiagramView.BACK, BodyRegion.FOOT, Aspect.PLANTAR),
        (DiagramView.HEAD_FRONT, BodyRegion.SCALP, Aspect.POSTERIOR),
        (DiagramView.HANDS_PALMAR, BodyRegion.THIGH, None),
        (DiagramView.HANDS_PALMAR, BodyRegion.HAND, Aspect.DORSAL),
        (DiagramView.HANDS_DORSAL, BodyRegion.FINGER, Aspect.VOLAR),
        (DiagramView.FEET_DORSAL, BodyRegion.SOLE, None),
        (DiagramView.FEET_PLANTAR, BodyRegion.FOOT, Aspect.DORSAL),
    ],
)
def test_regions_a_view_does_not_show_have_no_anchor(
    view: DiagramView, region: BodyRegion, aspect: Aspect | None
) -> None:
    assert region_anchor(view, region, Laterality.LEFT, aspect) is None
    assert region_anchor(view, region, None, aspect) is None


@pytest.mark.parametrize(
    ("view", "region", "right_is_on_the_left"),
    [
        (DiagramView.FRONT, BodyRegion.FOREARM, True),
        (DiagramView.BACK, BodyRegion.FOREARM, False),
        (DiagramView.FRONT, BodyRegion.KNEE, True),
        (DiagramView.BACK, BodyRegion.KNEE, False),
        (DiagramView.HEAD_FRONT, BodyRegion.EYE, True),
        (DiagramView.HEAD_SIDE, BodyRegion.EAR, False),
        (DiagramView.HANDS_PALMAR, BodyRegion.HAND, True),
        (DiagramView.HANDS_DORSAL, BodyRegion.HAND, False),
        (DiagramView.FEET_DORSAL, BodyRegion.FOOT, True),
        (DiagramView.FEET_PLANTAR, BodyRegion.FOOT, False),
    ],
)
def test_left_and_right_follow_the_view(
    view: DiagramView, region: BodyRegion, right_is_on_the_left: bool
) -> None:
    right = region_anchor(view, region, Laterality.RIGHT)
    left = region_anchor(view, region, Laterality.LEFT)
    assert right is not None
    assert left is not None
    assert (right[0] < 5000) is right_is_on_the_left
    assert abs(right[0] + left[0] - 10_000) <= 1  # mirror images
    assert right[1] == left[1]
    assert region_anchor(view, region) == right  # no side given: the subject's right


@pytest.mark.parametrize("view", list(DiagramView))
def test_the_printed_letters_agree_with_the_anchors(view: DiagramView) -> None:
    figure = _diagrams._FIGURES[view]
    letters = {side: where[0] < figure.size[0] / 2 for side, where in figure.sides}
    assert letters == {
        Laterality.RIGHT: figure.right_on_left,
        Laterality.LEFT: not figure.right_on_left,
    }
    region = next(iter(figure.anchors))
    right = region_anchor(view, region, Laterality.RIGHT)
    assert right is not None
    assert (right[0] < 5000) is letters[Laterality.RIGHT]


def printed_letter(image: Image.Image, view: DiagramView, side: Laterality) -> bytes:
    """The pixels of the 10 mm square round the letter an untitled diagram prints beside
    ``side``, where the view's figure places it."""
    figure = _diagrams._FIGURES[view]
    ((x, y),) = [where for printed, where in figure.sides if printed is side]
    centre_x, centre_y = mm(MARGIN_MM + x), mm(MARGIN_MM + y)
    half = mm(5)
    box = (centre_x - half, centre_y - half, centre_x + half, centre_y + half)
    square = image.crop(tuple(round(edge) for edge in box))
    assert square.convert("L").getextrema()[0] < 60  # a letter is printed there
    return square.tobytes()


@pytest.mark.parametrize("view", [DiagramView.FRONT, DiagramView.BACK, DiagramView.HEAD_SIDE])
def test_the_side_letters_are_in_the_diagrams_language(view: DiagramView) -> None:
    drawn = {language: draw_diagram(view, [], dpi=DPI, language=language) for language in LANGUAGES}
    right = {lang: printed_letter(image, view, Laterality.RIGHT) for lang, image in drawn.items()}
    left = {lang: printed_letter(image, view, Laterality.LEFT) for lang, image in drawn.items()}
    assert right["es"] == right["fr"] != right["en"]  # D (derecha, droite), R (right)
    assert len({left["en"], left["es"], left["fr"]}) == 3  # L (left), I (izquierda), G (gauche)
    assert drawn["en"].tobytes() == plain(view).tobytes()  # English unless asked
    # Only the letters change: the figure is the same in every language.
    for language in ("es", "fr"):
        difference = ImageChops.difference(drawn["en"], drawn[language]).getbbox()
        assert difference is not None
        assert difference[3] - difference[1] < mm(12)  # one band at the letters' height


def test_regions_across_the_midline_go_to_the_middle_unless_a_side_is_named() -> None:
    middle = region_anchor(DiagramView.FRONT, BodyRegion.CHEST, Laterality.MIDLINE)
    assert middle is not None
    assert middle[0] == 5000
    assert region_anchor(DiagramView.FRONT, BodyRegion.CHEST, Laterality.BILATERAL) == middle
    left = region_anchor(DiagramView.FRONT, BodyRegion.CHEST, Laterality.LEFT)
    assert left is not None
    assert left[0] > 5000
    back = region_anchor(DiagramView.BACK, BodyRegion.LOWER_BACK, Laterality.LEFT)
    assert back is not None
    assert back[0] < 5000


@pytest.mark.parametrize(
    ("region", "aspect", "view"),
    [
        (BodyRegion.CHEST, None, DiagramView.FRONT),
        (BodyRegion.CHEST, Aspect.POSTERIOR, DiagramView.FRONT),  # only FRONT shows it
        (BodyRegion.FOREARM, None, DiagramView.FRONT),
        (BodyRegion.FOREARM, Aspect.POSTERIOR, DiagramView.BACK),
        (BodyRegion.FOREARM, Aspect.DORSAL, DiagramView.BACK),
        (BodyRegion.UPPER_BACK, None, DiagramView.BACK),
        (BodyRegion.ANUS, None, DiagramView.BACK),
        (BodyRegion.HAND, None, DiagramView.HANDS_PALMAR),
        (BodyRegion.FINGER, Aspect.DORSAL, DiagramView.HANDS_DORSAL),
        (BodyRegion.FOOT, None, DiagramView.FEET_DORSAL),
        (BodyRegion.FOOT, Aspect.PLANTAR, DiagramView.FEET_PLANTAR),
        (BodyRegion.SOLE, None, DiagramView.FEET_PLANTAR),
        (BodyRegion.TOE, Aspect.DORSAL, DiagramView.FEET_DORSAL),
        (BodyRegion.FACE, None, DiagramView.HEAD_FRONT),
        (BodyRegion.SCALP, Aspect.POSTERIOR, DiagramView.HEAD_SIDE),
        (BodyRegion.EAR, None, DiagramView.HEAD_SIDE),
        (BodyRegion.WHOLE_BODY, None, DiagramView.FRONT),
    ],
)
def test_default_views(region: BodyRegion, aspect: Aspect | None, view: DiagramView) -> None:
    assert default_view(region, aspect) is view


def test_a_recorded_region_becomes_a_marker() -> None:
    """The way a report marks a finding for which only the region was recorded."""
    view = default_view(BodyRegion.FOREARM, Aspect.DORSAL)
    x, y = region_anchor(view, BodyRegion.FOREARM, Laterality.LEFT, Aspect.DORSAL) or (0, 0)
    image = draw_diagram(view, [Marker(1, x, y, "ecchymosis", BodyRegion.FOREARM)], dpi=DPI)
    assert image.getpixel(frame_pixel(view, x, y)) == MARKER_FILL


# --- fonts -----------------------------------------------------------------------------------


def test_accents_fold_to_ascii_for_the_bundled_font() -> None:
    assert _diagrams._ascii("Fractura de húmero, niño; façade Ø 東") == (
        "Fractura de humero, nino; facade ? ?"
    )


def test_without_dejavu_the_bundled_font_draws_the_legend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    markers = [Marker(1, 5000, 5000, "Équimose, ecchymose à la cuisse, niño")]
    monkeypatch.setattr(_diagrams, "FONT_PATHS", (Path("/nonexistent/DejaVuSans.ttf"),))
    bundled = draw_diagram(DiagramView.FRONT, markers, dpi=DPI)
    assert legend_entries(DiagramView.FRONT, bundled) == 1
    if DEJAVU.is_file():
        monkeypatch.undo()
        assert bundled.tobytes() != draw_diagram(DiagramView.FRONT, markers, dpi=DPI).tobytes()


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed")
def test_a_font_file_is_used_when_given() -> None:
    markers = [Marker(1, 5000, 5000, "contusión")]
    given = diagram_png(DiagramView.BACK, markers, font=DEJAVU, dpi=DPI)
    assert given == diagram_png(DiagramView.BACK, markers, font=str(DEJAVU), dpi=DPI)
    assert given == diagram_png(DiagramView.BACK, markers, dpi=DPI)  # the default found


# --- refused input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"number": 0}, "number"),
        ({"number": 1000}, "number"),
        ({"number": True}, "number"),
        ({"number": "3"}, "number"),
        ({"x": -1}, "x"),
        ({"x": 10_001}, "x"),
        ({"x": 12.5}, "x"),
        ({"y": 10_001}, "y"),
        ({"y": None}, "y"),
        ({"label": ""}, "label"),
        ({"label": "   "}, "label"),
        ({"label": "two\nlines"}, "label"),
        ({"label": "tab\tinside"}, "label"),
        ({"label": "line\u2028separator"}, "label"),
        ({"label": "x" * 201}, "label"),
        ({"label": b"bytes"}, "label"),
        ({"region": "face"}, "region"),
    ],
)
def test_bad_markers_are_refused(fields: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"number": 1, "x": 10, "y": 10, "label": "scar", **fields}
    with pytest.raises(InvalidInput) as raised:
        Marker(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_markers_are_checked_again_when_drawn() -> None:
    """attrs validators can be switched off; the drawing still refuses a bad marker."""
    with attrs.validators.disabled():
        bad = Marker(1, 10_001, 10, "scar")
    with pytest.raises(InvalidInput) as raised:
        draw_diagram(DiagramView.FRONT, [Marker(2, 0, 0, "ok"), bad])
    assert raised.value.field == "markers[1].x"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"view": "sideways"}, "view"),
        ({"view": None}, "view"),
        ({"markers": [Marker(3, 1, 1, "a"), Marker(3, 2, 2, "b")]}, "markers"),
        ({"markers": Marker(3, 1, 1, "a")}, "markers"),
        ({"markers": "markers"}, "markers"),
        ({"markers": {Marker(3, 1, 1, "a")}}, "markers"),
        ({"markers": [Marker(3, 1, 1, "a"), (2, 2, 2, "b")]}, "markers[1]"),
        ({"dpi": 71}, "dpi"),
        ({"dpi": 1201}, "dpi"),
        ({"dpi": 300.0}, "dpi"),
        ({"dpi": True}, "dpi"),
        ({"title": ""}, "title"),
        ({"title": "two\nlines"}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"font": "/nonexistent/font.ttf"}, "font"),
        ({"font": "bad\x00path.ttf"}, "font"),
        ({"font": 12}, "font"),
        ({"language": "de"}, "language"),
        ({"language": "ES"}, "language"),
    ],
)
def test_bad_drawing_arguments_are_refused(arguments: dict[str, object], field: str) -> None:
    call: dict[str, object] = {"view": DiagramView.FRONT, "markers": [], **arguments}
    for draw in (draw_diagram, diagram_png):
        with pytest.raises(InvalidInput) as raised:
            draw(**call)  # type: ignore[arg-type]
        assert raised.value.field == field
        assert field in str(raised.value)


def test_a_font_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "font.ttf"
    fake.write_bytes(b"not a font")
    with pytest.raises(InvalidInput) as raised:
        draw_diagram(DiagramView.FRONT, [], font=fake)
    assert raised.value.field == "font"


def test_view_values_are_accepted_as_strings() -> None:
    assert region_anchor("front", "forearm", "left") == region_anchor(  # type: ignore[arg-type]
        DiagramView.FRONT, BodyRegion.FOREARM, Laterality.LEFT
    )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (("up", BodyRegion.FACE), "view"),
        ((DiagramView.FRONT, "spleen"), "region"),
        ((DiagramView.FRONT, BodyRegion.FACE, "upper"), "laterality"),
        ((DiagramView.FRONT, BodyRegion.FACE, None, "inside"), "aspect"),
    ],
)
def test_bad_anchor_arguments_are_refused(arguments: tuple[object, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        region_anchor(*arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_bad_default_view_arguments_are_refused() -> None:
    with pytest.raises(InvalidInput, match="region"):
        default_view("spleen")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="aspect"):
        default_view(BodyRegion.HAND, "inside")  # type: ignore[arg-type]


# --- samples to look at ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("CUSTODY_DIAGRAM_DIR")
    if not chosen:
        return tmp_path_factory.mktemp("diagrams")
    path = Path(chosen)
    path.mkdir(parents=True, exist_ok=True)
    return path


SAMPLE_FINDINGS = (
    (BodyRegion.FOREARM, Laterality.LEFT, "Ecchymose linéaire, 4 x 1 cm, face dorsale"),
    (BodyRegion.WRIST, Laterality.RIGHT, "Abrasión circunferencial por esposas, 0,5 cm"),
    (BodyRegion.SOLE, Laterality.LEFT, "Oedème et sensibilité plantaire (falanga alléguée)"),
    (BodyRegion.EAR, Laterality.RIGHT, "Perforación timpánica referida; pabellón íntegro"),
    (BodyRegion.FINGER, Laterality.LEFT, "Nail bed injury, index finger"),
    (BodyRegion.UPPER_BACK, Laterality.RIGHT, "Tramline bruises, parallel, 12 cm"),
    (BodyRegion.THIGH, Laterality.LEFT, "Cicatriz hipertrófica de 3 cm, quemadura alegada"),
    (BodyRegion.FACE, Laterality.LEFT, "Hématome périorbitaire en voie de résorption"),
)


@pytest.mark.parametrize("view", list(DiagramView))
def test_writes_a_sample_of_each_view(view: DiagramView, sample_dir: Path) -> None:
    """Writes ``<view>.png`` at 300 dpi with the sample findings that the view shows, for a
    person to look at: into the folder named by the environment variable
    CUSTODY_DIAGRAM_DIR if it is set (created if need be), else into pytest's temporary
    folder. Run ``CUSTODY_DIAGRAM_DIR=/tmp/diagrams pytest tests/report`` to keep them."""
    markers: list[Marker] = []
    for region, side, label in SAMPLE_FINDINGS:
        anchor = region_anchor(view, region, side)
        if anchor is not None:
            markers.append(Marker(len(markers) + 1, *anchor, label, region))
    png = diagram_png(view, markers, title=f"Body diagram: {view.value}")
    path = sample_dir / f"{view.value}.png"
    path.write_bytes(png)
    with Image.open(path) as image:
        assert image.size[0] > 1700
