"""Intake of files as evidence items: store, examine, sign, record; resumable and idempotent.

Each file is copied into the blob store while it is hashed, examined (format, dimensions,
whether it decodes, EXIF) from the stored copy, and recorded as a digital item whose
``acquired`` event, signed by the operator, carries its digests, media facts, source name
and the operator's notes. Files are examined on every core; events are signed and appended
in batches, each one atomic and durable, so an interrupted intake keeps what it recorded and
a repeated one records nothing twice.

A file's item reference is ``F-`` and the first 16 hex digits of its SHA-256: the same bytes
are the same item of a case, however often they are taken in, and no reference carries a
name. Should two different files ever share those digits, the second gets all 64.
"""

from __future__ import annotations

import collections
import enum
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from custody._processes import available_cores, worker_pool
from custody.crypto import Signer
from custody.errors import CustodyError, InvalidInput
from custody.intake._blobs import BlobStore
from custody.intake._digests import Algorithm
from custody.intake._files import FileReport, examine, modification_time
from custody.ledger import Draft, Ledger
from custody.model import DigitalItem, Place, check_text, utc_now

ITEM_PREFIX = "F-"
_SHORT_DIGITS = 16


class Outcome(enum.StrEnum):
    """What intake did with one file."""

    RECORDED = "recorded"
    ALREADY_RECORDED = "already recorded"
    FAILED = "failed"


@attrs.frozen
class FileResult:
    """The outcome for one file.

    Attributes:
        source: the file's recorded name (from the given folder's parent, escaped).
        outcome: recorded, already recorded, or failed.
        item: the item reference (recorded or already recorded).
        report: what was found (absent if the file could not be read).
        problem: why it failed.
        log_index: the log index of its ``acquired`` event, when recorded now.
    """

    source: str
    outcome: Outcome
    item: str | None = None
    report: FileReport | None = None
    problem: str | None = None
    log_index: int | None = None

    def to_json(self) -> dict[str, Any]:
        """One JSON line of ``custody intake --json``."""
        line: dict[str, Any] = {"file": self.source, "outcome": self.outcome.value}
        if self.item is not None:
            line["item"] = self.item
        if self.report is not None:
            line.update(
                size=self.report.digests.size,
                hashes=self.report.digests.hex(),
                media_type=self.report.media_type,
                decodes=self.report.image.decodes.value,
            )
        if self.problem is not None:
            line["problem"] = self.problem
        if self.log_index is not None:
            line["log_index"] = self.log_index
        return line


@attrs.frozen
class IntakeSummary:
    """Counts of an intake run."""

    recorded: int
    already_recorded: int
    failed: int
    bytes_recorded: int
    seconds: float
    failures: tuple[FileResult, ...]

    @property
    def files(self) -> int:
        """Every file seen."""
        return self.recorded + self.already_recorded + self.failed


def _at_least_one(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (type(value) is not int or value < 1):
        raise InvalidInput("must be a whole number of at least 1", field=attribute.name)


def _notes(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    check_text(value, attribute.name)


@attrs.frozen
class IntakeOptions:
    """How files are taken in.

    Attributes:
        algorithms: digests besides SHA-256 (examiners compare them with other tools).
        notes: the operator's notes, recorded with every file (an operator fact).
        place: where the intake happens.
        purpose: why (for example "visit to the remand prison, 12 March").
        batch_files: files per appended batch; each batch is one durable transaction.
        workers: processes storing and examining files; ``None`` uses two per core, because
            each spends part of its time waiting for the disk to sync a file.
        at: the claimed time of the ``acquired`` events (default: when each is drafted).
    """

    algorithms: frozenset[Algorithm] = frozenset({Algorithm.SHA256})
    notes: str | None = attrs.field(default=None, validator=_notes)
    place: Place | None = None
    purpose: str | None = None
    batch_files: int = attrs.field(default=64, validator=_at_least_one)
    workers: int | None = attrs.field(default=None, validator=_at_least_one)
    at: datetime | None = None


@attrs.frozen
class _Source:
    path: str  # where to read it
    name: str  # how to record it
    refused: str | None = None  # why it is not read at all
    in_folder: bool = False  # found by walking a folder: links there are never followed


@attrs.frozen
class _Examined:
    source: _Source
    report: FileReport | None
    problem: str | None


def intake(
    ledger: Ledger,
    blobs: BlobStore,
    case: str,
    paths: Iterable[str | os.PathLike[str]],
    operator: Signer,
    *,
    options: IntakeOptions | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IntakeSummary:
    """Take files and folders (recursively) into ``case`` as digital evidence items.

    Args:
        ledger: the ledger to record in; the case must be open.
        blobs: where the files' bytes are kept.
        case: the case reference.
        paths: files and folders. A folder's files are recorded under names relative to
            the folder's parent (``visit-1/IMG_0001.jpg``); symbolic links inside folders
            are not followed (each is reported as failed).
        operator: who signs the ``acquired`` events (a registered actor).
        options: digests, notes, place, purpose, batching and workers.
        on_result: called with each file's result once it is durable (or has failed).
        on_total: called once with the number of files found, before any is read.

    Returns:
        The counts; every file's result went to ``on_result``.

    Raises:
        InvalidInput: the case is not open or the operator is not a registered actor (before
            any file is read).
    """
    options = options or IntakeOptions()
    run = _IntakeRun(ledger, blobs, case, operator, options, on_result)
    return run.run(paths, on_total)


class _IntakeRun:
    def __init__(
        self,
        ledger: Ledger,
        blobs: BlobStore,
        case: str,
        operator: Signer,
        options: IntakeOptions,
        on_result: Callable[[FileResult], None] | None,
    ) -> None:
        self._ledger = ledger
        self._blobs = blobs
        self._case = case
        self._operator = operator
        self._options = options
        self._on_result = on_result
        # Results in file order, each with the event to append for it, if any.
        self._batch: list[tuple[FileResult, Draft | None]] = []
        self._batch_items: dict[str, bytes] = {}
        self._counts = {outcome: 0 for outcome in Outcome}
        self._bytes = 0
        self._failures: list[FileResult] = []

    def run(
        self,
        paths: Iterable[str | os.PathLike[str]],
        on_total: Callable[[int], None] | None,
    ) -> IntakeSummary:
        self._check_ready()
        started = time.monotonic()
        sources = list(_sources(paths))
        if on_total is not None:
            on_total(len(sources))
        for examined in self._examined(sources):
            self._take(examined)
            if len(self._batch) >= self._options.batch_files:
                self._commit()
        self._commit()
        return IntakeSummary(
            self._counts[Outcome.RECORDED],
            self._counts[Outcome.ALREADY_RECORDED],
            self._counts[Outcome.FAILED],
            self._bytes,
            time.monotonic() - started,
            tuple(self._failures),
        )

    def _check_ready(self) -> None:
        if self._ledger.state(self._case, None).next_seq == 0:
            raise InvalidInput("the case has not been opened", field=self._case)
        if self._ledger.actor(self._operator.key_id) is None:
            raise InvalidInput(
                f"key {self._operator.key_id.hex()} is not a registered actor", field="operator"
            )

    def _examined(self, sources: Sequence[_Source]) -> Iterator[_Examined]:
        jobs = [(source, str(self._blobs.root), self._options.algorithms) for source in sources]
        workers = self._options.workers or 2 * available_cores()
        if workers <= 1 or len(jobs) < 2:
            yield from map(_examine_job, jobs)
            return
        yield from _examine_in_pools(jobs, workers)

    def _take(self, examined: _Examined) -> None:
        source, report = examined.source, examined.report
        if report is None:
            failed = FileResult(source.name, Outcome.FAILED, problem=examined.problem)
            self._batch.append((failed, None))
            return
        try:
            item, new = item_reference(
                self._ledger, self._case, report.digests.sha256, pending=self._batch_items
            )
            if not new:
                known = FileResult(source.name, Outcome.ALREADY_RECORDED, item, report)
                self._batch.append((known, None))
                return
            draft = self._draft(item, report)
        except InvalidInput as exc:  # a name or fact the model refuses: this file only
            failed = FileResult(source.name, Outcome.FAILED, report=report, problem=str(exc))
            self._batch.append((failed, None))
            return
        self._batch_items[item] = report.digests.sha256
        self._batch.append((FileResult(source.name, Outcome.RECORDED, item, report), draft))

    def _draft(self, item: str, report: FileReport) -> Draft:
        options = self._options
        digital = DigitalItem(
            item, report.digests.sha256, report.digests.size, report.source, report.media_type
        )
        body = digital.acquisition(
            options.at or utc_now(),
            details=report.to_details(notes=options.notes),
            place=options.place,
            purpose=options.purpose,
        )
        return Draft(self._case, item, body, self._operator)

    def _commit(self) -> None:
        try:
            self._append(self._batch)
        except InvalidInput:
            # One file's event is refused (too large, say): nothing of the batch was
            # appended, so append its files one by one and fail only that one. (A failing
            # store, StoreError, stops the intake: what was committed stays recorded.)
            for result, draft in self._batch:
                try:
                    self._append([(result, draft)])
                except InvalidInput as exc:
                    failed = FileResult(
                        result.source, Outcome.FAILED, report=result.report, problem=str(exc)
                    )
                    self._report(failed)
        self._batch.clear()
        self._batch_items.clear()

    def _append(self, entries: list[tuple[FileResult, Draft | None]]) -> None:
        """Append the entries' events in one transaction, then report every result in order."""
        drafts = [draft for _, draft in entries if draft is not None]
        recorded = iter(self._ledger.record_many(drafts) if drafts else [])
        for result, draft in entries:
            if draft is not None:
                self._bytes += draft.body.artifacts[0].size
                result = attrs.evolve(result, log_index=next(recorded).index)
            self._report(result)

    def _report(self, result: FileResult) -> None:
        self._counts[result.outcome] += 1
        if result.outcome is Outcome.FAILED:
            self._failures.append(result)
        if self._on_result is not None:
            self._on_result(result)


def item_reference(
    ledger: Ledger, case: str, sha256: bytes, *, pending: Mapping[str, bytes] | None = None
) -> tuple[str, bool]:
    """The reference of a file's bytes in a case, and whether it is yet to be recorded.

    ``F-`` and the first 16 hex digits of the SHA-256, or all 64 should another file hold
    the short one. ``pending`` maps references about to be recorded to their digests.

    Raises:
        InvalidInput: if both references hold other bytes (never seen short of an attack on
            SHA-256).
    """
    for reference in (ITEM_PREFIX + sha256.hex()[:_SHORT_DIGITS], ITEM_PREFIX + sha256.hex()):
        holder = (pending or {}).get(reference) or _recorded_digest(ledger, case, reference)
        if holder is None:
            return reference, True
        if holder == sha256:
            return reference, False
    raise InvalidInput(f"item {ITEM_PREFIX}{sha256.hex()} holds other bytes", field="item")


def _recorded_digest(ledger: Ledger, case: str, reference: str) -> bytes | None:
    """The SHA-256 of the file item ``reference`` holds, if it is recorded (else ``None``)."""
    if ledger.state(case, reference).next_seq == 0:
        return None
    first = ledger.events(case, reference)[0].event.body
    return first.artifacts[0].sha256 if first.artifacts else b""


_Job = tuple[_Source, str, frozenset[Algorithm]]


def _examine_job(job: _Job) -> _Examined:
    """Store one file and examine the stored copy (runs in a worker process)."""
    source, blobs_root, algorithms = job
    if source.refused is not None:
        return _Examined(source, None, source.refused)
    try:
        stored = _store(blobs_root).put_file(
            source.path, algorithms, follow_links=not source.in_folder
        )
        report = examine(
            stored.path, stored.digests, source=source.name, modified=modification_time(source.path)
        )
    except CustodyError as exc:
        return _Examined(source, None, str(exc))
    except Exception as exc:  # a reader library failing on crafted content fails this file only
        return _Examined(source, None, f"examining the file failed: {type(exc).__name__}: {exc}")
    return _Examined(source, report, None)


@functools.lru_cache(maxsize=8)
def _store(root: str) -> BlobStore:
    """One BlobStore per root and process, so stale temporaries are looked for once."""
    return BlobStore(Path(root))


def _examine_in_pools(jobs: Sequence[_Job], workers: int) -> Iterator[_Examined]:
    """Examine files on worker processes, in order, with a bounded window of jobs in flight.

    A worker that dies (a decoder crashing on a hostile file, the OOM killer) breaks the
    pool: the file at the head of the line is then examined alone in a fresh process, and
    fails if that process dies too; the rest go to a new pool. Each break costs a pool.
    """
    queue = collections.deque(jobs)
    window = 4 * workers
    while queue:
        with worker_pool(workers) as pool:
            pending: collections.deque[tuple[_Job, Future[_Examined]]] = collections.deque()
            try:
                while queue or pending:
                    while queue and len(pending) < window:
                        job = queue.popleft()
                        pending.append((job, pool.submit(_examine_job, job)))
                    examined = pending[0][1].result()
                    pending.popleft()
                    yield examined
            except BrokenProcessPool:
                queue.extendleft(reversed([job for job, _ in pending]))
        if queue:
            yield _examine_alone(queue.popleft())


def _examine_alone(job: _Job) -> _Examined:
    with worker_pool(1) as pool:
        try:
            return pool.submit(_examine_job, job).result()
        except BrokenProcessPool:
            return _Examined(job[0], None, "the process examining this file died")


def recorded_name(name: str) -> str:
    """A file name as intake records it, escaped where it could not be text.

    Control characters, bytes that are not UTF-8 and the backslash are written as escapes
    (``\\x0a``, ``\\xff``, ``\\\\``), so every name is recorded exactly and unambiguously.
    """
    return "".join(_escaped(character) for character in name)


def _escaped(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode leaves it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\x{code:02x}"
    return "\\\\" if character == "\\" else character


def _sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[_Source]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _folder_sources(path)
        else:
            yield _Source(str(path), recorded_name(path.name))


def _folder_sources(folder: Path) -> Iterator[_Source]:
    base = folder.resolve().parent
    # os.walk lists linked folders without entering them; linked files and folders alike
    # are refused rather than followed, so intake never leaves the folder it was given.
    for directory, subdirectories, files in os.walk(folder):
        here = Path(directory)
        subdirectories.sort()
        linked = [name for name in subdirectories if (here / name).is_symlink()]
        for name in sorted(files) + linked:
            path = here / name
            recorded = recorded_name((here.resolve() / name).relative_to(base).as_posix())
            refused = "a symbolic link; not followed" if path.is_symlink() else None
            yield _Source(str(path), recorded, refused, in_folder=True)
