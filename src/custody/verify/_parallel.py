"""Spreading independent work over worker processes while the caller goes on.

One Python process verifies signatures on one core. The ledger verifier parses and replays
entries in the main process and hands signature checks, in chunks, to worker processes as it
goes; results come back in order, so a report does not depend on how many processes made it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

from custody._processes import available_cores, worker_pool

#: Below this many items, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 4096
_CHUNK = 1024

_Context = TypeVar("_Context")
_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


class ChunkPool(Generic[_Context, _Item, _Result]):
    """Collects items and runs ``function(context, chunk)`` over them, in order.

    With ``workers > 1`` and at least :data:`PARALLEL_THRESHOLD` expected items, the caller's
    process is one of ``workers``: full chunks go to ``workers - 1`` worker processes as
    soon as they are collected, unless those are behind, in which case the caller runs the
    chunk itself. The caller has other work per item (parsing, for the ledger verifier), so
    this keeps every core busy without a process of its own for each. Otherwise everything
    runs inline when :meth:`results` is called. ``function`` must be a module-level function
    and ``context`` picklable.
    """

    def __init__(
        self,
        function: Callable[[_Context, Sequence[_Item]], list[_Result]],
        context: _Context,
        *,
        workers: int | None,
        expected: int,
    ) -> None:
        self._run = functools.partial(function, context)
        workers = available_cores() if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1 and expected >= PARALLEL_THRESHOLD:
            self._pool = worker_pool(workers - 1)
        # Chunks the workers may hold before the caller takes one itself: enough that none
        # of them waits for the next chunk.
        self._backlog = 2 * (workers - 1)
        self._buffer: list[_Item] = []
        self._chunks: list[tuple[list[_Item], Future[list[_Result]] | list[_Result]]] = []
        self._pending: list[Future[list[_Result]]] = []

    def add(self, item: _Item) -> None:
        """Queue one item."""
        self._buffer.append(item)
        if self._pool is not None and len(self._buffer) >= _CHUNK:
            self._dispatch(self._pool, self._buffer)
            self._buffer = []

    def results(self) -> list[_Result]:
        """Every result, in the order the items were added."""
        results = []
        for chunk, outcome in self._chunks:
            results += self._result(chunk, outcome) if isinstance(outcome, Future) else outcome
        self._chunks.clear()
        self._pending.clear()
        results += self._run(self._buffer)
        self._buffer = []
        return results

    def _dispatch(self, pool: ProcessPoolExecutor, chunk: list[_Item]) -> None:
        self._pending = [future for future in self._pending if not future.done()]
        if len(self._pending) >= self._backlog:
            self._chunks.append((chunk, self._run(chunk)))
            return
        future = pool.submit(self._run, chunk)
        self._pending.append(future)
        self._chunks.append((chunk, future))

    def _result(self, chunk: list[_Item], future: Future[list[_Result]]) -> list[_Result]:
        try:
            return future.result()
        except BrokenProcessPool:
            # Workers could not start (an interpreter reading its program from standard
            # input cannot spawn, for one) or died: do the work here instead.
            return self._run(chunk)

    def __enter__(self) -> ChunkPool[_Context, _Item, _Result]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
