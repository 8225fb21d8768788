"""Cases and evidence items, as recorded by their first event."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from custody.errors import InvalidInput
from custody.model._events import Artifact, EventBody, EventType, SealState, sorted_seals
from custody.model._values import (
    KEY_ID_SIZE,
    SHA256_SIZE,
    count_field,
    digest_field,
    reference_field,
    text_field,
    utc_datetime,
)


@attrs.frozen
class Case:
    """A unit of investigation, opened by a signed ``opened`` event.

    The reference is plain (``NPM-2026-014``); it must not name the person concerned.
    """

    reference: str = attrs.field(validator=reference_field("case"))
    opened_at: datetime = attrs.field(converter=utc_datetime)
    opened_by: bytes = attrs.field(validator=digest_field(KEY_ID_SIZE))
    purpose: str | None = attrs.field(default=None, validator=text_field())


@attrs.frozen
class DigitalItem:
    """A file, identified by its SHA-256 and size; its bytes live in the blob store."""

    reference: str = attrs.field(validator=reference_field("item"))
    sha256: bytes = attrs.field(validator=digest_field(SHA256_SIZE))
    size: int = attrs.field(validator=count_field)
    name: str = attrs.field(default="file", validator=text_field())
    media_type: str | None = attrs.field(default=None, validator=text_field(255))

    def acquisition(
        self, time: datetime, *, details: Mapping[str, Any] | None = None, **fields: Any
    ) -> EventBody:
        """The body of the ``acquired`` event that brings this file into custody.

        Args:
            time: the claimed time of the acquisition.
            details: further facts (hashes, media facts, source...), beside ``kind``.
            fields: further :class:`EventBody` fields (place, purpose, condition...).
        """
        artifact = Artifact(self.name, self.sha256, self.size, self.media_type)
        return EventBody(
            EventType.ACQUIRED,
            time,
            artifacts=(artifact,),
            details=_with_kind("digital", details),
            **fields,
        )


@attrs.frozen
class PhysicalItem:
    """A physical item (sample, clothing, document) under seal.

    Attributes:
        reference: the item id, as written on its label.
        description: what it is.
        packaging: how it is packed.
        seals: the seal numbers on the packaging when it entered custody.
        storage_location: where it is kept.
    """

    reference: str = attrs.field(validator=reference_field("item"))
    description: str = attrs.field(validator=text_field())
    packaging: str | None = attrs.field(default=None, validator=text_field())
    seals: tuple[str, ...] = attrs.field(default=(), converter=sorted_seals)
    storage_location: str | None = attrs.field(default=None, validator=text_field(500))

    def acquisition(
        self, time: datetime, *, details: Mapping[str, Any] | None = None, **fields: Any
    ) -> EventBody:
        """The body of the ``acquired`` event that brings this item into custody.

        Args:
            time: the claimed time of the acquisition.
            details: further facts, beside ``kind`` and ``storage_location``.
            fields: further :class:`EventBody` fields (place, purpose, condition...).
        """
        details = _with_kind("physical", details)
        if self.storage_location is not None:
            details["storage_location"] = self.storage_location
        state = SealState.INTACT if self.seals else SealState.UNSEALED
        return EventBody(
            EventType.ACQUIRED,
            time,
            description=self.description,
            packaging=self.packaging,
            seals=self.seals,
            seal_state=state,
            details=details,
            **fields,
        )


EvidenceItem = DigitalItem | PhysicalItem


def _with_kind(kind: str, details: Mapping[str, Any] | None) -> dict[str, Any]:
    """``details`` with the item's kind first; the kind is the model's to say."""
    extra = dict(details or {})
    if "kind" in extra or "storage_location" in extra:
        raise InvalidInput("kind and storage_location are set by the item", field="details")
    return {"kind": kind, **extra}


def item_from_first_event(reference: str, body: EventBody) -> EvidenceItem:
    """Rebuild the item a chain's first event brought into custody.

    Raises:
        InvalidInput: if the body does not describe an item.
    """
    kind = body.details.get("kind")
    if kind == "digital" and len(body.artifacts) == 1:
        artifact = body.artifacts[0]
        return DigitalItem(
            reference, artifact.sha256, artifact.size, artifact.name, artifact.media_type
        )
    if kind == "physical" and body.description is not None:
        return PhysicalItem(
            reference,
            body.description,
            body.packaging,
            body.seals,
            body.details.get("storage_location"),
        )
    raise InvalidInput(
        "the first event does not describe a digital or physical item", field="details.kind"
    )
