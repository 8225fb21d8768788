"""HTML for the reports: elements built with their text and attributes escaped, and the
stylesheet.

Every string given as content or as an attribute value is escaped when it is written; only an
:class:`Html` (an element built here, or text already escaped by :func:`escaped`) passes as it
is. The report's sections build their markup from :func:`el` and the small helpers below.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Final

__all__ = [
    "RANGE",
    "STYLESHEET",
    "TIMES",
    "Children",
    "Html",
    "Node",
    "blocks",
    "bullet_list",
    "code",
    "data_uri",
    "day",
    "el",
    "escaped",
    "h3",
    "join",
    "link",
    "moment",
    "note",
    "placeholder",
    "row",
    "tbody",
    "void",
]

RANGE = "\u2013"  # an en dash, between the ends of a range
TIMES = "\u00d7"  # a multiplication sign, between the dimensions of a size


# --- markup -----------------------------------------------------------------------------------


class Html(str):
    """Markup that is safe as it is: built by :func:`el` or escaped by :func:`escaped`."""

    __slots__ = ()


#: What an element may contain: safe markup, text (escaped when written), nothing, or a run.
Node = Html | str | None
Children = Node | Iterable[Node]

# Elements whose content goes on lines of its own, to keep the source readable.
_BLOCKS = frozenset(
    {
        *("html", "head", "body", "header", "main", "footer", "nav", "section", "article"),
        *("div", "table", "thead", "tbody", "tr", "ul", "ol", "dl", "figure", "figcaption"),
    }
)


def escaped(value: str) -> Html:
    """``value`` escaped as an element's content; its line breaks kept as ``<br>``."""
    return Html(html.escape(value, quote=True).replace("\n", "<br>\n"))


def _flatten(children: Iterable[Children]) -> list[str]:
    out: list[str] = []
    for child in children:
        if isinstance(child, Html):
            out.append(child)
        elif isinstance(child, str):
            out.append(escaped(child))
        elif child is not None:
            out.extend(_flatten(child))
    return [part for part in out if part]


def _attributes(attributes: Mapping[str, str | int | bool | None]) -> str:
    """` name="value"` pairs, escaped; ``class_`` is written ``class``, ``aria_label``
    ``aria-label``; ``None`` and ``False`` leave the attribute out."""
    parts = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(f" {name}" if value is True else f' {name}="{html.escape(str(value))}"')
    return "".join(parts)


def el(tag: str, *children: Children, **attributes: str | int | bool | None) -> Html:
    """The element ``tag`` holding ``children`` (text escaped), with ``attributes`` (escaped)."""
    inner = _flatten(children)
    start, end = f"<{tag}{_attributes(attributes)}>", f"</{tag}>"
    if tag in _BLOCKS and inner:
        return Html(start + "\n" + "\n".join(inner) + "\n" + end)
    return Html(start + "".join(inner) + end)


def void(tag: str, **attributes: str | int | bool | None) -> Html:
    """A void element: ``img``, ``meta``."""
    return Html(f"<{tag}{_attributes(attributes)}>")


def join(parts: Iterable[Node], separator: str = "; ") -> Html | None:
    """The parts present, joined by ``separator``; ``None`` when there are none."""
    present = _flatten(parts)
    return Html(escaped(separator).join(present)) if present else None


def blocks(*parts: Node) -> Html | None:
    """Block-level parts one per line; ``None`` when there are none."""
    present = _flatten(parts)
    return Html("\n".join(present)) if present else None


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


# --- small pieces -----------------------------------------------------------------------------


def moment(when: datetime) -> Html:
    """A date and time in UTC, ISO 8601: ``2026-03-02T09:15:00 UTC``."""
    utc = when.astimezone(UTC)
    return el("time", f"{utc:%Y-%m-%dT%H:%M:%S} UTC", datetime=f"{utc:%Y-%m-%dT%H:%M:%SZ}")


def day(when: date) -> Html:
    return el("time", when.isoformat(), datetime=when.isoformat())


def code(value: str) -> Html:
    return el("code", value)


def link(target: str, text: Node) -> Html:
    return el("a", text, href=f"#{target}")


def bullet_list(items: Iterable[Node], **attributes: str | None) -> Html | None:
    entries = [el("li", item) for item in items if item is not None]
    return el("ul", entries, **attributes) if entries else None


def row(cells: Iterable[Node], **attributes: str | None) -> Html:
    return el("tr", (el("td", cell) for cell in cells), **attributes)


def tbody(rows: Iterable[Html]) -> Html:
    return el("tbody", rows)


def note(text: str) -> Html:
    return el("p", text, class_="note")


def h3(text: Node) -> Html:
    return el("h3", text)


def placeholder(text: str, kind: str = "unavailable") -> Html:
    return el("p", text, class_=f"placeholder {kind}", role="img", aria_label=text)


# --- style ------------------------------------------------------------------------------------

# Screen and print in one sheet. Printed: A4, major sections on a new page, the findings
# table on a landscape page, rows, figures and cards kept whole, table headers repeated.
STYLESHEET: Final = """
:root { color-scheme: light; }
html { font: 10.5pt/1.45 Georgia, "DejaVu Serif", "Times New Roman", serif; color: #111;
  background: #fff; }
body { max-width: 190mm; margin: 0 auto; padding: 10mm 8mm; }
h1, h2, h3, h4, th, dt, figcaption, .kicker, .status, .pair .k, .verdict .k, .note,
.placeholder, table { font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
h1 { font-size: 19pt; line-height: 1.2; margin: 1mm 0 5mm; }
h2 { font-size: 14pt; margin: 9mm 0 3mm; padding-bottom: 1mm; border-bottom: 1.2pt solid #222; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; }
h4 { font-size: 10.5pt; margin: 4mm 0 1.5mm; color: #333; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 9pt; color: #444;
  margin: 0; }
.status { display: inline-block; border: 1.5pt solid #222; padding: 1.5mm 3mm;
  font-weight: 700; margin: 0 0 4mm; }
.note { font-size: 9pt; color: #333; border-left: 2pt solid #999; padding-left: 3mm; }
.none { font-style: italic; color: #444; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt;
  overflow-wrap: anywhere; }
.fingerprint { word-spacing: 0.3em; }
a { color: #14426b; }
dl.fields { display: grid; grid-template-columns: minmax(32mm, 30%) 1fr; gap: 1mm 4mm;
  margin: 2mm 0 4mm; }
dl.fields > div { display: contents; }
dt { font-weight: 600; font-size: 9pt; color: #333; }
dd { margin: 0; }
dd > ul, dd > p { margin: 0; }
dd > ul { padding-left: 4mm; }
.pair .k { font-size: 9pt; font-weight: 600; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.5pt;
  line-height: 1.35; }
td:empty::after { content: "\\2014"; color: #888; }
th, td { border: 0.5pt solid #999; padding: 1mm 1.4mm; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
thead th { background: #ececec; }
thead { display: table-header-group; }
table.findings tr.detail td { background: #fafafa; border-top: none; }
table.findings tr.detail p { margin: 0 0 1mm; }
tr, tbody, figure, .card, .verdict, blockquote { break-inside: avoid; page-break-inside: avoid; }
.card { border: 0.75pt solid #bbb; border-radius: 1.5mm; padding: 0 4mm 1mm; margin: 0 0 4mm; }
.verdict { margin: 2mm 0 3mm; font-size: 11pt; }
.level { background: #ffe58a; border: 1pt solid #8a6d00; border-radius: 1mm;
  padding: 0.4mm 2mm; font-weight: 700; }
.level.unassessed { background: #e6e6e6; border-color: #666; }
.warning { border: 1pt solid #a00; border-left-width: 3pt; background: #fdf0ef;
  padding: 1mm 4mm; margin: 2mm 0 4mm; }
.not-signed strong { color: #a00; }
.urgency { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 8pt; font-weight: 700;
  text-transform: uppercase; border: 0.75pt solid #555; border-radius: 1mm; padding: 0 1.2mm; }
.urgency.urgent { background: #fbd5d1; border-color: #a00; }
blockquote { margin: 1mm 0 4mm; padding: 1mm 4mm; border-left: 2pt solid #888; }
blockquote.verbatim { font-style: italic; }
figure { margin: 0 0 5mm; }
figure.narrative figcaption { font-size: 9pt; color: #333; }
figure.diagram img { display: block; max-width: 100%; height: auto; margin: 0 auto;
  border: 0.5pt solid #ccc; }
figure.diagram figcaption { margin-top: 2mm; }
ol.legend { margin: 1mm 0; padding-left: 7mm; font-size: 9pt; }
.photo-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 5mm; }
figure.photo img { display: block; max-width: 100%; height: auto; border: 0.5pt solid #999; }
figure.photo figcaption { font-size: 9pt; margin-top: 1.5mm; }
figure.photo dl.fields { grid-template-columns: minmax(24mm, 38%) 1fr; font-size: 8.5pt; }
.placeholder { display: flex; align-items: center; justify-content: center; min-height: 45mm;
  padding: 4mm; text-align: center; font-size: 9.5pt; font-weight: 600; color: #333;
  background: #f1f1f1; border: 1pt dashed #777; }
.placeholder.intimate { background: #f6efe1; }
nav.contents ol { columns: 2; column-gap: 10mm; padding-left: 6mm; font-size: 9.5pt; }
footer { margin-top: 10mm; padding-top: 2mm; border-top: 0.5pt solid #999; font-size: 8pt;
  color: #444; overflow-wrap: anywhere; }
@page { size: A4; margin: 16mm 15mm 18mm; }
@page wide { size: A4 landscape; margin: 14mm 14mm 16mm; }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; margin: 0; padding: 0; }
  section.new-page { break-before: page; page-break-before: always; }
  #physical-examination { page: wide; }
  a { color: inherit; text-decoration: none; }
  .level, .urgency, .warning, .placeholder, thead th, tr.detail td {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
