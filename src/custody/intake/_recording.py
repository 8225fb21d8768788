"""Working copies and labels of recorded items: what the ledger says, made into files.

A derived copy (a preview, a privacy-safe copy) is made from the stored bytes of its parent,
checked first, and recorded as a new item: its ``derived`` event names the parent's
reference and SHA-256 and the recipe, and the parent's chain gets an ``accessed`` event
saying what was made from it. Both are appended in one transaction. Originals are never
modified.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from custody.crypto import Signer
from custody.errors import InvalidInput
from custody.intake._blobs import DERIVE_PREFIX, BlobState, BlobStore
from custody.intake._derive import DerivedFile, DerivedKind, make_derived
from custody.intake._intake import item_reference
from custody.intake._labels import evidence_label
from custody.ledger import Draft, Ledger, RecordedEvent
from custody.model import (
    Artifact,
    DigitalItem,
    EventBody,
    EventType,
    PhysicalItem,
    Place,
    item_from_first_event,
    utc_now,
)


def derive_item(
    ledger: Ledger,
    blobs: BlobStore,
    case: str,
    parent: str,
    kind: DerivedKind,
    signer: Signer,
    *,
    max_side: int = 1024,
    place: Place | None = None,
    purpose: str | None = None,
) -> RecordedEvent:
    """Make a working copy of a file item and record it as a new, derived item.

    Returns:
        The ``derived`` event that starts the new item's chain.

    Raises:
        InvalidInput: the parent is not a file item of the case, its stored bytes are
            missing or changed, or they are not an image the copy can be made from.
    """
    item = _digital_item(ledger, case, parent)
    _check_may_derive(ledger, case, parent, signer)
    check = blobs.check(item.sha256)
    if check.state is not BlobState.INTACT:
        raise InvalidInput(
            f"the stored bytes of {case}/{parent} are {check.state.value}; run custody fixity",
            field=parent,
        )
    derived = _make_in_store(blobs, item, kind, max_side)
    reference, new = item_reference(ledger, case, derived.sha256)
    if not new:
        raise InvalidInput(_already_recorded(ledger, case, parent, kind, reference))
    now = utc_now()
    suffix = ".png" if derived.media_type == "image/png" else ".jpg"
    # Named after the new item, not the parent's file: file names can identify people.
    child = Artifact(reference + suffix, derived.sha256, derived.size, derived.media_type)
    details: dict[str, Any] = {
        "kind": "digital",
        "parent": {"item": parent, "sha256": item.sha256},
        "recipe": dict(derived.recipe),
    }
    born = EventBody(
        EventType.DERIVED, now, place=place, purpose=purpose, artifacts=(child,), details=details
    )
    read = EventBody(
        EventType.ACCESSED,
        now,
        place=place,
        purpose=f"{kind.value} copy made as item {reference}",
    )
    recorded = ledger.record_many(
        [Draft(case, parent, read, signer), Draft(case, reference, born, signer)]
    )
    return recorded[1]


def item_label(
    ledger: Ledger, case: str, item: str, *, font: str | os.PathLike[str] | None = None
) -> bytes:
    """The PNG evidence label of a recorded item (case, item, seals, description, QR code).

    A physical item's label shows the seals it carries now (after any resealing) and the
    storage location recorded when it was acquired. A file item's label describes the file
    by size, type and digest, never by its name, which can identify people.

    Args:
        ledger: the ledger holding the item.
        case: the case reference.
        item: the item reference.
        font: a TrueType font for text beyond printable ASCII (the bundled font has no
            accented letters).

    Raises:
        InvalidInput: the case has no such item, or the text needs another font.
    """
    recorded = _first_event(ledger, case, item)
    found = item_from_first_event(item, recorded.event.body)
    if isinstance(found, PhysicalItem):
        return evidence_label(
            case,
            item,
            seals=ledger.state(case, item).seals,  # the seals it carries now
            description=found.description,
            storage_location=found.storage_location,
            font=font,
        )
    described = f"file, {found.size} bytes, {found.media_type or 'unknown type'}, "
    described += f"SHA-256 {found.sha256.hex()[:16]}..."
    return evidence_label(case, item, description=described, font=font)


def _already_recorded(
    ledger: Ledger, case: str, parent: str, kind: DerivedKind, reference: str
) -> str:
    """Why a copy is not recorded: its bytes are an item of the case already, and which.

    Identical bytes are one item in a case, so a copy identical to another item's (two
    originals differing only in the metadata a privacy-safe copy drops) is not a new item.
    """
    first = ledger.events(case, reference)[0].event.body
    origin = first.details.get("parent") if first.type is EventType.DERIVED else None
    if isinstance(origin, Mapping) and origin.get("item") == parent:
        return f"this {kind.value} copy is recorded already, as item {reference}"
    made = f"derived from item {origin.get('item')}" if isinstance(origin, Mapping) else "taken in"
    return (
        f"this {kind.value} copy of {parent} has the same bytes as item {reference} "
        f"({made}); identical bytes are one item of a case, so it is not recorded again"
    )


def _check_may_derive(ledger: Ledger, case: str, parent: str, signer: Signer) -> None:
    """Refuse, before any copy is made, what the ledger would refuse to record."""
    if ledger.actor(signer.key_id) is None:
        raise InvalidInput(f"key {signer.key_id.hex()} is not a registered actor", field="signer")
    state = ledger.state(case, parent)
    if state.ended_by is not None:
        raise InvalidInput(f"custody of {case}/{parent} ended ({state.ended_by})", field=parent)
    if state.pending is not None:
        raise InvalidInput(f"{case}/{parent} is in transit, awaiting receipt", field=parent)


def _digital_item(ledger: Ledger, case: str, item: str) -> DigitalItem:
    found = item_from_first_event(item, _first_event(ledger, case, item).event.body)
    if not isinstance(found, DigitalItem):
        raise InvalidInput("is a physical item; only files have working copies", field=item)
    return found


def _first_event(ledger: Ledger, case: str, item: str) -> RecordedEvent:
    events = ledger.events(case, item)
    if not events:
        raise InvalidInput(f"case {case} has no item {item}", field=item)
    return events[0]


def _make_in_store(
    blobs: BlobStore, item: DigitalItem, kind: DerivedKind, max_side: int
) -> DerivedFile:
    """Make the copy under the store's ``tmp/`` and link it in: written and hashed once."""
    scratch = tempfile.mkdtemp(dir=blobs.root / "tmp", prefix=DERIVE_PREFIX)
    destination = Path(scratch) / "copy"
    try:
        derived = make_derived(blobs.path_of(item.sha256), kind, destination, max_side=max_side)
        blobs.adopt(destination, derived.sha256)
        return derived
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(destination)
        os.rmdir(scratch)
