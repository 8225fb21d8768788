"""The chunk pool: results in order, whichever process ran each chunk."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from custody.verify import PARALLEL_THRESHOLD
from custody.verify._parallel import _CHUNK, ChunkPool


def tag_with_process(parent: int, chunk: Sequence[int]) -> list[tuple[int, bool]]:
    """Each item with whether the caller's process ran it; workers are made slow."""
    in_parent = os.getpid() == parent
    if not in_parent:
        time.sleep(0.2)
    return [(item, in_parent) for item in chunk]


def test_results_keep_their_order_and_the_caller_helps_slow_workers() -> None:
    items = list(range(6 * _CHUNK + 10))
    with ChunkPool(tag_with_process, os.getpid(), workers=2, expected=PARALLEL_THRESHOLD) as pool:
        for item in items:
            pool.add(item)
        results = pool.results()
    assert [item for item, _ in results] == items
    by_caller = [in_parent for _, in_parent in results[: 6 * _CHUNK : _CHUNK]]
    # Two chunks wait for the one slow worker; while they do, the caller runs the next.
    assert by_caller[:3] == [False, False, True]


def test_small_jobs_run_inline() -> None:
    with ChunkPool(tag_with_process, os.getpid(), workers=2, expected=10) as pool:
        for item in range(10):
            pool.add(item)
        assert pool.results() == [(item, True) for item in range(10)]
