"""Worker processes: how many cores there are, and a safe way to start workers."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor


def available_cores() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_method() -> multiprocessing.context.BaseContext:
    # Forking is fast, but a child forked while other threads hold locks can deadlock, so
    # fork only single-threaded processes. Workers never touch the parent's open databases.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, forked when that is safe, spawned otherwise."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_start_method())
