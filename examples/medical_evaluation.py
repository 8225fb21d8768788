"""Record, review, seal and report an Istanbul Protocol medical evaluation.

A forensic physician and a psychologist examine a detainee during a visit of a National
Preventive Mechanism. The physician's photographs are taken into the case by intake, the
urine sample is recorded as a sealed physical item, and the evaluation (a fictional but
complete document: several lesions marked on body diagrams, photographs, consent with limits,
a prison officer present, a psychological evaluation) is checked against the Protocol's rules,
recorded, reviewed by a colleague, sealed by both evaluators and rendered as a report in
English, Spanish and French. The subject's identity stays in a separate record: the ledger
holds only its commitment and, for each field of the evaluation, a salted commitment.

Run:  python examples/medical_evaluation.py [DIRECTORY]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PIL import Image

from custody.crypto import SigningKey
from custody.intake import BlobStore, FileResult, intake
from custody.ledger import Ledger
from custody.medical import (
    SAMPLE_SUBJECT_ID,
    Evaluation,
    IdentityRecord,
    SamplePhoto,
    load_evaluation,
    record_evaluation,
    review_evaluation,
    sample_evaluation,
    seal_evaluation,
    validate,
)
from custody.model import Actor, PhysicalItem, Place
from custody.report import render_medical_report, reviews_of, signatures_of
from custody.verify import verify_ledger

CASE = "NPM-2026-031"


def photographs(folder: Path) -> Path:
    """Four camera-like JPEGs standing in for the physician's photographs."""
    card = folder / "camera"
    card.mkdir()
    for number, shade in enumerate((70, 110, 150, 190), start=1):
        picture = Image.new("RGB", (800, 600), (shade, 90, 80))
        picture.save(card / f"IMG_{number:04d}.jpg", quality=88)
    return card


def main(directory: Path) -> int:
    log_key = SigningKey.generate()
    physician, psychologist, reviewer = (SigningKey.generate() for _ in range(3))
    ledger_path = directory / "ledger.db"
    with Ledger.create(
        ledger_path, origin="custody.example.org/npm", log_key=log_key.public
    ) as ledger:
        for key, name, role in (
            (physician, "Dr Amina Verhoeven", "forensic physician"),
            (psychologist, "Dr Tomas Lindqvist", "clinical psychologist"),
            (reviewer, "Dr Lea Moreau", "peer reviewer"),
        ):
            ledger.register_actor(Actor(key.key_id, name, role, "Forensic unit"), key.public)
        ledger.open_case(CASE, physician, purpose="Visit to the remand prison")

        # The photographs become evidence items, in camera order.
        blobs = BlobStore.open(directory / "ledger.blobs", create=True)
        taken: list[FileResult] = []
        intake(ledger, blobs, CASE, [photographs(directory)], physician, on_result=taken.append)
        taken.sort(key=lambda result: result.source)
        photos = [
            SamplePhoto(r.item or "", r.report.digests.sha256.hex()) for r in taken if r.report
        ]

        # The urine sample is a physical item under the physician's seal.
        ledger.acquire(
            CASE,
            PhysicalItem(
                "SAMPLE-SM1",
                "Urine sample SM1",
                "sterile container in an evidence bag",
                seals=("S-20260302-0007",),
            ),
            physician,
            place=Place("Remand prison medical unit"),
        )

        # Identity stays apart; the evaluation carries only its commitment.
        identity = IdentityRecord.create(SAMPLE_SUBJECT_ID, ("Karim Haddad (fictional)",))
        (directory / "identity.json").write_text(json.dumps(identity.to_json(), indent=2))
        document = sample_evaluation(
            physician_key=physician.key_id.hex(),
            psychologist_key=psychologist.key_id.hex(),
            identity_commitment=identity.commitment(),
            photos=photos,
            sample_item="SAMPLE-SM1",
        )
        (directory / "evaluation.json").write_text(json.dumps(document, indent=2))
        evaluation = Evaluation.from_json(document)

        check = validate(evaluation, sealing=True, identity=identity)
        print(f"validation: ok={check.ok}, {len(check.departures)} departures from the Protocol")
        for departure in check.departures:
            print(f"  {departure.code} {departure.pointer}: {departure.message}")
            print(f"    reason given: {departure.reason}")

        record_evaluation(ledger, CASE, evaluation, physician, identity=identity)
        review_evaluation(ledger, CASE, evaluation.evaluation_id, reviewer)
        seal_evaluation(ledger, CASE, evaluation.evaluation_id, physician, identity=identity)
        state = seal_evaluation(
            ledger, CASE, evaluation.evaluation_id, psychologist, identity=identity
        )
        print(f"evaluation {state.reference}: {state.status}, digest {state.digest.hex()[:16]}…")

        pictures = {
            photo.photo_id: blobs.path_of(bytes.fromhex(photo.sha256)).read_bytes()
            for photo in state.evaluation.photographs
        }
        for language in ("en", "es", "fr"):
            html = render_medical_report(
                state.evaluation,
                language=language,
                signatures=signatures_of(state),
                reviews=reviews_of(state),
                photographs=pictures,
                status=state.status,
                digest=state.digest.hex(),
            )
            target = directory / f"report-{language}.html"
            target.write_text(html, encoding="utf-8")
            print(f"report ({language}): {target.name}, {len(html) // 1024} KiB")

        report = verify_ledger(ledger)
        again = load_evaluation(ledger, CASE, evaluation.evaluation_id)
    print("verified" if report.ok else "NOT verified")
    sealed = again.status.value == "sealed" and not again.unsealed_by
    return 0 if report.ok and check.ok and sealed else 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(Path(sys.argv[1])))
    with tempfile.TemporaryDirectory() as scratch:
        sys.exit(main(Path(scratch)))
