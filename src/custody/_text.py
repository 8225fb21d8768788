"""Text for people: laid out in lines for anything the project draws (evidence labels, body
diagrams), and made safe to print on a terminal.

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


# Characters that make a terminal do something rather than show something: C0 controls
# (tab and newline kept), DEL, C1 controls, and the bidirectional controls that reorder the
# text shown around them (Unicode Standard Annex #9; CVE-2021-42574, "Trojan Source").
_CONTROLS = (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))
_BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
# Every character that ends a line for str.splitlines, and so for a reader of the output:
# newline, VT, FF, CR, the file/group/record separators, NEL, and the Unicode line and
# paragraph separators.
_LINE_BREAKS = (0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_SHOWN_AS_ESCAPES = {code: _escape(code) for code in (*_CONTROLS, *_BIDI_CONTROLS)}
_KEPT_ON_ONE_LINE = _SHOWN_AS_ESCAPES | {code: _escape(code) for code in _LINE_BREAKS}


def terminal_safe(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``), so that
    text read from a file or a database cannot clear a terminal or draw on it."""
    return text.translate(_SHOWN_AS_ESCAPES)


def one_line(text: str) -> str:
    """``text`` made :func:`terminal_safe` and with its line breaks written as escapes too
    (``\\x0a``, ``\\u2028``): for a value read from a file and printed within a line of
    output, so it cannot add lines of its own, such as a forged verdict."""
    return text.translate(_KEPT_ON_ONE_LINE)
