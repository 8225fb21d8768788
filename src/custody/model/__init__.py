"""Frozen value types shared by every layer: cases, items, actors, places, custody events.

The model does no I/O and knows nothing of CBOR bytes or signatures; it validates on
construction and offers ``to_dict``/``from_dict`` that never change their input.
"""

from custody.model._events import (
    FINAL_EVENTS,
    FIRST_ITEM_EVENTS,
    FORMAT_VERSION,
    Artifact,
    Event,
    EventBody,
    EventType,
    SealState,
)
from custody.model._items import (
    Case,
    DigitalItem,
    EvidenceItem,
    PhysicalItem,
    item_from_first_event,
)
from custody.model._parties import Actor, Place
from custody.model._values import from_millis, to_millis, utc_datetime, utc_now

__all__ = [
    "FINAL_EVENTS",
    "FIRST_ITEM_EVENTS",
    "FORMAT_VERSION",
    "Actor",
    "Artifact",
    "Case",
    "DigitalItem",
    "Event",
    "EventBody",
    "EventType",
    "EvidenceItem",
    "PhysicalItem",
    "Place",
    "SealState",
    "from_millis",
    "item_from_first_event",
    "to_millis",
    "utc_datetime",
    "utc_now",
]
