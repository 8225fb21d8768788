"""Exporting a case: deterministic bundles, re-exports chained after earlier ones, selections,
withheld files, and refusals made before anything is recorded.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cbor2
import pytest

from custody.bundle import ExportResult, FileStatus, _export, export_bundle, verify_bundle
from custody.bundle._layout import (
    CLOSING,
    ENTRIES,
    FILES,
    KEYS,
    MANIFEST,
    RECORDS,
    ClaimedKeys,
    Closing,
    Manifest,
)
from custody.bundle._zip import ZipReader
from custody.crypto import leaf_hash
from custody.errors import ChainMoved, InvalidInput, StoreError
from custody.intake import BlobStore
from custody.model import DigitalItem, EventBody, EventType
from custody.testing import SAMPLE_TIME

if TYPE_CHECKING:
    from bundle.conftest import Prepared

EXPORT_TIME = SAMPLE_TIME + timedelta(days=1)


def export(prepared: Prepared, out: Path, **options: Any) -> ExportResult:
    """Export the case with the defaults a test changes one at a time."""
    case = options.pop("case", prepared.case)
    arguments: dict[str, Any] = {
        "exporter": prepared.cast.investigator,
        "log_signer": prepared.cast.log,
        "blobs": prepared.blobs,
        "at": EXPORT_TIME,
        "purpose": "for the court",
    }
    arguments.update(options)
    return export_bundle(prepared.ledger, case, out, **arguments)


def members(path: Path) -> dict[str, bytes]:
    with ZipReader(path) as archive:
        return {m.name: archive.read(m, m.size) for m in archive.members}


def exported_indexes(path: Path) -> list[int]:
    """The log indexes of the events entries.cborseq carries."""
    data = members(path)[ENTRIES]
    stream = io.BytesIO(data)
    indexes = []
    while stream.tell() < len(data):
        indexes.append(cbor2.load(stream)[0])  # cbor2, not the reader under test
    return indexes


def chains(path: Path) -> set[str | None]:
    return {chain.item for chain in Manifest.from_cbor(members(path)[MANIFEST]).chains}


def verified(prepared: Prepared, path: Path) -> Any:
    result = verify_bundle(path, prepared.trust(), workers=1)
    assert result.report.ok, result.report.problems
    return result


def add_event(prepared: Prepared) -> None:
    """Change the case: the analyst, who holds the T-shirt, looks at it again."""
    prepared.ledger.record(
        prepared.case,
        "ITEM-1",
        EventBody(EventType.ACCESSED, EXPORT_TIME - timedelta(hours=1), purpose="photographs"),
        prepared.cast.analyst,
    )


# --- what an export writes ------------------------------------------------------------------


def test_an_export_carries_the_whole_case_and_verifies(prepared: Prepared, tmp_path: Path) -> None:
    before = prepared.ledger.size
    result = export(prepared, tmp_path / "case.bundle")
    assert not result.reused
    assert prepared.ledger.size == before + 1  # the exported event, and nothing else
    assert result.exported.index == before
    assert (result.events, result.files, result.withheld) == (before + 1, 4, 0)
    assert result.size == result.path.stat().st_size
    assert result.log_size == before + 1
    found = members(result.path)
    assert len([n for n in found if n.startswith(FILES)]) == 4
    assert len([n for n in found if n.startswith(RECORDS)]) == 1
    assert Closing.from_cbor(found[CLOSING]).index == result.exported.index
    assert len(Closing.from_cbor(found[CLOSING]).earlier) == 2
    event = result.exported.event
    assert (event.type, event.item, event.body.purpose) == (
        EventType.EXPORTED,
        None,
        "for the court",
    )
    verification = verified(prepared, result.path)
    assert verification.export is not None
    assert verification.export.exported_by == prepared.cast.investigator.key_id
    assert {item.reference for item in verification.items} >= set(prepared.photos)


def test_the_same_export_twice_gives_the_same_bytes(prepared: Prepared, tmp_path: Path) -> None:
    first = export(prepared, tmp_path / "first.bundle")
    size = prepared.ledger.size
    second = export(prepared, tmp_path / "second.bundle")
    assert second.reused
    assert second.exported == first.exported
    assert prepared.ledger.size == size  # nothing recorded the second time
    assert first.path.read_bytes() == second.path.read_bytes()


def test_an_unchanged_case_is_exported_again_without_the_log_key(
    prepared: Prepared, tmp_path: Path
) -> None:
    first = export(prepared, tmp_path / "first.bundle")
    again = export(prepared, tmp_path / "again.bundle", log_signer=None)
    assert again.reused
    assert again.path.read_bytes() == first.path.read_bytes()


def test_a_changed_case_gets_a_new_export_chained_after_the_earlier_one(
    prepared: Prepared, tmp_path: Path
) -> None:
    first = export(prepared, tmp_path / "first.bundle")
    add_event(prepared)
    second = export(prepared, tmp_path / "second.bundle")
    assert not second.reused
    assert second.exported.index > first.exported.index
    assert second.exported.event.seq == first.exported.event.seq + 1
    assert second.exported.event.prev == leaf_hash(first.exported.statement.entry)
    carried = exported_indexes(second.path)
    assert first.exported.index in carried  # the earlier export is part of the case's chain
    assert second.exported.index not in carried  # the closing one is in closing.cbor
    assert second.events == first.events + 2
    verification = verified(prepared, second.path)
    exports = [e for e in verification.timeline if e.type == "exported"]
    assert [e.index for e in exports] == [first.exported.index, second.exported.index]


def test_another_selection_of_an_unchanged_case_carries_the_earlier_export(
    prepared: Prepared, tmp_path: Path
) -> None:
    whole = export(prepared, tmp_path / "whole.bundle")
    part = export(prepared, tmp_path / "part.bundle", items=["ITEM-1"])
    assert not part.reused
    assert part.exported.event.prev == leaf_hash(whole.exported.statement.entry)
    assert whole.exported.index in exported_indexes(part.path)
    verified(prepared, part.path)


# --- selections and withheld files ----------------------------------------------------------


def test_a_selection_carries_only_its_chains(prepared: Prepared, tmp_path: Path) -> None:
    photo = prepared.photos[1]
    result = export(prepared, tmp_path / "part.bundle", items=["ITEM-1", photo])
    assert chains(result.path) == {None, "ITEM-1", photo}
    found = members(result.path)
    assert len([n for n in found if n.startswith(FILES)]) == 1
    assert not [n for n in found if n.startswith(RECORDS)]
    verification = verified(prepared, result.path)
    assert {item.reference for item in verification.items} == {"ITEM-1", photo}
    assert verification.evaluations == ()
    assert {e.item for e in verification.timeline} == {None, "ITEM-1", photo}
    assert result.files == 1


def test_a_selected_evaluation_carries_its_record(prepared: Prepared, tmp_path: Path) -> None:
    result = export(prepared, tmp_path / "evaluation.bundle", items=[prepared.evaluation])
    found = members(result.path)
    assert len([n for n in found if n.startswith(RECORDS)]) == 1
    assert not [n for n in found if n.startswith(FILES)]
    verification = verified(prepared, result.path)
    (evaluation,) = verification.evaluations
    assert (evaluation.reference, evaluation.status) == (prepared.evaluation, "sealed")


def test_a_withheld_item_is_named_by_hash_and_carries_no_file(
    prepared: Prepared, tmp_path: Path
) -> None:
    withheld = prepared.photos[0]
    result = export(prepared, tmp_path / "withheld.bundle", withhold=[withheld])
    assert (result.files, result.withheld) == (3, 1)
    manifest = Manifest.from_cbor(members(result.path)[MANIFEST])
    (named,) = manifest.withheld
    assert named.item == withheld
    assert not [n for n in members(result.path) if named.sha256.hex() in n]
    verification = verified(prepared, result.path)
    (item,) = [i for i in verification.items if i.reference == withheld]
    (file,) = item.files
    assert (file.status, file.member, file.sha256) == (FileStatus.WITHHELD, None, named.sha256)
    others = [f for i in verification.items if i.reference != withheld for f in i.files]
    assert {f.status for f in others} == {FileStatus.VERIFIED}


def test_withholding_every_file_needs_no_blob_store(prepared: Prepared, tmp_path: Path) -> None:
    result = export(
        prepared, tmp_path / "hashes.bundle", blobs=None, withhold=list(prepared.photos)
    )
    assert (result.files, result.withheld) == (0, 4)
    verified(prepared, result.path)


# --- refusals -------------------------------------------------------------------------------


def refused(prepared: Prepared, out: Path, match: str, **options: Any) -> InvalidInput:
    """The export is refused with ``match`` in its message, before anything is recorded."""
    size, checkpoints = prepared.ledger.size, prepared.ledger.checkpoints()
    existed = out.exists()
    with pytest.raises(InvalidInput, match=match) as refusal:
        export(prepared, out, **options)
    assert prepared.ledger.size == size
    assert prepared.ledger.checkpoints() == checkpoints
    assert out.exists() == existed
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".custody-export-")]
    return refusal.value


def test_an_existing_output_is_refused(prepared: Prepared, tmp_path: Path) -> None:
    out = tmp_path / "case.bundle"
    out.write_bytes(b"an earlier bundle")
    refused(prepared, out, "already exists")
    assert out.read_bytes() == b"an earlier bundle"


def test_an_unknown_case_is_refused(prepared: Prepared, tmp_path: Path) -> None:
    refused(prepared, tmp_path / "x.bundle", "no such case", case="CASE-404")


@pytest.mark.parametrize("option", ["items", "withhold"])
def test_an_unknown_item_is_refused(prepared: Prepared, tmp_path: Path, option: str) -> None:
    error = refused(prepared, tmp_path / "x.bundle", "ITEM-404", **{option: ["ITEM-404"]})
    assert "ITEM-404" in str(error)


def test_withholding_an_item_the_selection_leaves_out_is_refused(
    prepared: Prepared, tmp_path: Path
) -> None:
    refused(
        prepared,
        tmp_path / "x.bundle",
        prepared.photos[0],
        items=["ITEM-1"],
        withhold=[prepared.photos[0]],
    )


def test_a_missing_blob_is_refused_with_a_message(prepared: Prepared, tmp_path: Path) -> None:
    empty = BlobStore.open(tmp_path / "empty-blobs", create=True)
    error = refused(prepared, tmp_path / "x.bundle", "blob store lacks the file", blobs=empty)
    assert "withhold" in str(error)  # the message says how to go on


def test_no_blob_store_is_refused_when_files_are_carried(
    prepared: Prepared, tmp_path: Path
) -> None:
    refused(prepared, tmp_path / "x.bundle", "blob store lacks the file", blobs=None)


def test_no_log_key_and_no_covering_checkpoint_is_refused_before_recording(
    prepared: Prepared, tmp_path: Path
) -> None:
    error = refused(prepared, tmp_path / "x.bundle", "no checkpoint covers", log_signer=None)
    assert error.field == "log key"


def test_no_log_key_for_a_changed_case_is_refused_before_recording(
    prepared: Prepared, tmp_path: Path
) -> None:
    export(prepared, tmp_path / "first.bundle")
    add_event(prepared)
    refused(prepared, tmp_path / "second.bundle", "no checkpoint covers", log_signer=None)


def test_a_changed_blob_is_refused_and_writes_nothing(prepared: Prepared, tmp_path: Path) -> None:
    digest = bytes.fromhex(members_of_blobs(prepared)[0])
    path = prepared.blobs.path_of(digest)
    path.chmod(0o644)
    original = path.read_bytes()
    path.write_bytes(b"x" * len(original))
    out = tmp_path / "x.bundle"
    with pytest.raises(InvalidInput, match="no longer has the recorded bytes"):
        export(prepared, out)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".custody-export-")]
    path.write_bytes(original)  # restored from a copy: the export recorded is reused
    size = prepared.ledger.size
    result = export(prepared, out)
    assert result.reused
    assert prepared.ledger.size == size
    assert verify_bundle(out, prepared.trust()).ok


def test_a_blob_of_another_size_is_refused_before_recording(
    prepared: Prepared, tmp_path: Path
) -> None:
    digest = bytes.fromhex(members_of_blobs(prepared)[0])
    path = prepared.blobs.path_of(digest)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-1])
    refused(prepared, tmp_path / "x.bundle", "has .* bytes, not the recorded")


def test_a_case_event_recorded_during_the_export_refuses_it(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process records on the case between planning and recording the export: the
    export is refused, and no exported event is left for a bundle that was never written."""
    planned = _export._planned

    def planned_then_raced(*args: Any, **options: Any) -> Any:
        found = planned(*args, **options)
        other = EventBody(EventType.EXPORTED, EXPORT_TIME, purpose="another export")
        prepared.ledger.record(prepared.case, None, other, prepared.cast.analyst)
        return found

    monkeypatch.setattr(_export, "_planned", planned_then_raced)
    size = prepared.ledger.size
    out = tmp_path / "x.bundle"
    with pytest.raises(ChainMoved, match="while it was exported; export again"):
        export(prepared, out)
    assert prepared.ledger.size == size + 1  # the other process's event only
    assert not out.exists()
    monkeypatch.undo()
    export(prepared, out)
    assert verify_bundle(out, prepared.trust()).ok


def test_a_folder_that_cannot_be_written_is_refused_before_recording(
    prepared: Prepared, tmp_path: Path
) -> None:
    size = prepared.ledger.size
    with pytest.raises(InvalidInput, match="cannot write a bundle there"):
        export(prepared, tmp_path / "no-such-folder" / "x.bundle")
    assert prepared.ledger.size == size


def test_a_file_system_without_hard_links_still_gets_the_bundle(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")  # as on FAT and exFAT

    monkeypatch.setattr(_export.os, "link", no_links)
    out = tmp_path / "usb.bundle"
    export(prepared, out)
    assert verify_bundle(out, prepared.trust()).ok
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".custody-export-")] == []


@pytest.mark.parametrize("hard_links", [True, False])
def test_a_bundle_appearing_at_the_target_meanwhile_is_never_overwritten(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    out = tmp_path / "x.bundle"
    planned = _export._planned

    def planned_then_taken(*args: Any, **options: Any) -> Any:
        out.write_bytes(b"someone else's file")
        return planned(*args, **options)

    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(_export, "_planned", planned_then_taken)
    if not hard_links:
        monkeypatch.setattr(_export.os, "link", no_links)
    with pytest.raises(InvalidInput, match="never overwritten"):
        export(prepared, out)
    assert out.read_bytes() == b"someone else's file"


def test_a_full_disk_while_writing_is_a_store_error_and_leaves_no_file(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_export.ZipWriter, "add_bytes", full)
    out = tmp_path / "x.bundle"
    with pytest.raises(StoreError, match="No space left on device"):
        export(prepared, out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".custody-export-")] == []


def members_of_blobs(prepared: Prepared) -> list[str]:
    return sorted(digest.hex() for digest in prepared.blobs.stored())


def test_the_same_bytes_under_two_extensions_are_one_verified_file(
    prepared: Prepared, tmp_path: Path
) -> None:
    """Two items recording the same bytes under names with different extensions share one
    member; the verifier finds it by its SHA-256 for both."""
    first = prepared.ledger.events(prepared.case, prepared.photos[0])[0].event.body.artifacts[0]
    copy = DigitalItem("COPY-1", first.sha256, first.size, "copy.jpeg", first.media_type)
    prepared.ledger.acquire(prepared.case, copy, prepared.cast.investigator, at=EXPORT_TIME)
    result = export(prepared, tmp_path / "case.bundle")
    assert len([n for n in members(result.path) if n.startswith(FILES)]) == 4
    verification = verified(prepared, result.path)
    both = [item for item in verification.items if item.reference in {"COPY-1", prepared.photos[0]}]
    assert [f.status for item in both for f in item.files] == [FileStatus.VERIFIED] * 2
    assert len({f.member for item in both for f in item.files}) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"purpose": "for the defence"},
        {"at": EXPORT_TIME + timedelta(hours=1)},
        {"exporter": "courier"},
    ],
    ids=["purpose", "time", "exporter"],
)
def test_another_export_of_an_unchanged_case_is_a_new_event(
    prepared: Prepared, tmp_path: Path, change: dict[str, Any]
) -> None:
    first = export(prepared, tmp_path / "first.bundle")
    if change.get("exporter") == "courier":
        change = {"exporter": prepared.cast.courier}
    second = export(prepared, tmp_path / "second.bundle", **change)
    assert not second.reused
    assert second.exported.event.prev == first.exported.leaf_hash
    verified(prepared, second.path)


def test_the_exporter_is_named_among_the_claimed_keys(prepared: Prepared, tmp_path: Path) -> None:
    """The courier signed no event of the photographs: the bundle still names its key."""
    result = export(
        prepared,
        tmp_path / "case.bundle",
        exporter=prepared.cast.courier,
        items=[prepared.photos[0]],
    )
    keys = ClaimedKeys.from_cbor(members(result.path)[KEYS])
    assert prepared.cast.courier.public.to_bytes() in {a.public_key for a in keys.actors}
    verification = verified(prepared, result.path)
    courier = next(s for s in verification.signers if s.key_id == prepared.cast.courier.key_id)
    assert courier.claimed_name is not None


def test_a_bundle_over_the_readers_limits_is_refused_before_recording(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_export, "MAX_MEMBERS", 5)
    refused(prepared, tmp_path / "x.bundle", "export the case's items in several bundles")
    monkeypatch.undo()
    monkeypatch.setattr(_export, "MAX_MANIFEST_SIZE", 100)
    refused(prepared, tmp_path / "x.bundle", "would exceed a reader's limits")


def test_a_bundle_carries_the_newest_earlier_checkpoints_only(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_export, "MAX_EARLIER", 1)
    stored = prepared.ledger.checkpoints()
    assert len(stored) >= 2
    out = tmp_path / "x.bundle"
    export(prepared, out)
    closing = Closing.from_cbor(members(out)[CLOSING])
    assert [e.note for e in closing.earlier] == [stored[-1]]
    assert verify_bundle(out, prepared.trust()).ok
