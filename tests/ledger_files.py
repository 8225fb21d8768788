"""Changing a ledger's SQLite file behind the ledger's back, as someone with the file could."""

from __future__ import annotations

import sqlite3
from pathlib import Path

Statement = tuple[str, tuple[object, ...]]


def tamper(path: str | Path, *statements: Statement, restore_triggers: bool = True) -> None:
    """Run ``statements`` on the file with the append-only triggers dropped; put the
    triggers back afterwards unless told not to, so that only the changed content can give
    the change away."""
    with sqlite3.connect(path) as db:
        triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        saved = triggers.fetchall()
        for name, _ in saved:
            db.execute(f"DROP TRIGGER {name}")
        for sql, params in statements:
            db.execute(sql, params)
        if restore_triggers:
            for _, definition in saved:
                db.execute(definition)
