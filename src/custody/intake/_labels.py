"""Printable evidence labels: what a sealed bag or box carries, with a QR code of its chain.

A label shows the case and item references, the seal numbers, the description and the storage
location in black on white, and a QR code (ISO/IEC 18004, error correction level M or higher,
with the four-module quiet zone) of the item's chain subject ``case/item``, the name the ledger
gives its custody chain. It is a PNG whose pixels match the label's size at the printer's
resolution, which it records, so that it prints at the intended size.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

import attrs
import segno
from PIL import Image, ImageDraw, ImageFont

from custody._text import wrap_words
from custody.errors import CustodyError, InvalidInput
from custody.intake._derive import create_file
from custody.ledger import subject_of
from custody.model import check_reference, check_text, sorted_seals

__all__ = ["evidence_label", "write_label"]

QR_ERROR = "m"
"""The least QR error correction level; segno raises it when that costs no extra size."""

QR_BORDER = 4  # modules of quiet zone, as ISO/IEC 18004 requires for QR codes

_MIN_DPI, _MAX_DPI = 100, 1200
_MIN_MM, _MAX_MM = 20, 300
_MAX_LABEL_PIXELS = 40_000_000  # an A4 sheet at 600 dpi is 35 million
_STORAGE_LIMIT = 500  # as for PhysicalItem.storage_location
_MARGIN_TENTHS_MM = 20  # 2 mm, clear of the edge printers cannot reach
_TITLE_POINTS = range(16, 6, -1)  # tried from the largest down
_MIN_BODY_POINTS = 6
_ELLIPSIS = "..."

# Pillow's bundled font (a subset of Aileron) has glyphs for printable ASCII only; anything
# else would print as empty boxes, so it is refused unless the caller brings a font.
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e\t\n]*")

_Font = ImageFont.FreeTypeFont
_FontFile = str | os.PathLike[str] | None


def evidence_label(
    case: str,
    item: str,
    *,
    seals: Sequence[str] = (),
    description: str | None = None,
    storage_location: str | None = None,
    dpi: int = 300,
    size_mm: tuple[int, int] = (100, 50),
    font: str | os.PathLike[str] | None = None,
) -> bytes:
    """Draw an evidence label as PNG bytes.

    The references, seal numbers and storage location are printed in full, wrapped over as
    many lines as they need; the description fills the space left and is cut short with
    "..." when it does not fit. Text is set as large as the label allows, from 16 pt down to
    7 pt (6 pt for the smaller lines). The QR code takes at most two fifths of the label's
    longer side, at a whole number of pixels per module. The same arguments give the same
    bytes with the same Pillow and zlib.

    Args:
        case: the case reference.
        item: the item reference.
        seals: the seal numbers on the packaging; printed sorted, as the ledger keeps them.
        description: what the item is.
        storage_location: where the item is kept.
        dpi: the printer's resolution in dots per inch, 100 to 1200.
        size_mm: the label's width and height in millimetres, 20 to 300 each.
        font: a TrueType or OpenType font file for text beyond printable ASCII; by default
            Pillow's bundled font, which has ASCII glyphs only.

    Returns:
        The PNG: 8-bit grey, ``size_mm`` at ``dpi`` in pixels, the resolution recorded.

    Raises:
        InvalidInput: a reference, seal number or text is malformed, or has characters the
            bundled font cannot print; the size or resolution is out of range; or the text
            and the QR code do not fit on the label.
        CustodyError: Pillow was built without FreeType, so it cannot draw scalable text.
    """
    texts = _Texts.checked(case, item, seals, description, storage_location, font is None)
    width, height = _label_pixels(size_mm, dpi)
    label = Image.new("L", (width, height), 255)
    margin = _pixels(_MARGIN_TENTHS_MM, dpi)
    text_box = _draw_qr(label, subject_of(case, item), margin, dpi)
    _draw_text(label, texts, text_box, dpi, font)
    out = io.BytesIO()
    label.save(out, "PNG", dpi=(dpi, dpi), compress_level=9)
    return out.getvalue()


def write_label(path: str | os.PathLike[str], png: bytes) -> None:
    """Write label bytes to the new file ``path``, atomically; never overwrite.

    Raises:
        InvalidInput: ``path`` exists or cannot be written; the message names it.
    """
    create_file(Path(path), lambda handle: handle.write(png))


@attrs.frozen
class _Texts:
    """The label's text, checked: titles and fields printed whole, and the description."""

    titles: tuple[str, ...]
    whole: tuple[str, ...]
    description: str | None

    @classmethod
    def checked(
        cls,
        case: str,
        item: str,
        seals: Sequence[str],
        description: str | None,
        storage_location: str | None,
        ascii_only: bool,
    ) -> _Texts:
        check_reference(case, "case")
        check_reference(item, "item")
        if isinstance(seals, str):
            raise InvalidInput("must be a sequence of seal numbers, not one string", field="seals")
        sealed = sorted_seals(seals)
        check_text(description, "description")
        check_text(storage_location, "storage_location", limit=_STORAGE_LIMIT)
        if ascii_only:
            _check_printable(" ".join(sealed), "seals")
            _check_printable(description, "description")
            _check_printable(storage_location, "storage_location")
        whole = []
        if sealed:
            whole.append("Seals: " + ", ".join(sealed))
        if storage_location is not None:
            whole.append("Storage: " + storage_location)
        return cls((f"Case: {case}", f"Item: {item}"), tuple(whole), description)


def _check_printable(value: str | None, field: str) -> None:
    if value is not None and not _PRINTABLE_ASCII.fullmatch(value):
        raise InvalidInput(
            "has characters the bundled label font cannot print (it covers ASCII only); "
            "give a font that has them (--font FILE.ttf on the command line, font= in Python)",
            field=field,
        )


def _label_pixels(size_mm: tuple[int, int], dpi: int) -> tuple[int, int]:
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not _MIN_DPI <= dpi <= _MAX_DPI:
        raise InvalidInput(f"must be an integer from {_MIN_DPI} to {_MAX_DPI}", field="dpi")
    if (
        not isinstance(size_mm, tuple)
        or len(size_mm) != 2
        or not all(type(side) is int and _MIN_MM <= side <= _MAX_MM for side in size_mm)
    ):
        raise InvalidInput(
            f"must be (width, height) in whole millimetres from {_MIN_MM} to {_MAX_MM}",
            field="size_mm",
        )
    width, height = (_pixels(side * 10, dpi) for side in size_mm)
    if width * height > _MAX_LABEL_PIXELS:
        raise InvalidInput(
            f"{width}x{height} pixels is more than a label needs; lower dpi or size_mm",
            field="size_mm",
        )
    return width, height


def _pixels(tenths_of_mm: int, dpi: int) -> int:
    """A length in tenths of a millimetre as pixels at ``dpi``, rounded to nearest."""
    return (tenths_of_mm * dpi + 127) // 254  # 254 tenths of a millimetre to the inch


# --- the QR code ---------------------------------------------------------------------------


def _draw_qr(label: Image.Image, subject: str, margin: int, dpi: int) -> _Box:
    """Draw the QR code of ``subject`` on ``label``; return the box left for text.

    The code sits at the right of a landscape label and at the top of a portrait one. Each
    module is a whole number of pixels (nearest-neighbour scaling of the exact matrix), so
    every module prints the same size.
    """
    qr = segno.make_qr(subject, error=QR_ERROR)
    modules = len(qr.matrix) + 2 * QR_BORDER  # the symbol with its quiet zone
    width, height = label.size
    landscape = width >= height
    inner_w, inner_h = width - 2 * margin, height - 2 * margin
    room = min(inner_h, inner_w * 2 // 5) if landscape else min(inner_w, inner_h * 2 // 5)
    scale = room // modules
    # 0.25 mm is about the smallest module phone cameras and label scanners resolve reliably.
    if scale < 2 or scale * 508 < 5 * dpi:
        raise InvalidInput(
            f"is too small for a {modules}-module QR code at {dpi} dpi "
            "(each module needs 2 pixels and 0.25 mm)",
            field="size_mm",
        )
    cells = bytes(
        0 if dark else 255 for row in qr.matrix_iter(scale=1, border=QR_BORDER) for dark in row
    )
    side = modules * scale
    symbol = Image.frombytes("L", (modules, modules), cells)
    symbol = symbol.resize((side, side), Image.Resampling.NEAREST)
    if landscape:
        left, top = width - margin - side, (height - side) // 2
        label.paste(symbol, (left, top))
        return _Box(margin, margin, left, height - margin)
    left, top = (width - side) // 2, margin
    label.paste(symbol, (left, top))
    return _Box(margin, top + side, width - margin, height - margin)


# --- the text ------------------------------------------------------------------------------


@attrs.frozen
class _Box:
    left: int
    top: int
    right: int
    bottom: int


@attrs.frozen
class _Line:
    text: str
    font: _Font
    height: int


_Block = list[_Line]  # the lines of one field, set apart from the next by a gap


def _draw_text(
    label: Image.Image, texts: _Texts, box: _Box, dpi: int, font_file: _FontFile
) -> None:
    blocks, gap = _layout(texts, box.right - box.left, box.bottom - box.top, dpi, font_file)
    draw = ImageDraw.Draw(label)
    y = box.top
    for block in blocks:
        for line in block:
            draw.text((box.left, y), line.text, font=line.font, fill=0)
            y += line.height
        y += gap


def _layout(
    texts: _Texts, width: int, height: int, dpi: int, font_file: _FontFile
) -> tuple[list[_Block], int]:
    """The blocks of lines to draw and the gap between them: at the largest size that fits
    everything, else at the smallest size with the description cut short."""
    for title_points in _TITLE_POINTS:
        laid_out = _blocks(texts, width, height, dpi, font_file, title_points, cut=False)
        if laid_out is not None:
            return laid_out
    laid_out = _blocks(texts, width, height, dpi, font_file, _TITLE_POINTS[-1], cut=True)
    if laid_out is None:
        raise InvalidInput("is too small for the label's text", field="size_mm")
    return laid_out


def _blocks(
    texts: _Texts,
    width: int,
    height: int,
    dpi: int,
    font_file: _FontFile,
    title_points: int,
    *,
    cut: bool,
) -> tuple[list[_Block], int] | None:
    """The text at ``title_points``, or None if it does not fit in ``width`` x ``height``."""
    title = _font(font_file, _points(title_points, dpi))
    body = _font(font_file, _points(max(_MIN_BODY_POINTS, title_points * 2 // 3), dpi))
    titles = [
        _Line(line, title, _line_height(title)) for line in _wrapped(texts.titles, title, width)
    ]
    body_height = _line_height(body)
    gap = body_height // 3
    blocks = [titles] + [
        [_Line(line, body, body_height) for line in _wrap(text, body, width)]
        for text in texts.whole
    ]
    free = height - sum(line.height for block in blocks for line in block) - gap * (len(blocks) - 1)
    if texts.description is None:
        return (blocks, gap) if free >= 0 else None
    lines = _wrap(texts.description, body, width)
    room = (free - gap) // body_height
    if len(lines) > room:
        if not cut or room < 1:
            return None
        lines = [*lines[: room - 1], _cut_short(lines[room - 1], body, width)]
    blocks.insert(1, [_Line(line, body, body_height) for line in lines])
    return blocks, gap


def _points(points: int, dpi: int) -> int:
    """A font size in points as pixels at ``dpi``."""
    return (points * dpi + 36) // 72


def _font(font_file: _FontFile, size: int) -> _Font:
    if font_file is None:
        font = ImageFont.load_default(size=size)
        if not isinstance(font, ImageFont.FreeTypeFont):
            raise CustodyError("Pillow was built without FreeType; labels need scalable text")
        return font
    try:
        return ImageFont.truetype(os.fspath(font_file), size)
    except OSError as exc:
        raise InvalidInput(f"cannot load the font ({exc})", field=os.fspath(font_file)) from exc


def _line_height(font: _Font) -> int:
    ascent, descent = font.getmetrics()
    return int(ascent + descent)


def _wrapped(texts: Sequence[str], font: _Font, width: int) -> list[str]:
    return [line for text in texts for line in _wrap(text, font, width)]


def _wrap(text: str, font: _Font, width: int) -> list[str]:
    return wrap_words(text, width, font.getlength)


def _cut_short(line: str, font: _Font, width: int) -> str:
    """``line`` ending in "..." within ``width``, to show that the text goes on."""
    while line and font.getlength(line.rstrip() + _ELLIPSIS) > width:
        line = line[:-1]
    return line.rstrip() + _ELLIPSIS
