"""Fixity audit: re-hash every stored file and compare with what the ledger recorded.

Every digital item of every case names its bytes by SHA-256. The audit re-hashes each blob
once, however many items share it, and reports blobs that are missing, changed, unreadable,
not regular files (never followed) or writable again (with the items and cases that hold
them), files in the blob store that no item names, folders of it that cannot be listed, and
the damaged blobs kept aside when intake replaced them with good copies. With a signer, the
audit is itself recorded: an ``accessed`` event on every item it checked, whose details say
what was found.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from custody.crypto import Signer
from custody.intake._blobs import BlobCheck, BlobState, BlobStore
from custody.ledger import Draft, Ledger
from custody.model import DigitalItem, EventBody, EventType, utc_now

FIXITY_PURPOSE = "fixity audit"


@attrs.frozen
class ItemRef:
    """An item of a case."""

    case: str
    item: str


@attrs.frozen
class FixityFinding:
    """One blob as the audit found it, and the items that name it."""

    sha256: bytes
    state: BlobState
    items: tuple[ItemRef, ...]
    found_sha256: bytes | None = None


class Unrecorded(enum.StrEnum):
    """Why an audited item got no ``accessed`` event."""

    CUSTODY_ENDED = "custody ended"
    IN_TRANSIT = "transfer pending"


@attrs.frozen
class FixityReport:
    """The audit's findings.

    Attributes:
        findings: every blob the ledger names, with its state.
        unexpected: files in the blob store that no item names (paths, as text).
        unlistable: folders of the blob store that could not be listed, with the reason;
            files in them could be neither checked for being unexpected nor found.
        damaged_copies: damaged blobs kept under ``damaged/`` when intake replaced them
            with good copies (paths, as text): evidence of past damage or tampering, kept
            for whoever investigates it. They do not make the audit fail: the blobs they
            stood for were repaired, and those are checked like any other.
        recorded: log indexes of the ``accessed`` events recorded for the audit.
        not_recorded: items checked but not given an event, and why.
    """

    findings: tuple[FixityFinding, ...]
    unexpected: tuple[str, ...]
    unlistable: tuple[tuple[str, str], ...] = ()
    damaged_copies: tuple[str, ...] = ()
    recorded: tuple[int, ...] = ()
    not_recorded: tuple[tuple[ItemRef, Unrecorded], ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every blob is intact and the whole store was listed with nothing
        unexpected in it."""
        return (
            not self.unexpected
            and not self.unlistable
            and all(f.state is BlobState.INTACT for f in self.findings)
        )

    def problems(self) -> list[FixityFinding]:
        """The findings that are not intact."""
        return [f for f in self.findings if f.state is not BlobState.INTACT]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "ok": self.ok,
            "checked": len(self.findings),
            "problems": [_finding_json(f) for f in self.problems()],
            "unexpected": list(self.unexpected),
            "unlistable": [{"path": path, "why": why} for path, why in self.unlistable],
            "damaged_copies": list(self.damaged_copies),
            "recorded_events": list(self.recorded),
            "not_recorded": [
                {"case": ref.case, "item": ref.item, "why": why.value}
                for ref, why in self.not_recorded
            ],
        }


def audit_fixity(
    ledger: Ledger,
    blobs: BlobStore,
    *,
    signer: Signer | None = None,
    on_checked: Callable[[FixityFinding], None] | None = None,
) -> FixityReport:
    """Re-hash every blob the ledger's digital items name; optionally record the audit.

    Args:
        ledger: the ledger whose items are audited.
        blobs: the blob store holding their bytes.
        signer: if given, records an ``accessed`` event (purpose "fixity audit") on every
            item checked whose custody allows one (not ended, not in transit).
        on_checked: called after each blob is checked, for progress.

    Raises:
        StoreError: the blob store's ``damaged/`` folder exists but cannot be listed.
    """
    holders = _items_by_digest(ledger)
    findings = []
    for sha256, items in holders.items():
        finding = _finding(blobs.check(sha256), items)
        findings.append(finding)
        if on_checked is not None:
            on_checked(finding)
    unexpected = sorted(
        [str(path) for path in blobs.unexpected()]
        + [str(blobs.path_of(sha)) for sha in blobs.stored() if sha not in holders]
    )
    report = FixityReport(
        tuple(findings),
        tuple(unexpected),
        tuple(sorted((str(path), why) for path, why in blobs.unlistable())),
        tuple(str(path) for path in blobs.damaged_copies()),
    )
    if signer is not None:
        report = _record(ledger, signer, report)
    return report


def _items_by_digest(ledger: Ledger) -> dict[bytes, list[ItemRef]]:
    holders: dict[bytes, list[ItemRef]] = {}
    for case in ledger.cases():
        for item in ledger.items(case.reference):
            if isinstance(item, DigitalItem):
                holders.setdefault(item.sha256, []).append(ItemRef(case.reference, item.reference))
    return holders


def _finding(check: BlobCheck, items: list[ItemRef]) -> FixityFinding:
    found = check.found.sha256 if check.found is not None else None
    return FixityFinding(check.sha256, check.state, tuple(items), found)


def _record(ledger: Ledger, signer: Signer, report: FixityReport) -> FixityReport:
    drafts, skipped = [], []
    now = utc_now()
    for finding, ref in _each_item(report):
        state = ledger.state(ref.case, ref.item)
        if state.ended_by is not None or state.pending is not None:
            why = Unrecorded.CUSTODY_ENDED if state.ended_by else Unrecorded.IN_TRANSIT
            skipped.append((ref, why))
            continue
        details: dict[str, Any] = {"fixity": finding.state.value}
        if finding.found_sha256 is not None and finding.state is BlobState.CHANGED:
            details["found_sha256"] = finding.found_sha256
        body = EventBody(EventType.ACCESSED, now, purpose=FIXITY_PURPOSE, details=details)
        drafts.append(Draft(ref.case, ref.item, body, signer))
    recorded = ledger.record_many(drafts) if drafts else []
    return attrs.evolve(
        report,
        recorded=tuple(event.index for event in recorded),
        not_recorded=tuple(skipped),
    )


def _each_item(report: FixityReport) -> Iterator[tuple[FixityFinding, ItemRef]]:
    for finding in report.findings:
        for ref in finding.items:
            yield finding, ref


def _finding_json(finding: FixityFinding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sha256": finding.sha256.hex(),
        "state": finding.state.value,
        "items": [{"case": ref.case, "item": ref.item} for ref in finding.items],
    }
    if finding.found_sha256 is not None:
        out["found_sha256"] = finding.found_sha256.hex()
    return out
