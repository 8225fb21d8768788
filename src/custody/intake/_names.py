"""File names as custody records and prints them: exact, unambiguous and safe to show."""

from __future__ import annotations


def recorded_name(name: str) -> str:
    """A file name as intake records it, escaped where it could not be text.

    Control characters, bytes that are not UTF-8 and the backslash are written as escapes
    (``\\x0a``, ``\\xff``, ``\\\\``), so every name is recorded exactly and unambiguously,
    and what is printed or written as JSON is valid UTF-8 that cannot steer a terminal.
    """
    return "".join(_escaped(character) for character in name)


def _escaped(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode leaves it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\x{code:02x}"
    return "\\\\" if character == "\\" else character
