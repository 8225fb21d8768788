"""Spreading independent per-entry work over worker processes.

One Python process verifies signatures on one core. A large log is cut into chunks that
worker processes check while results are gathered in order, so a report does not depend
on how many processes produced it.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

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


def map_chunks(
    function: Callable[[_Context, Sequence[_Item]], list[_Result]],
    context: _Context,
    items: Sequence[_Item],
    workers: int | None,
) -> list[_Result]:
    """``function(context, chunk)`` over ``items`` in chunks, in order, on ``workers`` processes.

    ``function`` must be a module-level function and ``context`` picklable (both are sent
    to other processes). ``workers=None`` uses every core when there are enough items;
    ``1`` runs inline.
    """
    workers = available_cores() if workers is None else workers
    if workers <= 1 or len(items) < PARALLEL_THRESHOLD:
        return function(context, items)
    chunks = [items[start : start + _CHUNK] for start in range(0, len(items), _CHUNK)]
    # "spawn": forking a process that holds database connections is unsafe.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        results = pool.map(functools.partial(function, context), chunks)
        return [result for chunk in results for result in chunk]
