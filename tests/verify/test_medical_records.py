"""The medical records of evaluation events: verified against what the events sign."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

import ledger_files
from custody.crypto import SigningKey
from custody.ledger import Ledger
from custody.medical._commitments import CommittedDocument
from custody.model import Actor, EvaluationClaim, EventType
from custody.testing import Cast, fixed_key
from custody.verify import VerificationReport, verify_ledger

T = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
CASE = "CASE-1"
EVALUATION = "EV-1"
PHYSICIAN = fixed_key("record tests: physician")
PSYCHOLOGIST = fixed_key("record tests: psychologist")
REVIEWER = fixed_key("record tests: reviewer")
DOCUMENT = {
    "evaluation_id": EVALUATION,
    "evaluators": [
        {"clinician_id": "C1", "key_id": PHYSICIAN.key_id.hex()},
        {"clinician_id": "C2", "key_id": PSYCHOLOGIST.key_id.hex()},
    ],
    "findings": [{"id": "F1", "colour": "purple", "size": {"length_mm": 40}}],
    "opinion": "highly_consistent_with",
}
COMMITTED = CommittedDocument.commit(DOCUMENT)
FIELD_CHECKS = (
    "medical records stored",
    "medical records unchanged",
    "medical records well-formed",
    "evaluation digests match their fields",
    "evaluation fields match their records",
    "signed evaluators are the record's",
)


def claim(kind: EventType, document: CommittedDocument, **fields: object) -> EvaluationClaim:
    if kind is not EventType.EVALUATION_RECORDED:
        return EvaluationClaim(kind, document.digest())
    return EvaluationClaim(
        kind,
        document.digest(),
        version=0,
        record=document.record_hash(),
        evaluators=[PHYSICIAN.key_id, PSYCHOLOGIST.key_id],
        fields=document.commitments(),
        **fields,  # type: ignore[arg-type]
    )


def record(ledger: Ledger, signer: SigningKey, stated: EvaluationClaim, *records: bytes) -> int:
    return ledger.record(CASE, EVALUATION, stated.event_body(T), signer, records=records).index


@pytest.fixture
def evaluated(ledger: Ledger, cast: Cast) -> Ledger:
    """A ledger holding one evaluation by two clinicians, reviewed and sealed by both."""
    for key, name in ((PHYSICIAN, "Dr Phys"), (PSYCHOLOGIST, "Dr Psych"), (REVIEWER, "Dr Rev")):
        ledger.register_actor(Actor(key.key_id, name, "clinician"), key.public)
    ledger.open_case(CASE, cast.investigator, at=T)
    record(ledger, PHYSICIAN, claim(EventType.EVALUATION_RECORDED, COMMITTED), COMMITTED.to_bytes())
    record(ledger, REVIEWER, claim(EventType.EVALUATION_REVIEWED, COMMITTED))
    record(ledger, PHYSICIAN, claim(EventType.EVALUATION_SEALED, COMMITTED))
    record(ledger, PSYCHOLOGIST, claim(EventType.EVALUATION_SEALED, COMMITTED))
    ledger.checkpoint(cast.log)
    return ledger


def tamper(path: str, sql: str, *params: object) -> None:
    ledger_files.tamper(path, (sql, params))


def verify(ledger: Ledger, **options: object) -> VerificationReport:
    with Ledger.open(ledger.store.location) as reopened:
        return verify_ledger(reopened, **options)  # type: ignore[arg-type]


def stored_record(ledger: Ledger) -> bytes:
    found = ledger.record_bytes(COMMITTED.record_hash())
    assert found is not None
    return found


def replace_record(ledger: Ledger, body: bytes) -> None:
    tamper(
        ledger.store.location,
        "UPDATE records SET body = ? WHERE digest = ?",
        body,
        COMMITTED.record_hash(),
    )


RECORDED_AT = {"case": CASE, "item": EVALUATION, "seq": 0, "index": 1}


def located(report: VerificationReport, code: str) -> list[dict[str, object]]:
    return [p.where.to_dict() for p in report.problems if p.code == code]


def test_a_sealed_evaluation_by_two_clinicians_verifies(evaluated: Ledger) -> None:
    report = verify(evaluated)
    assert report.ok, report.problems
    checks = {check.name: check for check in report.checks}
    assert [checks[name].performed for name in FIELD_CHECKS] == [1, 1, 1, 1, 9, 1]
    assert evaluated.state(CASE, EVALUATION).evaluation.sealed  # type: ignore[union-attr]


def test_a_changed_byte_of_the_record_names_the_field(evaluated: Ledger) -> None:
    body = stored_record(evaluated)
    at = body.index(b"purple") + 5
    replace_record(evaluated, body[:at] + b"f" + body[at + 1 :])  # "purplf"
    report = verify(evaluated)
    assert report.problem_codes() == {"MEDICAL_RECORD_CHANGED", "MEDICAL_FIELD_CHANGED"}
    assert located(report, "MEDICAL_RECORD_CHANGED") == [RECORDED_AT]
    assert located(report, "MEDICAL_FIELD_CHANGED") == [
        {**RECORDED_AT, "member": "field /findings/0/colour"}
    ]
    (field,) = [p for p in report.problems if p.code == "MEDICAL_FIELD_CHANGED"]
    assert str(field.where).endswith("field /findings/0/colour")


def test_a_changed_salt_names_its_field(evaluated: Ledger) -> None:
    body = stored_record(evaluated)
    salt = COMMITTED.salts["/findings/0/size/length_mm"]
    at = body.index(salt)
    replace_record(evaluated, body[:at] + bytes([salt[0] ^ 1]) + body[at + 1 :])
    report = verify(evaluated)
    assert located(report, "MEDICAL_FIELD_CHANGED") == [
        {**RECORDED_AT, "member": "field /findings/0/size/length_mm"}
    ]


def test_another_document_under_the_digest_is_reported_field_by_field(evaluated: Ledger) -> None:
    other = CommittedDocument.commit(
        {**DOCUMENT, "opinion": "consistent_with", "added": True}, randbytes=lambda n: b"\x07" * n
    )
    # Same salts where the pointers are the same: only the changed value and the new field.
    kept = CommittedDocument(other.document, {**COMMITTED.salts, "/added": b"\x07" * 16})
    replace_record(evaluated, kept.to_bytes())
    report = verify(evaluated)
    fields = {(p.where.member, p.message) for p in report.problems if p.where.member}
    assert {member for member, _ in fields} == {"field /added", "field /opinion"}
    assert report.problem_codes() == {"MEDICAL_RECORD_CHANGED", "MEDICAL_FIELD_CHANGED"}


def test_a_removed_field_is_reported(evaluated: Ledger) -> None:
    smaller = {key: value for key, value in DOCUMENT.items() if key != "opinion"}
    salts = {p: s for p, s in COMMITTED.salts.items() if p != "/opinion"}
    replace_record(evaluated, CommittedDocument(smaller, salts).to_bytes())
    report = verify(evaluated)
    (removed,) = [p for p in report.problems if p.code == "MEDICAL_FIELD_CHANGED"]
    assert removed.where.member == "field /opinion"
    assert "no longer has" in removed.message


def test_a_deleted_record_is_missing(evaluated: Ledger) -> None:
    tamper(evaluated.store.location, "DELETE FROM records")
    report = verify(evaluated)
    assert report.problem_codes() == {"MEDICAL_RECORD_MISSING"}
    assert located(report, "MEDICAL_RECORD_MISSING") == [RECORDED_AT]


def test_an_unreadable_record_is_malformed(evaluated: Ledger) -> None:
    replace_record(evaluated, stored_record(evaluated)[:-1])
    report = verify(evaluated)
    assert report.problem_codes() == {"MEDICAL_RECORD_CHANGED", "MEDICAL_RECORD_MALFORMED"}


def test_a_digest_that_is_not_of_the_fields_is_reported(ledger: Ledger, cast: Cast) -> None:
    ledger.register_actor(Actor(PHYSICIAN.key_id, "Dr Phys", "clinician"), PHYSICIAN.public)
    ledger.open_case(CASE, cast.investigator, at=T)
    other = CommittedDocument.commit({"evaluation_id": "another"})
    stated = claim(EventType.EVALUATION_RECORDED, COMMITTED)
    # The ledger cannot check this (it knows nothing of commitments); verification does.
    forged = EvaluationClaim(
        EventType.EVALUATION_RECORDED,
        other.digest(),
        version=0,
        record=stated.record,
        evaluators=stated.evaluators,
        fields=stated.fields,
    )
    ledger.register_actor(Actor(PSYCHOLOGIST.key_id, "Dr Psych", "clinician"), PSYCHOLOGIST.public)
    record(ledger, PHYSICIAN, forged, COMMITTED.to_bytes())
    report = verify(ledger)
    assert report.problem_codes() == {"MEDICAL_DIGEST"}


def test_a_case_not_asked_about_is_not_checked(evaluated: Ledger, cast: Cast) -> None:
    evaluated.open_case("CASE-2", cast.investigator, at=T)
    tamper(evaluated.store.location, "DELETE FROM records")
    assert verify(evaluated, case="CASE-2").ok
    assert verify(evaluated, case=CASE).problem_codes() == {"MEDICAL_RECORD_MISSING"}


def test_parallel_verification_checks_records_alike(
    evaluated: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = stored_record(evaluated)
    at = body.index(b"purple")
    replace_record(evaluated, body[:at] + b"P" + body[at + 1 :])
    inline = verify(evaluated, workers=1)
    monkeypatch.setattr("custody.verify._parallel.PARALLEL_THRESHOLD", 1)
    parallel = verify(evaluated, workers=2)
    assert parallel == inline
    assert "MEDICAL_FIELD_CHANGED" in inline.problem_codes()


def test_a_record_row_cannot_be_changed_through_the_database(evaluated: Ledger) -> None:
    path = evaluated.store.location
    for statement in ("UPDATE records SET body = x'00'", "DELETE FROM records"):
        with sqlite3.connect(path) as db, pytest.raises(sqlite3.DatabaseError, match="custody:"):
            db.execute(statement)
    assert verify(evaluated).ok


def test_an_event_naming_fewer_evaluators_than_the_document_is_reported(
    ledger: Ledger, cast: Cast
) -> None:
    ledger.register_actor(Actor(PHYSICIAN.key_id, "P", "physician"), PHYSICIAN.public)
    ledger.open_case(CASE, cast.investigator, at=T)
    alone = EvaluationClaim(
        EventType.EVALUATION_RECORDED,
        COMMITTED.digest(),
        version=0,
        record=COMMITTED.record_hash(),
        evaluators=[PHYSICIAN.key_id],
        fields=COMMITTED.commitments(),
    )
    record(ledger, PHYSICIAN, alone, COMMITTED.to_bytes())
    report = verify(ledger)
    assert [p.code for p in report.problems] == ["MEDICAL_EVALUATORS"]
    assert located(report, "MEDICAL_EVALUATORS")[0]["item"] == EVALUATION
