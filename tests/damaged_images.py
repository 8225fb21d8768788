"""Damaging image bytes for property tests, and what probing a damaged image must give."""

from __future__ import annotations

from pathlib import Path

from custody.intake import DecodeState, ImageFacts, probe_image

#: Byte edits: (where, as a fraction of the length; the new byte value).
Edits = list[tuple[float, int]]


def damaged(data: bytes, edits: Edits, keep: float) -> bytes:
    """``data`` with ``edits`` applied, cut to the fraction ``keep`` (at least one byte)."""
    changed = bytearray(data)
    for where, value in edits:
        changed[int(where * (len(changed) - 1))] = value
    return bytes(changed[: max(1, int(keep * len(changed)))])


def assert_probe_is_consistent(path: Path) -> None:
    """Probing never raises on content, its facts round-trip, and a problem is stated
    exactly when the image does not decode completely."""
    facts = probe_image(path)
    assert ImageFacts.from_dict(facts.to_dict()) == facts
    assert (facts.problem is None) is (facts.decodes is DecodeState.COMPLETE)
