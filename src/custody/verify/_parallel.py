"""Spreading independent work over worker processes while the caller goes on.

One Python process verifies signatures on one core. The verifiers parse and replay entries
in the main process and hand signature checks, in chunks, to worker processes as they go;
results come back in order, so a report does not depend on how many processes made it.
The caller takes results as chunks finish, so memory holds a few chunks, whatever the
number of items.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

import attrs

from custody._processes import available_cores, worker_pool

#: Below this many items, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 4096
_CHUNK = 1024
#: A chunk is sent on once its items' sizes (as the pool is told them) reach this, so that
#: large items (signed events of up to 256 KiB) keep the chunks in flight small.
_CHUNK_BYTES = 4 << 20

_Context = TypeVar("_Context")
_Item = TypeVar("_Item")
_Tag = TypeVar("_Tag")
_Result = TypeVar("_Result")


@attrs.define
class _Chunk(Generic[_Item, _Tag, _Result]):
    """Items on their way, the caller's tag for each, and their results or the promise of
    them (the items are kept to run them here if the workers die)."""

    items: list[_Item]
    tags: list[_Tag]
    outcome: Future[list[_Result]] | list[_Result]

    def finished(self) -> bool:
        return not isinstance(self.outcome, Future) or self.outcome.done()


class ChunkPool(Generic[_Context, _Item, _Tag, _Result]):
    """Runs ``function(context, chunk)`` over the items added, giving back each result with
    the tag it was added with, in the order of adding.

    With ``workers > 1`` and at least :data:`PARALLEL_THRESHOLD` expected items, the caller's
    process is one of ``workers``: full chunks go to ``workers - 1`` worker processes as
    soon as they are collected, unless those are behind, in which case the caller runs the
    chunk itself. The caller has other work per item (parsing, for the verifiers), so this
    keeps every core busy without a process of its own for each. Otherwise each full chunk
    runs inline as it is collected. The caller takes results with :meth:`done` as it goes
    and with :meth:`finish` at the end. ``function`` must be a module-level function and
    ``context`` picklable. With ``size_of``, a chunk also goes as soon as its items' sizes
    add up to :data:`_CHUNK_BYTES`, so memory stays bounded whatever the items' sizes.
    """

    def __init__(
        self,
        function: Callable[[_Context, Sequence[_Item]], list[_Result]],
        context: _Context,
        *,
        workers: int | None,
        expected: int,
        size_of: Callable[[_Item], int] | None = None,
    ) -> None:
        self._run = functools.partial(function, context)
        self._size_of = size_of
        self._bytes = 0
        workers = available_cores() if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1 and expected >= PARALLEL_THRESHOLD:
            self._pool = worker_pool(workers - 1)
        # Chunks the workers may hold before the caller takes one itself: enough that none
        # of them waits for the next chunk.
        self._backlog = 2 * (workers - 1)
        self._items: list[_Item] = []
        self._tags: list[_Tag] = []
        self._chunks: deque[_Chunk[_Item, _Tag, _Result]] = deque()

    def add(self, item: _Item, tag: _Tag) -> None:
        """Queue one item; ``tag`` comes back with its result."""
        self._items.append(item)
        self._tags.append(tag)
        if self._size_of is not None:
            self._bytes += self._size_of(item)
        if len(self._items) >= _CHUNK or self._bytes >= _CHUNK_BYTES:
            self._dispatch()

    def done(self) -> Iterator[tuple[_Tag, _Result]]:
        """(tag, result) of every item whose chunk, and every chunk before it, has finished."""
        while self._chunks and self._chunks[0].finished():
            yield from self._take_first()

    def finish(self) -> Iterator[tuple[_Tag, _Result]]:
        """(tag, result) of every item not yet given back, waiting for the workers."""
        if self._items:
            self._dispatch(inline=True)
        while self._chunks:
            yield from self._take_first()

    def _dispatch(self, *, inline: bool = False) -> None:
        items, tags = self._items, self._tags
        self._items, self._tags, self._bytes = [], [], 0
        pending = sum(not chunk.finished() for chunk in self._chunks)
        if inline or self._pool is None or pending >= self._backlog:
            self._chunks.append(_Chunk(items, tags, self._run(items)))
        else:
            self._chunks.append(_Chunk(items, tags, self._pool.submit(self._run, items)))

    def _take_first(self) -> Iterator[tuple[_Tag, _Result]]:
        chunk = self._chunks.popleft()
        outcome = chunk.outcome
        if isinstance(outcome, Future):
            try:
                outcome = outcome.result()
            except BrokenProcessPool:
                # Workers could not start (an interpreter reading its program from standard
                # input cannot spawn, for one) or died: do the work here instead.
                outcome = self._run(chunk.items)
        yield from zip(chunk.tags, outcome, strict=True)

    def __enter__(self) -> ChunkPool[_Context, _Item, _Tag, _Result]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
