"""Take photographs into a case, make a privacy-safe copy, audit the store, and verify.

During a visit to a detention centre, an investigator photographs injuries with a camera that
records its position. Back at the office the memory card is taken into the case: every file is
copied into the blob store, hashed and examined, and recorded as an item signed by the
investigator. A privacy-safe copy (no location, no camera metadata) is made for the visit
report, an evidence label is printed, and the store is audited before the ledger is verified.

Run:  python examples/intake_photographs.py [DIRECTORY]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image

from custody.crypto import SigningKey
from custody.intake import (
    BlobStore,
    DerivedKind,
    FileResult,
    IntakeOptions,
    audit_fixity,
    derive_item,
    facts_from_details,
    intake,
    item_label,
)
from custody.ledger import Ledger
from custody.model import Actor, Place
from custody.verify import verify_ledger

CASE = "NPM-2026-031"


def memory_card(folder: Path) -> Path:
    """Three camera-like JPEGs with make, model, capture time and a GPS position."""
    card = folder / "card-1"
    card.mkdir()
    for number, shade in enumerate((90, 140, 190), start=1):
        exif = Image.Exif()
        exif[0x010F] = "ExampleCam"  # Make
        exif[0x0110] = "Field 7"  # Model
        exif[0x0132] = f"2026:03:12 10:1{number}:00"  # DateTime
        gps = exif.get_ifd(0x8825)
        gps.update({1: "N", 2: (46.0, 12.0, 30.0), 3: "E", 4: (6.0, 8.0, 15.0)})
        picture = Image.new("RGB", (640, 480), (shade, 80, 60))
        picture.save(card / f"IMG_{number:04d}.jpg", quality=90, exif=exif)
    return card


def main(directory: Path) -> int:
    log_key, investigator = SigningKey.generate(), SigningKey.generate()
    origin = "custody.example.org/npm-unit-3"
    with Ledger.create(directory / "ledger.db", origin=origin, log_key=log_key.public) as ledger:
        actor = Actor(investigator.key_id, "Inés Moreno", "investigator", "NPM")
        ledger.register_actor(actor, investigator.public)
        ledger.open_case(CASE, investigator, purpose="Visit to the remand prison")
        blobs = BlobStore.open(directory / "ledger.blobs", create=True)

        results: list[FileResult] = []
        options = IntakeOptions(
            notes="memory card of camera 2, handed over after the visit",
            place=Place("Office of the National Preventive Mechanism"),
        )
        card = memory_card(directory)
        summary = intake(
            ledger, blobs, CASE, [card], investigator, options=options, on_result=results.append
        )
        print(f"intake: {summary.recorded} recorded, {summary.failed} failed")
        again = intake(ledger, blobs, CASE, [card], investigator, options=options)
        print(f"intake again: {again.already_recorded} already recorded, nothing twice")

        first = results[0]
        assert first.item is not None
        facts = facts_from_details(ledger.events(CASE, first.item)[0].event.body.details)
        gps = first.report.exif.gps if first.report else None
        assert gps is not None
        print(f"{first.source}: item {first.item}, camera {facts['make'].value}")
        print(
            f"  GPS {gps.latitude:.5f}, {gps.longitude:.5f} "
            f"(read from the {facts['gps'].source}: every fact says where it came from)"
        )

        copy = derive_item(ledger, blobs, CASE, first.item, DerivedKind.PRIVACY_SAFE, investigator)
        print(f"privacy-safe copy: item {copy.event.item}")
        (directory / f"label-{first.item}.png").write_bytes(item_label(ledger, CASE, first.item))

        audit = audit_fixity(ledger, blobs, signer=investigator)
        print(f"fixity: {len(audit.findings)} stored files checked, ok={audit.ok}")
        report = verify_ledger(ledger)
    print("verified" if report.ok else "NOT verified")
    return 0 if report.ok and audit.ok and summary.failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(Path(sys.argv[1])))
    with tempfile.TemporaryDirectory() as scratch:
        sys.exit(main(Path(scratch)))
