"""Helpers for testing code that embeds custody: deterministic keys and a small case.

Nothing here is secret: the keys are derived from public names, so never use them for real
evidence. They make tests reproducible (Ed25519 signatures are deterministic, so the same
events signed by the same test key give the same bytes).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from custody.crypto import SigningKey
from custody.ledger import Ledger, RecordedEvent
from custody.medical import SAMPLE_SUBJECT_ID, IdentityRecord, SamplePhoto, sample_evaluation
from custody.model import (
    Actor,
    DigitalItem,
    EventBody,
    EventType,
    PhysicalItem,
    Place,
    SealState,
)

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


@attrs.frozen
class Clinicians:
    """The evaluators and a peer reviewer of the sample medical evaluation."""

    physician: SigningKey = attrs.field(factory=lambda: fixed_key("physician"))
    psychologist: SigningKey = attrs.field(factory=lambda: fixed_key("psychologist"))
    reviewer: SigningKey = attrs.field(factory=lambda: fixed_key("reviewer"))

    def actors(self) -> list[tuple[Actor, SigningKey]]:
        """Actor records for the three."""
        return [
            (
                Actor(self.physician.key_id, "Dr Amina Verhoeven", "forensic physician", "Unit"),
                self.physician,
            ),
            (
                Actor(self.psychologist.key_id, "Dr Tomas Lindqvist", "psychologist", "Unit"),
                self.psychologist,
            ),
            (Actor(self.reviewer.key_id, "Dr Lea Moreau", "peer reviewer", "Unit"), self.reviewer),
        ]


#: Stand-in bytes of the sample evaluation's four photographs (tests only).
SAMPLE_PHOTO_BYTES = tuple(f"photograph {n} of the sample evaluation".encode() for n in range(4))


def prepare_medical_case(
    ledger: Ledger, clinicians: Clinicians | None = None, *, case: str = "CASE-MED"
) -> tuple[dict[str, Any], IdentityRecord]:
    """Register the clinicians, open ``case`` and record the evidence the sample evaluation
    names (four photographs as file items and the urine sample as a sealed physical item).

    Returns:
        the sample evaluation document for this case, and the subject's identity record.
    """
    clinicians = clinicians or Clinicians()
    for actor, key in clinicians.actors():
        ledger.register_actor(actor, key.public, at=SAMPLE_TIME)
    physician = clinicians.physician
    ledger.open_case(case, physician, purpose="medical evaluation", at=SAMPLE_TIME)
    photos = []
    for n, data in enumerate(SAMPLE_PHOTO_BYTES):
        sha256 = hashlib.sha256(data).digest()
        item = DigitalItem(
            f"PHOTO-{n + 1}", sha256, len(data), f"IMG_{n + 1:04d}.jpg", "image/jpeg"
        )
        ledger.acquire(case, item, physician, at=SAMPLE_TIME)
        photos.append(SamplePhoto(item.reference, sha256.hex()))
    sample = PhysicalItem("SAMPLE-SM1", "Urine sample SM1", "sealed bag", ("S-20260302-0007",))
    ledger.acquire(case, sample, physician, at=SAMPLE_TIME)
    identity = IdentityRecord.create(SAMPLE_SUBJECT_ID, ("Karim Haddad (fictional)",))
    document = sample_evaluation(
        physician_key=physician.key_id.hex(),
        psychologist_key=clinicians.psychologist.key_id.hex(),
        identity_commitment=identity.commitment(),
        photos=photos,
        sample_item=sample.reference,
    )
    return document, identity
