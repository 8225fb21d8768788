"""Tampering with a ledger's database is reported with the right code and location."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custody.crypto import leaf_hash
from custody.ledger import Ledger, sign_event
from custody.model import Event, EventBody, EventType
from custody.testing import Cast, new_ledger, record_sample_case
from custody.verify import (
    Location,
    TrustedKey,
    TrustedLog,
    TrustPolicy,
    VerificationReport,
    verify_ledger,
)
from ledger_files import tamper

T = datetime(2026, 3, 4, tzinfo=UTC)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A ledger with two cases and a checkpoint, closed and checkpointed to one file."""
    path = tmp_path_factory.mktemp("pristine") / "ledger.db"
    cast = Cast()
    with new_ledger(path, cast) as ledger:
        record_sample_case(ledger, cast, case="CASE-1")
        record_sample_case(ledger, cast, case="CASE-2")
        ledger.checkpoint(cast.log)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def copy(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ledger.db"
    shutil.copyfile(pristine, target)
    return target


def verify(path: Path, **options: object) -> VerificationReport:
    with Ledger.open(path) as ledger:
        return verify_ledger(ledger, **options)  # type: ignore[arg-type]


def entry(path: Path, index: int) -> tuple[bytes, str, str, int]:
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT entry, case_ref, item_ref, seq FROM entries WHERE idx = ?", (index,)
        ).fetchone()
    return bytes(row[0]), row[1], row[2], row[3]


def has(report: VerificationReport, code: str, **where: object) -> bool:
    return any(
        p.code == code and all(getattr(p.where, k) == v for k, v in where.items())
        for p in report.problems
    )


def test_untouched_ledger_verifies(pristine: Path) -> None:
    report = verify(pristine)
    assert report.ok, report.problems
    assert all(check.passed or check.performed == 0 for check in report.checks)
    assert {n.code for n in report.notices} == {"KEYS_FROM_LEDGER", "LOG_KEY_FROM_LEDGER"}


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_flipped_byte_of_any_entry_is_found(
    pristine: Path, tmp_path: Path, data: st.DataObject
) -> None:
    target = tmp_path / f"flip-{data.draw(st.integers(0, 10**9))}.db"
    shutil.copyfile(pristine, target)
    index = data.draw(st.integers(0, 17))
    blob, case, _item, seq = entry(target, index)
    position = data.draw(st.integers(0, len(blob) - 1))
    bit = data.draw(st.integers(0, 7))
    flipped = bytearray(blob)
    flipped[position] ^= 1 << bit
    tamper(target, ("UPDATE entries SET entry = ? WHERE idx = ?", (bytes(flipped), index)))
    report = verify(target)
    assert has(report, "LEAF_HASH_MISMATCH", index=index, case=case, seq=seq)
    assert has(report, "CHECKPOINT_MISMATCH", checkpoint=18)


def test_flipped_entry_with_recomputed_leaf_hash_fails_its_signature(copy: Path) -> None:
    blob, case, item, seq = entry(copy, 5)
    forged = blob[:-1] + bytes([blob[-1] ^ 1])  # last byte of the signature
    tamper(
        copy,
        ("UPDATE entries SET entry = ?, leaf_hash = ? WHERE idx = 5", (forged, leaf_hash(forged))),
    )
    report = verify(copy)
    assert has(report, "SIGNATURE_INVALID", index=5, case=case, item=item, seq=seq)
    assert has(report, "CHECKPOINT_MISMATCH")
    assert not has(report, "LEAF_HASH_MISMATCH")


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("case_ref", "CASE-9", "ROW_MISMATCH"),
        ("item_ref", "ITEM-9", "ROW_MISMATCH"),
        ("seq", 70, "ROW_MISMATCH"),
        ("event_type", "disposed", "ROW_MISMATCH"),
        ("key_id", b"\x00" * 32, "ROW_MISMATCH"),
        ("leaf_hash", b"\x00" * 32, "LEAF_HASH_MISMATCH"),
    ],
)
def test_changed_index_columns_are_found(copy: Path, column: str, value: object, code: str) -> None:
    _, _case, _item, _seq = entry(copy, 4)
    tamper(copy, (f"UPDATE entries SET {column} = ? WHERE idx = 4", (value,)))
    assert has(verify(copy), code, index=4)


def test_deleted_entry_leaves_a_gap_and_breaks_its_chain(copy: Path) -> None:
    _, case, item, seq = entry(copy, 5)
    tamper(copy, ("DELETE FROM entries WHERE idx = 5", ()))
    report = verify(copy)
    assert has(report, "LOG_GAP", index=5)
    assert has(report, "CHAIN_SEQ", case=case, item=item, seq=seq + 1)
    assert has(report, "CHECKPOINT_BEYOND_LOG", checkpoint=18)


def test_truncated_log_is_found_by_the_checkpoint(copy: Path) -> None:
    tamper(copy, ("DELETE FROM entries WHERE idx = 17", ()))
    report = verify(copy)
    assert has(report, "CHECKPOINT_BEYOND_LOG", checkpoint=18)


def test_truncated_log_is_found_by_a_held_checkpoint(copy: Path) -> None:
    with Ledger.open(copy) as ledger:
        (held,) = ledger.checkpoints()
    tamper(copy, ("DELETE FROM entries WHERE idx = 17", ()), ("DELETE FROM checkpoints", ()))
    report = verify(copy, held_checkpoints=[held])
    assert has(report, "LOG_INCONSISTENT", checkpoint=18)


def test_swapped_entries_are_found(copy: Path) -> None:
    _, case, item, _seq = entry(copy, 3)
    tamper(
        copy,
        ("UPDATE entries SET idx = 1000 WHERE idx = 3", ()),
        ("UPDATE entries SET idx = 3 WHERE idx = 4", ()),
        ("UPDATE entries SET idx = 4 WHERE idx = 1000", ()),
    )
    report = verify(copy)
    assert has(report, "CHAIN_SEQ", case=case, item=item, index=3)
    assert has(report, "CHECKPOINT_MISMATCH", checkpoint=18)


def test_inserted_entry_is_found_by_the_checkpoint(copy: Path, cast: Cast) -> None:
    opened = Event(
        "CASE-3", None, 0, None, cast.investigator.key_id, EventBody(EventType.OPENED, T)
    )
    statement = sign_event(opened, cast.investigator, origin="custody.test/ledger")
    tamper(
        copy,
        ("UPDATE entries SET idx = idx + 100 WHERE idx >= 10", ()),
        ("UPDATE entries SET idx = idx - 99 WHERE idx >= 110", ()),
        (
            "INSERT INTO entries VALUES (10, 'CASE-3', '', 0, 'opened', ?, ?, ?)",
            (cast.investigator.key_id, statement.entry, statement.leaf_hash),
        ),
    )
    report = verify(copy)
    assert report.problem_codes() == {"CHECKPOINT_MISMATCH"}
    assert has(report, "CHECKPOINT_MISMATCH", checkpoint=18)


def test_forged_impossible_event_is_reported_with_its_rule(copy: Path, cast: Cast) -> None:
    with Ledger.open(copy) as ledger:
        head = ledger.events("CASE-2", "ITEM-1")[-1]
        size = ledger.size
    forged = Event(
        "CASE-2",
        "ITEM-1",
        head.event.seq + 1,
        head.leaf_hash,
        cast.courier.key_id,
        EventBody(EventType.DISPOSED, T),
    )
    statement = sign_event(forged, cast.courier, origin="custody.test/ledger")
    tamper(
        copy,
        (
            "INSERT INTO entries VALUES (?, 'CASE-2', 'ITEM-1', ?, 'disposed', ?, ?, ?)",
            (size, forged.seq, cast.courier.key_id, statement.entry, statement.leaf_hash),
        ),
    )
    report = verify(copy)
    assert report.problem_codes() == {"NOT_HOLDER"}
    assert has(report, "NOT_HOLDER", case="CASE-2", item="ITEM-1", seq=forged.seq, index=size)


def test_untrusted_and_unknown_keys(copy: Path, cast: Cast) -> None:
    trust = TrustPolicy(
        keys=(
            TrustedKey("Ines", cast.investigator.public),
            TrustedKey("Carl", cast.courier.public),
        ),
        logs=(TrustedLog("custody.test/ledger", cast.log.public),),
    )
    report = verify(copy, trust=trust)
    analyst_events = {p.where.seq for p in report.problems if p.code == "KEY_UNTRUSTED"}
    assert analyst_events == {4, 5, 6, 7}
    assert report.problem_codes() == {"KEY_UNTRUSTED"}
    tamper(copy, ("DELETE FROM actors WHERE key_id = ?", (cast.analyst.key_id,)))
    assert has(verify(copy), "KEY_UNKNOWN", item="ITEM-1", seq=5)


def test_a_policy_that_does_not_name_the_log_fails_closed(copy: Path, cast: Cast) -> None:
    everyone = tuple(
        TrustedKey(name, key.public)
        for name, key in (
            ("Ines", cast.investigator),
            ("Carl", cast.courier),
            ("Ana", cast.analyst),
        )
    )
    report = verify(copy, trust=TrustPolicy(keys=everyone))
    assert report.problem_codes() == {"LOG_UNTRUSTED"}
    other_log = TrustedLog("custody.test/ledger", cast.courier.public)
    report = verify(copy, trust=TrustPolicy(keys=everyone, logs=(other_log,)))
    assert report.problem_codes() == {"CHECKPOINT_SIGNATURE"}
    assert "LOG_KEY_DIFFERS" in {n.code for n in report.notices}
    trusted_log = TrustedLog("custody.test/ledger", cast.log.public)
    assert verify(copy, trust=TrustPolicy(keys=everyone, logs=(trusted_log,))).ok


def test_replaced_public_key_in_the_register_is_found(copy: Path, cast: Cast) -> None:
    tamper(
        copy,
        (
            "UPDATE actors SET public_key = ? WHERE key_id = ?",
            (cast.courier.public.to_bytes(), cast.analyst.key_id),
        ),
    )
    report = verify(copy)
    assert has(report, "REGISTER_MISMATCH")
    assert has(report, "KEY_UNKNOWN", item="ITEM-1", seq=5)


def test_checkpoint_with_a_bad_signature(copy: Path) -> None:
    with sqlite3.connect(copy) as db:
        (note,) = db.execute("SELECT note FROM checkpoints").fetchone()
    lines = note.split("\n")
    lines[1] = "23"
    tamper(copy, ("UPDATE checkpoints SET note = ?", ("\n".join(lines),)))
    assert has(verify(copy), "CHECKPOINT_SIGNATURE", checkpoint=18)


def test_edited_database_file_bytes_are_found(copy: Path) -> None:
    blob, case, _item, seq = entry(copy, 7)
    raw = bytearray(copy.read_bytes())
    position = raw.find(blob)
    assert position > 0
    raw[position + len(blob) // 2] ^= 0x40
    copy.write_bytes(bytes(raw))
    report = verify(copy)
    assert has(report, "LEAF_HASH_MISMATCH", index=7, case=case, seq=seq)


def test_unusable_ledger_facts_are_reported(copy: Path) -> None:
    tamper(copy, ("UPDATE meta SET value = x'00' WHERE key = 'log_public_key'", ()))
    report = verify(copy)
    assert has(report, "LEDGER_FACTS_INVALID")


def test_an_unknown_case_is_not_verified(pristine: Path) -> None:
    report = verify(pristine, case="NO-SUCH-CASE")
    assert report.problem_codes() == {"CASE_UNKNOWN"}
    assert verify(pristine, case="CASE-2").ok


def test_location_reads_as_words() -> None:
    where = Location("CASE-1", "ITEM-1", 3, 12)
    assert str(where) == "case CASE-1, item ITEM-1, event #3, log entry 12"
