"""Word wrapping shared by evidence labels and body diagrams."""

from __future__ import annotations

from custody._text import wrap_words


def test_words_fill_lines_greedily_and_paragraphs_start_new_lines() -> None:
    assert wrap_words("one two three\nfour", 9, len) == ["one two", "three", "four"]


def test_a_word_too_long_for_a_line_is_broken() -> None:
    assert wrap_words("abcdefghij xy", 4, len) == ["abcd", "efgh", "ij", "xy"]


def test_a_character_wider_than_the_line_still_takes_a_line() -> None:
    assert wrap_words("ab", 0.5, len) == ["a", "b"]


def test_empty_text_has_no_lines() -> None:
    assert wrap_words("  \n", 10, len) == []
