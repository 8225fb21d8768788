"""Helpers for testing code that embeds custody: deterministic keys and a small case.

Nothing here is secret: the keys are derived from public names, so never use them for real
evidence. They make tests reproducible (Ed25519 signatures are deterministic, so the same
events signed by the same test key give the same bytes).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from custody.crypto import SigningKey
from custody.ledger import Ledger, RecordedEvent
from custody.model import Actor, EventBody, EventType, PhysicalItem, Place, SealState

TEST_ORIGIN = "custody.test/ledger"
#: A fixed start time for sample histories, so tests do not depend on the clock.
SAMPLE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fixed_key(name: str) -> SigningKey:
    """A deterministic Ed25519 key derived from ``name`` (public knowledge; tests only)."""
    return SigningKey.from_seed(hashlib.sha256(b"custody.testing:" + name.encode()).digest())


@attrs.frozen
class Cast:
    """The people of the sample case, each with a deterministic key."""

    log: SigningKey = attrs.field(factory=lambda: fixed_key("log"))
    investigator: SigningKey = attrs.field(factory=lambda: fixed_key("investigator"))
    courier: SigningKey = attrs.field(factory=lambda: fixed_key("courier"))
    analyst: SigningKey = attrs.field(factory=lambda: fixed_key("analyst"))

    def actors(self) -> list[tuple[Actor, SigningKey]]:
        """Actor records for everyone but the log key."""
        return [
            (
                Actor(
                    self.investigator.key_id, "Ines Investigator", "investigator", "Monitoring Body"
                ),
                self.investigator,
            ),
            (
                Actor(self.courier.key_id, "Carl Courier", "courier", "Evidence Transport"),
                self.courier,
            ),
            (
                Actor(self.analyst.key_id, "Ana Analyst", "analyst", "Forensic Laboratory"),
                self.analyst,
            ),
        ]


def new_ledger(path: str | Path, cast: Cast | None = None, *, origin: str = TEST_ORIGIN) -> Ledger:
    """Create a ledger at ``path`` with the cast registered as actors."""
    cast = cast or Cast()
    ledger = Ledger.create(path, origin=origin, log_key=cast.log.public, at=SAMPLE_TIME)
    for actor, key in cast.actors():
        ledger.register_actor(actor, key.public, at=SAMPLE_TIME)
    return ledger


def record_sample_case(
    ledger: Ledger, cast: Cast | None = None, *, case: str = "CASE-1", item: str = "ITEM-1"
) -> list[RecordedEvent]:
    """Record a small, valid chain of custody for one sealed physical item.

    Opened, acquired under seal, transferred to the courier, received intact, transferred
    to the analyst, received intact, analysed (seal broken), resealed, stored.
    """
    cast = cast or Cast()
    t = iter(SAMPLE_TIME + timedelta(minutes=15 * n) for n in range(100))
    lab = Place("Forensic Laboratory, intake desk")
    recorded = [ledger.open_case(case, cast.investigator, purpose="sample case", at=next(t))]
    recorded.append(
        ledger.acquire(
            case,
            PhysicalItem(
                item, "Cotton T-shirt, blood-stained", "paper evidence bag", ("S-0001",), "Locker 4"
            ),
            cast.investigator,
            at=next(t),
            place=Place("Detention centre, room 12"),
        )
    )

    def step(body: EventBody, signer: SigningKey) -> None:
        recorded.append(ledger.record(case, item, body, signer))

    step(
        EventBody(
            EventType.TRANSFERRED,
            next(t),
            counterparty=cast.courier.public.key_id_hex,
            purpose="transport to the laboratory",
        ),
        cast.investigator,
    )
    step(
        EventBody(EventType.RECEIVED, next(t), seals=("S-0001",), seal_state=SealState.INTACT),
        cast.courier,
    )
    step(
        EventBody(
            EventType.TRANSFERRED, next(t), counterparty=cast.analyst.public.key_id_hex, place=lab
        ),
        cast.courier,
    )
    step(
        EventBody(
            EventType.RECEIVED, next(t), seals=("S-0001",), seal_state=SealState.INTACT, place=lab
        ),
        cast.analyst,
    )
    step(
        EventBody(
            EventType.ANALYSED,
            next(t),
            seal_state=SealState.BROKEN,
            purpose="DNA swab of stain",
            place=lab,
        ),
        cast.analyst,
    )
    step(
        EventBody(
            EventType.SEALED, next(t), seals=("S-0002",), seal_state=SealState.INTACT, place=lab
        ),
        cast.analyst,
    )
    step(
        EventBody(
            EventType.STORED,
            next(t),
            place=Place("Laboratory store, shelf B3"),
            seals=("S-0002",),
            seal_state=SealState.INTACT,
        ),
        cast.analyst,
    )
    return recorded
