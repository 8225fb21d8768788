"""Derived items and labels of recorded items, through the library."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import exifread
import pytest

from custody.errors import InvalidInput
from custody.intake import (
    BlobState,
    BlobStore,
    DerivedKind,
    FileResult,
    derive_item,
    evidence_label,
    intake,
    item_label,
)
from custody.ledger import Ledger
from custody.model import EventBody, EventType
from custody.testing import Cast, record_sample_case
from custody.verify import verify_ledger

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
GPS_PHOTO = IMAGES / "jpg" / "gps" / "DSCN0010.jpg"


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore.open(tmp_path / "blobs", create=True)


@pytest.fixture
def photo_item(ledger: Ledger, cast: Cast, blobs: BlobStore) -> str:
    record_sample_case(ledger, cast)
    results: list[FileResult] = []
    intake(ledger, blobs, "CASE-1", [GPS_PHOTO], cast.investigator, on_result=results.append)
    assert results[0].item is not None
    return results[0].item


def test_a_privacy_safe_copy_is_a_new_item_linked_to_its_parent(
    ledger: Ledger, cast: Cast, blobs: BlobStore, photo_item: str
) -> None:
    parent = ledger.events("CASE-1", photo_item)[0].event.body.artifacts[0]
    derived = derive_item(
        ledger, blobs, "CASE-1", photo_item, DerivedKind.PRIVACY_SAFE, cast.analyst
    )
    event = derived.event
    assert event.type is EventType.DERIVED
    assert event.seq == 0
    assert event.body.details["parent"] == {"item": photo_item, "sha256": parent.sha256}
    assert event.body.details["recipe"]["operation"] == "privacy-safe"
    (copy,) = event.body.artifacts
    assert copy.name == f"{event.item}.jpg"  # never the parent's file name
    accessed = ledger.events("CASE-1", photo_item)[-1].event
    assert accessed.type is EventType.ACCESSED
    assert accessed.body.purpose == f"privacy-safe copy made as item {event.item}"
    assert blobs.check(copy.sha256).state is BlobState.INTACT  # linked in, hash and all
    assert stat.S_IMODE(blobs.path_of(copy.sha256).stat().st_mode) == 0o444
    assert list((blobs.root / "tmp").iterdir()) == []
    with blobs.open_blob(copy.sha256) as stored:
        tags = exifread.process_file(stored, details=False)
    assert not [name for name in tags if name.startswith("GPS")]
    assert verify_ledger(ledger).ok


def test_the_same_copy_is_not_recorded_twice(
    ledger: Ledger, cast: Cast, blobs: BlobStore, photo_item: str
) -> None:
    derive_item(ledger, blobs, "CASE-1", photo_item, DerivedKind.PREVIEW, cast.analyst)
    size = ledger.size
    with pytest.raises(InvalidInput, match="recorded already"):
        derive_item(ledger, blobs, "CASE-1", photo_item, DerivedKind.PREVIEW, cast.analyst)
    assert ledger.size == size


def test_a_copy_identical_to_another_item_names_that_item(
    ledger: Ledger, cast: Cast, blobs: BlobStore, photo_item: str, tmp_path: Path
) -> None:
    # Bytes after the end-of-image marker: another original, the same picture and EXIF.
    twin = tmp_path / "twin.jpg"
    twin.write_bytes(GPS_PHOTO.read_bytes() + b"trailing bytes")
    results: list[FileResult] = []
    intake(ledger, blobs, "CASE-1", [twin], cast.investigator, on_result=results.append)
    twin_item = results[0].item
    assert twin_item is not None
    assert twin_item != photo_item
    first = derive_item(ledger, blobs, "CASE-1", photo_item, DerivedKind.PRIVACY_SAFE, cast.analyst)
    size = ledger.size
    with pytest.raises(InvalidInput) as refused:
        derive_item(ledger, blobs, "CASE-1", twin_item, DerivedKind.PRIVACY_SAFE, cast.analyst)
    assert str(refused.value) == (
        f"this privacy-safe copy of {twin_item} has the same bytes as item {first.event.item} "
        f"(derived from item {photo_item}); identical bytes are one item of a case, so it is "
        "not recorded again"
    )
    assert ledger.size == size


def test_no_copy_of_damaged_bytes_or_ended_custody(
    ledger: Ledger, cast: Cast, blobs: BlobStore, photo_item: str
) -> None:
    sha256 = ledger.events("CASE-1", photo_item)[0].event.body.artifacts[0].sha256
    blob = blobs.path_of(sha256)
    blob.chmod(0o644)
    original = blob.read_bytes()
    blob.write_bytes(original[:1000])
    with pytest.raises(InvalidInput, match="are changed; run custody fixity"):
        derive_item(ledger, blobs, "CASE-1", photo_item, DerivedKind.PREVIEW, cast.analyst)
    blob.write_bytes(original)
    disposal = EventBody(EventType.DISPOSED, datetime.now(UTC), purpose="destroyed after the trial")
    ledger.record("CASE-1", photo_item, disposal, cast.investigator)
    stored = set(blobs.stored())
    with pytest.raises(InvalidInput, match="ended"):
        derive_item(ledger, blobs, "CASE-1", photo_item, DerivedKind.PREVIEW, cast.analyst)
    assert set(blobs.stored()) == stored  # refused before any copy was made


def test_a_physical_item_label_shows_the_seals_it_carries_now(ledger: Ledger, cast: Cast) -> None:
    record_sample_case(ledger, cast)  # ITEM-1 was resealed after its analysis
    seals = ledger.state("CASE-1", "ITEM-1").seals
    expected = evidence_label(
        "CASE-1",
        "ITEM-1",
        seals=seals,
        description="Cotton T-shirt, blood-stained",
        storage_location="Locker 4",
    )
    assert item_label(ledger, "CASE-1", "ITEM-1") == expected
    with pytest.raises(InvalidInput, match="has no item"):
        item_label(ledger, "CASE-1", "ITEM-9")
