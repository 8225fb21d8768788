"""File-system helpers shared by the modules that read and write files."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from custody.errors import InvalidInput


def sync_directory(directory: Path) -> None:
    """Make new entries of ``directory`` durable (POSIX); a no-op where that is impossible."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_limited(
    path: str | os.PathLike[str],
    limit: int,
    what: str,
    error: type[InvalidInput] = InvalidInput,
) -> bytes:
    """The bytes of a small input file, refusing more than ``limit`` bytes.

    Args:
        path: the file.
        limit: the most bytes accepted.
        what: what the file is, for messages ("key file", "trust policy").
        error: the exception to raise; its message names the file.
    """
    source = os.fspath(path)
    try:
        with open(source, "rb") as handle:
            # Read one byte past the limit instead of trusting stat(): the file may be a pipe
            # or grow while we read.
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise error(f"no such {what}", field=source) from exc
    except OSError as exc:
        raise error(f"cannot read {what} ({exc.strerror})", field=source) from exc
    if len(data) > limit:
        raise error(f"{what} larger than {limit // 1024} KiB", field=source)
    return data
