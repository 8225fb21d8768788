"""Verification gives the same report on one process or several."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from custody.crypto import leaf_hash
from custody.ledger import Draft, Ledger
from custody.model import EventBody, EventType
from custody.testing import Cast
from custody.verify import PARALLEL_THRESHOLD, verify_ledger

T = datetime(2026, 3, 5, tzinfo=UTC)


def test_parallel_report_equals_inline_report(sample_ledger: Ledger, cast: Cast) -> None:
    drafts = [
        Draft("CASE-1", "ITEM-1", EventBody(EventType.ACCESSED, T, purpose=f"#{n}"), cast.analyst)
        for n in range(PARALLEL_THRESHOLD + 100)
    ]
    sample_ledger.record_many(drafts)
    sample_ledger.checkpoint(cast.log)
    path = sample_ledger.store.location
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER entries_no_update")
        (blob,) = db.execute("SELECT entry FROM entries WHERE idx = 3000").fetchone()
        forged = bytes(blob[:-1]) + bytes([blob[-1] ^ 1])
        db.execute(
            "UPDATE entries SET entry = ?, leaf_hash = ? WHERE idx = 3000",
            (forged, leaf_hash(forged)),
        )
    with Ledger.open(path) as ledger:
        inline = verify_ledger(ledger, workers=1)
        parallel = verify_ledger(ledger, workers=2)
    assert parallel == inline
    assert {p.code for p in inline.problems} == {
        "SIGNATURE_INVALID",
        "CHAIN_PREV",
        "CHECKPOINT_MISMATCH",
        "STORE_DAMAGED",  # the update trigger was dropped to make the change
    }
    (bad_signature,) = [p for p in inline.problems if p.code == "SIGNATURE_INVALID"]
    assert bad_signature.where.index == 3000
