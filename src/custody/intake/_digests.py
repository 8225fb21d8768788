"""Digests of a stream, computed in one pass while the bytes go on to where they are copied.

SHA-256 identifies evidence everywhere in custody. SHA-512, SHA-1 and MD5 are computed on
request only, because examiners compare them with the reports of other forensic tools.

One pass, bounded memory: the caller's thread reads the stream into a small ring of buffers
and every consumer (one thread per digest, and the writer of a copy) takes each chunk on its
own thread. Hashing and file writes release the GIL, so the slowest stage sets the pace
rather than the sum of all of them.
"""

from __future__ import annotations

import enum
import hashlib
import os
import queue
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, cast

import attrs

from custody._fs import reading_regular_file
from custody.errors import InvalidInput, StoreError

CHUNK_SIZE = 1 << 20
#: Chunks in flight: what bounds the memory of any pass, whatever the file size.
BUFFERS = 8


class Readable(Protocol):
    """A binary stream that can read into a buffer (files opened ``"rb"``, sockets, ...)."""

    def readinto(self, buffer: bytearray | memoryview, /) -> int | None: ...


class Algorithm(enum.StrEnum):
    """Digest algorithms intake can compute; SHA-256 always, the others on request."""

    SHA256 = "sha256"
    SHA512 = "sha512"
    SHA1 = "sha1"
    MD5 = "md5"


_DIGEST_SIZES = {
    Algorithm.SHA256: 32,
    Algorithm.SHA512: 64,
    Algorithm.SHA1: 20,
    Algorithm.MD5: 16,
}


def _check_digest(
    algorithm: Algorithm, *, optional: bool = True
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        size = _DIGEST_SIZES[algorithm]
        if not isinstance(value, bytes) or len(value) != size:
            raise InvalidInput(f"must be {size} bytes", field=attribute.name)

    return validate


def _check_size(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise InvalidInput("must be a non-negative integer", field=attribute.name)


@attrs.frozen
class Digests:
    """The size of a stream and its digests; SHA-256 always, the others when asked for."""

    size: int = attrs.field(validator=_check_size)
    sha256: bytes = attrs.field(validator=_check_digest(Algorithm.SHA256, optional=False))
    sha512: bytes | None = attrs.field(default=None, validator=_check_digest(Algorithm.SHA512))
    sha1: bytes | None = attrs.field(default=None, validator=_check_digest(Algorithm.SHA1))
    md5: bytes | None = attrs.field(default=None, validator=_check_digest(Algorithm.MD5))

    def get(self, algorithm: Algorithm | str) -> bytes | None:
        """The digest by algorithm name, or ``None`` if it was not computed."""
        value: bytes | None = getattr(self, Algorithm(algorithm).value)
        return value

    def hex(self) -> dict[str, str]:
        """Every computed digest as lowercase hex, the form other tools print."""
        return {name: digest.hex() for name, digest in self.to_dict().items()}

    def to_dict(self) -> dict[str, bytes]:
        """The computed digests by algorithm name (CBOR-ready; the size is kept apart)."""
        return {
            algorithm.value: digest
            for algorithm in Algorithm
            if (digest := self.get(algorithm)) is not None
        }

    @classmethod
    def from_dict(cls, size: int, data: Mapping[str, Any]) -> Digests:
        """Digests from :meth:`to_dict` output and the size.

        Raises:
            InvalidInput: for an unknown algorithm or a digest of the wrong length.
        """
        unknown = set(data) - {algorithm.value for algorithm in Algorithm}
        if unknown:
            raise InvalidInput(f"unknown digest algorithms {sorted(unknown)}", field="digests")
        if Algorithm.SHA256.value not in data:
            raise InvalidInput("has no sha256", field="digests")
        return cls(size, **dict(data))


def algorithms_from(names: Iterable[str]) -> frozenset[Algorithm]:
    """The algorithms named, plus SHA-256, which is always computed.

    Raises:
        InvalidInput: naming an algorithm custody does not compute.
    """
    chosen = {Algorithm.SHA256}
    for name in names:
        try:
            chosen.add(Algorithm(name.strip().lower()))
        except ValueError:
            allowed = ", ".join(algorithm.value for algorithm in Algorithm)
            raise InvalidInput(f"{name!r} is not one of: {allowed}", field="algorithms") from None
    return frozenset(chosen)


def hash_stream(
    stream: Readable,
    algorithms: Iterable[Algorithm] = (Algorithm.SHA256,),
    *,
    copy_to: int | None = None,
    sync_every: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Digests:
    """Read ``stream`` to its end once, digesting it and, if asked, copying it.

    Args:
        stream: a binary file object open for reading (``readinto`` is used).
        algorithms: digests to compute besides SHA-256.
        copy_to: a file descriptor open for writing; every byte read is written to it, so
            the digests are those of the bytes written, even if the source changes meanwhile.
            The caller syncs and closes it.
        sync_every: with ``copy_to``, start writing the copy back to disk after every so
            many bytes, so the disk works while the rest is read and hashed rather than
            all at the end (the caller still syncs).
        on_chunk: called with the number of bytes of each chunk read, for progress.

    Returns:
        The size and digests of what was read.

    Raises:
        OSError: reading ``stream`` failed.
        StoreError: writing the copy failed (disk full, for one).
    """
    hashers = {algorithm: _new_hasher(algorithm) for algorithm in {Algorithm.SHA256, *algorithms}}
    consumers: list[Callable[[memoryview], None]] = [hasher.update for hasher in hashers.values()]
    if copy_to is not None:
        consumers.append(_Writer(copy_to, sync_every).write)
    head = bytearray(CHUNK_SIZE)
    size = _fill(stream, head)
    if size < CHUNK_SIZE:
        # The whole stream fits in one chunk (most photographs): threads would cost more
        # than they save.
        with memoryview(head) as view:
            for consume in consumers:
                consume(view[:size])
        if on_chunk is not None and size:
            on_chunk(size)
    else:
        size = _Fanout(consumers).run(stream, head, on_chunk)
    digests = {algorithm.value: hasher.digest() for algorithm, hasher in hashers.items()}
    return Digests(size, **digests)


def _new_hasher(algorithm: Algorithm) -> Any:
    # MD5 and SHA-1 compare files with other tools' reports; they protect nothing here.
    return hashlib.new(algorithm.value, usedforsecurity=algorithm is not Algorithm.MD5)


class _Writer:
    """Writes chunks to a file, starting their writeback to disk every ``sync_every`` bytes.

    On Linux, ``posix_fadvise(DONTNEED)`` over the bytes just written starts their writeback
    without waiting for it, so the disk works while the rest is read and hashed and the
    final sync has little left to do; it also keeps a large copy from filling the page
    cache. Elsewhere ``fdatasync`` does the same job, waiting.
    """

    def __init__(self, fd: int, sync_every: int | None) -> None:
        self._fd = fd
        self._sync_every = sync_every
        self._written = 0
        self._unsynced = 0

    def write(self, chunk: memoryview) -> None:
        try:
            while chunk:
                written = os.write(self._fd, chunk)
                chunk = chunk[written:]
                self._written += written
                self._unsynced += written
            if self._sync_every is not None and self._unsynced >= self._sync_every:
                self._start_writeback()
        except OSError as exc:
            raise StoreError(f"cannot write the copy: {exc.strerror or exc}") from exc

    def _start_writeback(self) -> None:
        if hasattr(os, "posix_fadvise"):
            start = self._written - self._unsynced
            os.posix_fadvise(self._fd, start, self._unsynced, os.POSIX_FADV_DONTNEED)
        else:
            os.fdatasync(self._fd)
        self._unsynced = 0


def _fill(stream: Readable, buffer: bytearray) -> int:
    """Read until ``buffer`` is full or the stream ends; return the bytes read."""
    filled = 0
    with memoryview(buffer) as view:
        while filled < len(buffer):
            count = stream.readinto(view[filled:])
            if not count:
                break
            filled += count
    return filled


_DONE = None


class _Fanout:
    """One reader, several consumer threads, a ring of reusable buffers between them."""

    def __init__(self, consumers: list[Callable[[memoryview], None]]) -> None:
        self._consumers = consumers
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(BUFFERS - 1):  # and the caller's first, full one
            self._free.put(bytearray(CHUNK_SIZE))
        self._inboxes: list[queue.Queue[tuple[bytearray, int] | None]] = [
            queue.Queue() for _ in consumers
        ]
        self._pending: dict[int, int] = {}  # id(buffer) -> consumers yet to finish with it
        self._lock = threading.Lock()
        self._errors: list[BaseException] = []

    def run(self, stream: Readable, head: bytearray, on_chunk: Callable[[int], None] | None) -> int:
        """Hand out ``head`` (a full first chunk) and the rest of ``stream``; return the size."""
        threads = [
            threading.Thread(target=self._consume, args=(consumer, inbox), daemon=True)
            for consumer, inbox in zip(self._consumers, self._inboxes, strict=True)
        ]
        for thread in threads:
            thread.start()
        try:
            self._dispatch(head, len(head), on_chunk)
            size = len(head) + self._read_all(stream, on_chunk)
        finally:
            for inbox in self._inboxes:
                inbox.put(_DONE)
            for thread in threads:
                thread.join()
        if self._errors:
            raise self._errors[0]
        return size

    def _read_all(self, stream: Readable, on_chunk: Callable[[int], None] | None) -> int:
        size = 0
        while not self._errors:
            buffer = self._free.get()
            count = stream.readinto(buffer)
            if not count:
                break
            size += count
            self._dispatch(buffer, count, on_chunk)
        return size

    def _dispatch(
        self, buffer: bytearray, count: int, on_chunk: Callable[[int], None] | None
    ) -> None:
        with self._lock:
            self._pending[id(buffer)] = len(self._inboxes)
        for inbox in self._inboxes:
            inbox.put((buffer, count))
        if on_chunk is not None:
            on_chunk(count)

    def _consume(
        self,
        consumer: Callable[[memoryview], None],
        inbox: queue.Queue[tuple[bytearray, int] | None],
    ) -> None:
        while (job := inbox.get()) is not _DONE:
            buffer, count = job
            if not self._errors:
                try:
                    with memoryview(buffer) as view:
                        consumer(view[:count])
                except BaseException as exc:  # handed to the reader, which raises it
                    self._errors.append(exc)
            self._release(buffer)

    def _release(self, buffer: bytearray) -> None:
        with self._lock:
            self._pending[id(buffer)] -= 1
            done = self._pending[id(buffer)] == 0
            if done:
                del self._pending[id(buffer)]
        if done:
            self._free.put(buffer)


def hash_file(
    path: str | os.PathLike[str],
    algorithms: Iterable[Algorithm] = (Algorithm.SHA256,),
    *,
    on_chunk: Callable[[int], None] | None = None,
) -> Digests:
    """Digest a file in one pass and bounded memory, changing nothing.

    Raises:
        InvalidInput: the file cannot be read or is not a regular file (a pipe or a device
            would never end); the message names it.
    """
    with reading_regular_file(path, buffered=False) as stream:
        return hash_stream(cast(Readable, stream), algorithms, on_chunk=on_chunk)
