"""An evaluation's life in the ledger: record, review, seal by every evaluator, amend, verify."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from custody.errors import InvalidInput, TransitionRefused, VerificationError
from custody.ledger import Ledger
from custody.medical import (
    DocumentError,
    Evaluation,
    EvaluationRefused,
    EvaluationStatus,
    IdentityRecord,
    amend_evaluation,
    load_evaluation,
    new_evaluation_document,
    record_evaluation,
    review_evaluation,
    seal_evaluation,
)
from custody.model import EvaluationClaim, EventType, Place
from custody.testing import SAMPLE_TIME, Clinicians, new_ledger, prepare_medical_case
from custody.verify import verify_ledger

CASE = "CASE-MED"
CLINICIANS = Clinicians()


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with new_ledger(tmp_path / "ledger.db") as ledger:
        yield ledger


@pytest.fixture
def prepared(ledger: Ledger) -> tuple[dict[str, Any], IdentityRecord]:
    return prepare_medical_case(ledger, CLINICIANS, case=CASE)


def _evaluation(prepared: tuple[dict[str, Any], IdentityRecord]) -> Evaluation:
    return Evaluation.from_json(prepared[0])


def _edit_stored_record(ledger: Ledger, old: bytes, new: bytes) -> str:
    """Close the ledger and edit its stored evaluation record behind its back, as someone
    with the file could (dropping the triggers that refuse updates); return its path."""
    path = ledger.store.location
    ledger.close()
    with sqlite3.connect(path) as db:
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='records'"
        ).fetchall():
            db.execute(f"DROP TRIGGER {name}")
        (body,) = db.execute("SELECT body FROM records").fetchone()
        changed = body.replace(old, new, 1)
        assert changed != body
        db.execute("UPDATE records SET body = ?", (changed,))
    return path


def _sealed(ledger: Ledger, evaluation: Evaluation) -> None:
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician)
    seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.psychologist)


def test_recorded_reviewed_and_sealed_by_every_evaluator(ledger: Ledger, prepared: Any) -> None:
    evaluation, identity = _evaluation(prepared), prepared[1]
    state = record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician, identity=identity)
    assert (state.status, state.version, state.evaluation) == (
        EvaluationStatus.DRAFT,
        0,
        evaluation,
    )
    review_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.reviewer)
    state = seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician)
    assert state.status is EvaluationStatus.DRAFT
    assert state.unsealed_by == ("C-PSY",)
    state = seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.psychologist)
    assert state.status is EvaluationStatus.SEALED
    assert state.unsealed_by == ()
    assert [s.key_id for s in state.seals] == [
        CLINICIANS.physician.key_id,
        CLINICIANS.psychologist.key_id,
    ]
    assert [r.key_id for r in state.reviews] == [CLINICIANS.reviewer.key_id]
    assert verify_ledger(ledger).ok
    assert evaluation.evaluation_id in ledger.evaluations(CASE)
    assert evaluation.evaluation_id not in {i.reference for i in ledger.items(CASE)}


def test_a_review_carries_its_time_digest_and_log_entry(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    reviewed_at = SAMPLE_TIME + timedelta(days=2, hours=3)
    state = review_evaluation(
        ledger, CASE, evaluation.evaluation_id, CLINICIANS.reviewer, at=reviewed_at
    )
    (review,) = state.reviews
    assert (review.key_id, review.reviewed_at, review.digest) == (
        CLINICIANS.reviewer.key_id,
        reviewed_at,
        state.digest,
    )
    assert review.index == state.events[-1].index


def test_a_review_of_an_earlier_version_is_not_a_review_of_the_current_one(
    ledger: Ledger, prepared: Any
) -> None:
    evaluation = _evaluation(prepared)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    reviewed = review_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.reviewer)
    revised = attrs.evolve(evaluation, restrictions_statement="Second draft.")
    state = record_evaluation(ledger, CASE, revised, CLINICIANS.physician)
    assert reviewed.reviews
    assert state.digest != reviewed.digest
    assert state.reviews == ()


def test_no_clinical_content_or_identity_in_any_event(ledger: Ledger, prepared: Any) -> None:
    document = prepared[0]
    _sealed(ledger, Evaluation.from_json(document))
    envelopes = b"".join(e.statement.entry for e in ledger.timeline(CASE))
    for secret in ("Karim", "tramline", "handcuff", "Remand prison", "Dr Amina"):
        assert secret.encode() not in envelopes


def test_a_new_draft_before_sealing_is_a_new_version(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician)
    revised = attrs.evolve(evaluation, restrictions_statement="Revised statement.")
    with pytest.raises(TransitionRefused, match="addendum"):
        record_evaluation(ledger, CASE, revised, CLINICIANS.physician)


def test_draft_revisions_before_any_seal(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    revised = attrs.evolve(evaluation, restrictions_statement="Second draft.")
    state = record_evaluation(ledger, CASE, revised, CLINICIANS.psychologist)
    assert (state.version, state.evaluation.restrictions_statement) == (1, "Second draft.")


def test_addendum_after_sealing_names_what_it_supersedes(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    _sealed(ledger, evaluation)
    sealed_digest = load_evaluation(ledger, CASE, evaluation.evaluation_id).digest
    revised = attrs.evolve(evaluation, restrictions_statement="Corrected statement.")
    state = amend_evaluation(
        ledger, CASE, revised, CLINICIANS.physician, reason="Typing error corrected"
    )
    assert state.status is EvaluationStatus.AMENDED
    (note,) = state.evaluation.addenda
    assert note.supersedes == sealed_digest.hex()
    assert note.changed == ("/restrictions_statement",)
    seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician)
    state = seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.psychologist)
    assert state.status is EvaluationStatus.SEALED
    assert verify_ledger(ledger).ok


def test_an_addendum_is_checked_against_the_identity_record(ledger: Ledger, prepared: Any) -> None:
    evaluation, identity = _evaluation(prepared), prepared[1]
    _sealed(ledger, evaluation)
    named = attrs.evolve(evaluation, restrictions_statement="Seen as KARIM  HADDAD (fictional).")
    before = ledger.size
    with pytest.raises(EvaluationRefused, match="identifying detail") as refused:
        amend_evaluation(
            ledger, CASE, named, CLINICIANS.physician, reason="Name added", identity=identity
        )
    assert [(p.code, p.pointer) for p in refused.value.report.hard] == [
        ("A16.19", "/restrictions_statement")
    ]
    assert ledger.size == before
    stranger = IdentityRecord.create(evaluation.subject.subject_id, ("Someone Else",))
    revised = attrs.evolve(evaluation, restrictions_statement="Corrected statement.")
    with pytest.raises(EvaluationRefused, match="identity_commitment"):
        amend_evaluation(
            ledger, CASE, revised, CLINICIANS.physician, reason="Typing error", identity=stranger
        )
    state = amend_evaluation(
        ledger, CASE, revised, CLINICIANS.physician, reason="Typing error", identity=identity
    )
    assert state.status is EvaluationStatus.AMENDED


def test_an_addendum_needs_a_sealed_evaluation(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    revised = attrs.evolve(evaluation, restrictions_statement="x")
    with pytest.raises(TransitionRefused, match="sealed"):
        amend_evaluation(ledger, CASE, revised, CLINICIANS.physician, reason="why")


def test_a_document_breaking_hard_rules_is_refused_and_nothing_recorded(
    ledger: Ledger, prepared: Any
) -> None:
    document = prepared[0]
    document["photographs"][2]["sha256"] = "0" * 64  # not the evidence item's bytes
    document["diagram_annotations"] = []  # lesions without marks
    before = ledger.size
    with pytest.raises(EvaluationRefused) as refused:
        record_evaluation(ledger, CASE, Evaluation.from_json(document), CLINICIANS.physician)
    codes = {(p.code, p.pointer) for p in refused.value.report.hard}
    assert ("A16.16", "/photographs/2/sha256") in codes
    assert ("A16.7", "/findings/0") in codes
    assert ledger.size == before


def test_sealing_checks_the_sealing_rules(ledger: Ledger, prepared: Any) -> None:
    document = prepared[0]
    del document["overall_opinion"]
    evaluation = Evaluation.from_json(document)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    with pytest.raises(EvaluationRefused, match="overall opinion"):
        seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician)


def test_only_evaluators_record_and_seal(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    with pytest.raises(InvalidInput, match="not the key of any evaluator"):
        record_evaluation(ledger, CASE, evaluation, CLINICIANS.reviewer)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    with pytest.raises(TransitionRefused):
        seal_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.reviewer)
    with pytest.raises(TransitionRefused):
        review_evaluation(ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician)


def test_a_wrong_identity_record_is_refused(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    stranger = IdentityRecord.create(evaluation.subject.subject_id, ("Someone Else",))
    with pytest.raises(EvaluationRefused, match="identity_commitment"):
        record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician, identity=stranger)


def test_changing_a_field_of_a_sealed_evaluation_is_reported(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    _sealed(ledger, evaluation)
    path = _edit_stored_record(ledger, b"highly_consistent_with", b"diagnostic_of_xxxxxxxx")
    with Ledger.open(path) as reopened:
        report = verify_ledger(reopened)
    codes = {p.code for p in report.problems}
    assert not report.ok
    assert "MEDICAL_RECORD_CHANGED" in codes
    changed_fields = [str(p.where) for p in report.problems if p.code == "MEDICAL_FIELD_CHANGED"]
    assert any("/opinions/0/level" in where for where in changed_fields)


def test_a_new_draft_of_an_unsealed_addendum_is_allowed(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    _sealed(ledger, evaluation)
    revised = attrs.evolve(evaluation, restrictions_statement="Corrected statement.")
    state = amend_evaluation(ledger, CASE, revised, CLINICIANS.physician, reason="Typing error")
    redrafted = attrs.evolve(state.evaluation, restrictions_statement="Corrected again.")
    state = record_evaluation(ledger, CASE, redrafted, CLINICIANS.physician)
    assert (state.version, state.status) == (2, EvaluationStatus.AMENDED)
    assert verify_ledger(ledger).ok


def test_loading_a_tampered_record_is_refused(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    _sealed(ledger, evaluation)
    path = _edit_stored_record(ledger, b"tramline", b"tramlime")
    with Ledger.open(path) as reopened, pytest.raises(VerificationError, match="not the signed"):
        load_evaluation(reopened, CASE, evaluation.evaluation_id)


def test_an_evaluation_event_with_a_place_is_refused(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    state = record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    claim = EvaluationClaim(EventType.EVALUATION_SEALED, state.digest)
    body = claim.event_body(SAMPLE_TIME, place=Place("Remand prison, wing C"))
    with pytest.raises(InvalidInput, match="place"):
        ledger.record(CASE, evaluation.evaluation_id, body, CLINICIANS.physician)


def test_sealing_refuses_a_document_other_than_the_recorded_one(
    ledger: Ledger, prepared: Any
) -> None:
    evaluation = _evaluation(prepared)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    unread = attrs.evolve(evaluation, restrictions_statement="Never recorded.")
    with pytest.raises(InvalidInput, match="differs from the recorded version"):
        seal_evaluation(
            ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician, expecting=unread
        )
    state = seal_evaluation(
        ledger, CASE, evaluation.evaluation_id, CLINICIANS.physician, expecting=evaluation
    )
    assert [s.key_id for s in state.seals] == [CLINICIANS.physician.key_id]


def test_a_new_document_names_the_subject_only_by_commitment() -> None:
    identity = IdentityRecord.create("0b5f2c6e-4c1d-4a8e-9f3b-2d7c1e5a9b40", ("Karim Haddad",))
    document = new_evaluation_document(identity)
    assert document["subject"]["identity_commitment"] == identity.commitment()
    assert "Karim" not in str(document)
    with pytest.raises(DocumentError) as unfinished:  # what the evaluators must still fill in
        Evaluation.from_json(document)
    assert {p.pointer for p in unfinished.value.problems} >= {"/evaluators", "/sessions"}


def test_a_seeded_salt_source_records_the_same_bytes_twice(tmp_path: Path) -> None:
    def seeded() -> Any:
        counter = iter(range(10**6))
        return lambda size: next(counter).to_bytes(size, "big")

    entries = []
    first: Any = None
    for run in ("a", "b"):
        with new_ledger(tmp_path / f"{run}.db") as ledger:
            prepared = prepare_medical_case(ledger, CLINICIANS, case=CASE)
            # The identity record's own salt is random: both runs record the first document.
            first = first or prepared
            document, identity = first
            evaluation = Evaluation.from_json(document)
            record_evaluation(
                ledger,
                CASE,
                evaluation,
                CLINICIANS.physician,
                at=SAMPLE_TIME,
                identity=identity,
                randbytes=seeded(),
            )
            (recorded,) = ledger.events(CASE, evaluation.evaluation_id)
            entries.append(recorded.statement.entry)
    assert entries[0] == entries[1]


def _takeover(evaluation: Evaluation) -> Evaluation:
    """``evaluation`` with its second evaluator's key replaced by the reviewer's."""
    first, second = evaluation.evaluators
    taken = attrs.evolve(second, key_id=CLINICIANS.reviewer.key_id.hex())
    return attrs.evolve(evaluation, evaluators=(first, taken))


def test_nobody_takes_a_draft_over_by_naming_themself(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    record_evaluation(ledger, CASE, evaluation, CLINICIANS.physician)
    size = ledger.size
    with pytest.raises(TransitionRefused, match="NOT_AN_EVALUATOR"):
        record_evaluation(ledger, CASE, _takeover(evaluation), CLINICIANS.reviewer)
    assert ledger.size == size


def test_nobody_amends_by_naming_themself(ledger: Ledger, prepared: Any) -> None:
    evaluation = _evaluation(prepared)
    _sealed(ledger, evaluation)
    size = ledger.size
    revised = attrs.evolve(_takeover(evaluation), restrictions_statement="Other.")
    with pytest.raises(TransitionRefused, match="NOT_AN_EVALUATOR"):
        amend_evaluation(ledger, CASE, revised, CLINICIANS.reviewer, reason="take over")
    assert ledger.size == size


def _amended(ledger: Ledger, evaluation: Evaluation) -> Evaluation:
    _sealed(ledger, evaluation)
    revised = attrs.evolve(evaluation, restrictions_statement="Corrected statement.")
    state = amend_evaluation(ledger, CASE, revised, CLINICIANS.physician, reason="Typing error")
    return state.evaluation


def test_a_draft_cannot_drop_the_note_of_an_addendum(ledger: Ledger, prepared: Any) -> None:
    amended = _amended(ledger, _evaluation(prepared))
    size = ledger.size
    with pytest.raises(InvalidInput, match="drops 1 of the 1 addendum note"):
        record_evaluation(ledger, CASE, attrs.evolve(amended, addenda=()), CLINICIANS.physician)
    assert ledger.size == size


def test_a_draft_of_an_addendum_keeps_its_note_true(ledger: Ledger, prepared: Any) -> None:
    amended = _amended(ledger, _evaluation(prepared))
    first, *others = amended.recommendations
    restated = (attrs.evolve(first, text="Not to be returned to that police station."), *others)
    redrafted = attrs.evolve(amended, recommendations=restated)
    state = record_evaluation(ledger, CASE, redrafted, CLINICIANS.physician)
    (note,) = state.evaluation.addenda
    assert note.changed == ("/recommendations/0/text", "/restrictions_statement")
    assert verify_ledger(ledger).ok


@pytest.mark.parametrize("history", ["erased", "forged"])
def test_an_amendment_keeps_the_notes_before_it(
    ledger: Ledger, prepared: Any, history: str
) -> None:
    amended = _amended(ledger, _evaluation(prepared))
    seal_evaluation(ledger, CASE, amended.evaluation_id, CLINICIANS.physician)
    seal_evaluation(ledger, CASE, amended.evaluation_id, CLINICIANS.psychologist)
    (note,) = amended.addenda
    addenda = () if history == "erased" else (attrs.evolve(note, reason="Another reason"),)
    revised = attrs.evolve(amended, addenda=addenda, restrictions_statement="Restated.")
    size = ledger.size
    with pytest.raises(InvalidInput, match="addenda of the sealed version unchanged"):
        amend_evaluation(ledger, CASE, revised, CLINICIANS.physician, reason="x")
    assert ledger.size == size


def test_an_evaluation_too_large_for_one_event_is_refused_saying_why(
    ledger: Ledger, prepared: Any
) -> None:
    document = copy.deepcopy(prepared[0])
    lesion = next(f for f in document["findings"] if f["finding_id"] == "F1")
    mark = next(a for a in document["diagram_annotations"] if a["finding"] == "F1")
    for n in range(150):  # each lesion adds about 36 fields, one commitment each
        document["findings"].append({**copy.deepcopy(lesion), "finding_id": f"FX{n}"})
        number = len(document["diagram_annotations"]) + 1
        document["diagram_annotations"].append(
            {**mark, "annotation_id": f"AX{n}", "finding": f"FX{n}", "number": number}
        )
    size = ledger.size
    with pytest.raises(InvalidInput, match=r"fields, one signed commitment each, make the event"):
        record_evaluation(ledger, CASE, Evaluation.from_json(document), CLINICIANS.physician)
    assert ledger.size == size
