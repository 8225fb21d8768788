"""The SQLite store: append-only in the database, durable, and safe for several writers."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from custody.errors import NotALedger, StoreError
from custody.ledger import Ledger
from custody.model import Actor
from custody.store import SCHEMA_VERSION, SQLiteStore
from custody.testing import Cast, fixed_key, new_ledger, record_sample_case
from custody.verify import verify_ledger

APPENDER = Path(__file__).with_name("appender.py")
RECORD = b"a stored record"
RECORD_DIGEST = hashlib.sha256(RECORD).digest()
TABLES = ("meta", "actors", "entries", "checkpoints", "records")


def register_appenders(ledger: Ledger, names: list[str]) -> None:
    for name in names:
        key = fixed_key(name)
        ledger.register_actor(Actor(key.key_id, name, "analyst"), key.public)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET seq = seq + 1 WHERE idx = 1",
        "DELETE FROM entries WHERE idx = 1",
        "UPDATE actors SET name = 'someone else'",
        "DELETE FROM actors",
        "UPDATE checkpoints SET size = 1",
        "DELETE FROM checkpoints",
        "UPDATE meta SET value = 'other.test/log' WHERE key = 'origin'",
        "DELETE FROM meta",
        "INSERT INTO entries (idx, case_ref, item_ref, seq, event_type, key_id, entry, leaf_hash) "
        "VALUES (100, 'C', '', 0, 'opened', x'00', x'00', zeroblob(32))",
        # REPLACE deletes the row it collides with, without firing delete triggers.
        "INSERT OR REPLACE INTO entries (idx, case_ref, item_ref, seq, event_type, key_id, entry, "
        "leaf_hash) SELECT (SELECT MAX(idx) + 1 FROM entries), case_ref, item_ref, seq, "
        "event_type, key_id, x'00', leaf_hash FROM entries WHERE idx = 1",
        "INSERT OR REPLACE INTO entries SELECT * FROM entries WHERE idx = 3",
        "INSERT OR REPLACE INTO actors SELECT key_id, public_key, 'someone else', role, "
        "organisation, added_at FROM actors LIMIT 1",
        "INSERT OR REPLACE INTO checkpoints SELECT size, 'forged', created_at FROM checkpoints",
        "INSERT OR REPLACE INTO meta VALUES ('origin', 'other.test/log')",
        "UPDATE records SET body = x'00'",
        "DELETE FROM records",
        "INSERT OR REPLACE INTO records SELECT digest, x'00' FROM records",
        "INSERT INTO records SELECT digest, x'00' FROM records",
    ],
)
def test_database_refuses_changes_to_the_record(sample_ledger: Ledger, statement: str) -> None:
    with sample_ledger.store.transaction() as tx:
        tx.add_record(RECORD_DIGEST, RECORD)

    def snapshot() -> list[list[object]]:
        with sqlite3.connect(sample_ledger.store.location) as db:
            return [db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES]

    before = snapshot()
    with (
        sqlite3.connect(sample_ledger.store.location) as db,
        pytest.raises(sqlite3.DatabaseError, match="custody:"),
    ):
        db.execute(statement)
    assert snapshot() == before


def test_four_processes_append_one_history(ledger: Ledger, cast: Cast, tmp_path: Path) -> None:
    record_sample_case(ledger, cast)
    names = [f"writer-{n}" for n in range(4)]
    register_appenders(ledger, names)
    per_writer = 300
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, str(APPENDER), ledger.store.location, name, str(per_writer), str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    for worker in workers:  # each has imported and opened the ledger
        assert worker.stdout is not None
        assert worker.stdout.readline() == "ready\n"
    go.touch()  # all four start appending together
    acknowledged: dict[int, bytes] = {}
    by_writer: list[list[int]] = []
    for worker in workers:
        out, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0
        indexes = []
        for line in out.splitlines():
            index, leaf = line.split()
            acknowledged[int(index)] = bytes.fromhex(leaf)
            indexes.append(int(index))
        by_writer.append(indexes)
    assert len(acknowledged) == 4 * per_writer  # no index handed out twice
    # The writers really contended: their appends interleave in the log.
    spans = [(min(indexes), max(indexes)) for indexes in by_writer]
    assert any(a[0] < b[1] and b[0] < a[1] for a in spans for b in spans if a != b)
    chain = ledger.events("CASE-1", "ITEM-1")
    assert [e.event.seq for e in chain] == list(range(len(chain)))  # one chain, no fork
    stored = dict(enumerate(ledger.store.leaf_hashes()))
    assert all(stored[index] == leaf for index, leaf in acknowledged.items())
    assert verify_ledger(ledger).ok


def test_sigkill_during_appends_loses_no_acknowledged_event(ledger: Ledger, cast: Cast) -> None:
    record_sample_case(ledger, cast)
    register_appenders(ledger, ["victim"])
    worker = subprocess.Popen(
        [sys.executable, str(APPENDER), ledger.store.location, "victim", "100000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    acknowledged = {}
    for line in worker.stdout:
        index, leaf = line.split()
        acknowledged[int(index)] = bytes.fromhex(leaf)
        if len(acknowledged) == 60:
            worker.send_signal(signal.SIGKILL)
            break
    worker.wait(timeout=60)
    for line in worker.stdout:  # acknowledgements already in the pipe when it died
        index, leaf = line.split()
        acknowledged[int(index)] = bytes.fromhex(leaf)
    assert worker.returncode == -signal.SIGKILL
    with Ledger.open(ledger.store.location) as reopened:
        report = verify_ledger(reopened)
        assert report.ok, report.problems
        stored = dict(enumerate(reopened.store.leaf_hashes()))
        assert all(stored.get(index) == leaf for index, leaf in acknowledged.items())
        assert reopened.size >= max(acknowledged) + 1


def test_a_record_is_stored_once_and_never_replaced(ledger: Ledger) -> None:
    with ledger.store.transaction() as tx:
        tx.add_record(RECORD_DIGEST, RECORD)
        tx.add_record(RECORD_DIGEST, RECORD)  # the same bytes again: nothing happens
    with (
        pytest.raises(StoreError, match="records are append-only"),
        ledger.store.transaction() as tx,
    ):
        tx.add_record(RECORD_DIGEST, b"other bytes")
    assert ledger.store.record(RECORD_DIGEST) == RECORD
    assert ledger.store.record(b"\x00" * 32) is None
    with sqlite3.connect(ledger.store.location) as db:
        db.execute("INSERT OR REPLACE INTO records VALUES (?, ?)", (RECORD_DIGEST, RECORD))
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO records VALUES (zeroblob(31), x'00')")
        assert db.execute("SELECT COUNT(*) FROM records").fetchone() == (1,)


def schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()


def make_version_1(path: Path) -> None:
    """Turn a new ledger into one of schema version 1, as written before records existed."""
    with sqlite3.connect(path) as db:
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'records'"
        ).fetchall():
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DROP TABLE records")
        db.execute("PRAGMA user_version = 1")


def test_a_version_1_ledger_is_upgraded_on_open(tmp_path: Path, cast: Cast) -> None:
    fresh = tmp_path / "fresh.db"
    new_ledger(fresh, cast).close()
    old = tmp_path / "old.db"
    with new_ledger(old, cast) as ledger:
        record_sample_case(ledger, cast)
        ledger.checkpoint(cast.log)
    make_version_1(old)
    assert "records" not in dict(schema(old))
    with Ledger.open(old) as upgraded:
        assert verify_ledger(upgraded).ok
        with upgraded.store.transaction() as tx:
            tx.add_record(RECORD_DIGEST, RECORD)
        assert upgraded.record_bytes(RECORD_DIGEST) == RECORD
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert schema(old) == schema(fresh)
    with Ledger.open(old) as again:  # already upgraded: opens as it is
        assert again.record_bytes(RECORD_DIGEST) == RECORD


def test_an_upgrade_that_fails_leaves_version_1(tmp_path: Path, cast: Cast) -> None:
    path = tmp_path / "old.db"
    new_ledger(path, cast).close()
    make_version_1(path)
    with sqlite3.connect(path) as db:  # a name the upgrade needs is taken
        db.execute("CREATE TRIGGER records_no_update AFTER INSERT ON meta BEGIN SELECT 1; END")
    with pytest.raises(StoreError, match="cannot upgrade"):
        SQLiteStore.open(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (1,)
        assert db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'records'"
        ).fetchone() == (0,)


@pytest.mark.parametrize("version", [0, 3, 99])
def test_other_schema_versions_are_refused(ledger_path: Path, cast: Cast, version: int) -> None:
    new_ledger(ledger_path, cast).close()
    with sqlite3.connect(ledger_path) as db:
        db.execute(f"PRAGMA user_version = {version}")
    with pytest.raises(NotALedger, match=f"schema version {version} is not supported"):
        Ledger.open(ledger_path)
