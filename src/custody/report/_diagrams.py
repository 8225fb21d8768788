"""Body diagrams for Istanbul Protocol evaluations: outline figures with numbered markers.

The figures are neutral line drawings in the manner of the body charts of the Protocol's
annex III, drawn here from the shapes tabulated below (ellipses, tapered capsules and
smooth curves, in millimetres of each view's frame); no image file is involved.

Coordinates. A marker's ``x`` and ``y`` are integers from 0 to 10000 over the view's
drawing frame: (0, 0) is its top left corner, (10000, 10000) its bottom right, x to the
right and y down. The scale is not the same on both axes unless the frame is square;
:data:`VIEWS` gives each frame's size in millimetres at print size.

Sides. FRONT, HEAD_FRONT, HANDS_PALMAR and FEET_DORSAL face the viewer: the subject's right
is on the viewer's left. BACK, HANDS_DORSAL and FEET_PLANTAR are seen from behind or below:
the subject's right is on the viewer's right. HEAD_SIDE shows both profiles, the left on
the viewer's left. Every view prints a letter beside each side it marks, in the diagram's
language: "R" and "L" in English, "D" and "I" in Spanish, "D" and "G" in French.

Fonts. Text is set in the ``font`` file when one is given, otherwise in DejaVu Sans from
one of the usual system locations (:data:`FONT_PATHS`), which covers the accents of
Spanish, French and most European languages. Without either, Pillow's bundled font is
used; it has ASCII glyphs only, so accents are stripped ("é" prints as "e") and any other
character prints as "?": the legend stays legible, never a row of empty boxes.

Layout and print size. Lengths are set in millimetres and text in points, and turned into
pixels at the ``dpi`` asked for. The frame is ``VIEWS[view]`` millimetres, with an 8 mm
margin round the image; the title, if any, goes above the frame and the legend below it,
so the image grows taller with the legend rather than shrinking the figure. At the default
300 dpi the whole-body frame is 148 x 210 mm, A5 portrait, 1748 x 2480 pixels. The PNG
records its resolution so that it prints at that size.
"""

from __future__ import annotations

import enum
import functools
import io
import math
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs
from PIL import Image, ImageDraw, ImageFont

from custody._text import wrap_words
from custody.errors import CustodyError, InvalidInput
from custody.medical import DIAGRAM_SCALE, Aspect, BodyRegion, DiagramView, Laterality
from custody.report._i18n import label

__all__ = [
    "VIEWS",
    "Marker",
    "default_view",
    "diagram_png",
    "draw_diagram",
    "region_anchor",
]

MAX_NUMBER: Final = 999
MAX_LABEL: Final = 200
MIN_DPI, MAX_DPI = 72, 1200
_MAX_PIXELS = 150_000_000  # an A5 frame at 1200 dpi is 69 million; a long legend adds more
_SMOOTHING_PIXELS = 24_000_000  # the figure is drawn at twice the size up to this many

#: Where DejaVu Sans is looked for, in order, when no font file is given.
FONT_PATHS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"),  # Fedora, RHEL
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),  # older Fedora, Alpine
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch
    Path("/usr/local/share/fonts/dejavu/DejaVuSans.ttf"),  # FreeBSD
    Path("/Library/Fonts/DejaVuSans.ttf"),  # macOS, installed by hand
    Path("C:/Windows/Fonts/DejaVuSans.ttf"),
)

# Colours, RGB; those of the figure are greys. The body's fill is light enough to print as
# white but distinct from the background, so that a program can tell inside from outside.
BACKGROUND: Final = (255, 255, 255)
BODY_FILL: Final = (246, 246, 246)
OUTLINE: Final = (30, 30, 30)
CREASE: Final = (135, 135, 135)
MARKER_FILL: Final = (176, 20, 20)  # dark enough to print black-and-white as dark grey
MARKER_TEXT: Final = (255, 255, 255)
TEXT: Final = (0, 0, 0)

# Sizes in millimetres at print size; fonts in points.
_MARGIN = 8.0
_OUTLINE_WIDTH = 0.45
_CONTOUR_WIDTH = 0.3
_CREASE_WIDTH = 0.25
_LEADER_WIDTH = 0.3
_DOT_RADIUS = 0.7
_BUBBLE_CLEARANCE = 0.6
_BUBBLE_PADDING = 0.8  # between a marker's number and its circle
_RING_WIDTH = 0.15
_LEADER_LENGTH = 3.5  # from the marked point to its circle's edge
_SIDE_POINTS = 13
_TITLE_POINTS = 13
_LEGEND_POINTS = 9
_LEGEND_COLUMN = 62.0  # the narrowest legend column
_GAP = 4.0  # between title, figure and legend


# --- markers -----------------------------------------------------------------------------


def _check_number(value: Any, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_NUMBER:
        raise InvalidInput(f"must be an integer from 1 to {MAX_NUMBER}", field=field)


def _check_coordinate(value: Any, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= DIAGRAM_SCALE:
        raise InvalidInput(f"must be an integer from 0 to {DIAGRAM_SCALE}", field=field)


def _check_line(value: Any, field: str) -> None:
    """One line of text, 1 to ``MAX_LABEL`` characters, not only spaces."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("must be non-empty text", field=field)
    if len(value) > MAX_LABEL:
        raise InvalidInput(f"is longer than {MAX_LABEL} characters", field=field)
    if any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in value):
        raise InvalidInput("must be one line, without control characters", field=field)


def _check_region(value: Any, field: str) -> None:
    if value is not None and not isinstance(value, BodyRegion):
        raise InvalidInput("must be a BodyRegion or None", field=field)


_Check = Callable[[Any, str], None]


def _validator(check: _Check) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """``check`` as an attrs validator, reporting the attribute's name."""

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        check(value, attribute.name)

    return validate


@attrs.frozen
class Marker:
    """A numbered point on a body diagram and the legend text that explains it.

    Attributes:
        number: printed in the marker and before its legend entry; 1 to 999, unique
            within one diagram.
        x: 0 (the frame's left edge) to 10000 (its right edge).
        y: 0 (the frame's top edge) to 10000 (its bottom edge).
        label: the legend text, one line of at most 200 characters; wrapped when drawn.
        region: the body region marked, when known; it is not drawn, and not checked
            against the position.
    """

    number: int = attrs.field(validator=_validator(_check_number))
    x: int = attrs.field(validator=_validator(_check_coordinate))
    y: int = attrs.field(validator=_validator(_check_coordinate))
    label: str = attrs.field(validator=_validator(_check_line))
    region: BodyRegion | None = attrs.field(default=None, validator=_validator(_check_region))


_MARKER_CHECKS: Mapping[str, _Check] = MappingProxyType(
    {
        "number": _check_number,
        "x": _check_coordinate,
        "y": _check_coordinate,
        "label": _check_line,
        "region": _check_region,
    }
)


# --- shapes, in millimetres of a view's frame ----------------------------------------------

_Point = tuple[float, float]
_Path = tuple[_Point, ...]


def _ellipse(cx: float, cy: float, rx: float, ry: float, steps: int = 72) -> _Path:
    return _arc(cx, cy, rx, ry, 0, 360, steps)


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, end: float, steps: int = 24
) -> _Path:
    """Points along an ellipse from ``start`` to ``end`` degrees, clockwise on screen from
    3 o'clock (y grows downwards)."""
    return tuple(
        (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
        for angle in (
            math.radians(start + (end - start) * step / steps) for step in range(steps + 1)
        )
    )


def _capsule(a: _Point, ra: float, b: _Point, rb: float) -> _Path:
    """A limb segment: the convex hull of a circle of radius ``ra`` at ``a`` and one of
    radius ``rb`` at ``b`` (a rod rounded at both ends, tapered if the radii differ)."""
    return _convex_hull(_ellipse(*a, ra, ra, 48) + _ellipse(*b, rb, rb, 48))


def _convex_hull(points: Iterable[_Point]) -> _Path:
    """Andrew's monotone chain; the hull in order, without repeating its first point."""
    ordered = sorted(set(points))

    def half(sequence: Iterable[_Point]) -> list[_Point]:
        chain: list[_Point] = []
        for point in sequence:
            while len(chain) >= 2 and _cross(chain[-2], chain[-1], point) <= 0:
                chain.pop()
            chain.append(point)
        return chain

    lower, upper = half(ordered), half(reversed(ordered))
    return tuple(lower[:-1] + upper[:-1])


def _cross(o: _Point, a: _Point, b: _Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _curve(*points: _Point, closed: bool = False, steps: int = 10) -> _Path:
    """A smooth curve through ``points`` (a uniform Catmull-Rom spline); a closed one ends
    where it began."""
    if closed:
        controls = [points[-1], *points, points[0], points[1]]
    else:
        controls = [points[0], *points, points[-1]]
    path: list[_Point] = []
    for i in range(1, len(controls) - 2):
        p0, p1, p2, p3 = controls[i - 1 : i + 3]
        path.extend(_catmull_rom(p0, p1, p2, p3, step / steps) for step in range(steps))
    path.append(points[0] if closed else points[-1])
    return tuple(path)


def _catmull_rom(p0: _Point, p1: _Point, p2: _Point, p3: _Point, t: float) -> _Point:
    def axis(k: int) -> float:
        return 0.5 * (
            2 * p1[k]
            + (p2[k] - p0[k]) * t
            + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t * t
            + (3 * p1[k] - p0[k] - 3 * p2[k] + p3[k]) * t * t * t
        )

    return axis(0), axis(1)


def _moved(path: _Path, dx: float, dy: float) -> _Path:
    return tuple((x + dx, y + dy) for x, y in path)


def _mirrored(path: _Path, width: float) -> _Path:
    return tuple((width - x, y) for x, y in path)


def _pair(width: float, *paths: _Path) -> tuple[_Path, ...]:
    """Each path and its mirror image across the frame's vertical centre line."""
    return tuple(side for path in paths for side in (path, _mirrored(path, width)))


# --- what each view draws --------------------------------------------------------------------


@attrs.frozen
class _Anchor:
    """Where a region is on a view, in millimetres.

    ``side`` is the region on the figure (or the half of it) on the viewer's left; the other
    side is its mirror image. ``centre`` is where a region that crosses the midline goes
    when no side is given.
    """

    side: _Point
    centre: _Point | None = None


class _Face(enum.Enum):
    """Which way a surface faces, as far as deciding whether a view shows it."""

    FRONT = "front"
    BACK = "back"
    EDGE = "edge"  # medial, lateral, superior and inferior surfaces, seen at the outline
    SOLE = "sole"


@attrs.frozen
class _Figure:
    """One view's drawing: every length in millimetres of its frame, x right, y down.

    ``solids`` are closed shapes whose union is the body: it is filled and outlined once,
    so the seams between shapes do not show. ``contours`` are edges seen inside the
    outline (the jaw over the neck, an ear in profile), drawn thinner; ``creases`` are
    lighter lines (features, skin folds, nails) that help find one's way on the figure.
    ``sides`` are the subject's right and left with the centres of their letters.
    """

    size: tuple[float, float]
    solids: tuple[_Path, ...]
    contours: tuple[_Path, ...]
    creases: tuple[_Path, ...]
    sides: tuple[tuple[Laterality, _Point], ...]
    right_on_left: bool  # whether the subject's right is on the viewer's left
    faces: frozenset[_Face]  # the surfaces the view shows
    anchors: Mapping[BodyRegion, _Anchor]


def _sides(
    right_on_left: bool, left: _Point, right: _Point
) -> tuple[tuple[Laterality, _Point], ...]:
    """The subject's sides at the viewer's ``left`` and ``right`` letter positions."""
    if right_on_left:
        return ((Laterality.RIGHT, left), (Laterality.LEFT, right))
    return ((Laterality.LEFT, left), (Laterality.RIGHT, right))


#: The label keys of the letters printed beside the subject's right and left.
_SIDE_LABELS: Final[Mapping[Laterality, str]] = MappingProxyType(
    {Laterality.RIGHT: "side_letter_right", Laterality.LEFT: "side_letter_left"}
)


# The whole body, 148 x 210 mm: a figure 193 mm tall (7.4 heads) in the anatomical position,
# arms a little away from the trunk, palms forward. Paired parts are given for the figure's
# half on the viewer's left and mirrored; the silhouette is the same from the front and
# from behind, only the lines inside differ.
_BODY_SIZE = (148.0, 210.0)
_BODY_W = _BODY_SIZE[0]

_TRUNK_HALF: _Path = (  # from the neck down the viewer's left side to the crotch
    *((67.5, 38.2), (60, 41.2), (53.5, 43.6), (49.4, 47.5), (48.8, 53)),  # shoulder
    *((55.2, 57.5), (56.6, 68), (58, 80), (57.6, 90)),  # armpit, chest, waist
    *((55.6, 97), (54.8, 104), (62, 108.5), (74, 110.5)),  # hip, groin
)

_BODY_SOLIDS: tuple[_Path, ...] = (
    _ellipse(74, 20, 9.6, 12.2),  # head
    _curve((68.4, 27), (68, 39), (80, 39), (79.6, 27), closed=True),  # neck
    _curve(*_TRUNK_HALF, *reversed(_mirrored(_TRUNK_HALF[:-1], _BODY_W)), closed=True),
    *_pair(
        _BODY_W,
        _ellipse(64.6, 21.5, 1.9, 3.6),  # ear
        _capsule((53.6, 50), 5.6, (46.4, 77), 4.2),  # upper arm
        _capsule((46.2, 78.5), 4.4, (39.8, 102), 2.8),  # forearm
        _capsule((39.4, 106), 3.2, (38.4, 110.5), 3.9),  # palm
        _capsule((38.1, 111.5), 3.5, (37.2, 119.5), 2.5),  # fingers, together
        _capsule((36.2, 108.5), 1.8, (34.4, 115.5), 1.3),  # thumb, lateral with palms forward
        _capsule((64.4, 104), 9.8, (65, 147), 5.4),  # thigh
        _capsule((65, 148), 5.4, (66.5, 188), 2.8),  # lower leg
        _ellipse(64.8, 161, 5.6, 12),  # calf
        _curve(  # foot, seen end on, turned a little outwards
            *((63.6, 187), (69.4, 187), (71, 193), (73, 199)),
            *((71.5, 202), (64, 202), (61, 199.5), (62, 193)),
            closed=True,
        ),
    ),
)

_FINGER_LINES = (  # where the fingers part, on the hands of the whole body
    _curve((36.6, 113.5), (36.1, 118)),
    _curve((38.2, 113.5), (37.7, 118.5)),
    _curve((39.8, 113.5), (39.3, 118)),
)

_FRONT_CONTOURS: tuple[_Path, ...] = (_arc(74, 20, 9.6, 12.2, 30, 150),)  # jaw over the neck

_FRONT_CREASES: tuple[_Path, ...] = (
    _curve((74, 21), (72.7, 24.2), (74.6, 24.8)),  # nose
    _curve((71.8, 28), (74, 28.2), (76.2, 28)),  # mouth
    _arc(74, 84.5, 0.8, 0.8, 0, 360, 12),  # navel
    *_pair(
        _BODY_W,
        _arc(70.2, 19.8, 1.9, 0.9, 200, 340, 8),  # eye
        _arc(70.2, 19.2, 1.9, 0.7, 20, 160, 8),
        _curve((69.8, 40.6), (70.6, 36.2)),  # neck muscle
        _curve((71.2, 43.2), (65, 43.4), (58.5, 45)),  # collarbone
        _arc(64.6, 57.2, 0.55, 0.55, 0, 360, 12),  # nipple
        _curve((61, 97.5), (66, 102), (71.2, 105.6)),  # groin
        _arc(65, 147.5, 3.2, 2.6, 200, 340, 10),  # kneecap
        *_FINGER_LINES,
    ),
)

_BACK_CREASES: tuple[_Path, ...] = (
    _curve((74, 40), (74, 108.5)),  # spine, down to the cleft of the buttocks
    *_pair(
        _BODY_W,
        _curve(  # shoulder blade
            *((67.6, 47), (68.2, 55), (66.8, 62), (62, 55), (59.5, 48.5), (63, 46.8)), closed=True
        ),
        _curve((61.5, 109.5), (66.5, 111.6), (72, 110.6)),  # fold of the buttock
        _curve((62.5, 149.5), (67.8, 149.5)),  # back of the knee
        *_FINGER_LINES,
    ),
)

# Regions on the viewer's-left half of the whole body; the same place front and back.
_LIMB_ANCHORS: dict[BodyRegion, _Anchor] = {
    BodyRegion.NECK: _Anchor((71, 34), centre=(74, 34)),
    BodyRegion.SHOULDER: _Anchor((54, 47)),
    BodyRegion.UPPER_ARM: _Anchor((50.4, 64)),
    BodyRegion.ELBOW: _Anchor((46.5, 78)),
    BodyRegion.FOREARM: _Anchor((43.2, 91)),
    BodyRegion.WRIST: _Anchor((39.9, 103)),
    BodyRegion.HAND: _Anchor((38.8, 109)),
    BodyRegion.FINGER: _Anchor((37.4, 119.5)),
    BodyRegion.HIP: _Anchor((58.5, 101)),
    BodyRegion.THIGH: _Anchor((64.2, 124)),
    BodyRegion.KNEE: _Anchor((65, 144)),
    BodyRegion.LOWER_LEG: _Anchor((65, 166)),
    BodyRegion.ANKLE: _Anchor((66.4, 188)),
}

_FRONT = _Figure(
    size=_BODY_SIZE,
    solids=_BODY_SOLIDS,
    contours=_FRONT_CONTOURS,
    creases=_FRONT_CREASES,
    sides=_sides(True, (14, 14), (134, 14)),
    right_on_left=True,
    faces=frozenset({_Face.FRONT, _Face.EDGE}),
    anchors=MappingProxyType(
        {
            **_LIMB_ANCHORS,
            BodyRegion.SCALP: _Anchor((70, 11.5), centre=(74, 10.5)),
            BodyRegion.FACE: _Anchor((69.4, 24), centre=(74, 17)),
            BodyRegion.EYE: _Anchor((70.2, 19.5)),
            BodyRegion.EAR: _Anchor((64, 21.5)),
            BodyRegion.NOSE: _Anchor((73.5, 23), centre=(74.4, 23.4)),
            BodyRegion.MOUTH: _Anchor((72.6, 27.2), centre=(74, 27.2)),
            BodyRegion.CHEST: _Anchor((65, 52), centre=(74, 51)),
            BodyRegion.BREAST: _Anchor((64.6, 60)),
            BodyRegion.ABDOMEN: _Anchor((68, 80), centre=(74, 78)),
            BodyRegion.GROIN: _Anchor((64.5, 103)),
            BodyRegion.GENITALS: _Anchor((72.5, 106.5), centre=(74, 106.5)),
            BodyRegion.FOOT: _Anchor((67, 195)),
            BodyRegion.TOE: _Anchor((68, 200)),
        }
    ),
)

_BACK = _Figure(
    size=_BODY_SIZE,
    solids=_BODY_SOLIDS,
    contours=(),
    creases=_BACK_CREASES,
    sides=_sides(False, (14, 14), (134, 14)),
    right_on_left=False,
    faces=frozenset({_Face.BACK, _Face.EDGE}),
    anchors=MappingProxyType(
        {
            **_LIMB_ANCHORS,
            BodyRegion.SCALP: _Anchor((70, 14), centre=(74, 13)),
            BodyRegion.EAR: _Anchor((64, 21.5)),
            BodyRegion.UPPER_BACK: _Anchor((63.5, 56), centre=(75, 56)),  # beside the spine
            BodyRegion.LOWER_BACK: _Anchor((66, 86), centre=(75, 86)),
            BodyRegion.BUTTOCK: _Anchor((65.5, 104)),
            BodyRegion.ANUS: _Anchor((73, 108.5), centre=(74, 108.5)),
            BodyRegion.FOOT: _Anchor((66.5, 196)),
        }
    ),
)

# The head from the front, 148 x 180 mm, down to the top of the shoulders.
_HEAD_SIZE = (148.0, 180.0)
_HEAD_W = _HEAD_SIZE[0]

_HEAD_FRONT = _Figure(
    size=_HEAD_SIZE,
    solids=(
        _curve(  # neck and the top of the shoulders, cut off straight
            *((55, 120), (54.5, 146), (44, 154), (20, 161), (10, 168), (8.5, 176)),
            *((139.5, 176), (138, 168), (128, 161), (104, 154), (93.5, 146), (93, 120)),
            closed=True,
        ),
        _ellipse(74, 82, 44, 58),
        *_pair(_HEAD_W, _ellipse(30.5, 88, 7, 15)),  # ears
    ),
    contours=(_arc(74, 82, 44, 58, 38, 142),),  # jaw over the neck
    creases=(
        _curve((74, 80), (70.5, 100), (74, 106)),  # nose
        _curve((64, 119), (74, 119.6), (84, 119)),  # mouth
        *_pair(
            _HEAD_W,
            _arc(55, 80, 9, 4, 200, 340, 12),  # upper eyelid
            _arc(55, 78, 9, 4, 30, 150, 12),  # lower eyelid
            _curve((45, 69), (54, 66), (64, 68.5)),  # eyebrow
            _curve((66.5, 106), (69.5, 103.5), (72.5, 106.5)),  # nostril
            _curve((32, 80), (29, 88), (32, 97)),  # inside the ear
        ),
    ),
    sides=_sides(True, (14, 14), (134, 14)),
    right_on_left=True,
    faces=frozenset({_Face.FRONT, _Face.EDGE}),
    anchors=MappingProxyType(
        {
            BodyRegion.SCALP: _Anchor((58, 36), centre=(74, 31)),
            BodyRegion.FACE: _Anchor((52, 102), centre=(74, 60)),
            BodyRegion.EYE: _Anchor((55, 79)),
            BodyRegion.EAR: _Anchor((27, 88)),
            BodyRegion.NOSE: _Anchor((71, 97), centre=(75, 96)),
            BodyRegion.MOUTH: _Anchor((66, 121.5), centre=(74, 122)),
            BodyRegion.NECK: _Anchor((63, 148), centre=(74, 148)),
            BodyRegion.SHOULDER: _Anchor((24, 168)),
        }
    ),
)

# Both profiles of the head, 210 x 148 mm: the left side on the viewer's left facing left,
# the right side on the viewer's right facing right. The profile is drawn facing right with
# the ear canal at (0, 0), placed at _PROFILE_AT on the right half and mirrored.
_PROFILE_SIZE = (210.0, 148.0)
_PROFILE_W = _PROFILE_SIZE[0]
_PROFILE_AT = (150.0, 60.0)


def _profile(*points: _Point, closed: bool = False) -> _Path:
    return _moved(_curve(*points, closed=closed), *_PROFILE_AT)


def _in_profile(point: _Point) -> _Point:
    """A point of the right profile, moved onto the viewer's left half (see _Anchor)."""
    return _PROFILE_W - (point[0] + _PROFILE_AT[0]), point[1] + _PROFILE_AT[1]


_HEAD_SIDE = _Figure(
    size=_PROFILE_SIZE,
    solids=_pair(
        _PROFILE_W,
        _profile(
            *((-4, -52), (16, -48), (31, -36), (38.5, -20), (40.5, -9)),  # crown, forehead
            *((39, -3.5), (43.5, 5), (48.5, 13.5), (45.5, 17.5), (40.5, 19)),  # nose
            *((42, 24.5), (40.2, 29.5), (41.5, 33.5), (38, 38.5)),  # lips
            *((40.5, 45), (36.5, 51.5), (26, 54), (19, 58), (16.5, 70)),  # chin, throat
            *((16.5, 80), (-22, 80), (-22.5, 58), (-26.5, 42)),  # neck
            *((-35, 28), (-42, 8), (-39, -26), (-24, -46)),  # back of the head
            closed=True,
        ),
    ),
    contours=_pair(
        _PROFILE_W,
        _profile(  # the ear's rim, from the top round the back to the lobe
            *((3, -8.5), (-2, -10.5), (-6.5, -6), (-7, 2), (-4.5, 9.5), (-0.5, 13.5), (2.5, 11))
        ),
        _profile((4, 15), (5, 31), (12, 40), (30, 50)),  # jaw
    ),
    creases=_pair(
        _PROFILE_W,
        _profile((-1.5, -6.5), (-4, -1), (-2.5, 6), (1, 6.5)),  # inside the ear
        _profile((29.5, -5.5), (33.5, -4), (37, -5.5)),  # eye
        _profile((25, -13), (32, -14), (38, -11)),  # eyebrow
        _profile((43, 15.5), (40, 13), (39, 15)),  # nostril
        _profile((40.2, 29.5), (35.5, 29.8)),  # mouth
    ),
    sides=_sides(False, (14, 12), (196, 12)),
    right_on_left=False,
    faces=frozenset({_Face.FRONT, _Face.BACK, _Face.EDGE}),
    anchors=MappingProxyType(
        {
            BodyRegion.SCALP: _Anchor(_in_profile((-6, -36))),
            BodyRegion.FACE: _Anchor(_in_profile((24, 10))),
            BodyRegion.EYE: _Anchor(_in_profile((33, -7))),
            BodyRegion.EAR: _Anchor(_in_profile((-5.4, 2.5))),
            BodyRegion.NOSE: _Anchor(_in_profile((44, 10))),
            BodyRegion.MOUTH: _Anchor(_in_profile((38, 27))),
            BodyRegion.NECK: _Anchor(_in_profile((0, 72))),
        }
    ),
)

# Both hands, fingers up, 210 x 148 mm, thumbs towards the middle: the palms as seen from
# the front (hands raised), the backs as seen from behind. The outline is the same.
_HANDS_SIZE = (210.0, 148.0)
_HANDS_W = _HANDS_SIZE[0]

_HAND_SOLIDS = _pair(
    _HANDS_W,
    _curve((39.5, 143), (39, 124), (62, 124), (62.5, 143), closed=True),  # wrist
    _curve(  # palm
        *((38.5, 130), (32, 110), (30.2, 88), (30, 70), (50, 58), (68, 62)),
        *((72, 74), (73.5, 98), (70, 116), (62.5, 130)),
        closed=True,
    ),
    _capsule((34.5, 68), 5.0, (27.5, 35), 4.4),  # little finger
    _capsule((45, 62), 5.6, (40.5, 18.5), 5.1),  # ring finger
    _capsule((56.5, 60), 5.8, (55.5, 12), 5.3),  # middle finger
    _capsule((67, 63), 5.6, (71.5, 20), 5.1),  # index finger
    _capsule((66, 108), 9, (80, 85), 6.8),  # thumb, first bone
    _capsule((80, 85), 6.8, (88.5, 63), 5.6),  # thumb, tip
)

_HAND_ANCHORS = MappingProxyType(
    {
        BodyRegion.HAND: _Anchor((51, 94)),
        BodyRegion.FINGER: _Anchor((55.8, 29.5)),
        BodyRegion.WRIST: _Anchor((51, 133)),
    }
)


def _across(x: float, y: float, half: float, tilt: float = 0.0) -> _Path:
    """A short crease across a finger at (x, y), its right end ``tilt`` lower."""
    return ((x - half, y - tilt), (x + half, y + tilt))


def _nail(x: float, y: float, half: float, length: float) -> _Path:
    """A nail whose rounded top is at (x, y)."""
    return _curve(
        (x - half, y + length), (x - half, y + 1), (x, y), (x + half, y + 1), (x + half, y + length)
    )


_HANDS_PALMAR = _Figure(
    size=_HANDS_SIZE,
    solids=_HAND_SOLIDS,
    contours=(),
    creases=_pair(
        _HANDS_W,
        _curve((69, 104), (60, 92), (62, 68)),  # round the ball of the thumb
        _curve((31, 74), (50, 73), (66, 65)),  # distal palmar crease
        _curve((31.5, 84), (46, 85), (64, 78)),  # proximal palmar crease
        _curve((40, 127), (51, 129), (61, 127)),  # wrist
        _across(31.5, 50, 4.4, 0.8),
        _across(29.6, 40.5, 4.1, 0.8),
        _across(43.2, 42, 5.0, 0.5),
        _across(41.8, 29.5, 4.8, 0.5),
        _across(56, 37, 5.2),
        _across(55.8, 24, 5.0),
        _across(69.4, 43, 5.0, -0.5),
        _across(70.6, 31, 4.8, -0.5),
        _across(84.5, 74.5, 5.6, -1.8),
    ),
    sides=_sides(True, (14, 134), (196, 134)),
    right_on_left=True,
    faces=frozenset({_Face.FRONT, _Face.EDGE}),
    anchors=_HAND_ANCHORS,
)

_HANDS_DORSAL = _Figure(
    size=_HANDS_SIZE,
    solids=_HAND_SOLIDS,
    contours=(),
    creases=_pair(
        _HANDS_W,
        _nail(27.7, 32, 2.7, 5),
        _nail(40.7, 15, 3.2, 6),
        _nail(55.6, 8.5, 3.4, 6),
        _nail(71.3, 16.5, 3.2, 6),
        _nail(89.6, 59, 3.5, 6),
        *(_arc(x, y, 3.2, 1.6, 200, 340, 8) for x, y in ((35.5, 66), (46, 61), (57, 59), (66, 62))),
        *(_arc(x, y, 2.8, 1.5, 200, 340, 8) for x, y in ((31, 51), (43, 41), (56, 36), (69.4, 42))),
    ),
    sides=_sides(False, (14, 134), (196, 134)),
    right_on_left=False,
    faces=frozenset({_Face.BACK, _Face.EDGE}),
    anchors=_HAND_ANCHORS,
)

# Both feet, toes up, 180 x 148 mm, big toes towards the middle: the tops as seen from the
# front (from above), the soles as seen from behind. The outline is the same.
_FEET_SIZE = (180.0, 148.0)
_FEET_W = _FEET_SIZE[0]

_FOOT_SOLIDS = _pair(
    _FEET_W,
    _curve(
        *((50, 144.5), (38, 137), (35, 114), (32.5, 92), (30, 72), (27, 60)),  # outer edge
        *((27.5, 52), (34.5, 44), (42.2, 39), (50.8, 34.5), (59, 34), (70.5, 37)),  # toes' roots
        *((72, 48), (71.5, 60), (68.5, 80), (64.5, 100), (64, 120), (62, 136)),  # inner edge
        closed=True,
    ),
    _capsule((63.5, 34), 7.3, (63.5, 20), 7.1),  # big toe
    _ellipse(50.8, 30, 4.4, 9),
    _ellipse(42.2, 34.5, 4.1, 8),
    _ellipse(34.5, 40, 3.7, 7),
    _ellipse(27.8, 47, 3.1, 5.8),  # little toe
)

_FEET_DORSAL = _Figure(
    size=_FEET_SIZE,
    solids=_FOOT_SOLIDS,
    contours=(),
    creases=_pair(
        _FEET_W,
        _nail(63.5, 14.5, 4.4, 7),
        _nail(50.8, 22.5, 2.4, 3.6),
        _nail(42.2, 28, 2.2, 3.2),
        _nail(34.5, 34.5, 1.9, 2.8),
        _nail(27.8, 42.5, 1.6, 2.4),
        _curve((40, 128), (50, 124), (60, 128)),  # front of the ankle
    ),
    sides=_sides(True, (14, 134), (166, 134)),
    right_on_left=True,
    faces=frozenset({_Face.FRONT, _Face.EDGE}),
    anchors=MappingProxyType(
        {
            BodyRegion.FOOT: _Anchor((50, 86)),
            BodyRegion.TOE: _Anchor((63.5, 27)),
            BodyRegion.ANKLE: _Anchor((50, 132)),
        }
    ),
)

_FEET_PLANTAR = _Figure(
    size=_FEET_SIZE,
    solids=_FOOT_SOLIDS,
    contours=(),
    creases=_pair(
        _FEET_W,
        _curve((30, 58), (50, 49), (70.5, 49)),  # the ball of the foot
        _curve((67, 64), (59, 84), (58.5, 104), (62.5, 118)),  # the arch
        _curve((40, 124), (50, 119), (61, 123)),  # heel pad
    ),
    sides=_sides(False, (14, 134), (166, 134)),
    right_on_left=False,
    faces=frozenset({_Face.SOLE, _Face.BACK, _Face.EDGE}),  # the heel from behind
    anchors=MappingProxyType(
        {
            BodyRegion.FOOT: _Anchor((48, 92)),
            BodyRegion.SOLE: _Anchor((48, 70)),
            BodyRegion.TOE: _Anchor((63.5, 25)),
        }
    ),
)

_FIGURES: Mapping[DiagramView, _Figure] = MappingProxyType(
    {
        DiagramView.FRONT: _FRONT,
        DiagramView.BACK: _BACK,
        DiagramView.HEAD_FRONT: _HEAD_FRONT,
        DiagramView.HEAD_SIDE: _HEAD_SIDE,
        DiagramView.HANDS_PALMAR: _HANDS_PALMAR,
        DiagramView.HANDS_DORSAL: _HANDS_DORSAL,
        DiagramView.FEET_PLANTAR: _FEET_PLANTAR,
        DiagramView.FEET_DORSAL: _FEET_DORSAL,
    }
)

#: Every view this module draws, with its frame's width and height in millimetres at
#: print size (dpi pixels per inch).
VIEWS: Mapping[DiagramView, tuple[float, float]] = MappingProxyType(
    {view: figure.size for view, figure in _FIGURES.items()}
)


# --- regions -------------------------------------------------------------------------------

_HEAD_REGIONS = frozenset(
    {
        BodyRegion.SCALP,
        BodyRegion.FACE,
        BodyRegion.EYE,
        BodyRegion.EAR,
        BodyRegion.NOSE,
        BodyRegion.MOUTH,
    }
)
_HAND_REGIONS = frozenset({BodyRegion.HAND, BodyRegion.FINGER})
_FOOT_REGIONS = frozenset({BodyRegion.FOOT, BodyRegion.TOE, BodyRegion.SOLE})


def _face(region: BodyRegion, aspect: Aspect | None) -> _Face | None:
    """The way ``aspect`` of ``region`` faces in the anatomical position; None for any."""
    if aspect is None:
        return _Face.SOLE if region is BodyRegion.SOLE else None
    if aspect is Aspect.DORSAL:  # the back of the hand, but the top of the foot
        return _Face.FRONT if region in _FOOT_REGIONS or region is BodyRegion.ANKLE else _Face.BACK
    if aspect is Aspect.INFERIOR and region in _FOOT_REGIONS:
        return _Face.SOLE
    return {
        Aspect.ANTERIOR: _Face.FRONT,
        Aspect.VOLAR: _Face.FRONT,  # palms forward
        Aspect.POSTERIOR: _Face.BACK,
        Aspect.PLANTAR: _Face.SOLE,
    }.get(aspect, _Face.EDGE)


def region_anchor(
    view: DiagramView,
    region: BodyRegion,
    laterality: Laterality | None = None,
    aspect: Aspect | None = None,
) -> tuple[int, int] | None:
    """A default marker position for ``region`` on ``view``, for a clinician who recorded
    only the region.

    Paired regions (an arm, an ear) are placed on the side ``laterality`` names; without a
    side (None, MIDLINE or BILATERAL) they go on the subject's right, and the left needs a
    marker of its own. Regions across the midline (the chest, the neck) go to the middle
    unless a side is named. ``aspect`` only decides whether the view shows the surface: the
    back of the forearm is not on the FRONT view. The point is one inside the outline, not
    a measured position.

    Returns:
        (x, y) in normalised coordinates, or None when the view does not show the region
        or that surface of it (UPPER_BACK on FRONT, a sole on BACK); WHOLE_BODY and OTHER
        have no point on any view.

    Raises:
        InvalidInput: ``view``, ``region``, ``laterality`` or ``aspect`` is not one of its
            enumeration's values.
    """
    figure = _FIGURES[_enum(DiagramView, view, "view")]
    region = _enum(BodyRegion, region, "region")
    laterality = _optional_enum(Laterality, laterality, "laterality")
    face = _face(region, _optional_enum(Aspect, aspect, "aspect"))
    anchor = figure.anchors.get(region)
    if anchor is None or (face is not None and face not in figure.faces):
        return None
    return _normalised(_on_side(figure, anchor, laterality), figure.size)


def _on_side(figure: _Figure, anchor: _Anchor, laterality: Laterality | None) -> _Point:
    """Where ``anchor`` is on the side ``laterality`` names: the middle if it has one and
    no side is named, else the subject's right unless the left is named."""
    if laterality not in {Laterality.LEFT, Laterality.RIGHT}:
        if anchor.centre is not None:
            return anchor.centre
        laterality = Laterality.RIGHT
    if (laterality is Laterality.RIGHT) == figure.right_on_left:
        return anchor.side
    return figure.size[0] - anchor.side[0], anchor.side[1]


def _normalised(point: _Point, size: tuple[float, float]) -> tuple[int, int]:
    return round(point[0] * DIAGRAM_SCALE / size[0]), round(point[1] * DIAGRAM_SCALE / size[1])


def default_view(region: BodyRegion, aspect: Aspect | None = None) -> DiagramView:
    """The view on which to mark ``region`` (and ``aspect`` of it) by default.

    Hands and fingers go on the hand views (HANDS_DORSAL for their backs), soles on
    FEET_PLANTAR, feet and toes on FEET_DORSAL unless their plantar, inferior or posterior
    aspect is meant. The head's parts go on HEAD_FRONT, or HEAD_SIDE for the ears and for
    lateral, medial, superior, inferior or posterior aspects. Everything else goes on the
    whole body: on the one view that shows it (the chest on FRONT, the buttocks on BACK),
    else on BACK for posterior and dorsal aspects and on FRONT otherwise. WHOLE_BODY and
    OTHER go on FRONT, where they have no anchor.

    Raises:
        InvalidInput: ``region`` or ``aspect`` is not one of its enumeration's values.
    """
    region = _enum(BodyRegion, region, "region")
    face = _face(region, _optional_enum(Aspect, aspect, "aspect"))
    if region in _HAND_REGIONS:
        return DiagramView.HANDS_DORSAL if face is _Face.BACK else DiagramView.HANDS_PALMAR
    if region is BodyRegion.SOLE or (region in _FOOT_REGIONS and face in {_Face.SOLE, _Face.BACK}):
        return DiagramView.FEET_PLANTAR
    if region in _FOOT_REGIONS:
        return DiagramView.FEET_DORSAL
    if region in _HEAD_REGIONS:
        sideways = region is BodyRegion.EAR or face in {_Face.EDGE, _Face.BACK}
        return DiagramView.HEAD_SIDE if sideways else DiagramView.HEAD_FRONT
    if region not in _BACK.anchors:
        return DiagramView.FRONT
    if region not in _FRONT.anchors or face is _Face.BACK:
        return DiagramView.BACK
    return DiagramView.FRONT


_E = TypeVar("_E", DiagramView, BodyRegion, Laterality, Aspect)


def _enum(kind: type[_E], value: Any, field: str) -> _E:
    """``value`` as a member of ``kind``; its value (``"front"``) is accepted too."""
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a {kind.__name__}", field=field) from None


def _optional_enum(kind: type[_E], value: Any, field: str) -> _E | None:
    return None if value is None else _enum(kind, value, field)


# --- drawing -------------------------------------------------------------------------------


def draw_diagram(
    view: DiagramView,
    markers: Sequence[Marker],
    *,
    dpi: int = 300,
    title: str | None = None,
    font: str | os.PathLike[str] | None = None,
    language: str = "en",
) -> Image.Image:
    """Draw ``view`` with ``markers`` on it and a legend of their labels below.

    Each marker is a small dot exactly at its position, joined by a short leader to a
    circle with its number, placed clear of the other markers' circles and dots where the
    frame leaves room. The legend lists every marker in number order, each label wrapped
    to its column; it has one column per 62 mm of width and as many rows as it needs, the
    image growing taller to hold them: no marker is ever left out.

    Args:
        view: the figure to draw.
        markers: the points to mark, in any order; their numbers must differ.
        dpi: the print resolution, 72 to 1200; lengths are set in millimetres and text
            in points at this resolution.
        title: one line of at most 200 characters, printed above the figure (wrapped
            if long).
        font: a TrueType or OpenType font file for all text; by default DejaVu Sans if
            found in ``FONT_PATHS``, else Pillow's bundled font with accents stripped.
        language: the language of the letters marking the subject's right and left
            (``"en"``, ``"es"`` or ``"fr"``, as for the medical report); the title and the
            labels are printed as given.

    Returns:
        An RGB image on a white background.

    Raises:
        InvalidInput: an argument is malformed or out of range (the error's ``field``
            names it, as ``markers[2].x`` for a marker's), two markers share a number,
            ``language`` is not supported, the font file cannot be read, or the image
            would be larger than 150 million pixels.
        CustodyError: Pillow was built without FreeType, so it cannot draw scalable text.
    """
    figure = _FIGURES[_enum(DiagramView, view, "view")]
    ordered = _checked_markers(markers)
    _check_dpi(dpi)
    if title is not None:
        _check_line(title, "title")
    letters = {side: label(key, language) for side, key in _SIDE_LABELS.items()}
    style = _Style(dpi, _Typeface.find(font))
    layout = _Layout.of(figure, ordered, title, style)
    image = Image.new("RGB", layout.size, BACKGROUND)
    image.paste(_figure_image(figure, layout.frame, style), (layout.frame.left, layout.frame.top))
    draw = ImageDraw.Draw(image)
    _draw_title(draw, layout, style)
    _draw_sides(draw, figure, layout.frame, style, letters)
    _draw_markers(draw, ordered, layout.frame, style)
    _draw_legend(draw, layout.legend, style)
    return image


def diagram_png(
    view: DiagramView,
    markers: Sequence[Marker],
    *,
    dpi: int = 300,
    title: str | None = None,
    font: str | os.PathLike[str] | None = None,
    language: str = "en",
) -> bytes:
    """:func:`draw_diagram` as PNG bytes that record ``dpi``.

    The PNG holds no time or other metadata, so the same arguments give the same bytes
    with the same font file, Pillow and zlib. Arguments and errors as for
    :func:`draw_diagram`.
    """
    image = draw_diagram(view, markers, dpi=dpi, title=title, font=font, language=language)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _checked_markers(markers: Sequence[Marker]) -> tuple[Marker, ...]:
    """``markers`` in number order, after checking each and that no number repeats.

    The fields are checked again although Marker validates them, because attrs validators
    can be switched off globally and the drawing relies on them.
    """
    if isinstance(markers, (str, bytes, Marker)) or not isinstance(markers, Sequence):
        raise InvalidInput("must be a sequence of Marker", field="markers")
    seen: set[int] = set()
    for index, marker in enumerate(markers):
        if not isinstance(marker, Marker):
            raise InvalidInput("is not a Marker", field=f"markers[{index}]")
        for name, check in _MARKER_CHECKS.items():
            check(getattr(marker, name), f"markers[{index}].{name}")
        if marker.number in seen:
            raise InvalidInput(f"number {marker.number} is used twice", field="markers")
        seen.add(marker.number)
    return tuple(sorted(markers, key=lambda marker: marker.number))


def _check_dpi(dpi: int) -> None:
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not MIN_DPI <= dpi <= MAX_DPI:
        raise InvalidInput(f"must be an integer from {MIN_DPI} to {MAX_DPI}", field="dpi")


# --- text ----------------------------------------------------------------------------------

_Font = ImageFont.FreeTypeFont


@attrs.frozen
class _Typeface:
    """The font file text is set in; None for Pillow's bundled, ASCII-only font."""

    path: str | None

    @classmethod
    def find(cls, font: str | os.PathLike[str] | None) -> _Typeface:
        if font is not None:
            if not isinstance(font, (str, os.PathLike)):
                raise InvalidInput("must be the path of a font file", field="font")
            path = os.fspath(font)
            _load(path, 12)  # fail now, naming the file, rather than half-way through
            return cls(path)
        found = next((path for path in FONT_PATHS if path.is_file()), None)
        return cls(None if found is None else str(found))

    def printable(self, text: str) -> str:
        """``text`` as the font can print it: unchanged, or folded to ASCII."""
        return text if self.path is not None else _ascii(text)


@functools.lru_cache(maxsize=64)  # a legend sets every entry in the same few sizes
def _load(path: str | None, pixels: int) -> _Font:
    if path is None:
        font = ImageFont.load_default(size=pixels)
        if not isinstance(font, ImageFont.FreeTypeFont):
            raise CustodyError("Pillow was built without FreeType; diagrams need scalable text")
        return font
    try:
        return ImageFont.truetype(path, pixels)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise InvalidInput(f"cannot load {path!r} ({exc})", field="font") from exc


def _ascii(text: str) -> str:
    """``text`` with accents stripped ("é" to "e") and other non-ASCII characters as "?"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(char if " " <= char <= "~" else "?" for char in bare)


@attrs.frozen
class _Style:
    """Lengths and fonts at one resolution."""

    dpi: int
    typeface: _Typeface

    def mm(self, length: float) -> float:
        """``length`` millimetres in pixels."""
        return length * self.dpi / 25.4

    def font(self, points: float) -> _Font:
        return _load(self.typeface.path, max(1, round(points * self.dpi / 72)))


def _wrap(text: str, font: _Font, width: float) -> tuple[str, ...]:
    return tuple(wrap_words(text, width, font.getlength))


def _line_height(font: _Font) -> int:
    ascent, descent = font.getmetrics()
    return int(ascent + descent)


# --- layout --------------------------------------------------------------------------------


@attrs.frozen
class _Frame:
    """Where a view's frame is on the image, in pixels, and its size in millimetres."""

    left: int
    top: int
    width: int
    height: int
    size: tuple[float, float]

    def point(self, point: _Point) -> _Point:
        """A point given in millimetres of the frame, in pixels."""
        return (
            self.left + point[0] * self.width / self.size[0],
            self.top + point[1] * self.height / self.size[1],
        )

    def marker(self, marker: Marker) -> tuple[int, int]:
        """A marker's position in whole pixels."""
        return (
            self.left + round(marker.x * self.width / DIAGRAM_SCALE),
            self.top + round(marker.y * self.height / DIAGRAM_SCALE),
        )


@attrs.frozen
class _Entry:
    """One marker's legend entry: its lines, and where it goes in pixels."""

    marker: Marker
    lines: tuple[str, ...]
    radius: float  # of the numbered circle
    left: int
    top: int


@attrs.frozen
class _Legend:
    """The legend's entries in columns of about equal height, top to bottom, then left to
    right; the last column takes whatever is left, so every marker has its entry."""

    entries: tuple[_Entry, ...]
    height: int

    @classmethod
    def of(
        cls, markers: tuple[Marker, ...], left: int, top: int, width: int, style: _Style
    ) -> _Legend:
        columns = max(1, min(len(markers), int(width // style.mm(_LEGEND_COLUMN))))
        column_width = width // columns
        font = style.font(_LEGEND_POINTS)
        line_height = _line_height(font)
        text_width = column_width - _legend_indent(style) - style.mm(_GAP)
        texts = [_wrap(style.typeface.printable(m.label), font, text_width) for m in markers]
        radii = [_bubble_radius(marker.number, _IN_LEGEND, style) for marker in markers]
        heights = [
            round(max(_rise(radius, line_height) + len(lines) * line_height, 2 * radius))
            + line_height // 2
            for lines, radius in zip(texts, radii, strict=True)
        ]
        target = math.ceil(sum(heights) / columns)
        entries: list[_Entry] = []
        column, used, tallest = 0, 0, 0
        for marker, lines, radius, height in zip(markers, texts, radii, heights, strict=True):
            if used and used + height > target and column < columns - 1:
                column, used = column + 1, 0
            left_edge = left + column * column_width
            entries.append(_Entry(marker, lines, radius, left_edge, top + used))
            used += height
            tallest = max(tallest, used)
        return cls(tuple(entries), tallest)


def _rise(radius: float, line_height: int) -> float:
    """How far below an entry's top its first line starts, so that a circle taller than
    the line, centred on it, stays inside the entry."""
    return max(0.0, radius - line_height / 2)


def _legend_indent(style: _Style) -> int:
    """Where the legend's text starts, from the left of its column."""
    return round(1.5 * style.mm(_IN_LEGEND.diameter))


@attrs.frozen
class _Layout:
    """Where the title, the figure's frame and the legend go, and the image's size."""

    size: tuple[int, int]
    title: tuple[str, ...]
    frame: _Frame
    legend: _Legend

    @classmethod
    def of(
        cls, figure: _Figure, markers: tuple[Marker, ...], title: str | None, style: _Style
    ) -> _Layout:
        margin, gap = round(style.mm(_MARGIN)), round(style.mm(_GAP))
        frame_width, frame_height = (round(style.mm(side)) for side in figure.size)
        width = frame_width + 2 * margin
        lines: tuple[str, ...] = ()
        top = margin
        if title is not None:
            font = style.font(_TITLE_POINTS)
            lines = _wrap(style.typeface.printable(title), font, frame_width)
            top += len(lines) * _line_height(font) + gap
        frame = _Frame(margin, top, frame_width, frame_height, figure.size)
        legend = _Legend.of(markers, margin, top + frame_height + gap, frame_width, style)
        legend_space = gap + legend.height if markers else 0
        height = top + frame_height + legend_space + margin
        if width * height > _MAX_PIXELS:
            raise InvalidInput(
                f"the diagram would be {width}x{height} pixels; use fewer markers or a lower dpi",
                field="markers",
            )
        return cls((width, height), lines, frame, legend)


# --- the figure ----------------------------------------------------------------------------


def _figure_image(figure: _Figure, frame: _Frame, style: _Style) -> Image.Image:
    """The figure in its frame: drawn at twice the size and scaled down, which smooths its
    edges, unless that would take more than _SMOOTHING_PIXELS."""
    factor = 2 if 4 * frame.width * frame.height <= _SMOOTHING_PIXELS else 1
    width, height = frame.width * factor, frame.height * factor
    layer = Image.new("L", (width, height), _grey(BACKGROUND))
    _draw_figure(ImageDraw.Draw(layer), figure, _Frame(0, 0, width, height, figure.size))
    if factor > 1:
        layer = layer.resize((frame.width, frame.height), Image.Resampling.BOX)
    return layer.convert("RGB")


def _draw_figure(draw: ImageDraw.ImageDraw, figure: _Figure, frame: _Frame) -> None:
    """The body, filled and outlined, then the lines inside it.

    Each solid's edge is first stroked twice as wide as the outline; filling every solid
    afterwards covers the inner half of each stroke and every seam between solids, which
    leaves one outline round their union.
    """
    px = frame.width / frame.size[0]
    solids = [[frame.point(point) for point in solid] for solid in figure.solids]
    stroke = max(1, round(2 * _OUTLINE_WIDTH * px))
    for solid in solids:
        draw.line(_round_trip(solid), fill=_grey(OUTLINE), width=stroke, joint="curve")
    for solid in solids:
        draw.polygon(solid, fill=_grey(BODY_FILL))
    for lines, colour, width in (
        (figure.contours, OUTLINE, _CONTOUR_WIDTH),
        (figure.creases, CREASE, _CREASE_WIDTH),
    ):
        for line in lines:
            points = [frame.point(point) for point in line]
            draw.line(points, fill=_grey(colour), width=max(1, round(width * px)), joint="curve")


def _round_trip(polygon: list[_Point]) -> list[_Point]:
    """The polygon's edge as a line that goes on past its first point, so that the line
    gets a round joint there too instead of two square ends."""
    ring = polygon[:-1] if polygon[0] == polygon[-1] else polygon
    return [*ring, *ring[:2]]


def _grey(colour: tuple[int, int, int]) -> int:
    """The level of a grey colour, for the figure's greyscale layer."""
    return colour[0]


def _draw_title(draw: ImageDraw.ImageDraw, layout: _Layout, style: _Style) -> None:
    font = style.font(_TITLE_POINTS)
    margin = layout.frame.left  # the same at the top as at the sides
    for row, line in enumerate(layout.title):
        draw.text((margin, margin + row * _line_height(font)), line, font=font, fill=TEXT)


def _draw_sides(
    draw: ImageDraw.ImageDraw,
    figure: _Figure,
    frame: _Frame,
    style: _Style,
    letters: Mapping[Laterality, str],
) -> None:
    font = style.font(_SIDE_POINTS)
    for side, where in figure.sides:
        letter = style.typeface.printable(letters[side])
        draw.text(frame.point(where), letter, font=font, fill=TEXT, anchor="mm")


def _draw_legend(draw: ImageDraw.ImageDraw, legend: _Legend, style: _Style) -> None:
    """Each entry's number in its circle, level with the entry's first line of text."""
    font = style.font(_LEGEND_POINTS)
    line_height = _line_height(font)
    indent = _legend_indent(style)
    for entry in legend.entries:
        top = entry.top + _rise(entry.radius, line_height)  # of the first line
        centre = (entry.left + style.mm(_IN_LEGEND.diameter) / 2, top + line_height / 2)
        _draw_bubble(draw, centre, entry.radius, entry.marker.number, _IN_LEGEND, style)
        for row, line in enumerate(entry.lines):
            draw.text((entry.left + indent, top + row * line_height), line, font=font, fill=TEXT)


# --- markers -------------------------------------------------------------------------------


@attrs.frozen
class _Placed:
    """A marker's dot and the centre and radius of its numbered circle, in pixels."""

    marker: Marker
    dot: tuple[int, int]
    centre: _Point
    radius: float


def _draw_markers(
    draw: ImageDraw.ImageDraw, markers: tuple[Marker, ...], frame: _Frame, style: _Style
) -> None:
    """Leaders first, then circles, then dots, so that no circle hides a marked point."""
    placed = _place(markers, frame, style)
    leader = max(1, round(style.mm(_LEADER_WIDTH)))
    for mark in placed:
        draw.line([mark.dot, mark.centre], fill=MARKER_FILL, width=leader)
    for mark in placed:
        _draw_bubble(draw, mark.centre, mark.radius, mark.marker.number, _ON_FIGURE, style)
    dot = max(2, round(style.mm(_DOT_RADIUS)))
    for mark in placed:
        x, y = mark.dot
        draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=MARKER_FILL)


@attrs.frozen
class _Bubble:
    """The size of a numbered circle: its least diameter in millimetres, and the size of
    its number in points."""

    diameter: float
    points: float


_ON_FIGURE = _Bubble(diameter=5.2, points=7.5)
_IN_LEGEND = _Bubble(diameter=4.4, points=6.5)


def _draw_bubble(
    draw: ImageDraw.ImageDraw,
    centre: _Point,
    radius: float,
    number: int,
    bubble: _Bubble,
    style: _Style,
) -> None:
    """A filled circle with ``number`` in it, ringed in white to part it from whatever it
    overlaps."""
    x, y = centre
    ring = max(1, round(style.mm(_RING_WIDTH)))
    box = (x - radius, y - radius, x + radius, y + radius)
    draw.ellipse(box, fill=MARKER_FILL, outline=BACKGROUND, width=ring)
    font = style.font(bubble.points)
    draw.text((x, y), str(number), font=font, fill=MARKER_TEXT, anchor="mm")


def _bubble_radius(number: int, bubble: _Bubble, style: _Style) -> float:
    """The radius of ``number``'s circle in pixels: at least half the bubble's diameter,
    more if the number needs it."""
    width = style.font(bubble.points).getlength(str(number))
    return max(style.mm(bubble.diameter) / 2, width / 2 + style.mm(_BUBBLE_PADDING))


def _place(markers: tuple[Marker, ...], frame: _Frame, style: _Style) -> list[_Placed]:
    """Put each marker's circle at the first free spot around its point.

    Spots are tried on rings of growing distance, first away from the frame's vertical
    centre line (where a circle covers the least of the body), then slanting, then up and
    down, then inwards. A spot is free if the circle stays in the frame and keeps clear of
    the circles placed before and of every marker's dot; when none is free, the spot with
    the fewest clashes is taken.
    """
    radii = [_bubble_radius(marker.number, _ON_FIGURE, style) for marker in markers]
    dots = [frame.marker(marker) for marker in markers]
    crowd = _Crowd.of(dots, max(radii, default=0.0), style.mm(_BUBBLE_CLEARANCE))
    placed: list[_Placed] = []
    for marker, dot, radius in zip(markers, dots, radii, strict=True):
        outward = -1.0 if dot[0] < frame.left + frame.width / 2 else 1.0
        best: tuple[int, _Point] | None = None
        for centre in _spots(dot, outward, radius, style):
            clashes = crowd.clashes(centre, radius, dot)
            if not _inside(frame, centre, radius):
                clashes += 2 * len(markers)  # worse than touching every other marker
            if best is None or clashes < best[0]:
                best = (clashes, centre)
            if clashes == 0:
                break
        assert best is not None  # _spots yields at least one spot
        crowd.add_circle(best[1], radius)
        placed.append(_Placed(marker, dot, best[1], radius))
    return placed


# Directions tried, as (outwards, downwards): out, slanting, up, down, then inwards.
_DIRECTIONS = (
    (1.0, 0.0),
    (0.7, -0.7),
    (0.7, 0.7),
    (0.0, -1.0),
    (0.0, 1.0),
    (-0.7, -0.7),
    (-0.7, 0.7),
    (-1.0, 0.0),
)
_RINGS = 5


def _spots(dot: tuple[int, int], outward: float, radius: float, style: _Style) -> Iterator[_Point]:
    first = radius + style.mm(_LEADER_LENGTH)
    for ring in range(_RINGS):
        distance = first + ring * 2.2 * radius
        for across, down in _DIRECTIONS:
            yield dot[0] + outward * across * distance, dot[1] + down * distance


def _inside(frame: _Frame, centre: _Point, radius: float) -> bool:
    x, y = centre
    return (
        frame.left + radius <= x <= frame.left + frame.width - radius
        and frame.top + radius <= y <= frame.top + frame.height - radius
    )


_Cell = tuple[int, int]


@attrs.define
class _Crowd:
    """Every marker's dot and the circles placed so far, kept in square cells at least as
    wide as the distance at which two of them clash, so that a circle is checked only
    against those in the nine cells round it."""

    cell: float
    clearance: float
    dots: dict[_Cell, list[tuple[int, int]]] = attrs.Factory(dict)
    circles: dict[_Cell, list[tuple[_Point, float]]] = attrs.Factory(dict)

    @classmethod
    def of(cls, dots: Iterable[tuple[int, int]], radius: float, clearance: float) -> _Crowd:
        crowd = cls(2 * (radius + clearance), clearance)
        for dot in dots:
            crowd.dots.setdefault(crowd._cell(dot), []).append(dot)
        return crowd

    def add_circle(self, centre: _Point, radius: float) -> None:
        self.circles.setdefault(self._cell(centre), []).append((centre, radius))

    def clashes(self, centre: _Point, radius: float, own: tuple[int, int]) -> int:
        """How many circles and dots, other than ``own``, a circle at ``centre`` would
        come too close to."""
        cells = self._around(centre)
        near_circles = sum(
            1
            for cell in cells
            for other, other_radius in self.circles.get(cell, ())
            if math.dist(centre, other) < radius + other_radius + self.clearance
        )
        near_dots = sum(
            1
            for cell in cells
            for dot in self.dots.get(cell, ())
            if dot != own and math.dist(centre, dot) < radius + 2 * self.clearance
        )
        return near_circles + near_dots

    def _cell(self, point: _Point) -> _Cell:
        return math.floor(point[0] / self.cell), math.floor(point[1] / self.cell)

    def _around(self, point: _Point) -> list[_Cell]:
        column, row = self._cell(point)
        return [(column + i, row + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
