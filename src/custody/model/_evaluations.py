"""What an evaluation event states about an Istanbul Protocol medical evaluation.

An evaluation is recorded as its own chain in a case: (case, evaluation id). Its events
carry no clinical content. ``EventBody.details["evaluation"]`` holds only digests, key ids
and one salted commitment per field of the document (``docs/formats.md``, "Medical
evaluation events"); the document itself is stored beside the log as a record.
:meth:`EvaluationClaim.from_body` reads that map strictly, so the ledger's state machine and
the verifier read it alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from custody.errors import InvalidInput
from custody.model._events import EVALUATION_EVENTS, EventBody, EventType
from custody.model._values import KEY_ID_SIZE, FrozenMap, check_digest, expect_map

#: The largest stored evaluation record, in bytes (the salted document, ``to_bytes``).
MAX_RECORD_SIZE = 4 * 1024 * 1024

_DETAILS_KEY = "evaluation"
_DRAFT_KEYS = frozenset({"version", "digest", "record", "evaluators", "fields"})
#: The keys of ``details["evaluation"]``, by event type.
_KEYS: Mapping[EventType, frozenset[str]] = {
    EventType.EVALUATION_RECORDED: _DRAFT_KEYS,
    EventType.EVALUATION_ADDENDUM: _DRAFT_KEYS | {"supersedes"},
    EventType.EVALUATION_REVIEWED: frozenset({"digest"}),
    EventType.EVALUATION_SEALED: frozenset({"digest"}),
}
#: Event types that submit a version of the document: they name its record and fields.
VERSIONING_EVENTS = frozenset({EventType.EVALUATION_RECORDED, EventType.EVALUATION_ADDENDUM})
# Body fields other than the claimed time. Free text there (a place, a purpose, a
# condition) could name the person, the place of detention or clinical content, which must
# stay in the committed record, never in the signed event (DESIGN.md principle 5).
_ITEM_FIELDS = (
    "place",
    "purpose",
    "seals",
    "seal_state",
    "condition",
    "counterparty",
    "description",
    "packaging",
    "artifacts",
)


def _field(name: str) -> str:
    return f"details.{_DETAILS_KEY}.{name}"


def _digest(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_digest(value, _field(attribute.name))


def _version(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not int or not 0 <= value < 2**63):
        raise InvalidInput("must be a non-negative integer", field=_field(attribute.name))


def _key_ids(value: Sequence[bytes]) -> tuple[bytes, ...]:
    """Evaluator key ids, sorted so that one set of evaluators has one encoding."""
    if isinstance(value, bytes | str) or not isinstance(value, Sequence):
        raise InvalidInput("must be a list of key ids", field=_field("evaluators"))
    for key_id in value:
        check_digest(key_id, _field("evaluators"), KEY_ID_SIZE)
    if len(set(value)) != len(value):
        raise InvalidInput("lists the same evaluator twice", field=_field("evaluators"))
    return tuple(sorted(value))


def _commitments(value: Mapping[str, bytes]) -> Mapping[str, bytes]:
    if not isinstance(value, Mapping):
        raise InvalidInput("must be a map of field pointers to commitments", field=_field("fields"))
    for pointer, commitment in value.items():
        if type(pointer) is not str or not pointer.startswith("/"):
            raise InvalidInput(f"{pointer!r} is not a JSON pointer", field=_field("fields"))
        check_digest(commitment, f"{_field('fields')}[{pointer!r}]")
    return value if type(value) is FrozenMap else FrozenMap(value)


@attrs.frozen
class EvaluationClaim:
    """The evaluation facts one event states, valid for its type from construction.

    Attributes:
        type: one of the four evaluation event types.
        digest: the evaluation digest (``fields_digest`` of the fields) the event is about:
            the version recorded, reviewed or sealed.
        version: recorded and addendum: the version number, 0 for the first draft.
        record: recorded and addendum: SHA-256 of the stored record (the salted document).
        evaluators: recorded and addendum: key ids of the clinicians responsible for this
            version, sorted; each must seal it.
        fields: recorded and addendum: the commitment of each leaf of the document, by its
            JSON pointer.
        supersedes: addendum: the sealed digest this version replaces.
    """

    type: EventType = attrs.field(converter=EventType)
    digest: bytes = attrs.field(validator=_digest)
    version: int | None = attrs.field(default=None, validator=_version)
    record: bytes | None = attrs.field(default=None, validator=_digest)
    evaluators: tuple[bytes, ...] = attrs.field(default=(), converter=_key_ids)
    fields: Mapping[str, bytes] = attrs.field(factory=FrozenMap, converter=_commitments)
    supersedes: bytes | None = attrs.field(default=None, validator=_digest)

    def __attrs_post_init__(self) -> None:
        if self.type not in EVALUATION_EVENTS:
            raise InvalidInput(f"{self.type} is not an evaluation event", field="type")
        if self.digest is None:
            raise InvalidInput("is missing", field=_field("digest"))
        drafted = self.type in VERSIONING_EVENTS
        for name in ("version", "record", "supersedes"):
            needed = name in _KEYS[self.type]
            if needed != (getattr(self, name) is not None):
                state = "is missing" if needed else f"does not belong in {self.type}"
                raise InvalidInput(state, field=_field(name))
        if drafted and not self.evaluators:
            raise InvalidInput("must name at least one evaluator", field=_field("evaluators"))
        if not drafted and (self.evaluators or self.fields):
            name = "evaluators" if self.evaluators else "fields"
            raise InvalidInput(f"does not belong in {self.type}", field=_field(name))

    @classmethod
    def from_body(cls, body: EventBody) -> EvaluationClaim:
        """Read the claim of an evaluation event, refusing anything but its one form.

        ``details`` must hold exactly the ``evaluation`` map, with exactly the keys of the
        event's type; evaluators sorted and unique; digests, record hashes, key ids and
        commitments 32 bytes; the body must not use item fields (seals, description...).

        Raises:
            InvalidInput: naming the first offending field.
        """
        if body.type not in EVALUATION_EVENTS:
            raise InvalidInput(f"{body.type} is not an evaluation event", field="type")
        for name in _ITEM_FIELDS:
            if getattr(body, name):
                raise InvalidInput("does not belong in an evaluation event", field=name)
        if set(body.details) != {_DETAILS_KEY}:
            raise InvalidInput("must hold exactly the evaluation map", field="details")
        data = expect_map(
            body.details[_DETAILS_KEY],
            f"details.{_DETAILS_KEY}",
            required=_KEYS[body.type],
            optional=frozenset(),
        )
        evaluators, fields = data.get("evaluators", []), data.get("fields", {})
        if not isinstance(evaluators, list):
            raise InvalidInput("must be a list of key ids", field=_field("evaluators"))
        if not isinstance(fields, dict):
            raise InvalidInput("must be a map", field=_field("fields"))
        claim = cls(
            body.type,
            data["digest"],
            version=data.get("version"),
            record=data.get("record"),
            evaluators=evaluators,
            fields=fields,
            supersedes=data.get("supersedes"),
        )
        if list(claim.evaluators) != evaluators:  # one set of evaluators, one encoding
            raise InvalidInput("must be sorted", field=_field("evaluators"))
        return claim

    def to_dict(self) -> dict[str, Any]:
        """The ``details["evaluation"]`` map of the event, ready for CBOR."""
        out: dict[str, Any] = {"digest": self.digest}
        if self.type in VERSIONING_EVENTS:
            out.update(
                version=self.version,
                record=self.record,
                evaluators=list(self.evaluators),
                fields=dict(self.fields),
            )
        if self.supersedes is not None:
            out["supersedes"] = self.supersedes
        return out

    def event_body(self, time: datetime, **fields: Any) -> EventBody:
        """The body of the event stating this claim.

        Args:
            time: the claimed time of the event.
            fields: further :class:`EventBody` fields; none are allowed today (the
                reader refuses them), the parameter keeps the signature general.
        """
        return EventBody(self.type, time, details={_DETAILS_KEY: self.to_dict()}, **fields)
