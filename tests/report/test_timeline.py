"""The custody timeline: periods read from a sample story, and the SVG drawn from them.

The SVG is parsed back with :mod:`xml.etree.ElementTree`, so every check is about elements
and their text, and each test also proves the figure is well-formed XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from custody.bundle._contents import TimelineEvent
from custody.report import _timeline
from custody.report._timeline import (
    MAX_LANES,
    Period,
    custody_periods,
    drawn_items,
    seal_notes,
    timeline_svg,
)
from custody.testing import fixed_key

INES = fixed_key("timeline/investigator").key_id
CARL = fixed_key("timeline/courier").key_id
ANA = fixed_key("timeline/analyst").key_id
DOC = fixed_key("timeline/physician").key_id
NAMES = {INES: "Ines Investigator", CARL: "Carl Courier", ANA: "Ana Analyst"}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> "&amp; \'end'


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def event(
    index: int,
    item: str | None,
    type_: str,
    actor: bytes,
    minutes: float,
    *,
    seq: int = 0,
    recipient: bytes | None = None,
    seals: tuple[str, ...] = (),
    seal_state: str | None = None,
    problems: int = 0,
) -> TimelineEvent:
    return TimelineEvent(
        index=index,
        item=item,
        seq=seq,
        type=type_,
        time=at(minutes),
        actor=actor,
        recipient=recipient,
        seals=seals,
        seal_state=seal_state,
        place=None,
        purpose=None,
        problems=problems,
    )


def story() -> list[TimelineEvent]:
    """A case with two items and an evaluation: ITEM-1 goes Ines -> Carl -> Ana, its seal is
    found broken by Ana, who reseals it; ITEM-2 is acquired by Ines and returned."""
    specs: list[tuple[str | None, str, bytes, float, dict[str, Any]]] = [
        (None, "opened", INES, 0, {}),
        ("ITEM-1", "acquired", INES, 15, {"seals": ("S-0001",), "seal_state": "intact"}),
        ("ITEM-2", "acquired", INES, 20, {}),
        ("ITEM-1", "transferred", INES, 30, {"recipient": CARL, "seals": ("S-0001",)}),
        ("ITEM-1", "received", CARL, 45, {"seals": ("S-0001",), "seal_state": "intact"}),
        ("ITEM-1", "transferred", CARL, 60, {"recipient": ANA}),
        ("ITEM-1", "received", ANA, 90, {"seals": ("S-0001",), "seal_state": "broken"}),
        ("ITEM-1", "sealed", ANA, 100, {"seals": ("S-0002",), "seal_state": "intact"}),
        ("ITEM-2", "analysed", INES, 110, {"problems": 2}),
        ("ITEM-2", "returned", INES, 120, {}),
        ("EV-1", "evaluation_recorded", DOC, 130, {}),
        ("EV-1", "evaluation_sealed", DOC, 140, {}),
        (None, "exported", INES, 150, {}),
    ]
    seqs: dict[str | None, int] = {}
    events = []
    for index, (item, type_, actor, minutes, fields) in enumerate(specs):
        seq = seqs[item] = seqs.get(item, -1) + 1
        events.append(event(index, item, type_, actor, minutes, seq=seq, **fields))
    return events


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == "svg"
    return root


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def texts(element: ET.Element) -> Iterator[str]:
    for e in element.iter():
        if e.tag in ("text", "title") and e.text:
            yield e.text


# --- periods ----------------------------------------------------------------------------------


def test_periods_of_the_sample_story() -> None:
    periods = custody_periods(story())
    assert list(periods) == ["ITEM-1", "ITEM-2"]  # no case chain, no evaluation chain
    assert periods["ITEM-1"] == [
        Period(INES, at(15), at(30)),
        Period(CARL, at(30), at(45), in_transit=True, sender=INES),
        Period(CARL, at(45), at(60)),
        Period(ANA, at(60), at(90), in_transit=True, sender=CARL),
        Period(ANA, at(90)),  # still held: custody goes on
    ]
    assert periods["ITEM-2"] == [Period(INES, at(20), at(120))]  # returned: custody ended


def test_periods_when_the_first_event_is_missing_and_transfers_name_nobody() -> None:
    events = [
        event(0, "X", "stored", INES, 0),
        event(1, "X", "transferred", INES, 5),
        event(2, "X", "received", CARL, 10),
        event(3, "X", "disposed", CARL, 20),
        event(4, "X", "accessed", CARL, 30),
    ]
    assert custody_periods(events) == {
        "X": [
            Period(None, at(5), at(10), in_transit=True, sender=INES),
            Period(CARL, at(10), at(20)),
        ]
    }


def test_an_item_without_periods_still_has_a_lane() -> None:
    events = [event(0, "ONLY-STORED", "stored", INES, 0)]
    assert custody_periods(events) == {"ONLY-STORED": []}
    root = parse(timeline_svg(events, NAMES))
    assert len(by_class(root, "lane")) == 1


def test_no_item_events_draws_an_empty_figure() -> None:
    root = parse(timeline_svg([event(0, None, "opened", INES, 0)], NAMES))
    assert "No custody events of items to draw." in list(texts(root))


# --- the figure -------------------------------------------------------------------------------


def test_one_lane_per_item_with_its_label() -> None:
    root = parse(timeline_svg(story(), NAMES))
    lanes = by_class(root, "lane")
    assert len(lanes) == 2
    labels = [next(lane.iter("title")).text for lane in lanes]
    assert labels == ["ITEM-1", "ITEM-2"]
    assert not any("EV-1" in text for text in texts(root))
    held = [next(g.iter("title")).text or "" for g in by_class(root, "held")]
    assert len(held) == 4
    assert held[0].startswith("Held by Ines Investigator, 2026-03-02 09:15:00 UTC")
    transits = by_class(root, "transit")
    assert len(transits) == 2
    for transit in transits:
        (line,) = transit.iter("line")
        assert line.get("stroke-dasharray")
        assert line.get("marker-end") == "url(#tl-arrow)"


def test_holders_have_a_legend_pattern_and_names_or_initials_in_bars() -> None:
    root = parse(timeline_svg(story(), NAMES))
    holders = by_class(root, "holder")
    assert [next(h.iter("title")).text for h in holders] == [
        "Ines Investigator",
        "Carl Courier",
        "Ana Analyst",
    ]
    fills = {next(h.iter("rect")).get("fill") for h in holders}
    assert fills == {"url(#tl-h0)", "url(#tl-h1)", "url(#tl-h2)"}
    patterns = {p.get("id"): p for p in root.iter("pattern")}
    assert set(patterns) == {"tl-h0", "tl-h1", "tl-h2"}
    # every holder but the first has a texture over its colour, for grey print
    assert all(len(list(patterns[f"tl-h{n}"])) == 2 for n in (1, 2))
    bar_texts = {t.text for g in by_class(root, "held") for t in g.iter("text")}
    assert bar_texts & {"Ines Investigator", "II"}
    assert bar_texts & {"Ana Analyst", "AA"}


def test_seals_broken_seals_and_problems_are_marked() -> None:
    events = story()
    root = parse(timeline_svg(events, NAMES))
    seals = by_class(root, "seal")
    broken = by_class(root, "broken")
    assert len(seals) == 5  # acquired, transferred, received, received (broken), sealed
    assert len(broken) == 1
    assert next(p.get("fill") for p in broken[0].iter("path")) == "#c00000"
    title = next(broken[0].iter("title")).text or ""
    assert "S-0001" in title
    assert "broken" in title
    numbers = [t.text for g in seals for t in g.iter("text")]
    assert numbers == ["1", "2", "3", "4", "5"]
    notes = seal_notes(events)
    assert [n.number for n in notes] == [1, 2, 3, 4, 5]
    assert [n.event.index for n in notes] == [1, 3, 4, 6, 7]
    assert [n.broken for n in notes] == [False, False, False, True, False]
    (warning,) = [w for lane in by_class(root, "lane") for w in by_class(lane, "problem")]
    assert "2 problem(s)" in (next(warning.iter("title")).text or "")


def test_time_axis_has_dated_ticks_in_utc() -> None:
    root = parse(timeline_svg(story(), NAMES))
    all_text = list(texts(root))
    assert "Claimed time (UTC)" in all_text
    assert "2026-03-02" in all_text
    times = [t for t in all_text if len(t) == 5 and t[2] == ":"]
    assert len(times) >= 3
    assert times == sorted(times)


def test_one_event_only() -> None:
    events = [event(0, "ITEM-1", "acquired", INES, 0, seals=("S-1",))]
    root = parse(timeline_svg(events, NAMES))
    (held,) = by_class(root, "held")
    (bar,) = held.iter("rect")
    assert float(bar.get("width") or 0) >= 4  # visible although it has no length
    assert len(by_class(root, "seal")) == 1


def test_all_events_at_one_instant() -> None:
    events = [
        attrs.evolve(e, time=T0)
        for e in story()
        if e.item in ("ITEM-1", "ITEM-2") and e.type != "sealed"
    ]
    root = parse(timeline_svg(events, NAMES))
    widths = [float(r.get("width") or 0) for g in by_class(root, "held") for r in g.iter("rect")]
    assert widths
    assert all(w >= 4 for w in widths)
    ticks = [t for t in texts(root) if len(t) == 5 and t[2] == ":"]
    assert ticks  # the axis spans an hour round the instant


def test_hundreds_of_items_are_capped() -> None:
    events = [
        event(n, f"ITEM-{n:03d}", "acquired", (INES, CARL, ANA)[n % 3], n) for n in range(200)
    ]
    assert drawn_items(events) == ([f"ITEM-{n:03d}" for n in range(MAX_LANES)], 160)
    root = parse(timeline_svg(events, NAMES))
    assert len(by_class(root, "lane")) == MAX_LANES
    assert "160 more items not drawn; see the table." in list(texts(root))
    assert len(seal_notes(events)) == 0


def test_seal_notes_leave_out_lanes_not_drawn() -> None:
    events = [event(n, f"ITEM-{n:03d}", "acquired", INES, n, seals=(f"S-{n}",)) for n in range(50)]
    notes = seal_notes(events)
    assert len(notes) == MAX_LANES
    root = parse(timeline_svg(events, NAMES))
    assert len(by_class(root, "seal")) == MAX_LANES


def test_long_references_are_truncated_with_the_full_text_in_a_title() -> None:
    long = "ITEM-" + "X" * 80
    root = parse(timeline_svg([event(0, long, "acquired", INES, 0)], NAMES))
    (lane,) = by_class(root, "lane")
    label = next(g for g in lane.iter("g") if next(g.iter("title")).text == long)
    (text,) = label.iter("text")
    assert text.text is not None
    assert text.text.endswith("\u2026")
    assert len(text.text) < len(long)


def test_hostile_names_and_references_are_escaped() -> None:
    hostile_key = fixed_key("timeline/hostile").key_id
    names = {**NAMES, hostile_key: HOSTILE + "\x00\x1b\n"}
    events = [
        event(0, HOSTILE, "acquired", hostile_key, 0),
        event(1, HOSTILE, "transferred", hostile_key, 10, recipient=CARL, seals=(HOSTILE,)),
        event(2, HOSTILE, "received", CARL, 20, seals=(HOSTILE,), seal_state="broken"),
    ]
    svg = timeline_svg(events, names)
    assert "<script>" not in svg
    assert "\x00" not in svg
    root = parse(svg)
    everything = " ".join(texts(root))
    assert '<script>alert("x")</script> "&amp; \'end' in everything
    assert all(e.tag != "script" for e in root.iter())


def test_unnamed_keys_are_shown_by_their_first_hex_digits() -> None:
    events = [event(0, "ITEM-1", "acquired", DOC, 0)]
    root = parse(timeline_svg(events, {}))
    (holder,) = by_class(root, "holder")
    assert next(holder.iter("title")).text == f"key {DOC.hex()[:8]}\u2026"


def test_same_events_same_svg() -> None:
    assert timeline_svg(story(), NAMES) == timeline_svg(story(), dict(NAMES))


@pytest.mark.parametrize("span", [timedelta(seconds=1), timedelta(days=3), timedelta(days=4000)])
def test_any_span_has_ticks_inside_the_plot(span: timedelta) -> None:
    events = [
        event(0, "ITEM-1", "acquired", INES, 0),
        attrs.evolve(event(1, "ITEM-1", "stored", INES, 0), time=T0 + span),
    ]
    root = parse(timeline_svg(events, NAMES))
    xs = [
        float(line.get("x1") or 0)
        for line in root.iter("line")
        if line.get("stroke") == "#bbb"  # the grid lines of the ticks
    ]
    assert 1 <= len(xs) <= 7
    assert all(_timeline._X0 <= x <= _timeline._X1 for x in xs)


FIRST_DAY = datetime(1, 1, 1, tzinfo=UTC)
LAST_MINUTE = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
LAST_MILLISECOND = datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)


@pytest.mark.parametrize(
    "times",
    [
        [FIRST_DAY],
        [LAST_MINUTE],
        [LAST_MILLISECOND],
        [FIRST_DAY, LAST_MINUTE],
        [FIRST_DAY, FIRST_DAY + timedelta(days=1)],
        [LAST_MINUTE - timedelta(days=1), LAST_MINUTE],
        [FIRST_DAY, T0, LAST_MILLISECOND],
    ],
    ids=["first", "last", "last-ms", "both", "near-first", "near-last", "both-and-now"],
)
def test_claimed_times_at_the_ends_of_the_years_1_to_9999_draw(times: list[datetime]) -> None:
    """Claimed times are the signers' word: any of the years 1 to 9999 must draw, without
    the scale's margin or its ticks going past them."""
    events = [
        attrs.evolve(event(n, "ITEM-1", "acquired" if n == 0 else "stored", INES, 0), time=t)
        for n, t in enumerate(times)
    ]
    root = parse(timeline_svg(events, NAMES))
    xs = [float(line.get("x1") or 0) for line in root.iter("line") if line.get("stroke") == "#bbb"]
    assert 1 <= len(xs) <= 7
    assert all(_timeline._X0 <= x <= _timeline._X1 for x in xs)
    dates = [t for t in texts(root) if len(t) == 10 and t[4] == "-"]
    assert len(dates) == len(xs)  # every tick dated, the year in four digits
    everything = " ".join(texts(root))
    assert f"{times[0].date().isoformat()} {times[0]:%H:%M:%S} UTC" in everything
