"""Worker pools: their workers end when the process that started them is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from custody._processes import PARENT_CHECK_SECONDS, worker_pool

# A parent that starts a pool of two workers, prints their pids, and waits to be killed.
PARENT = """
import sys, time
from custody._processes import worker_pool

pool = worker_pool(2)
list(pool.map(time.sleep, [0.3, 0.3]))  # both busy at once: two workers, however started
print(" ".join(map(str, pool._processes)), flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a parent to reap it has ended)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_end_when_their_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert parent.stdout is not None
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2
        assert all(alive(pid) for pid in workers)
        parent.send_signal(signal.SIGKILL)  # no chance to shut its pool down
        parent.wait()
        deadline = time.monotonic() + 10 * PARENT_CHECK_SECONDS + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        parent.kill()
        parent.wait()
        for pid in workers:  # only if the test failed: never leave them behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_pool_still_does_its_work_and_shuts_down() -> None:
    with worker_pool(2) as pool:
        assert list(pool.map(abs, [-1, -2, -3])) == [1, 2, 3]


@pytest.mark.parametrize("workers", [1, 3])
def test_workers_of_a_living_parent_keep_working(workers: int) -> None:
    # The watcher must not end workers whose parent is alive, however long they wait.
    with worker_pool(workers) as pool:
        assert pool.submit(time.sleep, 3 * PARENT_CHECK_SECONDS).result() is None
        assert pool.submit(os.getpid).result() != os.getpid()
