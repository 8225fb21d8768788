"""An evaluation's life in the ledger: recorded, reviewed, sealed by every evaluator, amended.

Each step is a signed event in the evaluation's own chain, ``(case, evaluation_id)``. The
document is committed field by field with random salts (:mod:`custody.medical._commitments`):
the events carry only the commitments and the evaluation digest, the salted document is
stored beside the log as a record. Sealing is one ``evaluation_sealed`` event per evaluator
over the same digest; after that the document changes only through an addendum that names
the sealed digest it supersedes and must be sealed again (rule 15).

Evaluation events carry no place and no purpose: free text in a signed envelope could name
the person or the place of detention, and only commitments may enter it.
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from custody.crypto import Signer
from custody.errors import InvalidInput, TransitionRefused, VerificationError
from custody.ledger import Ledger, RecordedEvent
from custody.medical._addenda import VersionHistory, changed_fields
from custody.medical._commitments import CommittedDocument, leaves, rebuild
from custody.medical._documents import FieldProblem
from custody.medical._evaluation import Evaluation
from custody.medical._opinions import AddendumNote
from custody.medical._people import IdentityRecord
from custody.medical._rules import ItemFacts, ValidationReport, validate
from custody.medical._terms import ProtocolVersion
from custody.model import (
    EvaluationClaim,
    EventType,
    utc_now,
)

_EVALUATOR_KEY = re.compile(r"/evaluators/\d+/key_id")
_VERSIONING = frozenset({EventType.EVALUATION_RECORDED, EventType.EVALUATION_ADDENDUM})


class EvaluationStatus(enum.StrEnum):
    """Where an evaluation stands in its lifecycle."""

    DRAFT = "draft"  # recorded, not yet sealed by every evaluator
    SEALED = "sealed"  # every evaluator sealed the current version
    AMENDED = "amended"  # an addendum awaits the evaluators' seals


class EvaluationRefused(InvalidInput):
    """The document breaks hard rules of the Protocol; ``report`` lists them all."""

    def __init__(self, report: ValidationReport) -> None:
        shown = "; ".join(f"{p.pointer}: {p.message}" for p in report.hard[:5])
        more = f" (and {len(report.hard) - 5} more)" if len(report.hard) > 5 else ""
        super().__init__(f"{len(report.hard)} rule(s) broken: {shown}{more}", field="evaluation")
        self.report = report
        self.problems = tuple(FieldProblem(p.pointer, p.message) for p in report.hard)


@attrs.frozen
class SealSignature:
    """One evaluator's seal: who, when, over which digest, in which log entry.

    Attributes:
        key_id: the evaluator's key id.
        signed_at: the claimed time of the seal.
        digest: the evaluation digest sealed.
        index: the seal event's leaf index in the log.
    """

    key_id: bytes
    signed_at: datetime
    digest: bytes
    index: int


@attrs.frozen
class Review:
    """A review by someone who is not an evaluator: who, when, over which digest, in which
    log entry.

    Attributes:
        key_id: the reviewer's key id.
        reviewed_at: the claimed time of the review.
        digest: the evaluation digest reviewed.
        index: the review event's leaf index in the log.
    """

    key_id: bytes
    reviewed_at: datetime
    digest: bytes
    index: int


@attrs.frozen
class EvaluationState:
    """An evaluation as the ledger holds it now.

    Attributes:
        case: the case.
        reference: the evaluation id (its chain in the case).
        evaluation: the current version of the document.
        document: the salted document of that version.
        version: its version number (0 for the first draft).
        status: draft, sealed or amended.
        seals: the seals given to the current version.
        reviews: the reviews of the current version, in the order recorded.
        events: every event of the evaluation's chain.
    """

    case: str
    reference: str
    evaluation: Evaluation
    document: CommittedDocument
    version: int
    status: EvaluationStatus
    seals: tuple[SealSignature, ...]
    reviews: tuple[Review, ...]
    events: tuple[RecordedEvent, ...]

    @property
    def digest(self) -> bytes:
        """The evaluation digest of the current version: what the evaluators seal."""
        return self.document.digest()

    @property
    def unsealed_by(self) -> tuple[str, ...]:
        """Clinician ids of evaluators who have not sealed the current version."""
        sealed = {s.key_id.hex() for s in self.seals}
        return tuple(c.clinician_id for c in self.evaluation.evaluators if c.key_id not in sealed)


def new_evaluation_document(identity: IdentityRecord) -> dict[str, Any]:
    """A new evaluation document for the subject of ``identity``: fresh ids, the identity
    commitment, and every part still empty for the evaluators to fill in (validation says
    what is missing)."""
    return {
        "evaluation_id": str(uuid.uuid4()),
        "protocol_version": ProtocolVersion.IP_2022.value,
        "context": "custodial",
        "purpose": "documentation_only",
        "requested_by": {"role": "other"},
        "language": "en",
        "evaluators": [],
        "subject": {
            "subject_id": identity.subject_id,
            "identity_commitment": identity.commitment(),
            "languages": [],
            "custody_status": "unknown",
        },
        "sessions": [],
        "consents": [],
        "alleged_events": [],
        "symptoms": [],
        "findings": [],
        "diagram_annotations": [],
        "photographs": [],
        "psychological_evaluations": [],
        "opinions": [],
        "recommendations": [],
        "declarations": [],
    }


def record_evaluation(
    ledger: Ledger,
    case: str,
    evaluation: Evaluation,
    signer: Signer,
    *,
    at: datetime | None = None,
    identity: IdentityRecord | None = None,
    randbytes: Callable[[int], bytes] = os.urandom,
) -> EvaluationState:
    """Record a draft (the first, or a new version before sealing) of ``evaluation``.

    The document is checked against every rule first (with the case's evidence items for
    photographs and samples); it is recorded only if no hard rule is broken.

    ``randbytes`` draws the field salts. Keep the default for real evaluations: only a
    reproducible demonstration or test may pass a seeded source.

    Raises:
        EvaluationRefused: listing every hard rule the document breaks.
        TransitionRefused: if the evaluation is sealed (amend it instead) or the signer is
            not one of its evaluators.
    """
    reference = evaluation.evaluation_id
    version, history = 0, VersionHistory()
    if _has_chain(ledger, case, reference):
        current = load_evaluation(ledger, case, reference)
        if current.status is EvaluationStatus.SEALED or current.seals:
            raise TransitionRefused(
                "the evaluation has seals on its current version; amend it with an addendum",
                field=f"{case}/{reference}",
            )
        version = current.version + 1  # a new draft of a draft, or of an unsealed addendum
        history = _history(ledger, case, reference)
        evaluation = _newest_note_brought_up_to_date(evaluation, history)
    _refuse_broken(validate(evaluation, evidence=evidence_lookup(ledger, case), identity=identity))
    _refuse_history(history.problems(evaluation.to_json(), addendum=False))
    _record_version(
        ledger,
        case,
        evaluation,
        signer,
        _Version(EventType.EVALUATION_RECORDED, version, None),
        at,
        randbytes,
    )
    return load_evaluation(ledger, case, reference)


def review_evaluation(
    ledger: Ledger,
    case: str,
    reference: str,
    signer: Signer,
    *,
    at: datetime | None = None,
) -> EvaluationState:
    """Record that a reviewer (not one of the evaluators) reviewed the current version."""
    current = load_evaluation(ledger, case, reference)
    claim = EvaluationClaim(EventType.EVALUATION_REVIEWED, current.digest)
    ledger.record(case, reference, claim.event_body(at or utc_now()), signer)
    return load_evaluation(ledger, case, reference)


def seal_evaluation(
    ledger: Ledger,
    case: str,
    reference: str,
    signer: Signer,
    *,
    at: datetime | None = None,
    identity: IdentityRecord | None = None,
    expecting: Evaluation | None = None,
) -> EvaluationState:
    """Seal the current version with the signer's key: one evaluator's signature.

    The evaluation is sealed once every evaluator has sealed the same version. The rules for
    sealing (overall opinion, qualifications, declarations, stated departures) are checked
    first.

    Args:
        expecting: the document the evaluator read; sealing is refused if the recorded
            version is another one, so nobody seals what they did not review.

    Raises:
        EvaluationRefused: listing every hard rule the document breaks for sealing.
        TransitionRefused: if the signer is not an evaluator, or sealed this version already.
        InvalidInput: if the recorded version is not ``expecting``.
    """
    current = load_evaluation(ledger, case, reference)
    if expecting is not None and current.evaluation != expecting:
        raise InvalidInput(
            "differs from the recorded version of the evaluation; record it first and have "
            "it reviewed, then seal",
            field="evaluation",
        )
    report = validate(
        current.evaluation,
        sealing=True,
        evidence=evidence_lookup(ledger, case),
        identity=identity,
    )
    _refuse_broken(report)
    claim = EvaluationClaim(EventType.EVALUATION_SEALED, current.digest)
    ledger.record(case, reference, claim.event_body(at or utc_now()), signer)
    return load_evaluation(ledger, case, reference)


def amend_evaluation(
    ledger: Ledger,
    case: str,
    revised: Evaluation,
    signer: Signer,
    *,
    reason: str,
    at: datetime | None = None,
    identity: IdentityRecord | None = None,
) -> EvaluationState:
    """Record an addendum to a sealed evaluation: the revised document, with a note of what
    changed and why added to its ``addenda``; the evaluators then seal it again.

    ``identity``, the subject's identity record, is checked against the revised document as
    when recording (rule 19).

    Raises:
        TransitionRefused: if the evaluation is not sealed.
        EvaluationRefused: if the revised document breaks hard rules.
    """
    reference = revised.evaluation_id
    current = load_evaluation(ledger, case, reference)
    if current.status is not EvaluationStatus.SEALED:
        raise TransitionRefused(
            "only a sealed evaluation takes an addendum; record a new draft instead",
            field=f"{case}/{reference}",
        )
    if revised.addenda != current.evaluation.addenda:
        raise InvalidInput(
            "must carry the addenda of the sealed version unchanged; the amendment adds the "
            "new note itself",
            field="addenda",
        )
    when = at or utc_now()
    changed = changed_fields(current.evaluation.to_json(), revised.to_json())
    if not changed:
        raise InvalidInput("the revised evaluation changes nothing", field="evaluation")
    note = AddendumNote(
        supersedes=current.digest.hex(), reason=reason, changed=changed, made_on=when.date()
    )
    revised = attrs.evolve(revised, addenda=(*revised.addenda, note))
    history = _history(ledger, case, reference)
    _refuse_history(history.problems(revised.to_json(), addendum=True, supersedes=current.digest))
    _refuse_broken(validate(revised, evidence=evidence_lookup(ledger, case), identity=identity))
    _record_version(
        ledger,
        case,
        revised,
        signer,
        _Version(EventType.EVALUATION_ADDENDUM, current.version + 1, current.digest),
        when,
    )
    return load_evaluation(ledger, case, reference)


def load_evaluation(ledger: Ledger, case: str, reference: str) -> EvaluationState:
    """The evaluation ``reference`` of ``case`` as the ledger holds it now.

    Raises:
        InvalidInput: if the case has no such evaluation, or its stored record cannot be read
            (verification says where and why).
    """
    events = tuple(ledger.events(case, reference))
    if not events or events[0].event.type is not EventType.EVALUATION_RECORDED:
        raise InvalidInput("the case has no such evaluation", field=f"{case}/{reference}")
    claims = [(e, EvaluationClaim.from_body(e.event.body)) for e in events]
    latest = next(c for _, c in reversed(claims) if c.type in _VERSIONING)
    document = _stored_document(ledger, latest, f"{case}/{reference}")
    _check_document(document, latest, f"{case}/{reference}")
    seals = tuple(
        SealSignature(e.event.actor, e.event.body.time, c.digest, e.index)
        for e, c in claims
        if c.type is EventType.EVALUATION_SEALED and c.digest == latest.digest
    )
    reviews = tuple(
        Review(e.event.actor, e.event.body.time, c.digest, e.index)
        for e, c in claims
        if c.type is EventType.EVALUATION_REVIEWED and c.digest == latest.digest
    )
    all_sealed = {s.key_id for s in seals} >= set(latest.evaluators)
    if all_sealed:
        status = EvaluationStatus.SEALED
    elif any(c.type is EventType.EVALUATION_ADDENDUM for _, c in claims):
        status = EvaluationStatus.AMENDED  # sealed once; its new version awaits the seals
    else:
        status = EvaluationStatus.DRAFT
    return EvaluationState(
        case,
        reference,
        Evaluation.from_json(rebuild(leaves(document.document))),
        document,
        latest.version or 0,
        status,
        seals,
        reviews,
        events,
    )


def evidence_lookup(ledger: Ledger, case: str) -> Callable[[str], ItemFacts | None]:
    """Facts about the items of ``case`` for the rules on photographs and samples."""
    items = {item.reference: item for item in ledger.items(case)}

    def lookup(reference: str) -> ItemFacts | None:
        item = items.get(reference)
        if item is None:
            return None
        events = ledger.events(case, reference)
        first = events[0].event
        state = ledger.state(case, reference)
        sha256 = first.body.artifacts[0].sha256 if first.body.artifacts else None
        handed_over = any(e.event.type is EventType.RECEIVED for e in events)
        return ItemFacts(sha256, first.body.seals, state.holder, handed_over)

    return lookup


@attrs.frozen
class _Version:
    """Which version an event submits: its event type, number and the digest it replaces."""

    kind: EventType
    number: int
    supersedes: bytes | None


def _record_version(
    ledger: Ledger,
    case: str,
    evaluation: Evaluation,
    signer: Signer,
    version: _Version,
    at: datetime | None,
    randbytes: Callable[[int], bytes] = os.urandom,
) -> None:
    _check_signer_is_evaluator(evaluation, signer)
    document = CommittedDocument.commit(evaluation.to_json(), randbytes=randbytes)
    claim = EvaluationClaim(
        version.kind,
        document.digest(),
        version=version.number,
        record=document.record_hash(),
        evaluators=[bytes.fromhex(c.key_id) for c in evaluation.evaluators],
        fields=document.commitments(),
        supersedes=version.supersedes,
    )
    body = claim.event_body(at or utc_now())
    try:
        ledger.record(case, evaluation.evaluation_id, body, signer, records=[document.to_bytes()])
    except InvalidInput as exc:
        if exc.field != "event":
            raise
        # The event carries one commitment per field: say what makes it too large.
        raise InvalidInput(
            f"its {len(claim.fields)} fields, one signed commitment each, make the event too "
            f"large ({exc}); record the details of some findings in a supporting document "
            "and refer to it",
            field="evaluation",
        ) from exc


def _check_signer_is_evaluator(evaluation: Evaluation, signer: Signer) -> None:
    if signer.key_id.hex() not in {c.key_id for c in evaluation.evaluators}:
        raise InvalidInput(
            f"key {signer.key_id.hex()} is not the key of any evaluator of the evaluation",
            field="signer",
        )


def _stored_document(ledger: Ledger, claim: EvaluationClaim, where: str) -> CommittedDocument:
    assert claim.record is not None  # versioning claims always name their record
    stored = ledger.record_bytes(claim.record)
    if stored is None:
        raise InvalidInput("the evaluation's record is missing from the ledger", field=where)
    if hashlib.sha256(stored).digest() != claim.record:
        raise VerificationError(f"{where}: the stored evaluation is not the signed one")
    try:
        return CommittedDocument.from_bytes(stored)
    except InvalidInput as exc:
        raise VerificationError(f"{where}: the stored evaluation cannot be read ({exc})") from None


def _check_document(document: CommittedDocument, claim: EvaluationClaim, where: str) -> None:
    """Refuse a stored document that is not the one the signed event commits to (its bytes
    were checked against the signed record hash when read)."""
    if document.digest() != claim.digest:
        raise VerificationError(f"{where}: the stored evaluation is not the signed one")
    if not evaluators_match(document, claim):
        raise VerificationError(f"{where}: the signed evaluators are not the document's")


def evaluators_match(document: CommittedDocument, claim: EvaluationClaim) -> bool:
    """Whether the evaluators ``claim`` lets seal are exactly those ``document`` names.

    A document naming no evaluators matches: it is no evaluation, and reading it as one
    fails wherever that is tried.
    """
    named = sorted(v for p, v in leaves(document.document).items() if _EVALUATOR_KEY.fullmatch(p))
    return not named or named == sorted(key.hex() for key in claim.evaluators)


def _has_chain(ledger: Ledger, case: str, reference: str) -> bool:
    return bool(ledger.events(case, reference))


def _history(ledger: Ledger, case: str, reference: str) -> VersionHistory:
    """What the recorded versions of an evaluation require of its next one."""
    history = VersionHistory()
    for recorded in ledger.events(case, reference):
        if recorded.event.type in _VERSIONING:
            claim = EvaluationClaim.from_body(recorded.event.body)
            document = _stored_document(ledger, claim, f"{case}/{reference}").document
            addendum = claim.type is EventType.EVALUATION_ADDENDUM
            history = history.after(document, addendum=addendum)
    return history


def _newest_note_brought_up_to_date(evaluation: Evaluation, history: VersionHistory) -> Evaluation:
    """While an addendum awaits its seals, a new draft of it keeps its note true: the note
    lists the fields changed since the sealed version it replaces, as they are now."""
    if history.replaced is None or not evaluation.addenda:
        return evaluation
    changed = changed_fields(history.replaced, evaluation.to_json())
    if not changed:
        return evaluation  # a draft undoing every change: the note cannot say so, refused
    newest = attrs.evolve(evaluation.addenda[-1], changed=changed)
    return attrs.evolve(evaluation, addenda=(*evaluation.addenda[:-1], newest))


def _refuse_history(problems: list[str]) -> None:
    if problems:
        raise InvalidInput("; ".join(problems), field="addenda")


def _refuse_broken(report: ValidationReport) -> None:
    if not report.ok:
        raise EvaluationRefused(report)
