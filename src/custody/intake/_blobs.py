"""The blob store: evidence files kept once each, by SHA-256, written atomically, read-only.

Layout under the store's root directory::

    sha256/ab/ab12...ef    one read-only file per distinct content, named by its SHA-256
    tmp/                   files being written, each locked by its writer until published
    damaged/               damaged blobs that good copies replaced, kept as evidence

A blob becomes visible only when complete: its bytes are written to ``tmp/`` while they
are hashed, synced to disk, made read-only and then hard-linked under their digest. A hard
link never replaces an existing file, so the same bytes are never kept twice, and a writer
killed half-way leaves only a file in ``tmp/``, which the next writer removes once no
process holds its lock.

A blob whose bytes no longer match its name was changed by something other than custody:
that is evidence of tampering or of a failing disk. When the same file is stored again, the
damaged blob is moved to ``damaged/`` (named by its digest and the UTC time it was moved,
made read-only) and the good copy takes its place; nothing is ever deleted.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, cast

import attrs

from custody._fs import reading_regular_file, sync_directory
from custody.errors import InvalidInput, StoreError
from custody.intake._digests import Algorithm, Digests, Readable, hash_stream

_BLOBS = "sha256"
_TEMPORARY = "tmp"
_DAMAGED = "damaged"
_BLOB_NAME = re.compile(r"[0-9a-f]{64}")
_READ_ONLY = 0o444
_WRITE_BITS = 0o222
# O_NOFOLLOW: a blob is never reached through a link. O_NONBLOCK: a pipe put in a blob's
# place cannot make opening it wait for a writer.
_OPEN_BLOB = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
#: While copying, start writeback to disk every so often, so the disk works while the rest
#: is hashed instead of all at the end.
SYNC_EVERY = 16 << 20


@attrs.frozen
class StoredBlob:
    """The outcome of storing a stream.

    Attributes:
        digests: size and digests of the bytes stored.
        path: the blob's path in the store.
        created: false if the store already held these bytes (nothing was written twice).
        damaged_copy: set if the store held a damaged blob under this name (bytes that no
            longer match it, or no regular file at all): the new bytes took its place and
            it was kept here, under ``damaged/``.
    """

    digests: Digests
    path: Path
    created: bool
    damaged_copy: Path | None = None

    @property
    def repaired(self) -> bool:
        """Whether a damaged blob was replaced by these bytes (and kept aside)."""
        return self.damaged_copy is not None


class BlobState(enum.StrEnum):
    """What a fixity check found for one blob."""

    INTACT = "intact"  # present, read-only, and its bytes still hash to its name
    CHANGED = "changed"  # present, but its bytes hash to something else
    MISSING = "missing"  # expected but not there
    UNREADABLE = "unreadable"  # there, but it cannot be read (permissions, I/O errors)
    NOT_REGULAR = "not a regular file"  # a link, folder, pipe or device; never followed
    WRITABLE = "writable"  # its bytes match, but it is no longer read-only


#: States in which the blob's bytes are the right ones (the store may trust and reuse it).
_SOUND = frozenset({BlobState.INTACT, BlobState.WRITABLE})


@attrs.frozen
class BlobCheck:
    """One blob re-hashed: its state, and the digests found when it was readable."""

    sha256: bytes
    state: BlobState
    found: Digests | None = None


class BlobStore:
    """Content-addressed, write-once storage of evidence files (see the module docstring).

    Open one with :meth:`open`. Several processes may store into one blob store at once.
    Needs POSIX hard links and ``flock`` (Linux, macOS, BSD).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._temporaries_cleaned = False

    @classmethod
    def open(cls, root: str | os.PathLike[str], *, create: bool = False) -> BlobStore:
        """Open the blob store at ``root``, creating it first if ``create`` is true.

        Raises:
            InvalidInput: the directory does not exist (and ``create`` is false) or is not
                a blob store.
            StoreError: it cannot be created.
        """
        path = Path(root)
        if create:
            _make_directories(path)
        if not (path / _BLOBS).is_dir():
            raise InvalidInput("not a blob store (no sha256/ directory)", field=str(path))
        return cls(path)

    def path_of(self, sha256: bytes) -> Path:
        """Where the blob with this SHA-256 is (or would be)."""
        name = sha256.hex()
        return self.root / _BLOBS / name[:2] / name

    def __contains__(self, sha256: object) -> bool:
        """Whether a regular file lies under this digest (not checked; see :meth:`check`)."""
        if not isinstance(sha256, bytes):
            return False
        try:
            return stat.S_ISREG(os.lstat(self.path_of(sha256)).st_mode)
        except OSError:  # missing, or in a folder that cannot be searched
            return False

    def put(
        self,
        source: Readable,
        algorithms: Iterable[Algorithm] = (Algorithm.SHA256,),
        *,
        on_chunk: Callable[[int], None] | None = None,
    ) -> StoredBlob:
        """Store the rest of ``source`` in one pass, hashing what is written.

        Raises:
            OSError: reading ``source`` failed.
            StoreError: the store could not be written (disk full, permissions...); nothing
                is left visible.
        """
        self._clean_temporaries_once()
        fd, temporary = self._new_temporary()
        try:
            digests = self._copy(source, fd, algorithms, on_chunk)
            created, damaged_copy = self._publish(temporary, digests.sha256)
        finally:
            os.close(fd)  # releases the lock
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return StoredBlob(digests, self.path_of(digests.sha256), created, damaged_copy)

    def adopt(self, path: Path, sha256: bytes) -> bool:
        """Store a complete, synced file written under ``tmp/`` whose SHA-256 its writer
        computed while writing it, by linking it in rather than copying it.

        The file is made read-only and linked under its digest (or, as in :meth:`put`, a
        damaged blob of that name is kept aside and replaced); ``path`` itself is then
        removed.

        Returns:
            Whether the store did not hold these bytes before.

        Raises:
            StoreError: the file could not be linked into the store.
        """
        try:
            os.chmod(path, _READ_ONLY)
            created, _ = self._publish(os.fspath(path), sha256)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        return created

    def put_file(
        self,
        path: str | os.PathLike[str],
        algorithms: Iterable[Algorithm] = (Algorithm.SHA256,),
        *,
        follow_links: bool = True,
        on_chunk: Callable[[int], None] | None = None,
    ) -> StoredBlob:
        """Store a copy of the file at ``path``; the file itself is only read.

        Args:
            path: the file; it must be a regular file (a pipe or a device never ends).
            algorithms: digests to compute besides SHA-256.
            follow_links: if false, a symbolic link is refused rather than followed.
            on_chunk: called with the size of each chunk read, for progress.

        Raises:
            InvalidInput: the file cannot be read or is not a regular file (the message
                names it).
            StoreError: the store could not be written.
        """
        with reading_regular_file(path, follow_links=follow_links, buffered=False) as source:
            return self.put(cast(Readable, source), algorithms, on_chunk=on_chunk)

    def open_blob(self, sha256: bytes) -> BinaryIO:
        """Open a stored blob for reading.

        Raises:
            StoreError: the store holds no such blob.
        """
        try:
            return open(self.path_of(sha256), "rb")
        except OSError as exc:
            raise StoreError(f"blob {sha256.hex()} cannot be read: {exc.strerror}") from exc

    def check(
        self,
        sha256: bytes,
        algorithms: Iterable[Algorithm] = (Algorithm.SHA256,),
        *,
        on_chunk: Callable[[int], None] | None = None,
    ) -> BlobCheck:
        """Re-hash one blob and say whether its bytes still match its name.

        The blob is never followed: a symbolic link, folder, pipe or device in its place is
        :attr:`BlobState.NOT_REGULAR`, whatever it points to. A blob whose bytes match but
        that can be written again (blobs are stored read-only) is :attr:`BlobState.WRITABLE`.
        A blob that cannot be opened or read, or that lies in a folder that cannot be
        searched, is :attr:`BlobState.UNREADABLE`. Never raises for what it finds.
        """
        opened = _open_blob(self.path_of(sha256))
        if isinstance(opened, BlobState):
            return BlobCheck(sha256, opened)
        blob, mode = opened
        with blob:
            try:
                found = hash_stream(cast(Readable, blob), algorithms, on_chunk=on_chunk)
            except OSError:  # an I/O error half-way
                return BlobCheck(sha256, BlobState.UNREADABLE)
        if found.sha256 != sha256:
            return BlobCheck(sha256, BlobState.CHANGED, found)
        state = BlobState.WRITABLE if mode & _WRITE_BITS else BlobState.INTACT
        return BlobCheck(sha256, state, found)

    def stored(self) -> Iterator[bytes]:
        """The SHA-256 named by every blob file present, in no particular order."""
        for _, name in self._walk():
            if name is not None:
                yield name

    def unexpected(self) -> Iterator[Path]:
        """Files in the blob tree that are not named like a blob in their right place."""
        for path, name in self._walk():
            if name is None:
                yield path

    def unlistable(self) -> Iterator[tuple[Path, str]]:
        """Folders of the blob tree that cannot be listed, each with the reason.

        What such a folder holds is in neither :meth:`stored` nor :meth:`unexpected`; a
        fixity audit reports these folders so that nothing goes unchecked unsaid.
        """
        errors: list[OSError] = []
        for _ in self._walk(on_error=errors.append):
            pass
        for error in errors:
            yield Path(os.fsdecode(error.filename)), error.strerror or str(error)

    def damaged_copies(self) -> list[Path]:
        """The damaged blobs kept under ``damaged/`` when good copies replaced them, sorted.

        Each is named by the digest it was stored under and the UTC time it was moved.

        Raises:
            StoreError: ``damaged/`` exists but cannot be listed.
        """
        try:
            return sorted(Path(entry.path) for entry in os.scandir(self.root / _DAMAGED))
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StoreError(f"cannot list {self.root / _DAMAGED}: {exc.strerror}") from exc

    def _walk(
        self, on_error: Callable[[OSError], None] | None = None
    ) -> Iterator[tuple[Path, bytes | None]]:
        blobs = self.root / _BLOBS
        for directory, _, files in os.walk(blobs, onerror=on_error):
            shard = Path(directory)
            for file_name in sorted(files):
                placed = shard.parent == blobs and file_name[:2] == shard.name
                if placed and _BLOB_NAME.fullmatch(file_name):
                    yield shard / file_name, bytes.fromhex(file_name)
                else:
                    yield shard / file_name, None

    def _new_temporary(self) -> tuple[int, str]:
        try:
            return _locked_new_file(self.root / _TEMPORARY)
        except OSError as exc:
            raise StoreError(f"cannot write to the blob store {self.root}: {exc.strerror}") from exc

    def _copy(
        self,
        source: Readable,
        fd: int,
        algorithms: Iterable[Algorithm],
        on_chunk: Callable[[int], None] | None,
    ) -> Digests:
        # Errors reading the source pass as OSError; the copy's own are StoreErrors.
        try:
            digests = hash_stream(
                source, algorithms, copy_to=fd, sync_every=SYNC_EVERY, on_chunk=on_chunk
            )
        except StoreError as exc:
            raise StoreError(f"cannot write to the blob store {self.root}: {exc}") from exc
        try:
            os.fsync(fd)
            os.fchmod(fd, _READ_ONLY)
        except OSError as exc:
            raise StoreError(f"cannot write to the blob store {self.root}: {exc.strerror}") from exc
        return digests

    def _publish(self, temporary: str, sha256: bytes) -> tuple[bool, Path | None]:
        """Link the synced copy under its digest.

        Returns:
            Whether the blob was created, and where a damaged blob it replaced was kept.
        """
        final = self.path_of(sha256)
        created, damaged_copy = False, None
        try:
            _make_directory(final.parent)
            os.link(temporary, final)
            created = True
        except FileExistsError:
            # Stored already, by an earlier intake or a concurrent writer: trust it only
            # if its bytes still match their name; otherwise keep it and put the good
            # copy in its place.
            if self.check(sha256).state not in _SOUND:
                damaged_copy = self._replace_damaged(temporary, sha256)
        except OSError as exc:
            raise StoreError(f"cannot store blob {sha256.hex()}: {exc.strerror}") from exc
        sync_directory(final.parent)  # also makes a concurrent writer's link durable
        return created, damaged_copy

    def _replace_damaged(self, temporary: str, sha256: bytes) -> Path | None:
        """Keep the damaged blob under ``damaged/``, read-only, and put the good copy in its
        place; return where it was kept (``None`` if a concurrent writer did it first).

        Repairs hold a lock on ``damaged/`` and look again once they have it, so two
        writers never both move a blob aside (the second would move the good copy).
        """
        final = self.path_of(sha256)
        kept_in = self.root / _DAMAGED
        try:
            _make_directory(kept_in)
            with _locked_directory(kept_in):
                if self.check(sha256).state in _SOUND:
                    return None
                kept = kept_in / f"{sha256.hex()}-{_utc_stamp()}"
                _keep_aside(final, kept)
                os.replace(temporary, final)
                sync_directory(kept_in)
        except OSError as exc:
            raise StoreError(
                f"cannot replace the damaged blob {sha256.hex()}: {exc.strerror or exc}"
            ) from exc
        return kept

    def _clean_temporaries_once(self) -> None:
        if not self._temporaries_cleaned:
            clean_stale_temporaries(self.root / _TEMPORARY)
            self._temporaries_cleaned = True


def _make_directories(root: Path) -> None:
    try:
        for sub in (_BLOBS, _TEMPORARY):
            (root / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the blob store {root}: {exc.strerror}") from exc
    sync_directory(root)
    sync_directory(root.parent)


def _open_blob(path: Path) -> tuple[BinaryIO, int] | BlobState:
    """The blob at ``path`` open for reading, with its mode; or the state saying why not."""
    try:
        fd = os.open(path, _OPEN_BLOB)
    except (FileNotFoundError, NotADirectoryError):
        return BlobState.MISSING
    except OSError:
        return _unopenable_state(path)
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        return BlobState.UNREADABLE
    if not stat.S_ISREG(mode):  # looked at on what was opened: nothing swapped in meanwhile
        os.close(fd)
        return BlobState.NOT_REGULAR
    return os.fdopen(fd, "rb", buffering=0), mode


def _unopenable_state(path: Path) -> BlobState:
    """What lies at a blob path that could not be opened without following links."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # a folder on the way that cannot be searched
        return BlobState.UNREADABLE
    return BlobState.UNREADABLE if stat.S_ISREG(mode) else BlobState.NOT_REGULAR


def _utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _keep_aside(blob: Path, kept: Path) -> None:
    """Give the damaged ``blob`` the name ``kept``, read-only; ``blob`` stays in place
    where it can, so the blob's name is never empty while the good copy replaces it."""
    try:
        os.link(blob, kept, follow_symlinks=False)  # a link is kept as the link it is
    except OSError:  # a folder cannot be hard-linked (nor can anything on some systems)
        os.rename(blob, kept)
    if stat.S_ISREG(os.lstat(kept).st_mode):  # chmod would follow a link to its target
        os.chmod(kept, _READ_ONLY)


@contextlib.contextmanager
def _locked_directory(directory: Path) -> Iterator[None]:
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _make_directory(path: Path) -> None:
    if not path.is_dir():
        path.mkdir(exist_ok=True)
        sync_directory(path.parent)


def _locked_new_file(directory: Path) -> tuple[int, str]:
    """A new file in ``directory``, open for writing and locked by this process."""
    fd, name = tempfile.mkstemp(dir=directory, prefix="blob-", suffix=".part")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        os.unlink(name)
        raise
    return fd, name


#: Folders under ``tmp/`` in which derived copies are made start with this.
DERIVE_PREFIX = "derive-"
#: A temporary file untouched for this long, and locked by nobody, belongs to a writer that
#: died. (The age guards the moment between a writer creating its file and locking it.)
STALE_AFTER_SECONDS = 60


def clean_stale_temporaries(directory: Path, *, older_than: float = STALE_AFTER_SECONDS) -> int:
    """Remove what writers that died left in ``tmp/``; return how many entries were removed.

    Files go when no process holds their lock; the folders in which derived copies are
    made go when nothing in them has changed for as long.
    """
    removed = 0
    now = time.time()
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(directory):
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            if entry.is_file(follow_symlinks=False):
                removed += _remove_if_unlocked(entry.path)
            elif entry.is_dir(follow_symlinks=False) and entry.name.startswith(DERIVE_PREFIX):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


def _remove_if_unlocked(path: str) -> int:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return 0
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # a live writer holds it
    else:
        os.unlink(path)
        return 1
    finally:
        os.close(fd)
