"""Spreading independent work over worker processes while the caller goes on.

One Python process verifies signatures on one core. The ledger verifier parses and replays
entries in the main process and hands signature checks, in chunks, to worker processes as it
goes; results come back in order, so a report does not depend on how many processes made it.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

#: Below this many items, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 4096
_CHUNK = 1024

_Context = TypeVar("_Context")
_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def available_cores() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_method() -> multiprocessing.context.BaseContext:
    # Forking is fast, but a child forked while other threads hold locks can deadlock, so
    # fork only single-threaded processes. The workers never touch the parent's database
    # connection.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class ChunkPool(Generic[_Context, _Item, _Result]):
    """Collects items and runs ``function(context, chunk)`` over them, in order.

    With ``workers > 1`` and at least :data:`PARALLEL_THRESHOLD` expected items, full chunks
    go to worker processes as soon as they are collected; otherwise everything runs inline
    when :meth:`results` is called. ``function`` must be a module-level function and
    ``context`` picklable.
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
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=_start_method())
        self._buffer: list[_Item] = []
        self._submitted: list[tuple[list[_Item], Future[list[_Result]]]] = []

    def add(self, item: _Item) -> None:
        """Queue one item."""
        self._buffer.append(item)
        if self._pool is not None and len(self._buffer) >= _CHUNK:
            self._submitted.append((self._buffer, self._pool.submit(self._run, self._buffer)))
            self._buffer = []

    def results(self) -> list[_Result]:
        """Every result, in the order the items were added."""
        results = []
        for chunk, future in self._submitted:
            results += self._result(chunk, future)
        self._submitted.clear()
        results += self._run(self._buffer)
        self._buffer = []
        return results

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
