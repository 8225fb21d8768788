"""Intake of files as evidence items: store, examine, sign, record; resumable and idempotent.

Each file is copied into the blob store while it is hashed, examined (format, dimensions,
whether it decodes, EXIF) from the stored copy, and recorded as a digital item whose
``acquired`` event, signed by the operator, carries its digests, media facts, source name
and the operator's notes. Files are examined on every core; events are signed and appended
in batches, each one atomic and durable, so an interrupted intake keeps what it recorded and
a repeated one records nothing twice, nor do two intakes of the same files at once.

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
from custody.intake._names import recorded_name
from custody.ledger import Draft, Ledger
from custody.model import DigitalItem, Place, check_text, utc_now

ITEM_PREFIX = "F-"
_SHORT_DIGITS = 16

#: One path as ``intake`` takes it: text, bytes (a name that is not UTF-8) or a path object.
PathArgument = str | bytes | os.PathLike[str] | os.PathLike[bytes]


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
        damaged_copy: set when the blob store held damaged bytes under this file's
            SHA-256 (changed, or no regular file): this file's bytes replaced them, and
            the damaged copy was kept at this path, under the store's ``damaged/``.
    """

    source: str
    outcome: Outcome
    item: str | None = None
    report: FileReport | None = None
    problem: str | None = None
    log_index: int | None = None
    damaged_copy: str | None = None

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
            # Problems quote paths, which may hold bytes that are not UTF-8.
            line["problem"] = recorded_name(self.problem)
        if self.log_index is not None:
            line["log_index"] = self.log_index
        if self.damaged_copy is not None:
            line["damaged_copy"] = recorded_name(self.damaged_copy)
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
    damaged_copy: str | None = None  # where storing it kept a damaged blob it replaced


def intake(
    ledger: Ledger,
    blobs: BlobStore,
    case: str,
    paths: PathArgument | Iterable[PathArgument],
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
        paths: files and folders, or a single file or folder. A folder's files are
            recorded under names relative to the folder's parent (``visit-1/IMG_0001.jpg``);
            symbolic links inside folders are not followed, and folders that cannot be
            listed are not skipped: each is reported as failed, with the reason.
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
    return run.run(_one_or_many(paths), on_total)


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
        paths: Iterable[PathArgument],
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
        result, draft = self._result_of(examined)
        result = attrs.evolve(result, damaged_copy=examined.damaged_copy)
        if draft is not None and result.item is not None and result.report is not None:
            self._batch_items[result.item] = result.report.digests.sha256
        self._batch.append((result, draft))

    def _result_of(self, examined: _Examined) -> tuple[FileResult, Draft | None]:
        """The file's result as it stands, and the event to append for it, if any."""
        name, report = examined.source.name, examined.report
        if report is None:
            return FileResult(name, Outcome.FAILED, problem=examined.problem), None
        try:
            item, new = item_reference(
                self._ledger, self._case, report.digests.sha256, pending=self._batch_items
            )
            if not new:
                return FileResult(name, Outcome.ALREADY_RECORDED, item, report), None
            draft = self._draft(item, report)
        except InvalidInput as exc:  # a name or fact the model refuses: this file only
            return FileResult(name, Outcome.FAILED, report=report, problem=str(exc)), None
        return FileResult(name, Outcome.RECORDED, item, report), draft

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
            # One file's event is refused (too large, say, or its item recorded meanwhile
            # by another intake of the same files): nothing of the batch was appended, so
            # append its files one by one. (A failing store, StoreError, stops the intake:
            # what was committed stays recorded.)
            for result, draft in self._batch:
                self._append_alone(result, draft)
        self._batch.clear()
        self._batch_items.clear()

    def _append_alone(self, result: FileResult, draft: Draft | None) -> None:
        try:
            self._append([(result, draft)])
        except InvalidInput as exc:
            recorded = self._recorded_meanwhile(result)
            if recorded is not None:
                self._report(recorded)
                return
            failed = attrs.evolve(result, outcome=Outcome.FAILED, item=None, problem=str(exc))
            self._report(failed)

    def _recorded_meanwhile(self, result: FileResult) -> FileResult | None:
        """The result as already recorded, if another writer recorded the file's item, with
        the same bytes, after this intake looked (two intakes of one folder at once)."""
        if result.item is None or result.report is None:
            return None
        try:
            item, new = item_reference(self._ledger, self._case, result.report.digests.sha256)
        except InvalidInput:
            return None
        if new or item != result.item:
            return None
        return attrs.evolve(result, outcome=Outcome.ALREADY_RECORDED)

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
    except CustodyError as exc:
        return _Examined(source, None, str(exc))
    except Exception as exc:  # as below: this file fails, not the intake
        return _Examined(source, None, _failure(exc))
    # Once stored, a repair of the store is reported whatever examining the file gives.
    kept = None if stored.damaged_copy is None else str(stored.damaged_copy)
    try:
        report = examine(
            stored.path, stored.digests, source=source.name, modified=modification_time(source.path)
        )
    except CustodyError as exc:
        return _Examined(source, None, str(exc), kept)
    except Exception as exc:  # a reader library failing on crafted content fails this file only
        return _Examined(source, None, _failure(exc), kept)
    return _Examined(source, report, None, kept)


def _failure(exc: Exception) -> str:
    return f"examining the file failed: {type(exc).__name__}: {exc}"


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
                        # Submitted before it leaves the queue: a pool found broken here
                        # raises, and the job must not be lost with it.
                        future = pool.submit(_examine_job, queue[0])
                        pending.append((queue.popleft(), future))
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


def _one_or_many(paths: PathArgument | Iterable[PathArgument]) -> Iterable[PathArgument]:
    # A path is itself iterable (a str by character, bytes by byte): taken as a list of
    # paths, "photos/x.jpg" would be taken in character by character, and "/" as a path.
    if isinstance(paths, str | bytes | os.PathLike):
        return [paths]
    return paths


def _sources(paths: Iterable[PathArgument]) -> Iterator[_Source]:
    for given in paths:
        path = Path(os.fsdecode(given))
        # os.path.isdir answers False where the path cannot be looked at (a parent without
        # permission); the file is then reported as failed with the reason opening it gives.
        if os.path.isdir(path):
            yield from _folder_sources(path)
        else:
            yield _Source(str(path), recorded_name(path.name))


def _folder_sources(folder: Path) -> Iterator[_Source]:
    base = folder.resolve().parent
    unlistable: list[OSError] = []
    # os.walk lists linked folders without entering them; linked files and folders alike
    # are refused rather than followed, so intake never leaves the folder it was given.
    # A folder it cannot list goes to onerror; each becomes a failed source, never a gap.
    for directory, subdirectories, files in os.walk(folder, onerror=unlistable.append):
        yield from _unlistable(unlistable, base)
        here = Path(directory)
        subdirectories.sort()
        # os.path.islink, unlike Path.is_symlink, answers False rather than raising in a
        # folder that can be listed but not searched; opening such a file then fails.
        linked = [name for name in subdirectories if os.path.islink(here / name)]
        for name in sorted(files) + linked:
            path = here / name
            recorded = recorded_name((here.resolve() / name).relative_to(base).as_posix())
            refused = "a symbolic link; not followed" if os.path.islink(path) else None
            yield _Source(str(path), recorded, refused, in_folder=True)
    yield from _unlistable(unlistable, base)


def _unlistable(errors: list[OSError], base: Path) -> Iterator[_Source]:
    """The folders os.walk could not list so far, as failed sources (the list is emptied)."""
    for error in errors:
        folder = Path(os.fsdecode(error.filename))
        recorded = recorded_name(folder.resolve().relative_to(base).as_posix())
        reason = f"cannot read the folder ({error.strerror or error})"
        yield _Source(str(folder), recorded, reason, in_folder=True)
    errors.clear()
