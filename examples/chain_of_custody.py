"""Record a small chain of custody and verify it.

A monitoring body seizes a T-shirt during a visit to a detention centre, seals it, hands it
to a courier who takes it to the forensic laboratory, where an analyst receives it, opens it
for analysis, reseals it and stores it. Every step is a signed event; the ledger is then
verified against a trust policy that names the three people and the log key.

Run:  python examples/chain_of_custody.py [DIRECTORY]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from custody.crypto import SigningKey
from custody.ledger import Ledger
from custody.model import Actor, EventBody, EventType, PhysicalItem, Place, SealState
from custody.verify import TrustedKey, TrustedLog, TrustPolicy, verify_ledger

ORIGIN = "custody.example.org/npm-unit-3"


def main(directory: Path) -> int:
    log_key = SigningKey.generate()
    people = {
        "investigator": (SigningKey.generate(), "Inés Moreno", "National Preventive Mechanism"),
        "courier": (SigningKey.generate(), "Carl Osei", "Evidence Transport Service"),
        "analyst": (SigningKey.generate(), "Ana Lindqvist", "Forensic Laboratory"),
    }
    ines, carl, ana = (people[role][0] for role in ("investigator", "courier", "analyst"))
    clock = iter(datetime(2026, 11, 20, 9, 0, tzinfo=UTC) + timedelta(hours=n) for n in range(9))

    with Ledger.create(directory / "ledger.db", origin=ORIGIN, log_key=log_key.public) as ledger:
        for role, (key, name, organisation) in people.items():
            ledger.register_actor(Actor(key.key_id, name, role, organisation), key.public)

        ledger.open_case("NPM-2026-014", ines, purpose="Unannounced visit", at=next(clock))
        shirt = PhysicalItem(
            "NPM-2026-014-01",
            "Cotton T-shirt with stains",
            "paper bag",
            ("SEAL-40211",),
            "Evidence locker 4",
        )
        ledger.acquire(
            "NPM-2026-014",
            shirt,
            ines,
            at=next(clock),
            place=Place("Detention centre, cell block B"),
        )

        def record(body: EventBody, signer: SigningKey) -> None:
            ledger.record("NPM-2026-014", shirt.reference, body, signer)

        record(
            EventBody(
                EventType.TRANSFERRED,
                next(clock),
                counterparty=carl.public.key_id_hex,
                purpose="Transport to the laboratory",
            ),
            ines,
        )
        record(
            EventBody(
                EventType.RECEIVED, next(clock), seals=("SEAL-40211",), seal_state=SealState.INTACT
            ),
            carl,
        )
        record(
            EventBody(EventType.TRANSFERRED, next(clock), counterparty=ana.public.key_id_hex), carl
        )
        record(
            EventBody(
                EventType.RECEIVED,
                next(clock),
                seals=("SEAL-40211",),
                seal_state=SealState.INTACT,
                place=Place("Laboratory intake"),
            ),
            ana,
        )
        record(
            EventBody(
                EventType.ANALYSED,
                next(clock),
                seal_state=SealState.BROKEN,
                purpose="Swab of stains for DNA analysis",
            ),
            ana,
        )
        record(EventBody(EventType.SEALED, next(clock), seals=("SEAL-77310",)), ana)
        record(EventBody(EventType.STORED, next(clock), place=Place("Laboratory store, B3")), ana)
        checkpoint = ledger.checkpoint(log_key)

        trust = TrustPolicy(
            keys=tuple(
                TrustedKey(name, key.public, (role,)) for role, (key, name, _) in people.items()
            ),
            logs=(TrustedLog(ORIGIN, log_key.public),),
        )
        report = verify_ledger(ledger, trust=trust, held_checkpoints=[checkpoint])

    print(checkpoint)
    print("verified" if report.ok else "FAILED", f"({len(report.checks)} kinds of check)")
    for problem in report.problems:
        print(" ", problem)
    return 0 if report.ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(Path(sys.argv[1])))
    with tempfile.TemporaryDirectory() as scratch:
        sys.exit(main(Path(scratch)))
