"""The custody state machine: every rule, with a history it accepts and one it refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custody.ledger import EMPTY, ChainState, advance, violations
from custody.model import Event, EventBody, EventType, SealState

HOLDER = b"\x01" * 32
COURIER = b"\x02" * 32
STRANGER = b"\x03" * 32
T = datetime(2026, 1, 1, tzinfo=UTC)


def body(kind: EventType, **fields: object) -> EventBody:
    return EventBody(kind, T, **fields)  # type: ignore[arg-type]


def replay(*steps: tuple[bytes, EventBody], item: str | None = "I-1") -> ChainState:
    """Apply steps that must all be valid; return the final state."""
    state = EMPTY
    for n, (actor, event_body) in enumerate(steps):
        event = make_event(state, actor, event_body, item=item)
        assert violations(state, event) == [], f"step {n}: {violations(state, event)}"
        state = advance(state, event, bytes([n + 1]) * 32)
    return state


def make_event(
    state: ChainState, actor: bytes, event_body: EventBody, *, item: str | None = "I-1"
) -> Event:
    return Event("C-1", item, state.next_seq, state.head, actor, event_body)


def codes(state: ChainState, actor: bytes, event_body: EventBody, **kw: object) -> set[str]:
    return {v.code for v in violations(state, make_event(state, actor, event_body, **kw))}


ACQUIRED = (
    HOLDER,
    body(EventType.ACQUIRED, seals=("S1",), seal_state=SealState.INTACT, description="shirt"),
)
TRANSFER = (
    HOLDER,
    body(
        EventType.TRANSFERRED,
        counterparty=COURIER.hex(),
        seals=("S1",),
        seal_state=SealState.INTACT,
    ),
)
RECEIVE = (COURIER, body(EventType.RECEIVED, seals=("S1",), seal_state=SealState.INTACT))


def test_valid_history_moves_the_holder_and_the_seals() -> None:
    state = replay(ACQUIRED, TRANSFER, RECEIVE)
    assert state.holder == COURIER
    assert state.seals == ("S1",)
    assert state.pending is None
    assert state.next_seq == 3


def test_case_chain_starts_with_opened() -> None:
    replay((HOLDER, body(EventType.OPENED)), (HOLDER, body(EventType.EXPORTED)), item=None)
    assert codes(EMPTY, HOLDER, body(EventType.EXPORTED), item=None) == {"FIRST_EVENT"}
    assert codes(EMPTY, HOLDER, body(EventType.SEALED, seals=("S",)), item=None) == {
        "EVENT_NOT_ALLOWED"
    }


def test_item_chain_starts_with_acquired_or_derived_only() -> None:
    assert codes(EMPTY, HOLDER, body(EventType.STORED)) == {"FIRST_EVENT"}
    assert codes(EMPTY, HOLDER, body(EventType.OPENED)) == {"EVENT_NOT_ALLOWED"}
    state = replay(ACQUIRED)
    assert codes(state, HOLDER, body(EventType.ACQUIRED)) == {"FIRST_EVENT"}
    replay((HOLDER, body(EventType.DERIVED, description="thumbnail")))


def test_seq_and_prev_must_link() -> None:
    state = replay(ACQUIRED)
    wrong_seq = Event("C-1", "I-1", 5, state.head, HOLDER, body(EventType.ACCESSED))
    assert {v.code for v in violations(state, wrong_seq)} == {"CHAIN_SEQ"}
    wrong_prev = Event("C-1", "I-1", 1, b"\xee" * 32, HOLDER, body(EventType.ACCESSED))
    assert {v.code for v in violations(state, wrong_prev)} == {"CHAIN_PREV"}


def test_transfer_must_be_acknowledged_before_the_item_moves_again() -> None:
    state = replay(ACQUIRED, TRANSFER)
    again = body(EventType.TRANSFERRED, counterparty=STRANGER.hex(), seals=("S1",))
    assert codes(state, HOLDER, again) == {"TRANSFER_UNACKNOWLEDGED"}
    assert codes(state, HOLDER, body(EventType.STORED)) == {"TRANSFER_UNACKNOWLEDGED"}
    assert codes(state, HOLDER, body(EventType.EXPORTED)) == set()


def test_only_the_named_recipient_may_receive() -> None:
    state = replay(ACQUIRED, TRANSFER)
    seen = body(EventType.RECEIVED, seals=("S1",), seal_state=SealState.INTACT)
    assert codes(state, STRANGER, seen) == {"WRONG_RECIPIENT"}
    assert codes(state, COURIER, seen) == set()


def test_receive_without_transfer_is_refused() -> None:
    state = replay(ACQUIRED)
    seen = body(EventType.RECEIVED, seals=("S1",), seal_state=SealState.INTACT)
    assert codes(state, HOLDER, seen) == {"RECEIVE_WITHOUT_TRANSFER"}


@pytest.mark.parametrize(
    "kind",
    [
        EventType.TRANSFERRED,
        EventType.DISPOSED,
        EventType.RETURNED,
        EventType.SEALED,
        EventType.STORED,
    ],
)
def test_only_the_holder_may_move_seal_or_end_custody(kind: EventType) -> None:
    state = replay(ACQUIRED)
    fields: dict[str, object] = {"counterparty": COURIER.hex(), "seals": ("S1",)}
    assert "NOT_HOLDER" in codes(state, STRANGER, body(kind, **fields))
    assert "NOT_HOLDER" not in codes(state, HOLDER, body(kind, **fields))


def test_anyone_may_access_or_analyse() -> None:
    state = replay(ACQUIRED)
    assert codes(state, STRANGER, body(EventType.ACCESSED)) == set()
    assert codes(state, STRANGER, body(EventType.ANALYSED)) == set()


@pytest.mark.parametrize("end", [EventType.DISPOSED, EventType.RETURNED])
def test_nothing_after_disposal_or_return(end: EventType) -> None:
    state = replay(ACQUIRED, (HOLDER, body(end, counterparty="owner")))
    assert codes(state, HOLDER, body(EventType.ACCESSED)) == {"AFTER_END"}
    assert codes(state, HOLDER, body(EventType.EXPORTED)) == set()


def test_seals_on_receipt_are_compared_with_those_released() -> None:
    state = replay(ACQUIRED, TRANSFER)
    other = body(EventType.RECEIVED, seals=("S9",), seal_state=SealState.INTACT)
    assert codes(state, COURIER, other) == {"SEAL_MISMATCH"}
    unsealed = body(EventType.RECEIVED, seal_state=SealState.UNSEALED)
    assert codes(state, COURIER, unsealed) == {"SEAL_MISMATCH"}
    silent = body(EventType.RECEIVED, seals=("S1",))
    assert codes(state, COURIER, silent) == {"SEAL_STATE_MISSING"}
    declared = body(EventType.RECEIVED, seals=("S9",), seal_state=SealState.BROKEN)
    assert codes(state, COURIER, declared) == set()


def test_release_must_state_the_seals_the_item_carries() -> None:
    state = replay(ACQUIRED)
    wrong = body(EventType.TRANSFERRED, counterparty=COURIER.hex(), seals=("S2",))
    assert codes(state, HOLDER, wrong) == {"SEAL_MISMATCH"}


def test_transfer_needs_a_recipient_key_id_other_than_the_holder() -> None:
    state = replay(ACQUIRED)
    assert codes(state, HOLDER, body(EventType.TRANSFERRED, seals=("S1",))) == {"RECIPIENT_MISSING"}
    named = body(EventType.TRANSFERRED, counterparty="Carl", seals=("S1",))
    assert codes(state, HOLDER, named) == {"RECIPIENT_MISSING"}
    itself = body(EventType.TRANSFERRED, counterparty=HOLDER.hex(), seals=("S1",))
    assert codes(state, HOLDER, itself) == {"SELF_TRANSFER"}


def test_sealing_lists_seals_and_opening_clears_them() -> None:
    state = replay(ACQUIRED)
    assert codes(state, HOLDER, body(EventType.SEALED)) == {"SEALS_MISSING"}
    state = replay(ACQUIRED, (HOLDER, body(EventType.ANALYSED, seal_state=SealState.BROKEN)))
    assert state.seals == ()
    state = replay(
        ACQUIRED,
        (HOLDER, body(EventType.ANALYSED, seal_state=SealState.BROKEN)),
        (HOLDER, body(EventType.SEALED, seals=("S2",))),
    )
    assert state.seals == ("S2",)


def test_intact_seals_seen_must_match_the_item() -> None:
    state = replay(ACQUIRED)
    seen = body(EventType.STORED, seals=("S7",), seal_state=SealState.INTACT)
    assert codes(state, HOLDER, seen) == {"SEAL_MISMATCH"}


def test_return_names_who_received_it() -> None:
    state = replay(ACQUIRED)
    assert codes(state, HOLDER, body(EventType.RETURNED)) == {"COUNTERPARTY_MISSING"}


def test_an_item_needs_its_case_opened_first() -> None:
    first = make_event(EMPTY, HOLDER, ACQUIRED[1])
    assert {v.code for v in violations(EMPTY, first, case_opened=False)} == {"CASE_NOT_OPENED"}
    assert violations(EMPTY, first, case_opened=True) == []
