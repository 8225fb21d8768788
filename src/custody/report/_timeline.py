"""The custody timeline figure: who held each item when, as an inline SVG.

:func:`custody_periods` reads the custody periods of each item from its events, and
:func:`timeline_svg` draws them: one horizontal lane per item, time running left to right.
The times are the *claimed* times the signers recorded, never proof of when things happened.

How the events become periods (evaluation chains and the case's own chain are left out: a
medical evaluation is a document, not an object in custody):

* ``acquired`` or ``derived``: the actor holds the item from then on;
* ``transferred``: the actor released it; it is in transit to the named recipient;
* ``received``: the actor (the receiver) holds it from then on;
* ``returned`` or ``disposed``: custody ends.

Other events (``sealed``, ``stored``, ``analysed``...) do not change the holder; they are
drawn as ticks on the lane. The figure is built to be read on paper, in grey: each holder's
bars have a colour *and* a texture and carry the holder's name or initials when wide enough;
seals, broken seals and events with problems are marked by shapes, not by colour alone. Every
text from the bundle is escaped, and characters XML does not allow are replaced, so the
figure is well-formed XML whatever the bundle says.

The SVG has no ``xmlns``: it is meant for inline use in an HTML5 document, whose parser puts
it in the SVG namespace.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

import attrs

from custody.bundle._contents import TimelineEvent
from custody.model import EVALUATION_EVENTS, EventType, SealState
from custody.report._html import Html, el

__all__ = [
    "MAX_LANES",
    "Period",
    "SealNote",
    "custody_periods",
    "drawn_items",
    "seal_notes",
    "timeline_svg",
]

#: The most item lanes the figure draws; the others are left to the table.
MAX_LANES: Final = 40


# --- periods ----------------------------------------------------------------------------------


@attrs.frozen
class Period:
    """A stretch of an item's custody, as its events claim it.

    Attributes:
        holder: key id of whoever holds the item; for a transit, of the named recipient
            (``None`` when the transfer names none).
        start: the claimed time of the event that began the period.
        end: the claimed time of the event that ended it; ``None`` while it lasts.
        in_transit: whether the item was released by ``sender`` and awaits receipt.
        sender: for a transit, key id of whoever released the item.
    """

    holder: bytes | None
    start: datetime
    end: datetime | None = None
    in_transit: bool = False
    sender: bytes | None = None


_HOLD: Final = frozenset({EventType.ACQUIRED, EventType.DERIVED, EventType.RECEIVED})
_END: Final = frozenset({EventType.RETURNED, EventType.DISPOSED})
# The events that end the current period: every one that changes who holds the item.
_CHANGES: Final = _HOLD | _END | {EventType.TRANSFERRED}


def custody_periods(events: Iterable[TimelineEvent]) -> dict[str, list[Period]]:
    """The custody periods of every item, by reference, in order of first appearance.

    Args:
        events: the bundle's events in log order. Events of the case's chain and of medical
            evaluation chains are skipped.

    Returns:
        For each item, its periods in the order its events give them; the last one has
        ``end=None`` while custody lasts. An item whose events begin no period (its first
        event is missing, say) maps to an empty list.
    """
    periods: dict[str, list[Period]] = {}
    for event in _custody_events(events):
        lane = periods.setdefault(event.item or "", [])
        if event.type in _CHANGES:
            _close(lane, event.time)
        if event.type in _HOLD:
            lane.append(Period(event.actor, event.time))
        elif event.type == EventType.TRANSFERRED:
            lane.append(Period(event.recipient, event.time, in_transit=True, sender=event.actor))
    return periods


def _close(lane: list[Period], when: datetime) -> None:
    if lane and lane[-1].end is None:
        lane[-1] = attrs.evolve(lane[-1], end=when)


def _custody_events(events: Iterable[TimelineEvent]) -> list[TimelineEvent]:
    """The events of item chains: not the case's chain, not an evaluation's."""
    listed = [event for event in events if event.item is not None]
    evaluations = {event.item for event in listed if event.type in EVALUATION_EVENTS}
    return [event for event in listed if event.item not in evaluations]


def drawn_items(events: Iterable[TimelineEvent]) -> tuple[list[str], int]:
    """The items the figure draws (at most :data:`MAX_LANES`, in order of first appearance)
    and how many more items there are."""
    items = list(dict.fromkeys(event.item or "" for event in _custody_events(events)))
    return items[:MAX_LANES], max(0, len(items) - MAX_LANES)


# --- seal notes -------------------------------------------------------------------------------


@attrs.frozen
class SealNote:
    """A numbered note on an event the figure marks with a seal: its footnote.

    Attributes:
        number: the number shown beside the mark, from 1.
        event: the event.
    """

    number: int
    event: TimelineEvent

    @property
    def broken(self) -> bool:
        """Whether the actor saw the seals broken."""
        return self.event.seal_state == SealState.BROKEN


def _has_seal_mark(event: TimelineEvent) -> bool:
    return (
        event.type == EventType.SEALED or bool(event.seals) or event.seal_state == SealState.BROKEN
    )


def seal_notes(events: Iterable[TimelineEvent]) -> list[SealNote]:
    """The events of the drawn lanes that name seals, are ``sealed`` events or saw broken
    seals, numbered in log order as :func:`timeline_svg` numbers their marks."""
    listed = _custody_events(events)
    drawn = set(drawn_items(listed)[0])
    marked = (e for e in listed if (e.item or "") in drawn and _has_seal_mark(e))
    return [SealNote(number, event) for number, event in enumerate(marked, start=1)]


# --- text -------------------------------------------------------------------------------------

# Characters XML 1.0 does not allow (and line breaks, which a one-line label cannot hold).
_NOT_XML = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """``text`` with characters XML cannot carry replaced; escaping is left to :func:`el`."""
    return _NOT_XML.sub(lambda m: " " if m.group() in "\t\n\r" else "\ufffd", text)


def _short(text: str, limit: int) -> str:
    text = _clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# Titles left out of initials: "Dr Amina Verhoeven" is AV.
_TITLES: Final = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-_.]+", _clean(name)) if w and w[0].isalnum()]
    named = [w for w in words if w.lower() not in _TITLES] or words
    return "".join(w[0].upper() for w in named[:3]) or _clean(name)[:2]


def _holder_name(names: Mapping[bytes, str], key: bytes | None) -> str:
    if key is None:
        return "an unnamed recipient"
    return names.get(key) or f"key {key.hex()[:8]}\u2026"


def _date(moment: datetime) -> str:
    """``YYYY-MM-DD``, the year in four digits even before 1000 (``%Y`` may not pad it)."""
    return moment.astimezone(UTC).date().isoformat()


def _when(moment: datetime) -> str:
    return f"{_date(moment)} {moment.astimezone(UTC):%H:%M:%S} UTC"


def _n(value: float) -> str:
    """A coordinate, to a tenth: short and the same on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- geometry ---------------------------------------------------------------------------------

# About one unit per CSS pixel across an A4 page, so 10-unit text prints near 7.5 pt.
_WIDTH: Final = 720
_LABEL_CHARS: Final = 24
_X0: Final = 162.0  # the plot's left edge; lane labels sit left of it
_X1: Final = 706.0
_AXIS_Y: Final = 44
_LANE_H: Final = 30
_BAR_H: Final = 14
_MIN_BAR: Final = 4.0  # periods of no length (all at one instant) stay visible
_CHAR_W: Final = 6.2  # the width of a character of 10-unit text, roughly
_FONT: Final = "Helvetica, Arial, 'DejaVu Sans', sans-serif"

_PALETTE: Final = (
    "#8ecae6",
    "#ffb703",
    "#a7c957",
    "#e5989b",
    "#b8b8ff",
    "#f4a261",
    "#cdb4db",
    "#d4d4aa",
)
# Textures over the colours, so holders differ in grey print too.
_TEXTURES: Final = (
    "",
    "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6",
    "dots",
    "M0,4 H8",
    "M0,0 L8,8 M8,0 L0,8",
    "M4,0 V8",
)

_TICK_STEPS: Final = tuple(
    timedelta(seconds=s)
    for s in (
        *(60, 300, 900, 1800),
        *(3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600),
        *(86400 * d for d in (1, 2, 7, 14, 30, 91, 182, 365, 730, 1825, 3650)),
    )
)
_MAX_TICKS: Final = 6
_HOUR: Final = timedelta(hours=1)
_EARLIEST: Final = datetime.min.replace(tzinfo=UTC)
_LATEST: Final = datetime.max.replace(tzinfo=UTC)


@attrs.frozen
class _Scale:
    """Claimed time to x, over the plot's width."""

    start: datetime
    end: datetime

    @classmethod
    def over(cls, times: Sequence[datetime]) -> _Scale:
        """A scale a little wider than ``times``; inside the years 1 to 9999 even when the
        claimed times sit at either end of them, as a datetime cannot go past them."""
        low, high = min(times), max(times)
        span = high - low
        if span < timedelta(minutes=10):  # one event, or all at one instant: an hour round
            middle = max(low + span / 2, _EARLIEST + _HOUR / 2)
            start = min(middle - _HOUR / 2, _LATEST - _HOUR)
            return cls(start, start + _HOUR)
        margin = span * 0.03
        return cls(low - min(margin, low - _EARLIEST), high + min(margin, _LATEST - high))

    def x(self, moment: datetime) -> float:
        fraction = (moment - self.start) / (self.end - self.start)
        return _X0 + min(1.0, max(0.0, fraction)) * (_X1 - _X0)

    def ticks(self) -> list[datetime]:
        """At most about :data:`_MAX_TICKS` round times inside the scale. Integer division
        keeps every tick exactly inside it, so none can fall past the years 1 to 9999."""
        span = self.end - self.start
        step = next((s for s in _TICK_STEPS if span / s <= _MAX_TICKS), None)
        if step is None:  # millennia: one step of the span's size
            step = timedelta(days=365 * math.ceil(span.days / 365 / _MAX_TICKS))
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        first = epoch - step * ((epoch - self.start) // step)  # the first step at or after start
        return [first + step * n for n in range((self.end - first) // step + 1)]


# --- the figure -------------------------------------------------------------------------------


@attrs.frozen
class _Figure:
    """What the drawing functions share: the names, the scale, each holder's number."""

    names: Mapping[bytes, str]
    scale: _Scale
    last: datetime  # the last claimed time drawn: open periods run to it
    holders: Mapping[bytes | None, int]
    notes: Mapping[int, SealNote]  # by the event's log index

    def name(self, key: bytes | None) -> str:
        return _holder_name(self.names, key)


def timeline_svg(events: Sequence[TimelineEvent], names: Mapping[bytes, str]) -> str:
    """The custody timeline as an inline SVG element (for an HTML5 document).

    Args:
        events: the bundle's events in log order; the case chain and evaluation chains are
            left out.
        names: the name to show for each key id; a key without one is shown by its first
            hex digits.

    Returns:
        ``<svg>...</svg>``: one lane per item (at most :data:`MAX_LANES`, with a note giving
        how many more there are), a time axis in UTC, the holders' legend and the symbols'
        key. Seal marks are numbered as :func:`seal_notes` numbers them. The same arguments
        always give the same text.
    """
    items, more = drawn_items(events)
    if not items:
        return _svg(60, [_text(_X0, 34, "No custody events of items to draw.")])
    lanes: dict[str, list[TimelineEvent]] = {item: [] for item in items}
    for event in _custody_events(events):
        lanes.get(event.item or "", []).append(event)
    drawn = [event for lane in lanes.values() for event in lane]
    periods = custody_periods(drawn)
    figure = _Figure(
        names=names,
        scale=_Scale.over([event.time for event in drawn]),
        last=max(event.time for event in drawn),
        holders=_holders(periods.values()),
        notes={note.event.index: note for note in seal_notes(events)},
    )
    parts = [_defs(figure), *_axis(figure, len(items))]
    for row, item in enumerate(items):
        parts.append(_lane(figure, row, item, periods.get(item, []), lanes[item]))
    y = _AXIS_Y + 6 + len(items) * _LANE_H + 18
    if more:
        parts.append(_text(4, y, f"{more} more items not drawn; see the table.", bold=True))
        y += 20
    legend, height = _legend(figure, y)
    return _svg(height, [*parts, *legend])


def _svg(height: int, parts: Sequence[Html]) -> str:
    return el(
        "svg",
        el("title", "Custody timeline: who held each item, by claimed time (UTC)"),
        Html("\n" + "\n".join(parts) + "\n"),
        viewBox=f"0 0 {_WIDTH} {height}",
        width=_WIDTH,
        height=height,
        role="img",
        class_="timeline",
        font_family=_FONT,
        font_size=10,
    )


def _holders(periods: Iterable[list[Period]]) -> dict[bytes | None, int]:
    holders: dict[bytes | None, int] = {}
    for lane in periods:
        for period in lane:
            if not period.in_transit:
                holders.setdefault(period.holder, len(holders))
    return holders


def _defs(f: _Figure) -> Html:
    patterns = (_pattern(number) for number in f.holders.values())
    arrow = el(
        "marker",
        el("path", d="M0,0 L8,4 L0,8 z", fill="#222"),
        id="tl-arrow",
        viewBox="0 0 8 8",
        refX=7,
        refY=4,
        markerWidth=7,
        markerHeight=7,
        orient="auto",
    )
    return el("defs", *patterns, arrow)


def _pattern(number: int) -> Html:
    colour = _PALETTE[number % len(_PALETTE)]
    texture = _TEXTURES[number % len(_TEXTURES)]
    overlay: Html | None = None
    if texture == "dots":
        overlay = el("circle", cx=4, cy=4, r="1.4", fill="#333")
    elif texture:
        overlay = el("path", d=texture, stroke="#333", stroke_width=1)
    return el(
        "pattern",
        el("rect", width=8, height=8, fill=colour),
        overlay,
        id=f"tl-h{number}",
        width=8,
        height=8,
        patternUnits="userSpaceOnUse",
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: float | None = None,
    bold: bool = False,
    halo: bool = False,
) -> Html:
    return el(
        "text",
        _clean(text),
        x=_n(x),
        y=_n(y),
        text_anchor=anchor if anchor != "start" else None,
        font_size=_n(size) if size is not None else None,
        font_weight="bold" if bold else None,
        # A white outline keeps the text readable over a textured bar.
        stroke="#fff" if halo else None,
        stroke_width=3 if halo else None,
        paint_order="stroke" if halo else None,
    )


def _axis(f: _Figure, lanes: int) -> list[Html]:
    bottom = _AXIS_Y + 6 + lanes * _LANE_H
    parts = [
        _text(4, 18, "Claimed time (UTC)", bold=True),
        _text(4, 34, "Item", bold=True),
        el("line", x1=_n(_X0), y1=_AXIS_Y, x2=_n(_X1), y2=_AXIS_Y, stroke="#222"),
    ]
    for tick in f.scale.ticks():
        x = _n(f.scale.x(tick))
        parts.append(el("line", x1=x, y1=_AXIS_Y - 4, x2=x, y2=bottom, stroke="#bbb"))
        parts.append(_text(f.scale.x(tick), 18, _date(tick), anchor="middle"))
        parts.append(_text(f.scale.x(tick), 31, f"{tick:%H:%M}", anchor="middle"))
    return parts


def _lane(
    f: _Figure, row: int, item: str, periods: Sequence[Period], events: Sequence[TimelineEvent]
) -> Html:
    top = _AXIS_Y + 6 + row * _LANE_H
    background = el(
        "rect", x=0, y=top, width=_WIDTH, height=_LANE_H, fill="#f3f3f3" if row % 2 else "#fff"
    )
    label = el(
        "g",
        el("title", _clean(item)),
        _text(4, top + _LANE_H / 2 + 4, _short(item, _LABEL_CHARS)),
    )
    bars = [_period(f, top, p) for p in periods]
    marks = [_event(f, top, item, e) for e in events]
    return el("g", background, label, *bars, *marks, class_="lane")


def _span(f: _Figure, start: datetime, end: datetime) -> tuple[float, float]:
    """Left x and width, at least :data:`_MIN_BAR` wide."""
    a, b = sorted((f.scale.x(start), f.scale.x(end)))
    if b - a < _MIN_BAR:
        middle = (a + b) / 2
        a, b = middle - _MIN_BAR / 2, middle + _MIN_BAR / 2
    return a, b - a


def _period(f: _Figure, top: int, period: Period) -> Html:
    """A held period as a textured bar, a transit as a dashed arrow; open periods run to
    the last event drawn."""
    x, width = _span(f, period.start, period.end or f.last)
    middle = top + _LANE_H / 2
    until = _when(period.end) if period.end is not None else "the end of the bundle's events"
    if period.in_transit:
        title = (
            f"In transit from {f.name(period.sender)} to {f.name(period.holder)}, "
            f"{_when(period.start)} to {until}"
        )
        line = el(
            "line",
            x1=_n(x),
            y1=_n(middle),
            x2=_n(x + width),
            y2=_n(middle),
            stroke="#222",
            stroke_width="1.5",
            stroke_dasharray="4 3",
            marker_end="url(#tl-arrow)",
        )
        return el("g", el("title", _clean(title)), line, class_="transit")
    name = f.name(period.holder)
    title = f"Held by {name}, {_when(period.start)} to {until}"
    bar = el(
        "rect",
        x=_n(x),
        y=_n(middle - _BAR_H / 2),
        width=_n(width),
        height=_BAR_H,
        fill=f"url(#tl-h{f.holders[period.holder]})",
        stroke="#222",
        stroke_width="0.8",
    )
    return el(
        "g", el("title", _clean(title)), bar, _bar_label(x, width, middle, name), class_="held"
    )


def _bar_label(x: float, width: float, middle: float, name: str) -> Html | None:
    """The holder's name inside the bar when it fits, else the initials, else nothing."""
    for text in (_clean(name), _initials(name)):
        if len(text) * _CHAR_W + 8 <= width:
            return _text(x + width / 2, middle + 3.5, text, anchor="middle", size=10, halo=True)
    return None


def _event(f: _Figure, top: int, item: str, event: TimelineEvent) -> Html:
    """An event: a tick, with a seal mark and a warning mark when they apply."""
    x = f.scale.x(event.time)
    by = f.name(event.actor)
    title = f"{item}: {event.type} by {by}, {_when(event.time)}"
    if event.type == EventType.TRANSFERRED:
        title += f", to {f.name(event.recipient)}"
    if event.problems:
        title += f"; {event.problems} problem(s) found at this event"
    tick = el("line", x1=_n(x), y1=top + 4, x2=_n(x), y2=top + _LANE_H - 4, stroke="#222")
    note = f.notes.get(event.index)
    return el(
        "g",
        el("title", _clean(title)),
        tick,
        _seal_mark(x, top + 5, note) if note is not None else None,
        _warning_mark(x, top + _LANE_H - 6, event.problems) if event.problems else None,
        class_="event",
    )


def _seal_mark(x: float, y: float, note: SealNote) -> Html:
    """The seal glyph of a note, its footnote number beside it."""
    event = note.event
    seals = ", ".join(event.seals) or "no seal number named"
    state = f", seen {event.seal_state}" if event.seal_state else ""
    title = f"Note {note.number}: seals {seals}{state} ({event.type})"
    number = _text(x + 7, y + 3, str(note.number), size=8, bold=True, halo=True)
    kind = "seal broken" if note.broken else "seal"
    return el("g", el("title", _clean(title)), *_seal_glyph(x, y, note.broken), number, class_=kind)


def _seal_glyph(x: float, y: float, broken: bool) -> list[Html]:
    """A round seal; a red diamond with a cross when the seals were seen broken."""
    if broken:
        d = f"M{_n(x)},{_n(y - 6)} l6,6 l-6,6 l-6,-6 z"
        cross = f"M{_n(x - 2.5)},{_n(y - 2.5)} l5,5 M{_n(x + 2.5)},{_n(y - 2.5)} l-5,5"
        return [
            el("path", d=d, fill="#c00000", stroke="#000", stroke_width="0.8"),
            el("path", d=cross, stroke="#fff", stroke_width="1.4"),
        ]
    return [
        el("circle", cx=_n(x), cy=_n(y), r="4.5", fill="#fff", stroke="#222", stroke_width="1.4"),
        el("circle", cx=_n(x), cy=_n(y), r="1.8", fill="#222"),
    ]


def _warning_mark(x: float, y: float, problems: int) -> Html:
    """A warning triangle with an exclamation mark."""
    d = f"M{_n(x)},{_n(y - 6)} l6,10 l-12,0 z"
    return el(
        "g",
        el("title", f"{problems} problem(s) found at this event"),
        el("path", d=d, fill="#ffd60a", stroke="#000", stroke_width="0.9"),
        _text(x, y + 3, "!", anchor="middle", size=8, bold=True),
        class_="problem",
    )


# --- legend -----------------------------------------------------------------------------------

_LEGEND_COLUMNS: Final = 3
_LEGEND_ROW: Final = 18


def _legend(f: _Figure, y: float) -> tuple[list[Html], int]:
    """The holders' swatches (name and initials), then the key to the symbols; and the
    figure's height below them."""
    parts = [_text(4, y, "Holders", bold=True)]
    column_width = (_WIDTH - 8) / _LEGEND_COLUMNS
    for position, (key, number) in enumerate(f.holders.items()):
        row, column = divmod(position, _LEGEND_COLUMNS)
        x = 4 + column * column_width
        top = y + 8 + row * _LEGEND_ROW
        name = f.name(key)
        swatch = el(
            "rect",
            x=_n(x),
            y=_n(top),
            width=24,
            height=12,
            fill=f"url(#tl-h{number})",
            stroke="#222",
            stroke_width="0.8",
        )
        label = _text(x + 30, top + 10, _short(f"{_initials(name)}: {name}", 34))
        parts.append(el("g", el("title", _clean(name)), swatch, label, class_="holder"))
    rows = math.ceil(len(f.holders) / _LEGEND_COLUMNS)
    y = y + 8 + rows * _LEGEND_ROW + 12
    parts.append(el("g", el("title", "Key to the symbols"), *_symbols(y), class_="symbols"))
    return parts, int(y + _LEGEND_ROW + 10)


def _symbols(y: float) -> list[Html]:
    """Two lines: what each symbol means."""
    below = y + _LEGEND_ROW
    return [
        *_seal_glyph(10, y - 3, broken=False),
        _text(22, y, "seals named (numbered note below)"),
        *_seal_glyph(250, y - 3, broken=True),
        _text(262, y, "seals seen broken"),
        _warning_mark(420, y - 2, 1),
        _text(432, y, "problems found at the event"),
        el(
            "line",
            x1=4,
            y1=_n(below - 3),
            x2=40,
            y2=_n(below - 3),
            stroke="#222",
            stroke_width="1.5",
            stroke_dasharray="4 3",
            marker_end="url(#tl-arrow)",
        ),
        _text(48, below, "in transit to the named recipient"),
        el("line", x1=250, y1=_n(below - 10), x2=250, y2=_n(below + 3), stroke="#222"),
        _text(262, below, "an event (details when pointed at)"),
    ]
