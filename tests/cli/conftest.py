"""Shared command-line fixtures: a shell running ``custody`` commands, and a sample chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_shell import Shell


@pytest.fixture
def sh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Shell:
    return Shell(tmp_path, monkeypatch)


@pytest.fixture
def chain(sh: Shell) -> dict[str, str]:
    """A ledger with a case, a sealed item moved from Ines to Carl, and a checkpoint."""
    keys = {name: sh.key(name) for name in ("log", "ines", "carl")}
    assert sh("init", "--origin", "custody.test/unit-7", "--log-key", keys["log"]) == 0, sh.err
    for name, role in (("ines", "investigator"), ("carl", "courier")):
        assert sh("actor", "add", keys[name], "--name", name.title(), "--role", role) == 0
    assert (
        sh(
            "case",
            "new",
            "NPM-2026-014",
            "--key",
            keys["ines"],
            "--purpose",
            "visit to detention centre",
        )
        == 0
    ), sh.err
    assert (
        sh(
            "item",
            "add",
            "NPM-2026-014",
            "ITEM-1",
            "--key",
            keys["ines"],
            "--description",
            "T-shirt",
            "--packaging",
            "paper bag",
            "--seal",
            "S-1",
            "--storage",
            "Locker 4",
            "--at",
            "2026-11-20T09:30:00+01:00",
        )
        == 0
    ), sh.err
    assert (
        sh(
            "event",
            "transfer",
            "NPM-2026-014",
            "ITEM-1",
            "--key",
            keys["ines"],
            "--to",
            keys["carl"],
            "--purpose",
            "transport",
        )
        == 0
    ), sh.err
    assert (
        sh(
            "event",
            "receive",
            "NPM-2026-014",
            "ITEM-1",
            "--key",
            keys["carl"],
            "--seal",
            "S-1",
            "--seal-state",
            "intact",
        )
        == 0
    ), sh.err
    assert sh("checkpoint", "--key", keys["log"], "--out", str(sh.root / "cp1.txt")) == 0
    return keys
