"""A shell that runs ``custody`` commands through ``main(argv)``, capturing what they print."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from custody.cli import main

PASS = "correct horse battery staple"


class Shell:
    """Runs ``custody`` commands against one ledger, capturing output and exit codes."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        monkeypatch.setenv("CUSTODY_PASSPHRASE", PASS)
        monkeypatch.setenv("CUSTODY_LEDGER", str(root / "ledger.db"))
        self.out = ""
        self.err = ""

    def __call__(self, *argv: str) -> int:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out=out, err=err)
        self.out, self.err = out.getvalue(), err.getvalue()
        return code

    def key(self, name: str) -> str:
        path = str(self.root / f"{name}.key")
        assert self("keys", "new", path) == 0, self.err
        return path

    def key_id(self, path: str) -> str:
        assert self("keys", "show", path, "--json") == 0, self.err
        return str(json.loads(self.out)["key_id"])
