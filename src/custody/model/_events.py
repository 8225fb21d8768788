"""Custody events: what happened to an item, said by whom, when, where and why.

An :class:`Event` is the exact content of one signed statement. Its dict form
(:meth:`Event.to_dict`) is what the deterministic CBOR encoder turns into the signed payload;
the byte layout is specified in ``docs/formats.md``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from custody.errors import InvalidInput
from custody.model._parties import Place
from custody.model._values import (
    KEY_ID_SIZE,
    SHA256_SIZE,
    FrozenMap,
    check_digest,
    check_seal,
    count_field,
    digest_field,
    enum_member,
    expect_map,
    from_millis,
    reference_field,
    text_field,
    to_millis,
    utc_datetime,
)

FORMAT_VERSION = 1


class EventType(enum.StrEnum):
    """The kinds of custody event (DESIGN.md, "The record")."""

    OPENED = "opened"  # a case is opened; first event of the case chain
    ACQUIRED = "acquired"  # an item enters custody; first event of an item chain
    DERIVED = "derived"  # an item made from another (thumbnail, redacted copy); first event
    SEALED = "sealed"  # new seals put on the packaging
    TRANSFERRED = "transferred"  # the holder releases the item to a named recipient
    RECEIVED = "received"  # the named recipient acknowledges it, with the seal state seen
    STORED = "stored"  # put into a storage location
    ACCESSED = "accessed"  # looked at or copied without being changed
    ANALYSED = "analysed"  # examined or analysed
    RETURNED = "returned"  # handed back to its owner or source; custody ends
    DISPOSED = "disposed"  # destroyed or otherwise disposed of; custody ends
    EXPORTED = "exported"  # included in an exported bundle
    EVALUATION_RECORDED = "evaluation_recorded"  # a draft of a medical evaluation; starts its chain
    EVALUATION_REVIEWED = "evaluation_reviewed"  # a reviewer, not an evaluator, read that draft
    EVALUATION_SEALED = "evaluation_sealed"  # one evaluator signs off the current draft
    EVALUATION_ADDENDUM = "evaluation_addendum"  # a new version replacing a sealed evaluation


#: Event types that may start an item's chain.
FIRST_ITEM_EVENTS = frozenset({EventType.ACQUIRED, EventType.DERIVED})
#: Event types that may start an evaluation's chain.
FIRST_EVALUATION_EVENTS = frozenset({EventType.EVALUATION_RECORDED})
#: Event types about a medical evaluation; they belong on its own chain only.
EVALUATION_EVENTS = frozenset(
    {
        EventType.EVALUATION_RECORDED,
        EventType.EVALUATION_REVIEWED,
        EventType.EVALUATION_SEALED,
        EventType.EVALUATION_ADDENDUM,
    }
)
#: Event types after which an item's chain is closed.
FINAL_EVENTS = frozenset({EventType.RETURNED, EventType.DISPOSED})


class SealState(enum.StrEnum):
    """The state of the seals as seen by the actor of the event."""

    INTACT = "intact"  # every listed seal present and unbroken
    BROKEN = "broken"  # at least one seal broken, missing or of another number
    UNSEALED = "unsealed"  # the item carries no seal


@attrs.frozen
class Artifact:
    """A file an event is about or produced: name, SHA-256 and size (in-toto style subject)."""

    name: str = attrs.field(validator=text_field(1024))
    sha256: bytes = attrs.field(validator=digest_field(SHA256_SIZE))
    size: int = attrs.field(validator=count_field)
    media_type: str | None = attrs.field(default=None, validator=text_field(255))

    def to_dict(self) -> dict[str, Any]:
        """The artifact as a CBOR-ready dict."""
        out: dict[str, Any] = {"name": self.name, "sha256": self.sha256, "size": self.size}
        if self.media_type is not None:
            out["media_type"] = self.media_type
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Artifact:
        """Build an artifact from :meth:`to_dict` output."""
        fields = expect_map(
            data, "artifact", required={"name", "sha256", "size"}, optional={"media_type"}
        )
        return cls(**fields)


def sorted_seals(value: Any) -> tuple[str, ...]:
    """Validate seal numbers and return them sorted, so equal sets compare equal."""
    if not value:
        return ()
    seals = tuple(value)
    for seal in seals:
        check_seal(seal, "seals")
    if len(set(seals)) != len(seals):
        raise InvalidInput("lists the same seal twice", field="seals")
    return tuple(sorted(seals))


def _artifacts(value: Any) -> tuple[Artifact, ...]:
    if not value:
        return ()
    artifacts = tuple(value)
    if not all(isinstance(a, Artifact) for a in artifacts):
        raise InvalidInput("must be Artifact values", field="artifacts")
    return artifacts


# Converters that return a member as it is: from_dict has looked it up already, and the enum
# call would only look it up again.
def _event_type(value: Any) -> EventType:
    return value if type(value) is EventType else EventType(value)


def _seal_state(value: Any) -> SealState | None:
    if value is None or type(value) is SealState:
        return value
    return SealState(value)


_NO_DETAILS: Mapping[str, Any] = FrozenMap()


def _empty_details() -> Mapping[str, Any]:
    return _NO_DETAILS


def _frozen_details(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if type(value) is FrozenMap:
        return value
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidInput("must be a map with text keys", field="details")
    return FrozenMap(value)


@attrs.frozen
class EventBody:
    """What the actor states about the item: everything but the chain position and signer.

    Attributes:
        type: the kind of event.
        time: the claimed wall-clock time (a claim, never proof; DESIGN.md principle 6).
        place: where it happened.
        purpose: why (for example "DNA analysis requested by the prosecutor").
        seals: seal numbers put on (``sealed``), released (``transferred``), seen
            (``received``) or present (``acquired``), sorted.
        seal_state: the state of the seals as seen by the actor.
        condition: notes on the condition of the item and its packaging.
        counterparty: for ``transferred``, the recipient's key id as hex; for ``returned``,
            who received the item; otherwise who else took part.
        description: what the item is (``acquired`` and ``derived``).
        packaging: how it is packed (bag, box, envelope...).
        artifacts: files the event is about (hash and size).
        details: further structured facts (intake media facts, parent references...).
    """

    type: EventType = attrs.field(converter=_event_type)
    time: datetime = attrs.field(converter=utc_datetime)
    place: Place | None = None
    purpose: str | None = attrs.field(default=None, validator=text_field())
    seals: tuple[str, ...] = attrs.field(default=(), converter=sorted_seals)
    seal_state: SealState | None = attrs.field(default=None, converter=_seal_state)
    condition: str | None = attrs.field(default=None, validator=text_field())
    counterparty: str | None = attrs.field(default=None, validator=text_field(500))
    description: str | None = attrs.field(default=None, validator=text_field())
    packaging: str | None = attrs.field(default=None, validator=text_field())
    artifacts: tuple[Artifact, ...] = attrs.field(default=(), converter=_artifacts)
    details: Mapping[str, Any] = attrs.field(factory=_empty_details, converter=_frozen_details)

    @property
    def recipient(self) -> bytes | None:
        """For a transfer, the named recipient's key id; otherwise ``None``."""
        if self.type is not EventType.TRANSFERRED or self.counterparty is None:
            return None
        try:
            key_id = bytes.fromhex(self.counterparty)
        except ValueError:
            return None
        return key_id if len(key_id) == KEY_ID_SIZE else None


@attrs.frozen
class Event:
    """One custody event: the body plus its place in the item's chain and its signer.

    Attributes:
        case: the case reference.
        item: the item reference, or ``None`` for events about the case itself.
        seq: position in the chain of (case, item), counting from 0.
        prev: the leaf hash of the previous event of the chain; ``None`` iff ``seq == 0``.
        actor: the signer's key id (RFC 9679 thumbprint).
        body: what the actor states.
    """

    case: str = attrs.field(validator=reference_field("case"))
    item: str | None = attrs.field(validator=reference_field("item", optional=True))
    seq: int = attrs.field(validator=count_field)
    prev: bytes | None = attrs.field()
    actor: bytes = attrs.field(validator=digest_field(KEY_ID_SIZE))
    body: EventBody

    @prev.validator
    def _check_prev(self, attribute: attrs.Attribute[bytes | None], value: bytes | None) -> None:
        if (value is None) != (self.seq == 0):
            raise InvalidInput(
                "must be absent exactly for the first event of a chain", field=attribute.name
            )
        if value is not None:
            check_digest(value, attribute.name)

    @property
    def type(self) -> EventType:
        """Shortcut for ``body.type``."""
        return self.body.type

    def to_dict(self) -> dict[str, Any]:
        """The event as the CBOR-ready map that is signed; absent optional fields left out."""
        body = self.body
        # ``_value_``, not ``value``: the same text, without the enum property's slow lookup.
        out: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "type": body.type._value_,
            "case": self.case,
            "seq": self.seq,
            "prev": self.prev,
            "actor": self.actor,
            "time": to_millis(body.time),
        }
        # Written out field by field: every event read back is re-encoded through here.
        if self.item is not None:
            out["item"] = self.item
        if body.place is not None:
            out["place"] = body.place.to_dict()
        if body.purpose is not None:
            out["purpose"] = body.purpose
        if body.seals:
            out["seals"] = list(body.seals)
        if body.seal_state is not None:
            out["seal_state"] = body.seal_state._value_
        if body.condition is not None:
            out["condition"] = body.condition
        if body.counterparty is not None:
            out["counterparty"] = body.counterparty
        if body.description is not None:
            out["description"] = body.description
        if body.packaging is not None:
            out["packaging"] = body.packaging
        if body.artifacts:
            out["artifacts"] = [a.to_dict() for a in body.artifacts]
        if body.details:
            out["details"] = dict(body.details)
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Event:
        """Build an event from a decoded payload map.

        The map must be exactly what :meth:`to_dict` makes of the event: no unknown or
        missing keys, no nulls or empty lists for absent fields, seals in order. So one
        event has one payload, and a payload that says the same thing in other bytes is
        refused rather than accepted.

        Raises:
            InvalidInput: naming the first offending field.
        """
        fields = expect_map(data, "event", required=_REQUIRED, optional=_OPTIONAL)
        version, millis = fields["v"], fields["time"]
        if type(version) is not int or version != FORMAT_VERSION:
            raise InvalidInput(f"unsupported event format version {version!r}", field="v")
        if type(millis) is not int:
            raise InvalidInput("must be integer milliseconds", field="time")
        get = fields.get
        place, seal_state, artifacts = get("place"), get("seal_state"), get("artifacts")
        body = EventBody(
            type=enum_member(EventType, fields["type"], "type"),
            time=from_millis(millis),
            place=None if place is None else Place.from_dict(place),
            purpose=get("purpose"),
            seals=_list(get("seals", []), "seals"),
            seal_state=None
            if seal_state is None
            else enum_member(SealState, seal_state, "seal_state"),
            condition=get("condition"),
            counterparty=get("counterparty"),
            description=get("description"),
            packaging=get("packaging"),
            artifacts=()
            if artifacts is None
            else tuple(Artifact.from_dict(a) for a in _list(artifacts, "artifacts")),
            details=get("details", _NO_DETAILS),
        )
        event = cls(
            fields["case"], get("item"), fields["seq"], fields["prev"], fields["actor"], body
        )
        canonical = event.to_dict()
        if canonical != data:
            differing = sorted(
                key
                for key in set(data) | set(canonical)
                if key not in data or key not in canonical or data[key] != canonical[key]
            )
            raise InvalidInput(
                "is not in its canonical form (a null, an empty list or map, or unsorted seals "
                "where the writer leaves the field out or sorts it)",
                field=differing[0],
            )
        return event


_REQUIRED = frozenset({"v", "type", "case", "seq", "prev", "actor", "time"})
_OPTIONAL = frozenset(
    {
        "item",
        "place",
        "purpose",
        "seals",
        "seal_state",
        "condition",
        "counterparty",
        "description",
        "packaging",
        "artifacts",
        "details",
    }
)


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput("must be a list", field=field)
    return value
