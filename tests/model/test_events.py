"""Events and their payload maps: one event, one payload."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custody import encoding
from custody.crypto import CWT_CLAIMS, sign1
from custody.errors import InvalidInput
from custody.ledger import EVENT_CONTENT_TYPE, open_statement
from custody.model import Artifact, Event, EventBody, EventType, Place, SealState
from custody.testing import fixed_key

KEY = fixed_key("events")
T = datetime(2026, 3, 6, 10, 30, 15, 123000, tzinfo=UTC)


def full_event() -> Event:
    body = EventBody(
        EventType.TRANSFERRED,
        T,
        place=Place("Lab", "1 Road", 515000000, -1270000),
        purpose="transport",
        seals=("B-2", "A-1"),
        seal_state=SealState.INTACT,
        condition="dry",
        counterparty="ab" * 32,
        description="shirt",
        packaging="bag",
        artifacts=(Artifact("photo.jpg", b"\x01" * 32, 12, "image/jpeg"),),
        details={"kind": "physical"},
    )
    return Event("CASE-1", "ITEM-1", 3, b"\x02" * 32, KEY.key_id, body)


def test_round_trip_through_cbor() -> None:
    event = full_event()
    payload = encoding.encode(event.to_dict())
    assert Event.from_dict(encoding.decode(payload)) == event
    assert event.body.seals == ("A-1", "B-2")


def test_from_dict_leaves_its_input_alone() -> None:
    data = full_event().to_dict()
    copy = {key: value for key, value in data.items()}
    Event.from_dict(data)
    assert data == copy


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(purpose=None), "purpose"),
        (lambda d: d.update(seals=[]), "seals"),
        (lambda d: d.update(seals=["B-2", "A-1"]), "seals"),
        (lambda d: d.update(details={}), "details"),
        (lambda d: d["place"].update(lat_e7=True), "lat_e7"),
        (lambda d: d.update(v=True), "v"),
        (lambda d: d.update(v=2), "v"),
        (lambda d: d.update(extra=1), "event"),
        (lambda d: d.pop("seq"), "event"),
        (lambda d: d.update(time=10**18), "time"),
        (lambda d: d.update(time=True), "time"),
        (lambda d: d.update(type="teleported"), "type"),
        (lambda d: d.update(prev=None), "prev"),
        (lambda d: d.update(seals=["A-1", "A-1"]), "seals"),
    ],
)
def test_payloads_the_writer_never_makes_are_refused(change: Any, field: str) -> None:
    data = full_event().to_dict()
    data["place"] = dict(data["place"])
    change(data)
    with pytest.raises(InvalidInput) as error:
        Event.from_dict(data)
    assert error.value.field == field


def test_entry_with_an_extra_protected_header_is_refused() -> None:
    event = full_event()
    claims = {1: "custody.test/ledger", 2: "CASE-1/ITEM-1"}
    entry = sign1(
        encoding.encode(event.to_dict()),
        KEY,
        content_type=EVENT_CONTENT_TYPE,
        protected={CWT_CLAIMS: claims, 99: "surprise"},
    )
    with pytest.raises(InvalidInput, match="exactly alg, content type, kid"):
        open_statement(entry)
    good = sign1(
        encoding.encode(event.to_dict()),
        KEY,
        content_type=EVENT_CONTENT_TYPE,
        protected={CWT_CLAIMS: claims},
    )
    assert open_statement(good).event == event


@pytest.mark.parametrize(
    ("claims", "content_type", "message"),
    [
        ({1: 7, 2: "CASE-1/ITEM-1"}, EVENT_CONTENT_TYPE, "issuer must be text"),
        ({1: "custody.test/ledger", 2: 7}, EVENT_CONTENT_TYPE, "subject must be text"),
        ({1: "custody.test/ledger", 2: "CASE-1/ITEM-2"}, EVENT_CONTENT_TYPE, "does not name"),
        ({1: "custody.test/ledger"}, EVENT_CONTENT_TYPE, "exactly iss and sub"),
        ({1: "x", 2: "CASE-1/ITEM-1", 3: "aud"}, EVENT_CONTENT_TYPE, "exactly iss and sub"),
        ({1: "custody.test/ledger", 2: "CASE-1/ITEM-1"}, "application/cbor", "not a custody"),
    ],
)
def test_entries_with_headers_the_writer_never_makes_are_refused(
    claims: dict[int, Any], content_type: str, message: str
) -> None:
    payload = encoding.encode(full_event().to_dict())
    entry = sign1(payload, KEY, content_type=content_type, protected={CWT_CLAIMS: claims})
    # Twice: the second read takes the remembered verdict on the same header bytes.
    for _ in range(2):
        with pytest.raises(InvalidInput, match=message):
            open_statement(entry)


def test_entry_signed_under_another_kid_is_refused() -> None:
    event = full_event()
    other = fixed_key("someone else")
    claims = {1: "custody.test/ledger", 2: "CASE-1/ITEM-1"}
    payload = encoding.encode(event.to_dict())
    entry = sign1(payload, other, content_type=EVENT_CONTENT_TYPE, protected={CWT_CLAIMS: claims})
    with pytest.raises(InvalidInput, match="kid header is not the event's actor"):
        open_statement(entry)


def test_times_are_kept_to_the_millisecond() -> None:
    body = EventBody(EventType.ACCESSED, datetime(2026, 1, 1, 1, 2, 3, 456789, tzinfo=UTC))
    assert body.time.microsecond == 456000
    with pytest.raises(InvalidInput, match="timezone-aware"):
        EventBody(EventType.ACCESSED, datetime(2026, 1, 1))
