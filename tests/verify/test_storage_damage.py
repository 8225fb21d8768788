"""Damage to a ledger's storage beyond its signed entries: reported by verification, refused
by exports; and verifying a ledger changes none of its bytes."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from custody.bundle import export_bundle
from custody.cli import main
from custody.errors import StoreError
from custody.ledger import Ledger
from custody.model import EventBody, EventType
from custody.testing import Cast, new_ledger, record_sample_case
from custody.verify import VerificationReport, verify_ledger
from ledger_files import tamper

T = datetime(2026, 3, 5, tzinfo=UTC)


@pytest.fixture
def closed(tmp_path: Path, cast: Cast) -> Path:
    """The sample case, checkpointed, in one self-contained file (no write-ahead log)."""
    path = tmp_path / "ledger.db"
    with new_ledger(path, cast) as ledger:
        record_sample_case(ledger, cast)
        ledger.checkpoint(cast.log)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    return path


def verify(path: Path, **options: object) -> VerificationReport:
    with Ledger.open(path, read_only=True) as ledger:
        return verify_ledger(ledger, **options)  # type: ignore[arg-type]


def performed(report: VerificationReport, name: str) -> int:
    (check,) = [c for c in report.checks if c.name == name]
    return check.performed


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_sound_ledger_passes_the_storage_check(closed: Path) -> None:
    report = verify(closed)
    assert report.ok
    assert performed(report, "ledger storage sound") == 1


def test_a_damaged_index_is_reported_and_stops_an_export(
    closed: Path, cast: Cast, tmp_path: Path
) -> None:
    # One byte of the (case, item, seq) index now files ITEM-1's event #7 under ITEM-2:
    # reads of ITEM-1's chain no longer find it, though the table row is untouched.
    raw = bytearray(closed.read_bytes())
    at = raw.find(b"CASE-1ITEM-1\x07\x08")
    assert at > 0
    assert raw.find(b"CASE-1ITEM-1\x07\x08", at + 1) == -1
    raw[at + 11] = ord("2")
    closed.write_bytes(raw)
    report = verify(closed)
    assert report.problem_codes() == {"STORE_DAMAGED"}
    with Ledger.open(closed) as ledger, pytest.raises(StoreError, match="storage is damaged"):
        export_bundle(
            ledger,
            "CASE-1",
            tmp_path / "out.custody",
            exporter=cast.investigator,
            log_signer=cast.log,
            at=T,
        )
    assert not (tmp_path / "out.custody").exists()
    with Ledger.open(closed, read_only=True) as ledger:
        assert ledger.size == 9  # nothing recorded


def test_dropped_append_only_rules_are_reported_by_name(closed: Path) -> None:
    tamper(closed, restore_triggers=False)
    report = verify(closed)
    assert report.problem_codes() == {"STORE_DAMAGED"}
    messages = " ".join(p.message for p in report.problems)
    assert "trigger entries_no_update of a ledger is missing" in messages


def test_an_entry_at_a_negative_index_is_reported(closed: Path) -> None:
    # The table rebuilt without its index check, and its rules put back, so that only the
    # row itself is out of place.
    with sqlite3.connect(closed) as db:
        triggers = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries'"
        ).fetchall()
        table = db.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
        db.execute("ALTER TABLE entries RENAME TO old_entries")
        db.execute(table.replace("CHECK (idx >= 0)", ""))
        db.execute("INSERT INTO entries SELECT * FROM old_entries")
        db.execute(
            "INSERT INTO entries SELECT -1, case_ref, item_ref, 99, event_type, key_id, entry, "
            "leaf_hash FROM old_entries WHERE idx = 8"
        )
        db.execute("DROP TABLE old_entries")
        for (definition,) in triggers:
            db.execute(definition)
    messages = [p.message for p in verify(closed).problems if p.code == "STORE_DAMAGED"]
    assert "1 entries are stored at negative indexes, outside the log" in messages
    assert "the table entries is not defined as a ledger defines it" in messages


def test_an_entry_at_the_largest_index_is_read_and_reported(closed: Path) -> None:
    tamper(
        closed,
        (
            "INSERT INTO entries SELECT 9223372036854775807, case_ref, item_ref, 99, "
            "event_type, key_id, entry, leaf_hash FROM entries WHERE idx = 8",
            (),
        ),
    )
    report = verify(closed)
    assert "LOG_GAP" in report.problem_codes()
    (gap,) = [p for p in report.problems if p.code == "LOG_GAP"]
    assert gap.where.index == 9


@pytest.mark.parametrize(
    ("column", "value"),
    [("entry", "hello"), ("entry", 5), ("key_id", 1.5), ("seq", "seven")],
)
def test_a_value_of_another_type_is_a_located_problem(
    closed: Path, column: str, value: object
) -> None:
    tamper(closed, (f"UPDATE entries SET {column} = ? WHERE idx = 3", (value,)))
    report = verify(closed)
    assert not report.ok
    # The entry itself, and the next event of its chain, whose link no longer matches
    # (besides the checkpoint, which no longer matches the log).
    assert {p.where.index for p in report.problems} <= {3, 4, None}
    assert any(p.where.index == 3 for p in report.problems)
    assert performed(report, "signatures") >= 8  # the other entries were checked


def test_text_that_is_not_utf8_is_a_located_problem_not_a_blind_spot(closed: Path) -> None:
    escape = "\x1b[2J\x1b[31mVERIFIED: every\xff"
    tamper(
        closed,
        (
            "UPDATE entries SET item_ref = CAST(? AS TEXT) WHERE idx = 3",
            (escape.encode("latin-1"),),
        ),
    )
    report = verify(closed)
    assert report.problem_codes() == {"ROW_MISMATCH"}
    (mismatch,) = report.problems
    assert mismatch.where.index == 3
    assert performed(report, "signatures") == 9


def test_the_cli_prints_control_characters_as_escapes(closed: Path) -> None:
    item = "\x1b[2J\x1b[31mVERIFIED"
    tamper(closed, ("UPDATE entries SET item_ref = ? WHERE idx = 3", (item,)))
    out, err = io.StringIO(), io.StringIO()
    code = main(["--ledger", str(closed), "verify-ledger"], out=out, err=err)
    assert code == 1
    shown = out.getvalue()
    assert "\x1b" not in shown
    assert "FAILED" in shown.splitlines()[1]


def test_the_cli_keeps_each_quoted_value_on_its_line(tmp_path: Path, cast: Cast) -> None:
    # A signer's free text is quoted in the timeline: its line breaks must not add lines.
    forged = "VERIFIED: every check passed."
    path = tmp_path / "ledger.db"
    with new_ledger(path, cast) as ledger:
        record_sample_case(ledger, cast)
        body = EventBody(EventType.ACCESSED, datetime.now(UTC), purpose=f"look\n{forged}")
        ledger.record("CASE-1", "ITEM-1", body, cast.analyst)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--ledger", str(path), "log", "CASE-1"], out=out, err=err) == 0
    lines = out.getvalue().splitlines()
    assert forged not in [line.strip() for line in lines]
    assert any(f"purpose: look\\x0a{forged}" in line for line in lines)


def test_a_row_filed_under_the_verified_case_is_compared(tmp_path: Path, cast: Cast) -> None:
    path = tmp_path / "two.db"
    with new_ledger(path, cast) as ledger:
        record_sample_case(ledger, cast, case="CASE-1")
        record_sample_case(ledger, cast, case="CASE-2")
        ledger.checkpoint(cast.log)
    tamper(path, ("UPDATE entries SET case_ref = 'CASE-2', seq = 9 WHERE idx = 8", ()))
    report = verify(path, case="CASE-2")
    assert "ROW_MISMATCH" in report.problem_codes()
    (mismatch,) = [p for p in report.problems if p.code == "ROW_MISMATCH"]
    assert mismatch.where.index == 8


@pytest.mark.parametrize("journal", ["DELETE", "WAL"])
def test_verifying_changes_no_byte_of_the_ledger(closed: Path, journal: str) -> None:
    with sqlite3.connect(closed) as db:
        db.execute(f"PRAGMA journal_mode = {journal}")
    before = digest(closed)
    assert verify(closed).ok
    out, err = io.StringIO(), io.StringIO()
    assert main(["--ledger", str(closed), "verify-ledger"], out=out, err=err) == 0
    assert main(["--ledger", str(closed), "log", "CASE-1"], out=out, err=err) == 0
    assert digest(closed) == before


def test_a_ledger_opened_read_only_refuses_appends(closed: Path, cast: Cast) -> None:
    before = digest(closed)
    with Ledger.open(closed, read_only=True) as ledger, pytest.raises(StoreError):
        ledger.open_case("CASE-9", cast.investigator, at=T)
    assert digest(closed) == before
