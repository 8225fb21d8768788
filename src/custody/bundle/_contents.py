"""What a verified bundle shows: its items, signers, timeline and medical evaluations.

The verifier fills these in as it checks; reports (JSON, HTML) read them. Everything here
comes from the bundle, so each value is only as good as the checks in the report say: a
signer's name is what the bundle *claims*, ``trusted`` is what the verifier's policy says.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

import attrs

from custody.bundle._zip import ZipReader
from custody.errors import CustodyError
from custody.medical import Evaluation
from custody.model import to_millis
from custody.verify import VerificationReport

#: Events a verification keeps for its timeline. Every event is verified; past this many
#: (about 50 MiB of them) the rest are only counted, so memory stays bounded however large
#: the bundle.
MAX_TIMELINE = 100_000


class PhotographFile(Protocol):
    """A photograph's bytes, fetched when needed, so that a verification holds none."""

    def read(self) -> bytes | None:
        """The bytes, or ``None`` if they cannot be had (a report checks their hash)."""


@attrs.frozen
class CarriedPhotograph:
    """A photograph file the bundle carries, read again from the bundle for a report: one
    at a time, so memory does not grow with the number or size of photographs."""

    bundle: str
    member: str
    size: int

    def read(self) -> bytes | None:
        """The member's bytes, or ``None`` if the bundle no longer holds it at that size."""
        try:
            with ZipReader(self.bundle) as archive:
                member = archive.member(self.member)
                if member is None or member.size != self.size:
                    return None
                return archive.read(member, self.size)
        except (CustodyError, OSError):
            return None


class FileStatus(enum.StrEnum):
    """What the verifier found for one recorded file."""

    VERIFIED = "verified"  # carried, and its bytes hash to what was recorded
    CHANGED = "changed"  # carried, but its bytes or size are not what was recorded
    MISSING = "missing"  # recorded as carried, but not in the bundle
    WITHHELD = "withheld"  # left out on purpose: the bundle carries its hash only


@attrs.frozen
class BundleFile:
    """A file an item's first event recorded (by SHA-256 and size), and what became of it.

    Attributes:
        name: the file's name as recorded at intake (a claim of the signer).
        sha256: its recorded SHA-256.
        size: its recorded size in bytes.
        media_type: its recorded media type, if any.
        member: the bundle member carrying it; ``None`` when withheld.
        status: what verification found.
    """

    name: str
    sha256: bytes
    size: int
    media_type: str | None
    member: str | None
    status: FileStatus


@attrs.frozen
class BundleItem:
    """One item of the bundle, as its chain of events establishes it.

    Attributes:
        reference: the item reference.
        kind: ``"digital"`` or ``"physical"``.
        description: what the item is, as recorded when it entered custody.
        files: the files its first event recorded.
        seals: the seal numbers the item carries at the end of its chain.
        holder: key id of whoever holds it at the end of its chain (``None`` once
            custody ended, or while a transfer awaits receipt).
        ended_by: ``"returned"`` or ``"disposed"`` once custody ended.
        events: how many events its chain has in the bundle.
    """

    reference: str
    kind: str
    description: str | None
    files: tuple[BundleFile, ...]
    seals: tuple[str, ...]
    holder: bytes | None
    ended_by: str | None
    events: int


@attrs.frozen
class BundleSigner:
    """A key that signed events of the bundle.

    Attributes:
        key_id: the RFC 9679 thumbprint the events name.
        public_key: the raw public key the bundle carries for it (a claim), if any.
        claimed_name: the name the bundle claims for the key.
        claimed_role: the role the bundle claims.
        claimed_organisation: the organisation the bundle claims.
        trusted_name: the name the verifier's trust policy gives the key; ``None`` when the
            policy does not list it.
        trusted_roles: the roles the policy trusts the key for.
        events: how many events of the bundle it signed.
    """

    key_id: bytes
    public_key: bytes | None
    claimed_name: str | None
    claimed_role: str | None
    claimed_organisation: str | None
    trusted_name: str | None
    trusted_roles: tuple[str, ...]
    events: int

    @property
    def trusted(self) -> bool:
        """Whether the verifier's trust policy lists this key."""
        return self.trusted_name is not None


@attrs.frozen
class TimelineEvent:
    """One signed event, in log order, as a reader needs it for a timeline.

    Attributes:
        index: its leaf index in the log.
        item: the chain it belongs to: an item or evaluation reference, ``None`` for the
            case's own chain.
        seq: its position in that chain.
        type: the event type (``acquired``, ``transferred``, ...).
        time: the claimed time (a claim of the signer, never proof).
        actor: key id of the signer.
        recipient: for a transfer, the key id of the named recipient.
        seals: the seal numbers the event names.
        seal_state: the seal state the actor saw (``intact``, ``broken``, ``unsealed``).
        place: the place's name, if recorded.
        purpose: the stated purpose, if any.
        problems: how many problems verification found at this event.
    """

    index: int
    item: str | None
    seq: int
    type: str
    time: datetime
    actor: bytes
    recipient: bytes | None
    seals: tuple[str, ...]
    seal_state: str | None
    place: str | None
    purpose: str | None
    problems: int


@attrs.frozen
class BundleEvaluation:
    """A medical evaluation of the bundle: its chain's standing and current version.

    Attributes:
        reference: the evaluation id.
        status: ``"sealed"``, ``"draft"`` or ``"amended"`` (an addendum awaiting seals).
        version: the current version, 0 for the first draft.
        digest: the evaluation digest of the current version.
        evaluators: key ids of the current version's evaluators.
        sealed_by: key ids of the evaluators who sealed the current version.
        evaluation: the current version's document, when its record is carried and reads.
        photographs: photograph files the document refers to, by photograph id, when the
            bundle carries them and their bytes verified; read only when a report asks.
    """

    reference: str
    status: str
    version: int
    digest: bytes
    evaluators: tuple[bytes, ...]
    sealed_by: tuple[bytes, ...]
    evaluation: Evaluation | None
    photographs: Mapping[str, PhotographFile] = attrs.field(factory=dict)


@attrs.frozen
class ExportFacts:
    """What the closing ``exported`` event and its checkpoint say.

    Attributes:
        exported_by: key id of the actor who signed the export.
        exported_at: the claimed time of the export.
        purpose: the stated purpose of the export.
        log_size: the size of the checkpoint the bundle is proven against.
        root_hash: that checkpoint's root hash.
    """

    exported_by: bytes
    exported_at: datetime
    purpose: str | None
    log_size: int
    root_hash: bytes


@attrs.frozen
class BundleVerification:
    """The outcome of verifying a bundle: the report, and what the bundle shows.

    Attributes:
        report: every check performed and every problem found.
        bundle: the bundle's path as given.
        case: the case reference, if the bundle says.
        origin: the log's origin, if the bundle says.
        export: the closing export's facts, when they could be read.
        items: the items, by reference.
        signers: the keys that signed events.
        timeline: the events in log order, up to :data:`MAX_TIMELINE` of them.
        evaluations: the medical evaluations.
        timeline_omitted: events verified but past the timeline's limit, not kept.
    """

    report: VerificationReport
    bundle: str
    case: str | None
    origin: str | None
    export: ExportFacts | None
    items: tuple[BundleItem, ...]
    signers: tuple[BundleSigner, ...]
    timeline: tuple[TimelineEvent, ...]
    evaluations: tuple[BundleEvaluation, ...]
    timeline_omitted: int = 0

    @property
    def ok(self) -> bool:
        """True when every check passed and every signer is trusted."""
        return self.report.ok

    def to_dict(self) -> dict[str, Any]:
        """The verification as a JSON-ready dict (``docs/bundle-format.md``)."""
        report = self.report.to_dict()
        return {
            "ok": self.ok,
            "bundle": self.bundle,
            "case": self.case,
            "origin": self.origin,
            "export": None if self.export is None else _export_dict(self.export),
            "problems": report["problems"],
            "problems_omitted": report["problems_omitted"],
            "notices": report["notices"],
            "notices_omitted": report["notices_omitted"],
            "checks": report["checks"],
            "items": [_item_dict(item) for item in self.items],
            "signers": [_signer_dict(signer) for signer in self.signers],
            "timeline": [_event_dict(event) for event in self.timeline],
            "timeline_omitted": self.timeline_omitted,
            "evaluations": [_evaluation_dict(e) for e in self.evaluations],
        }


def _hex(value: bytes | None) -> str | None:
    return None if value is None else value.hex()


def _time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _export_dict(export: ExportFacts) -> dict[str, Any]:
    return {
        "exported_by": export.exported_by.hex(),
        "exported_at": _time(export.exported_at),
        "exported_at_ms": to_millis(export.exported_at),
        "purpose": export.purpose,
        "log_size": export.log_size,
        "root_hash": export.root_hash.hex(),
    }


def _item_dict(item: BundleItem) -> dict[str, Any]:
    return {
        "reference": item.reference,
        "kind": item.kind,
        "description": item.description,
        "files": [
            {
                "name": f.name,
                "sha256": f.sha256.hex(),
                "size": f.size,
                "media_type": f.media_type,
                "member": f.member,
                "status": f.status.value,
            }
            for f in item.files
        ],
        "seals": list(item.seals),
        "holder": _hex(item.holder),
        "ended_by": item.ended_by,
        "events": item.events,
    }


def _signer_dict(signer: BundleSigner) -> dict[str, Any]:
    return {
        "key_id": signer.key_id.hex(),
        "public_key": _hex(signer.public_key),
        "claimed_name": signer.claimed_name,
        "claimed_role": signer.claimed_role,
        "claimed_organisation": signer.claimed_organisation,
        "trusted": signer.trusted,
        "trusted_name": signer.trusted_name,
        "trusted_roles": list(signer.trusted_roles),
        "events": signer.events,
    }


def _event_dict(event: TimelineEvent) -> dict[str, Any]:
    return {
        "index": event.index,
        "item": event.item,
        "seq": event.seq,
        "type": event.type,
        "time": _time(event.time),
        "actor": event.actor.hex(),
        "recipient": _hex(event.recipient),
        "seals": list(event.seals),
        "seal_state": event.seal_state,
        "place": event.place,
        "purpose": event.purpose,
        "problems": event.problems,
    }


def _evaluation_dict(evaluation: BundleEvaluation) -> dict[str, Any]:
    return {
        "reference": evaluation.reference,
        "status": evaluation.status,
        "version": evaluation.version,
        "digest": evaluation.digest.hex(),
        "evaluators": [key.hex() for key in evaluation.evaluators],
        "sealed_by": [key.hex() for key in evaluation.sealed_by],
        "record_readable": evaluation.evaluation is not None,
        "photographs": sorted(evaluation.photographs),
    }
