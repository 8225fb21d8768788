"""Laying out text in lines, for anything the project draws (evidence labels, body diagrams).

Measuring is left to the caller (a Pillow font's ``getlength``), so this module needs no
imaging library.
"""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], float]


def wrap_words(text: str, width: float, measure: Measure) -> list[str]:
    """``text`` in lines no wider than ``width``: greedy by words, each paragraph on new lines,
    words too long for a line broken where they must be."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while len(word) > 1 and measure(word) > width:
                cut = _fitting(word, width, measure)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
    return lines


def _fitting(word: str, width: float, measure: Measure) -> int:
    """How many leading characters of ``word`` fit in ``width``; at least one."""
    count = 1
    while count < len(word) and measure(word[: count + 1]) <= width:
        count += 1
    return count
