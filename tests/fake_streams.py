"""Streams for tests of readers: one that dies half-way, one as long as asked and never stored."""

from __future__ import annotations

import errno
import io


class _Generated(io.RawIOBase):
    """Yields ``size`` bytes made on the fly, then what ``_past_end`` says."""

    def __init__(self, size: int, fill: bytes) -> None:
        self.left = size
        self._fill = fill

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if self.left <= 0:
            return self._past_end()
        count = min(len(buffer), self.left)
        buffer[:count] = self._fill * count
        self.left -= count
        return count

    def _past_end(self) -> int:
        return 0


class DyingStream(_Generated):
    """Gives ``good`` bytes, then fails as a dying disk would."""

    def __init__(self, good: int) -> None:
        super().__init__(good, b"x")

    def _past_end(self) -> int:
        raise OSError(errno.EIO, "Input/output error")


class Zeros(_Generated):
    """A long stream that exists only as it is read."""

    def __init__(self, size: int) -> None:
        super().__init__(size, b"\0")
