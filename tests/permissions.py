"""A folder the operating system refuses to show, simulated: tests run as root ignore chmod."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def deny_access(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``os`` refuse ``folder`` as it refuses a folder without read and search permission.

    Its own entry can still be looked at (``stat`` answers for it, as its parent allows), but
    listing or opening it, and looking at or opening anything inside it, fail with EACCES.
    Everything that reaches the file system through ``os`` (``pathlib``, ``os.walk``) sees it.
    """
    barrier = os.path.abspath(folder)

    def inside(path: Any) -> bool:
        if isinstance(path, int):  # a file descriptor, already open
            return False
        return os.path.abspath(os.fsdecode(path)).startswith(barrier + os.sep)

    def the_folder_or_inside(path: Any) -> bool:
        is_folder = not isinstance(path, int) and os.path.abspath(os.fsdecode(path)) == barrier
        return is_folder or inside(path)

    def guarded(call: Callable[..., Any], refused: Callable[[Any], bool]) -> Callable[..., Any]:
        def guard(path: Any = ".", *args: Any, **kwargs: Any) -> Any:
            if refused(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
            return call(path, *args, **kwargs)

        return guard

    monkeypatch.setattr(os, "stat", guarded(os.stat, inside))
    monkeypatch.setattr(os, "lstat", guarded(os.lstat, inside))
    monkeypatch.setattr(os, "open", guarded(os.open, the_folder_or_inside))
    monkeypatch.setattr(os, "scandir", guarded(os.scandir, the_folder_or_inside))
