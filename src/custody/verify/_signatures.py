"""Signature checks of many statements, inline or spread over worker processes.

Ed25519 verification is the bulk of a verifier's work, and one Python process verifies on
one core. Large logs therefore hand batches of (key, signature, signed bytes) to worker
processes while the main process goes on parsing and replaying chains.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from custody.crypto import PreparedSignature, PublicKey
from custody.errors import SignatureError
from custody.verify._report import Location

#: Below this many signatures, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 4096
_BATCH = 2048

Job = tuple[bytes, bytes, bytes]  # raw public key, signature, signed bytes


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def verify_batch(jobs: list[Job]) -> list[int]:
    """Verify Ed25519 signatures; return the positions of those that fail."""
    keys: dict[bytes, Ed25519PublicKey] = {}
    failed = []
    for position, (raw_key, signature, signed) in enumerate(jobs):
        key = keys.get(raw_key)
        if key is None:
            key = keys[raw_key] = Ed25519PublicKey.from_public_bytes(raw_key)
        try:
            key.verify(signature, signed)
        except InvalidSignature:
            failed.append(position)
    return failed


class SignatureChecks:
    """Collects signature checks and reports the locations whose signature fails."""

    def __init__(self, pool: ProcessPoolExecutor | None) -> None:
        self._pool = pool
        self._jobs: list[Job] = []
        self._where: list[Location] = []
        self._pending: list[tuple[list[Location], Future[list[int]]]] = []
        self._failed: list[tuple[Location, str]] = []

    def add(self, where: Location, key: PublicKey, prepared: PreparedSignature) -> None:
        """Check ``prepared`` with ``key`` now, or queue it for a worker process."""
        if self._pool is None:
            try:
                prepared.verify()
            except SignatureError as exc:
                self._failed.append((where, str(exc)))
            return
        self._jobs.append((key.to_bytes(), prepared.signature, prepared.to_be_signed))
        self._where.append(where)
        if len(self._jobs) >= _BATCH:
            self._submit()

    def failures(self) -> list[tuple[Location, str]]:
        """Wait for every queued check; return (location, reason) of each failure."""
        if self._jobs:
            self._submit()
        for where, future in self._pending:
            self._failed.extend((where[i], "signature does not verify") for i in future.result())
        self._pending.clear()
        return self._failed

    def _submit(self) -> None:
        assert self._pool is not None
        self._pending.append((self._where, self._pool.submit(verify_batch, self._jobs)))
        self._jobs, self._where = [], []


@contextmanager
def signature_checks(expected: int, workers: int | None) -> Iterator[SignatureChecks]:
    """Signature checks for about ``expected`` statements on up to ``workers`` cores.

    ``workers=None`` uses every available core for large logs; ``workers=1`` (or a small
    log) checks inline.
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or expected < PARALLEL_THRESHOLD:
        yield SignatureChecks(None)
        return
    # "spawn" because forking a process that holds database connections and threads is
    # unsafe; the workers only import cryptography.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield SignatureChecks(pool)
