"""Medical evaluation chains: every rule refused on append and reported when forced in."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from custody.crypto import SigningKey
from custody.errors import InvalidInput, TransitionRefused
from custody.ledger import Draft, EvaluationProgress, Ledger, sign_event
from custody.medical import changed_fields
from custody.medical._addenda import notes
from custody.medical._commitments import CommittedDocument
from custody.model import (
    EVALUATION_EVENTS,
    FIRST_EVALUATION_EVENTS,
    Actor,
    EvaluationClaim,
    Event,
    EventBody,
    EventType,
    PhysicalItem,
)
from custody.store import EntryRow
from custody.testing import Cast, fixed_key
from custody.verify import verify_ledger

T = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
CASE = "CASE-1"
EVALUATION = "EV-1"
PHYSICIAN = fixed_key("evaluation tests: physician")
PSYCHOLOGIST = fixed_key("evaluation tests: psychologist")
REVIEWER = fixed_key("evaluation tests: reviewer")
REVISED_CONTENT = {
    "evaluation_id": EVALUATION,
    "findings": [{"id": "F1", "colour": "purple-green"}],
}
AMENDED_CONTENT = {
    "evaluation_id": EVALUATION,
    "findings": [{"id": "F1", "colour": "green"}],
    "note": "x",
}
DRAFT = CommittedDocument.commit(
    {"evaluation_id": EVALUATION, "findings": [{"id": "F1", "colour": "purple"}]}
)
REVISED = CommittedDocument.commit(REVISED_CONTENT)


def over(replaced: CommittedDocument, content: dict[str, Any]) -> CommittedDocument:
    """``content`` as an addendum to ``replaced``: its notes kept, and one saying what changed."""
    note = {
        "supersedes": replaced.digest().hex(),
        "reason": "correction",
        "changed": list(changed_fields(replaced.document, content)),
        "made_on": "2026-03-09",
    }
    return CommittedDocument.commit({**content, "addenda": [*notes(replaced.document), note]})


REVISED_OVER_DRAFT = over(DRAFT, REVISED_CONTENT)
AMENDED_OVER_REVISED = over(REVISED, AMENDED_CONTENT)
AMENDED_OVER_ADDENDUM = over(REVISED_OVER_DRAFT, AMENDED_CONTENT)


@pytest.fixture
def clinic(ledger: Ledger, cast: Cast) -> Ledger:
    """The test ledger with two clinicians and a reviewer registered, and CASE-1 open."""
    for key, name, role in (
        (PHYSICIAN, "Dr Phys", "physician"),
        (PSYCHOLOGIST, "Dr Psych", "psychologist"),
        (REVIEWER, "Dr Review", "reviewer"),
    ):
        ledger.register_actor(Actor(key.key_id, name, role), key.public)
    ledger.open_case(CASE, cast.investigator, at=T)
    return ledger


@attrs.frozen
class Step:
    """One event to append: who signs what on which chain, with which records."""

    signer: SigningKey
    body: EventBody
    records: tuple[bytes, ...] = ()
    chain: str | None = EVALUATION


def version(
    document: CommittedDocument,
    *evaluators: SigningKey,
    number: int = 0,
    signer: SigningKey | None = None,
    supersedes: bytes | None = None,
    chain: str | None = EVALUATION,
) -> Step:
    """A draft (or, with ``supersedes``, an addendum) of ``document``."""
    claim = EvaluationClaim(
        EventType.EVALUATION_ADDENDUM if supersedes else EventType.EVALUATION_RECORDED,
        document.digest(),
        version=number,
        record=document.record_hash(),
        evaluators=[key.key_id for key in evaluators],
        fields=document.commitments(),
        supersedes=supersedes,
    )
    return Step(signer or evaluators[0], claim.event_body(T), (document.to_bytes(),), chain)


def sealed(document: CommittedDocument, signer: SigningKey) -> Step:
    claim = EvaluationClaim(EventType.EVALUATION_SEALED, document.digest())
    return Step(signer, claim.event_body(T))


def reviewed(document: CommittedDocument, signer: SigningKey = REVIEWER) -> Step:
    claim = EvaluationClaim(EventType.EVALUATION_REVIEWED, document.digest())
    return Step(signer, claim.event_body(T))


def raw(signer: SigningKey, kind: EventType, details: Any, **fields: Any) -> Step:
    return Step(signer, EventBody(kind, T, details=details, **fields))


def append(ledger: Ledger, step: Step) -> None:
    ledger.record(CASE, step.chain, step.body, step.signer, records=step.records)


def force(ledger: Ledger, step: Step) -> int:
    """Append ``step`` the way another program could: signed, but past the state machine."""
    state = ledger.state(CASE, step.chain)
    event = Event(CASE, step.chain, state.next_seq, state.head, step.signer.key_id, step.body)
    statement = sign_event(event, step.signer, origin=ledger.info.origin)
    with ledger.store.transaction() as tx:
        index = tx.entry_count()
        for record in step.records:
            tx.add_record(hashlib.sha256(record).digest(), record)
        tx.append_entry(
            EntryRow(
                index,
                CASE,
                step.chain,
                event.seq,
                event.type.value,
                event.actor,
                statement.entry,
                statement.leaf_hash,
            )
        )
    return index


# -- the rules ----------------------------------------------------------------------------

ONE = (PHYSICIAN,)
TWO = (PHYSICIAN, PSYCHOLOGIST)
Scenario = tuple[Callable[[], list[Step]], Callable[[], Step], str]

SCENARIOS: dict[str, Scenario] = {
    "first event is a seal": (lambda: [], lambda: sealed(DRAFT, PHYSICIAN), "FIRST_EVENT"),
    "first version is not 0": (lambda: [], lambda: version(DRAFT, *ONE, number=1), "FIRST_EVENT"),
    "details without a record": (
        lambda: [],
        lambda: raw(
            PHYSICIAN, EventType.EVALUATION_RECORDED, {"evaluation": {"digest": DRAFT.digest()}}
        ),
        "EVALUATION_DETAILS",
    ),
    "details beside the evaluation map": (
        lambda: [version(DRAFT, *ONE)],
        lambda: raw(
            REVIEWER,
            EventType.EVALUATION_REVIEWED,
            {"evaluation": {"digest": DRAFT.digest()}, "note": "bruising"},
        ),
        "EVALUATION_DETAILS",
    ),
    "clinical text in the description": (
        lambda: [version(DRAFT, *ONE)],
        lambda: attrs.evolve(
            reviewed(DRAFT), body=attrs.evolve(reviewed(DRAFT).body, description="bruises")
        ),
        "EVALUATION_DETAILS",
    ),
    "evaluators not sorted": (
        lambda: [],
        lambda: raw(
            PHYSICIAN,
            EventType.EVALUATION_RECORDED,
            {
                "evaluation": {
                    **EvaluationClaim.from_body(version(DRAFT, *TWO).body).to_dict(),
                    "evaluators": sorted((PHYSICIAN.key_id, PSYCHOLOGIST.key_id), reverse=True),
                }
            },
        ),
        "EVALUATION_DETAILS",
    ),
    "recorded by someone else": (
        lambda: [],
        lambda: version(DRAFT, *TWO, signer=REVIEWER),
        "NOT_AN_EVALUATOR",
    ),
    "sealed by someone else": (
        lambda: [version(DRAFT, *ONE)],
        lambda: sealed(DRAFT, PSYCHOLOGIST),
        "NOT_AN_EVALUATOR",
    ),
    "addendum by someone else": (
        lambda: [version(DRAFT, *ONE), sealed(DRAFT, PHYSICIAN)],
        lambda: version(
            REVISED_OVER_DRAFT, PSYCHOLOGIST, number=1, signer=PHYSICIAN, supersedes=DRAFT.digest()
        ),
        "NOT_AN_EVALUATOR",
    ),
    "new draft by someone who names themself": (
        lambda: [version(DRAFT, *TWO)],
        lambda: version(REVISED, PHYSICIAN, REVIEWER, number=1, signer=REVIEWER),
        "NOT_AN_EVALUATOR",
    ),
    "addendum by someone who names themself": (
        lambda: [version(DRAFT, *ONE), sealed(DRAFT, PHYSICIAN)],
        lambda: version(
            REVISED_OVER_DRAFT,
            PHYSICIAN,
            REVIEWER,
            number=1,
            signer=REVIEWER,
            supersedes=DRAFT.digest(),
        ),
        "NOT_AN_EVALUATOR",
    ),
    "new draft after sealing": (
        lambda: [version(DRAFT, *ONE), sealed(DRAFT, PHYSICIAN)],
        lambda: version(REVISED, *ONE, number=1),
        "EVALUATION_SEALED_ALREADY",
    ),
    "new draft skips a version": (
        lambda: [version(DRAFT, *ONE)],
        lambda: version(REVISED, *ONE, number=2),
        "EVALUATION_VERSION",
    ),
    "addendum repeats a version": (
        lambda: [version(DRAFT, *ONE), sealed(DRAFT, PHYSICIAN)],
        lambda: version(REVISED_OVER_DRAFT, *ONE, number=0, supersedes=DRAFT.digest()),
        "EVALUATION_VERSION",
    ),
    "seal of a replaced draft": (
        lambda: [version(DRAFT, *ONE), version(REVISED, *ONE, number=1)],
        lambda: sealed(DRAFT, PHYSICIAN),
        "EVALUATION_DIGEST",
    ),
    "review of another digest": (
        lambda: [version(DRAFT, *ONE)],
        lambda: reviewed(REVISED),
        "EVALUATION_DIGEST",
    ),
    "review by an evaluator": (
        lambda: [version(DRAFT, *TWO)],
        lambda: reviewed(DRAFT, PSYCHOLOGIST),
        "REVIEW_BY_EVALUATOR",
    ),
    "sealed twice": (
        lambda: [version(DRAFT, *TWO), sealed(DRAFT, PHYSICIAN)],
        lambda: sealed(DRAFT, PHYSICIAN),
        "SEALED_TWICE",
    ),
    "addendum before every evaluator sealed": (
        lambda: [version(DRAFT, *TWO), sealed(DRAFT, PHYSICIAN)],
        lambda: version(REVISED_OVER_DRAFT, *TWO, number=1, supersedes=DRAFT.digest()),
        "ADDENDUM_BEFORE_SEAL",
    ),
    "a new draft needs every seal again": (
        lambda: [
            version(DRAFT, *TWO),
            sealed(DRAFT, PHYSICIAN),
            version(REVISED, *TWO, number=1),
            sealed(REVISED, PSYCHOLOGIST),
        ],
        lambda: version(AMENDED_OVER_REVISED, *TWO, number=2, supersedes=REVISED.digest()),
        "ADDENDUM_BEFORE_SEAL",
    ),
    "an addendum needs sealing before the next": (
        lambda: [
            version(DRAFT, *ONE),
            sealed(DRAFT, PHYSICIAN),
            version(REVISED_OVER_DRAFT, *ONE, number=1, supersedes=DRAFT.digest()),
        ],
        lambda: version(
            AMENDED_OVER_ADDENDUM, *ONE, number=2, supersedes=REVISED_OVER_DRAFT.digest()
        ),
        "ADDENDUM_BEFORE_SEAL",
    ),
    "addendum supersedes another digest": (
        lambda: [version(DRAFT, *ONE), sealed(DRAFT, PHYSICIAN)],
        lambda: version(AMENDED_OVER_REVISED, *ONE, number=1, supersedes=REVISED.digest()),
        "ADDENDUM_SUPERSEDES",
    ),
    "item event on an evaluation": (
        lambda: [version(DRAFT, *ONE)],
        lambda: Step(PHYSICIAN, EventBody(EventType.STORED, T)),
        "EVENT_NOT_ALLOWED",
    ),
    "evaluation event on an item": (
        lambda: [acquired("ITEM-1")],
        lambda: version(DRAFT, *ONE, chain="ITEM-1"),
        "EVENT_NOT_ALLOWED",
    ),
    "evaluation event on the case": (
        lambda: [],
        lambda: version(DRAFT, *ONE, chain=None),
        "EVENT_NOT_ALLOWED",
    ),
}


def acquired(item: str) -> Step:
    return Step(REVIEWER, PhysicalItem(item, "a shirt").acquisition(T), chain=item)


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_rule_is_refused_on_append(clinic: Ledger, name: str) -> None:
    setup, bad, code = SCENARIOS[name]
    for step in setup():
        append(clinic, step)
    size = clinic.size
    with pytest.raises(TransitionRefused, match=f": {code}: "):
        append(clinic, bad())
    assert clinic.size == size


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_rule_is_reported_when_forced_in(clinic: Ledger, name: str) -> None:
    setup, bad, code = SCENARIOS[name]
    for step in setup():
        append(clinic, step)
    step = bad()
    seq = clinic.state(CASE, step.chain).next_seq
    index = force(clinic, step)
    report = verify_ledger(clinic)
    assert report.problem_codes() == {code}, report.problems
    (problem,) = report.problems
    assert (problem.where.case, problem.where.item) == (CASE, step.chain)
    assert (problem.where.seq, problem.where.index) == (seq, index)


def test_an_evaluation_in_an_unopened_case_is_refused(clinic: Ledger) -> None:
    step = version(DRAFT, *ONE)
    with pytest.raises(TransitionRefused, match="CASE_NOT_OPENED"):
        clinic.record("CASE-2", EVALUATION, step.body, step.signer, records=step.records)


# -- a whole evaluation -------------------------------------------------------------------


def test_draft_review_seal_and_addendum(clinic: Ledger) -> None:
    for step in (
        version(DRAFT, *TWO),
        version(REVISED, *TWO, number=1, signer=PSYCHOLOGIST),
        reviewed(REVISED),
        sealed(REVISED, PSYCHOLOGIST),
    ):
        append(clinic, step)
    progress = clinic.state(CASE, EVALUATION).evaluation
    assert progress == EvaluationProgress(
        1,
        REVISED.digest(),
        frozenset({PHYSICIAN.key_id, PSYCHOLOGIST.key_id}),
        frozenset({PSYCHOLOGIST.key_id}),
    )
    assert not progress.sealed
    append(clinic, sealed(REVISED, PHYSICIAN))
    progress = clinic.state(CASE, EVALUATION).evaluation
    assert progress is not None
    assert progress.sealed
    append(clinic, version(AMENDED_OVER_REVISED, *ONE, number=2, supersedes=REVISED.digest()))
    progress = clinic.state(CASE, EVALUATION).evaluation
    assert progress == EvaluationProgress(
        2, AMENDED_OVER_REVISED.digest(), frozenset({PHYSICIAN.key_id})
    )
    append(clinic, sealed(AMENDED_OVER_REVISED, PHYSICIAN))
    assert verify_ledger(clinic).ok


def test_an_evaluator_may_name_a_colleague_in_the_next_version(clinic: Ledger) -> None:
    append(clinic, version(DRAFT, *ONE))
    append(clinic, version(REVISED, *TWO, number=1, signer=PHYSICIAN))
    append(clinic, sealed(REVISED, PSYCHOLOGIST))
    append(clinic, sealed(REVISED, PHYSICIAN))
    progress = clinic.state(CASE, EVALUATION).evaluation
    assert progress is not None
    assert progress.sealed
    assert verify_ledger(clinic).ok


def test_an_exported_event_is_allowed_on_an_evaluation(clinic: Ledger, cast: Cast) -> None:
    append(clinic, version(DRAFT, *ONE))
    clinic.record(CASE, EVALUATION, EventBody(EventType.EXPORTED, T), cast.investigator)
    assert verify_ledger(clinic).ok


def test_evaluations_are_listed_apart_from_items(clinic: Ledger) -> None:
    append(clinic, acquired("ITEM-1"))
    append(clinic, version(DRAFT, *ONE, chain="EV-B"))
    append(clinic, version(DRAFT, *ONE, chain="EV-A"))
    assert [item.reference for item in clinic.items(CASE)] == ["ITEM-1"]
    assert clinic.evaluations(CASE) == ["EV-B", "EV-A"]  # in the order first recorded
    timeline = clinic.timeline(CASE)
    assert [(r.event.item, r.event.type) for r in timeline] == [
        (None, EventType.OPENED),
        ("ITEM-1", EventType.ACQUIRED),
        ("EV-B", EventType.EVALUATION_RECORDED),
        ("EV-A", EventType.EVALUATION_RECORDED),
    ]


def test_the_record_is_stored_with_the_event(clinic: Ledger) -> None:
    assert clinic.record_bytes(DRAFT.record_hash()) is None
    append(clinic, version(DRAFT, *ONE))
    assert clinic.record_bytes(DRAFT.record_hash()) == DRAFT.to_bytes()
    # Stored again with the same event on another chain: a no-op, not an error.
    append(clinic, version(DRAFT, *ONE, chain="EV-2"))
    assert CommittedDocument.from_bytes(clinic.record_bytes(DRAFT.record_hash()) or b"") == DRAFT


def test_an_evaluation_is_never_recorded_without_its_document(clinic: Ledger) -> None:
    step = version(DRAFT, *ONE)
    size = clinic.size
    with pytest.raises(InvalidInput, match="neither given with the event nor stored"):
        clinic.record(CASE, EVALUATION, step.body, step.signer)
    with pytest.raises(InvalidInput, match="neither given"):
        clinic.record(CASE, EVALUATION, step.body, step.signer, records=[REVISED.to_bytes()])
    assert clinic.size == size
    assert clinic.record_bytes(REVISED.record_hash()) is None  # rolled back with the event


def test_a_record_stored_earlier_is_enough(clinic: Ledger) -> None:
    first = version(DRAFT, *ONE, chain="EV-0")
    append(clinic, first)
    step = version(DRAFT, *ONE)
    clinic.record(CASE, EVALUATION, step.body, step.signer)
    assert clinic.evaluations(CASE) == ["EV-0", EVALUATION]


def test_records_come_with_a_batch_or_its_drafts(clinic: Ledger) -> None:
    draft, seal = version(DRAFT, *ONE), sealed(DRAFT, PHYSICIAN)
    clinic.record_many(
        [
            Draft(CASE, EVALUATION, draft.body, PHYSICIAN),
            Draft(CASE, EVALUATION, seal.body, PHYSICIAN),
        ],
        records=[DRAFT.to_bytes()],
    )
    revised = version(REVISED_OVER_DRAFT, *ONE, number=1, supersedes=DRAFT.digest())
    clinic.record_many([Draft(CASE, EVALUATION, revised.body, PHYSICIAN, revised.records)])
    assert clinic.record_bytes(REVISED_OVER_DRAFT.record_hash()) == REVISED_OVER_DRAFT.to_bytes()
    assert verify_ledger(clinic).ok


@pytest.mark.parametrize("record", ["text", b""])
def test_records_must_be_bytes(clinic: Ledger, record: Any) -> None:
    step = version(DRAFT, *ONE)
    with pytest.raises(InvalidInput, match="records"):
        clinic.record(CASE, EVALUATION, step.body, step.signer, records=[record])


def test_event_type_sets() -> None:
    assert {EventType.EVALUATION_RECORDED} == FIRST_EVALUATION_EVENTS
    assert {t.value for t in EVALUATION_EVENTS} == {
        "evaluation_recorded",
        "evaluation_reviewed",
        "evaluation_sealed",
        "evaluation_addendum",
    }


# -- the claim ----------------------------------------------------------------------------


def test_a_claim_reads_back_what_it_wrote() -> None:
    body = version(DRAFT, *TWO).body
    claim = EvaluationClaim.from_body(body)
    assert claim.evaluators == tuple(sorted((PHYSICIAN.key_id, PSYCHOLOGIST.key_id)))
    assert claim.fields == DRAFT.commitments()
    assert claim.event_body(T) == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": True}, "details.evaluation.version"),
        ({"version": -1}, "details.evaluation.version"),
        ({"digest": b"\x00" * 31}, "details.evaluation.digest"),
        ({"record": None}, "details.evaluation.record"),
        ({"evaluators": []}, "details.evaluation.evaluators"),
        ({"evaluators": [b"\x01" * 32, b"\x01" * 32]}, "details.evaluation.evaluators"),
        ({"fields": {"no-slash": b"\x00" * 32}}, "details.evaluation.fields"),
        ({"fields": {"/a": b"\x00" * 16}}, "details.evaluation.fields['/a']"),
        ({"supersedes": b"\x00" * 32}, "details.evaluation"),
        ({"extra": 1}, "details.evaluation"),
    ],
)
def test_a_claim_is_read_strictly(change: dict[str, Any], field: str) -> None:
    details = {**EvaluationClaim.from_body(version(DRAFT, *ONE).body).to_dict(), **change}
    body = EventBody(EventType.EVALUATION_RECORDED, T, details={"evaluation": details})
    with pytest.raises(InvalidInput) as refused:
        EvaluationClaim.from_body(body)
    assert refused.value.field == field


def test_a_seal_carries_only_the_digest() -> None:
    with pytest.raises(InvalidInput, match="does not belong"):
        EvaluationClaim(EventType.EVALUATION_SEALED, DRAFT.digest(), version=0)
    with pytest.raises(InvalidInput, match="not an evaluation event"):
        EvaluationClaim(EventType.SEALED, DRAFT.digest())


# -- addenda across versions (checked on the stored records) ------------------------------


def addenda_problems(clinic: Ledger, *steps: Step) -> list[tuple[str, int | None]]:
    for step in steps:
        append(clinic, step)
    return [(p.code, p.where.seq) for p in verify_ledger(clinic).problems]


def amended_once() -> list[Step]:
    return [
        version(DRAFT, *ONE),
        sealed(DRAFT, PHYSICIAN),
        version(REVISED_OVER_DRAFT, *ONE, number=1, supersedes=DRAFT.digest()),
    ]


def test_a_draft_may_correct_the_note_of_an_unsealed_addendum(clinic: Ledger) -> None:
    corrected = over(DRAFT, AMENDED_CONTENT)  # more fields changed, the note says so
    assert addenda_problems(clinic, *amended_once(), version(corrected, *ONE, number=2)) == []


def test_a_draft_that_drops_the_addendum_note_is_reported(clinic: Ledger) -> None:
    erased = version(REVISED, *ONE, number=2)  # the addendum's content, without its note
    assert addenda_problems(clinic, *amended_once(), erased) == [("MEDICAL_ADDENDA", 3)]


def test_an_addendum_whose_note_lists_other_changes_is_reported(clinic: Ledger) -> None:
    steps = [version(REVISED, *ONE), sealed(REVISED, PHYSICIAN)]
    # The true note of an addendum over REVISED, but not listing its change to "/note".
    note = notes(AMENDED_OVER_REVISED.document)[0]
    forged = CommittedDocument.commit(
        {**AMENDED_CONTENT, "addenda": [{**note, "changed": ["/findings/0/colour"]}]}
    )
    addendum = version(forged, *ONE, number=1, supersedes=REVISED.digest())
    assert addenda_problems(clinic, *steps, addendum) == [("MEDICAL_ADDENDA", 2)]


def test_a_later_version_that_rewrites_an_earlier_note_is_reported(clinic: Ledger) -> None:
    sealed_addendum = sealed(REVISED_OVER_DRAFT, PHYSICIAN)
    note = notes(REVISED_OVER_DRAFT.document)[0]
    rewritten = over(REVISED_OVER_DRAFT, AMENDED_CONTENT).document
    history = [{**note, "reason": "another reason"}, notes(rewritten)[1]]
    forged = CommittedDocument.commit({**AMENDED_CONTENT, "addenda": history})
    addendum = version(forged, *ONE, number=2, supersedes=REVISED_OVER_DRAFT.digest())
    problems = addenda_problems(clinic, *amended_once(), sealed_addendum, addendum)
    assert problems == [("MEDICAL_ADDENDA", 4)]


def test_a_draft_after_an_addendum_without_a_note_is_read_on(clinic: Ledger) -> None:
    steps = [
        version(DRAFT, *ONE),
        sealed(DRAFT, PHYSICIAN),
        version(REVISED, *ONE, number=1, supersedes=DRAFT.digest()),  # no note: reported
        version(CommittedDocument.commit(AMENDED_CONTENT), *ONE, number=2),
    ]
    assert addenda_problems(clinic, *steps) == [("MEDICAL_ADDENDA", 2)]


def test_a_note_listing_other_than_pointers_is_reported(clinic: Ledger) -> None:
    steps = [version(REVISED, *ONE), sealed(REVISED, PHYSICIAN)]
    note = notes(AMENDED_OVER_REVISED.document)[0]
    forged = CommittedDocument.commit(
        {**AMENDED_CONTENT, "addenda": [{**note, "changed": [1, "/note"]}]}
    )
    addendum = version(forged, *ONE, number=1, supersedes=REVISED.digest())
    assert addenda_problems(clinic, *steps, addendum) == [("MEDICAL_ADDENDA", 2)]
