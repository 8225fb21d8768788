"""Frozen value types shared by every layer: cases, items, actors, places, custody events,
and the claims of medical evaluation events.

The model does no I/O and knows nothing of CBOR bytes or signatures; it validates on
construction and offers ``to_dict``/``from_dict`` that never change their input. The checks
and attrs validators it is built from (``check_text``, ``text_field``...) are public, so
other layers' models validate the same way.
"""

from custody.model._evaluations import MAX_RECORD_SIZE, VERSIONING_EVENTS, EvaluationClaim
from custody.model._events import (
    EVALUATION_EVENTS,
    FINAL_EVENTS,
    FIRST_EVALUATION_EVENTS,
    FIRST_ITEM_EVENTS,
    FORMAT_VERSION,
    Artifact,
    Event,
    EventBody,
    EventType,
    SealState,
    sorted_seals,
)
from custody.model._items import (
    Case,
    DigitalItem,
    EvidenceItem,
    PhysicalItem,
    item_from_first_event,
)
from custody.model._parties import Actor, Place
from custody.model._values import (
    FrozenMap,
    check_digest,
    check_reference,
    check_seal,
    check_text,
    count_field,
    digest_field,
    enum_member,
    expect_map,
    from_millis,
    reference_field,
    text_field,
    to_millis,
    utc_datetime,
    utc_now,
)

__all__ = [
    "EVALUATION_EVENTS",
    "FINAL_EVENTS",
    "FIRST_EVALUATION_EVENTS",
    "FIRST_ITEM_EVENTS",
    "FORMAT_VERSION",
    "MAX_RECORD_SIZE",
    "VERSIONING_EVENTS",
    "Actor",
    "Artifact",
    "Case",
    "DigitalItem",
    "EvaluationClaim",
    "Event",
    "EventBody",
    "EventType",
    "EvidenceItem",
    "FrozenMap",
    "PhysicalItem",
    "Place",
    "SealState",
    "check_digest",
    "check_reference",
    "check_seal",
    "check_text",
    "count_field",
    "digest_field",
    "enum_member",
    "expect_map",
    "from_millis",
    "item_from_first_event",
    "reference_field",
    "sorted_seals",
    "text_field",
    "to_millis",
    "utc_datetime",
    "utc_now",
]
