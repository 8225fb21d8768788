"""The chunk pool: results in order with their tags, whichever process ran each chunk, and
given back as chunks finish so memory does not grow with the number of items."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from custody.verify import PARALLEL_THRESHOLD
from custody.verify._parallel import _CHUNK, _CHUNK_BYTES, ChunkPool


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
            pool.add(item, -item)
        results = list(pool.finish())
    assert [tag for tag, _ in results] == [-item for item in items]
    assert [item for _, (item, _) in results] == items
    by_caller = [in_parent for _, (_, in_parent) in results[: 6 * _CHUNK : _CHUNK]]
    # Two chunks wait for the one slow worker; while they do, the caller runs the next.
    assert by_caller[:3] == [False, False, True]


def test_small_jobs_run_inline() -> None:
    with ChunkPool(tag_with_process, os.getpid(), workers=2, expected=10) as pool:
        for item in range(10):
            pool.add(item, str(item))
        assert list(pool.done()) == []  # not a full chunk yet: nothing has run
        assert list(pool.finish()) == [(str(item), (item, True)) for item in range(10)]


def test_finished_chunks_are_given_back_as_the_caller_goes() -> None:
    """Taking results as they come keeps no more than a chunk or two waiting."""
    taken: list[int] = []
    most_waiting = 0
    with ChunkPool(tag_with_process, os.getpid(), workers=1, expected=10 * _CHUNK) as pool:
        for item in range(10 * _CHUNK + 3):
            pool.add(item, item)
            taken += [tag for tag, _ in pool.done()]
            most_waiting = max(most_waiting, item + 1 - len(taken))
        taken += [tag for tag, _ in pool.finish()]
    assert taken == list(range(10 * _CHUNK + 3))
    assert most_waiting <= _CHUNK


def test_a_chunk_of_large_items_goes_before_it_is_full() -> None:
    def run(_: None, chunk: Sequence[bytes]) -> list[int]:
        return [len(item) for item in chunk]

    large = b"x" * (_CHUNK_BYTES // 4)
    with ChunkPool(run, None, workers=1, expected=10, size_of=len) as pool:
        for n in range(3):
            pool.add(large, n)
        assert list(pool.done()) == []  # three quarters of the budget: still collecting
        pool.add(large, 3)
        assert [tag for tag, _ in pool.done()] == [0, 1, 2, 3]
