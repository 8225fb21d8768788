"""Appending to a ledger: chains, refusals, batches, checkpoints and proofs."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest

from custody.crypto import MerkleTree, verify_checkpoint, verify_consistency, verify_inclusion
from custody.crypto._note import NoteVerifier
from custody.errors import ChainMoved, InvalidInput, NotALedger, TransitionRefused
from custody.ledger import Draft, Ledger, open_statement
from custody.model import EventBody, EventType, PhysicalItem, SealState
from custody.testing import Cast, fixed_key, record_sample_case

T = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def test_sample_case_chains_every_event_to_the_previous(sample_ledger: Ledger) -> None:
    events = sample_ledger.events("CASE-1", "ITEM-1")
    assert [e.event.seq for e in events] == list(range(len(events)))
    assert events[0].event.prev is None
    for before, after in itertools.pairwise(events):
        assert after.event.prev == before.leaf_hash
    assert sample_ledger.size == len(events) + 1  # plus the case's opened event


def test_state_reports_holder_and_seals(sample_ledger: Ledger, cast: Cast) -> None:
    state = sample_ledger.state("CASE-1", "ITEM-1")
    assert state.holder == cast.analyst.key_id
    assert state.seals == ("S-0002",)


def test_refused_event_leaves_nothing_behind(sample_ledger: Ledger, cast: Cast) -> None:
    size = sample_ledger.size
    body = EventBody(EventType.DISPOSED, T)
    with pytest.raises(TransitionRefused, match="NOT_HOLDER"):
        sample_ledger.record("CASE-1", "ITEM-1", body, cast.courier)
    assert sample_ledger.size == size


def test_batch_is_all_or_nothing(sample_ledger: Ledger, cast: Cast) -> None:
    size = sample_ledger.size
    good = Draft("CASE-1", "ITEM-1", EventBody(EventType.ACCESSED, T), cast.analyst)
    bad = Draft("CASE-1", "ITEM-1", EventBody(EventType.DISPOSED, T), cast.courier)
    with pytest.raises(TransitionRefused, match="event 2: NOT_HOLDER"):
        sample_ledger.record_many([good, good, bad])
    assert sample_ledger.size == size
    recorded = sample_ledger.record_many([good, good])
    assert [r.index for r in recorded] == [size, size + 1]
    assert recorded[1].event.prev == recorded[0].leaf_hash


def test_an_event_planned_on_a_chain_that_moved_is_refused(
    sample_ledger: Ledger, cast: Cast
) -> None:
    body = EventBody(EventType.ACCESSED, T)
    next_seq = sample_ledger.state("CASE-1", "ITEM-1").next_seq
    sample_ledger.record("CASE-1", "ITEM-1", body, cast.analyst)  # another process came first
    size = sample_ledger.size
    with pytest.raises(ChainMoved, match=f"meant to be number {next_seq} of its chain"):
        sample_ledger.record("CASE-1", "ITEM-1", body, cast.analyst, expect_seq=next_seq)
    assert sample_ledger.size == size
    planned = Draft("CASE-1", "ITEM-1", body, cast.analyst, expect_seq=next_seq + 1)
    (recorded,) = sample_ledger.record_many([planned])
    assert recorded.event.seq == next_seq + 1


def test_transfer_without_seals_releases_the_current_seals(
    sample_ledger: Ledger, cast: Cast
) -> None:
    body = EventBody(EventType.TRANSFERRED, T, counterparty=cast.courier.public.key_id_hex)
    recorded = sample_ledger.record("CASE-1", "ITEM-1", body, cast.analyst)
    assert recorded.event.body.seals == ("S-0002",)
    assert recorded.event.body.seal_state is SealState.INTACT


def test_unregistered_signer_or_recipient_is_refused(sample_ledger: Ledger, cast: Cast) -> None:
    stranger = fixed_key("stranger")
    with pytest.raises(InvalidInput, match="not a registered actor"):
        sample_ledger.record("CASE-1", "ITEM-1", EventBody(EventType.ACCESSED, T), stranger)
    body = EventBody(EventType.TRANSFERRED, T, counterparty=stranger.public.key_id_hex)
    with pytest.raises(InvalidInput, match="recipient"):
        sample_ledger.record("CASE-1", "ITEM-1", body, cast.analyst)


def test_items_need_an_open_case(ledger: Ledger, cast: Cast) -> None:
    item = PhysicalItem("X-1", "knife")
    with pytest.raises(TransitionRefused, match="CASE_NOT_OPENED"):
        ledger.acquire("NO-CASE", item, cast.investigator, at=T)


def test_cases_and_items_are_read_back(sample_ledger: Ledger, cast: Cast) -> None:
    (case,) = sample_ledger.cases()
    assert case.reference == "CASE-1"
    assert case.opened_by == cast.investigator.key_id
    (item,) = sample_ledger.items("CASE-1")
    assert isinstance(item, PhysicalItem)
    assert item.seals == ("S-0001",)
    assert item.storage_location == "Locker 4"


def test_entries_are_signed_statements_for_this_log(sample_ledger: Ledger) -> None:
    for recorded in sample_ledger.entries():
        statement = open_statement(recorded.statement.entry)
        assert statement.issuer == sample_ledger.info.origin
        key = sample_ledger.public_keys()[statement.key_id]
        statement.verify_signature(key)


def test_checkpoint_signs_the_log_root(sample_ledger: Ledger, cast: Cast) -> None:
    (note,) = sample_ledger.checkpoints()
    verifier = NoteVerifier.for_key(sample_ledger.info.origin, cast.log.public_key)
    checkpoint = verify_checkpoint(note, verifier)
    assert checkpoint.size == sample_ledger.size
    assert checkpoint.root_hash == sample_ledger.tree().root()
    assert sample_ledger.checkpoint(cast.log) == note  # same size: same checkpoint


def test_checkpoint_needs_the_log_key(sample_ledger: Ledger, cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="log key"):
        sample_ledger.checkpoint(cast.analyst)


def test_proofs_between_any_two_checkpoints(ledger: Ledger, cast: Cast) -> None:
    record_sample_case(ledger, cast, case="A")
    first = verify_checkpoint(
        ledger.checkpoint(cast.log), NoteVerifier.for_key(ledger.info.origin, cast.log.public_key)
    )
    record_sample_case(ledger, cast, case="B")
    second = verify_checkpoint(
        ledger.checkpoint(cast.log), NoteVerifier.for_key(ledger.info.origin, cast.log.public_key)
    )
    proof = ledger.consistency_proof(first.size, second.size)
    verify_consistency(first.size, second.size, first.root_hash, second.root_hash, proof)
    leaves = ledger.store.leaf_hashes()
    for index in range(second.size):
        size = first.size if index < first.size else second.size
        root = first.root_hash if size == first.size else second.root_hash
        verify_inclusion(index, size, leaves[index], ledger.inclusion_proof(index, size), root)
    assert MerkleTree(leaves).root() == second.root_hash


def test_proof_sizes_are_checked(sample_ledger: Ledger) -> None:
    with pytest.raises(InvalidInput):
        sample_ledger.consistency_proof(3, sample_ledger.size + 1)
    with pytest.raises(InvalidInput):
        sample_ledger.inclusion_proof(sample_ledger.size, sample_ledger.size)


def test_create_refuses_an_existing_file(ledger_path: Path, cast: Cast) -> None:
    ledger_path.write_bytes(b"precious")
    with pytest.raises(InvalidInput, match="exists"):
        Ledger.create(ledger_path, origin="x.test/log", log_key=cast.log.public)
    assert ledger_path.read_bytes() == b"precious"


@pytest.mark.parametrize(
    "content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200]
)
def test_open_refuses_what_is_not_a_ledger(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(NotALedger):
        Ledger.open(path)
    assert path.read_bytes() == content


def test_open_refuses_another_sqlite_database(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    before = path.read_bytes()
    with pytest.raises(NotALedger, match="something else"):
        Ledger.open(path)
    assert path.read_bytes() == before


def test_origin_is_validated(tmp_path: Path, cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="origin"):
        Ledger.create(tmp_path / "l.db", origin="has space", log_key=cast.log.public)


def test_a_refused_batch_leaves_no_trace_in_what_the_ledger_remembers(
    ledger: Ledger, cast: Cast
) -> None:
    opened = Draft("X", None, EventBody(EventType.OPENED, T), cast.investigator)
    item = PhysicalItem("X-1", "knife")
    acquired = Draft("X", "X-1", item.acquisition(T), cast.investigator)
    bad = Draft("X", "X-1", EventBody(EventType.RECEIVED, T), cast.courier)
    with pytest.raises(TransitionRefused):
        ledger.record_many([opened, acquired, bad])
    assert ledger.size == 0
    with pytest.raises(TransitionRefused, match="CASE_NOT_OPENED"):
        ledger.acquire("X", item, cast.investigator, at=T)


def test_threads_sharing_a_ledger_append_one_history(ledger: Ledger, cast: Cast) -> None:
    import threading

    record_sample_case(ledger, cast)
    acknowledged: list[tuple[int, bytes]] = []
    errors: list[BaseException] = []

    def append() -> None:
        try:
            for n in range(60):
                body = EventBody(EventType.ACCESSED, T, purpose=f"thread access {n}")
                recorded = ledger.record("CASE-1", "ITEM-1", body, cast.analyst)
                acknowledged.append((recorded.index, recorded.leaf_hash))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=append) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({index for index, _ in acknowledged}) == 240
    stored = ledger.store.leaf_hashes()
    assert all(stored[index] == leaf for index, leaf in acknowledged)
    chain = ledger.events("CASE-1", "ITEM-1")
    assert [e.event.seq for e in chain] == list(range(len(chain)))
