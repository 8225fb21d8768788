"""Worker processes: how many cores there are, and a safe way to start workers."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

#: How often a worker looks whether the process that started it is still there.
PARENT_CHECK_SECONDS = 0.5
#: The exit status of a worker that ended because its parent was gone.
ORPHANED_EXIT = 70


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
    """A pool of ``workers`` processes, forked when that is safe, spawned otherwise.

    Each worker ends itself within :data:`PARENT_CHECK_SECONDS` of its parent's death.
    A parent killed outright (SIGKILL, the OOM killer) cannot stop its pool, and orphaned
    workers would otherwise wait for work forever, holding the files they opened.
    """
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_start_method(),
        initializer=_end_with_parent,
        initargs=(os.getpid(),),
    )


def _end_with_parent(parent: int) -> None:
    """Start a daemon thread that ends this worker once ``parent`` is no longer its parent.

    Polling ``os.getppid()`` works on every POSIX system (an orphan is adopted by another
    process), unlike Linux's ``PR_SET_PDEATHSIG``. The parent's pid is passed in rather than
    read here, so a parent that died before the worker started is noticed too.
    """
    watcher = threading.Thread(target=_watch_parent, args=(parent,), daemon=True)
    watcher.start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    # The pool's own shutdown is gone with the parent: leave at once, without cleanup
    # that could wait on the pipes to a process that no longer exists.
    os._exit(ORPHANED_EXIT)
