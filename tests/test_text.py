"""Word wrapping shared by evidence labels and body diagrams."""

from __future__ import annotations

import pytest

from custody._text import one_line, terminal_safe, wrap_words


def test_words_fill_lines_greedily_and_paragraphs_start_new_lines() -> None:
    assert wrap_words("one two three\nfour", 9, len) == ["one two", "three", "four"]


def test_a_word_too_long_for_a_line_is_broken() -> None:
    assert wrap_words("abcdefghij xy", 4, len) == ["abcd", "efgh", "ij", "xy"]


def test_a_character_wider_than_the_line_still_takes_a_line() -> None:
    assert wrap_words("ab", 0.5, len) == ["a", "b"]


def test_empty_text_has_no_lines() -> None:
    assert wrap_words("  \n", 10, len) == []


def test_terminal_safe_escapes_what_would_drive_a_terminal() -> None:
    shown = terminal_safe("a\x1b[2Jb\rc\x07d\x9be\u202eevil\u2066f\tg\nh")
    assert shown == "a\\x1b[2Jb\\x0dc\\x07d\\x9be\\u202eevil\\u2066f\tg\nh"


def test_terminal_safe_keeps_ordinary_text() -> None:
    text = "José Peña — 証拠 ✓ tab\tand\nnewline"
    assert terminal_safe(text) == text


LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


@pytest.mark.parametrize("brk", list(LINE_BREAKS), ids=lambda c: f"U+{ord(c):04X}")
def test_one_line_escapes_every_line_break(brk: str) -> None:
    shown = one_line(f"CASE-1{brk}VERIFIED{brk}")
    assert shown.splitlines() == [shown]
    assert shown == f"CASE-1{_escape(brk)}VERIFIED{_escape(brk)}"


def test_one_line_is_terminal_safe_too() -> None:
    shown = one_line("a\x1b[2Jb\u202ec\r\nd")
    assert shown == "a\\x1b[2Jb\\u202ec\\x0d\\x0ad"
    assert terminal_safe(shown) == shown  # the CLI's stream leaves it as it is


def test_one_line_keeps_ordinary_text_and_tabs() -> None:
    text = "José Peña — 証拠 ✓ tab\tkept"
    assert one_line(text) == text


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
