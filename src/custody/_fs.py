"""File-system helpers shared by the modules that read and write files."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

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


def open_regular_file(
    path: str | os.PathLike[str], *, follow_links: bool = True, buffered: bool = True
) -> BinaryIO:
    """Open a regular file read-only without ever blocking; pipes and devices are refused.

    Checking the type after opening, on the open descriptor, leaves no moment in which the
    file could be swapped for a pipe that would make a read wait forever.

    Args:
        path: the file.
        follow_links: if false, a symbolic link is refused rather than followed.
        buffered: whether reads go through Python's buffer (not for large streaming reads).

    Raises:
        InvalidInput: naming the file, if it cannot be opened or is not a regular file.
    """
    name = os.fspath(path)
    # O_NONBLOCK keeps open() from waiting for a writer on a FIFO; regular files ignore it.
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(name, flags)
    except OSError as exc:
        reason = "a symbolic link" if not follow_links and os.path.islink(name) else None
        raise InvalidInput(
            f"cannot open the file ({reason or exc.strerror or exc})", field=name
        ) from exc
    try:
        regular = stat.S_ISREG(os.fstat(descriptor).st_mode)
    except OSError as exc:
        os.close(descriptor)
        raise InvalidInput(f"cannot read the file ({exc.strerror or exc})", field=name) from exc
    if not regular:
        os.close(descriptor)
        raise InvalidInput("is not a regular file (a folder, pipe, socket or device)", field=name)
    return os.fdopen(descriptor, "rb", buffering=-1 if buffered else 0)
