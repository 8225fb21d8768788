"""File-system helpers shared by the modules that read and write files."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

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


@contextlib.contextmanager
def reading_regular_file(
    path: str | os.PathLike[str], *, follow_links: bool = True, buffered: bool = True
) -> Iterator[BinaryIO]:
    """Read a regular file: :func:`open_regular_file`, and the operating system's errors
    while the block reads it (an I/O error, say) reported as ``InvalidInput`` naming it.

    OSErrors without an errno come from libraries, not the system, and pass unchanged.
    """
    name = os.fspath(path)
    with open_regular_file(name, follow_links=follow_links, buffered=buffered) as handle:
        try:
            yield handle
        except OSError as exc:
            if exc.errno is None:
                raise
            raise InvalidInput(f"cannot read the file ({exc.strerror})", field=name) from exc


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


def refuse_existing(path: Path, error: type[InvalidInput] = InvalidInput) -> None:
    """Refuse early, before work whose result ``path`` is to hold."""
    if os.path.lexists(path):
        raise error("refusing to overwrite an existing file", field=str(path))


def create_new_file(
    path: Path,
    fill: Callable[[IO[bytes]], object],
    *,
    mode: int = 0o600,
    error: type[InvalidInput] = InvalidInput,
) -> None:
    """Create ``path`` with what ``fill`` writes, atomically and durably; never overwrite.

    ``fill`` writes into a temporary file in ``path``'s directory, which is given ``mode``,
    flushed, synced and then linked into place: ``path`` appears complete or not at all,
    and an existing file is never replaced. The temporary file is removed on any error.

    Raises:
        error: ``path`` exists, or cannot be created or written (the message names it);
            whatever ``fill`` raises otherwise passes through.
    """
    refuse_existing(path, error)
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise error(f"cannot create the file ({exc.strerror})", field=str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        _link_into_place(temporary, path, error)
    except OSError as exc:
        raise error(f"cannot write the file ({exc.strerror or exc})", field=str(path)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    sync_directory(path.parent)


def _link_into_place(temporary: str, path: Path, error: type[InvalidInput]) -> None:
    # A hard link is an atomic "create if absent": unlike os.replace it cannot clobber a file
    # that appeared since refuse_existing() looked.
    try:
        os.link(temporary, path)
    except FileExistsError as exc:
        raise error("refusing to overwrite an existing file", field=str(path)) from exc
    except OSError:
        # No hard links on this file system (FAT, some network mounts): check, then rename.
        refuse_existing(path, error)
        os.replace(temporary, path)
