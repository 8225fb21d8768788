"""The fixity audit through the library: what it finds, and how it records itself."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from custody.intake import (
    BlobState,
    BlobStore,
    FileResult,
    ItemRef,
    Unrecorded,
    audit_fixity,
    intake,
)
from custody.ledger import Ledger
from custody.model import EventBody, EventType
from custody.testing import Cast, record_sample_case
from custody.verify import verify_ledger
from permissions import deny_access

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore.open(tmp_path / "blobs", create=True)


@pytest.fixture
def items(ledger: Ledger, cast: Cast, blobs: BlobStore) -> list[FileResult]:
    record_sample_case(ledger, cast)
    results: list[FileResult] = []
    folder = IMAGES / "jpg" / "orientation"
    intake(ledger, blobs, "CASE-1", [folder], cast.investigator, on_result=results.append)
    return results


def digest(result: FileResult) -> bytes:
    assert result.report is not None
    return result.report.digests.sha256


def test_an_intact_store_passes_and_the_audit_is_recorded_on_every_item(
    ledger: Ledger, cast: Cast, blobs: BlobStore, items: list[FileResult]
) -> None:
    report = audit_fixity(ledger, blobs, signer=cast.analyst)
    assert report.ok
    assert {f.state for f in report.findings} == {BlobState.INTACT}
    assert len(report.recorded) == len(items)
    for result in items:
        assert result.item is not None
        event = ledger.events("CASE-1", result.item)[-1].event
        assert event.type is EventType.ACCESSED
        assert event.body.purpose == "fixity audit"
        assert dict(event.body.details) == {"fixity": "intact"}
    assert verify_ledger(ledger).ok


def test_missing_changed_and_unexpected_are_found_with_their_items(
    ledger: Ledger, cast: Cast, blobs: BlobStore, items: list[FileResult]
) -> None:
    missing, changed = items[0], items[1]
    blobs.path_of(digest(missing)).unlink()
    victim = blobs.path_of(digest(changed))
    victim.chmod(0o644)
    victim.write_bytes(b"overwritten")
    stray = blobs.root / "sha256" / "ff" / ("ff" * 32)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"bytes no item names")
    report = audit_fixity(ledger, blobs, signer=cast.analyst)
    assert not report.ok
    states = {f.sha256: f for f in report.findings}
    assert states[digest(missing)].state is BlobState.MISSING
    assert states[digest(missing)].items == (ItemRef("CASE-1", str(missing.item)),)
    assert states[digest(changed)].state is BlobState.CHANGED
    assert states[digest(changed)].found_sha256 is not None
    assert report.unexpected == (str(stray),)
    recorded = ledger.events("CASE-1", str(changed.item))[-1].event.body.details
    assert recorded["fixity"] == "changed"
    assert recorded["found_sha256"] == states[digest(changed)].found_sha256


def test_items_whose_custody_ended_are_checked_but_get_no_event(
    ledger: Ledger, cast: Cast, blobs: BlobStore, items: list[FileResult]
) -> None:
    ended = str(items[0].item)
    body = EventBody(EventType.DISPOSED, datetime.now(UTC), purpose="court order")
    ledger.record("CASE-1", ended, body, cast.investigator)
    report = audit_fixity(ledger, blobs, signer=cast.analyst)
    assert report.not_recorded == ((ItemRef("CASE-1", ended), Unrecorded.CUSTODY_ENDED),)
    assert len(report.recorded) == len(items) - 1
    assert verify_ledger(ledger).ok


def test_without_a_signer_nothing_is_recorded(
    ledger: Ledger, blobs: BlobStore, items: list[FileResult]
) -> None:
    size = ledger.size
    report = audit_fixity(ledger, blobs)
    assert report.ok
    assert report.recorded == ()
    assert ledger.size == size


def test_an_unreadable_shard_is_reported_not_a_crash(
    ledger: Ledger,
    cast: Cast,
    blobs: BlobStore,
    items: list[FileResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shard = blobs.path_of(digest(items[0])).parent
    deny_access(monkeypatch, shard)
    report = audit_fixity(ledger, blobs, signer=cast.analyst)
    assert not report.ok
    states = {f.sha256: f.state for f in report.findings}
    assert states[digest(items[0])] is BlobState.UNREADABLE
    assert report.unlistable == ((str(shard), "Permission denied"),)
    assert report.to_dict()["unlistable"] == [{"path": str(shard), "why": "Permission denied"}]
    details = ledger.events("CASE-1", str(items[0].item))[-1].event.body.details
    assert dict(details) == {"fixity": "unreadable"}


def test_links_are_never_followed_and_writable_blobs_are_named(
    ledger: Ledger, cast: Cast, blobs: BlobStore, items: list[FileResult], tmp_path: Path
) -> None:
    linked, writable = items[0], items[1]
    outside = tmp_path / "outside.jpg"
    path = blobs.path_of(digest(linked))
    outside.write_bytes(path.read_bytes())  # the right bytes, somewhere anyone can change
    path.unlink()
    path.symlink_to(outside)
    blobs.path_of(digest(writable)).chmod(0o644)
    report = audit_fixity(ledger, blobs, signer=cast.analyst)
    assert not report.ok
    states = {f.sha256: f.state for f in report.findings}
    assert states[digest(linked)] is BlobState.NOT_REGULAR
    assert states[digest(writable)] is BlobState.WRITABLE
    for result, state in ((linked, "not a regular file"), (writable, "writable")):
        details = ledger.events("CASE-1", str(result.item))[-1].event.body.details
        assert dict(details) == {"fixity": state}
    assert sorted(p["state"] for p in report.to_dict()["problems"]) == [
        "not a regular file",
        "writable",
    ]


def test_damaged_copies_kept_by_intake_are_listed(
    ledger: Ledger, cast: Cast, blobs: BlobStore, items: list[FileResult]
) -> None:
    victim = blobs.path_of(digest(items[0]))
    victim.chmod(0o644)
    victim.write_bytes(b"tampered with")
    again: list[FileResult] = []
    folder = IMAGES / "jpg" / "orientation"
    intake(ledger, blobs, "CASE-1", [folder], cast.investigator, on_result=again.append)
    report = audit_fixity(ledger, blobs)
    assert report.ok  # repaired: every blob is intact again
    assert report.damaged_copies == (again[0].damaged_copy,)
    assert report.to_dict()["damaged_copies"] == [again[0].damaged_copy]
