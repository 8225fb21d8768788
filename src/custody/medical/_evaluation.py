"""The evaluation: the medico-legal record a court receives, as one document."""

from __future__ import annotations

from typing import Any

import attrs

from custody.medical._allegations import AllegedEvent, Symptom
from custody.medical._documents import read_document, write_document
from custody.medical._fields import (
    choice,
    language,
    listing,
    optional_hex_digest,
    optional_short,
    optional_text,
    random_id,
    short,
    text,
)
from custody.medical._findings import (
    DiagnosticTest,
    DiagramAnnotation,
    Photograph,
    PhysicalFinding,
    Sample,
)
from custody.medical._opinions import (
    AddendumNote,
    ConsistencyOpinion,
    Declaration,
    Departure,
    OverallOpinion,
    Recommendation,
)
from custody.medical._people import Clinician, Interpreter, Subject
from custody.medical._psychology import PsychologicalEvaluation
from custody.medical._sessions import ConsentRecord, Session
from custody.medical._terms import (
    EvaluationContext,
    EvaluationPurpose,
    ProtocolVersion,
    RequesterRole,
    ReviewedRecordType,
)


@attrs.frozen(kw_only=True)
class Requester:
    """Who asked for the evaluation (IP22 ¶270: they may not have given every fact).

    Attributes:
        role: court, prosecutor, the subject's lawyer, a monitoring body...
        organisation: the organisation.
        reference: their reference for the request.
    """

    role: RequesterRole = choice(RequesterRole)
    organisation: str | None = optional_short()
    reference: str | None = optional_short()


@attrs.frozen(kw_only=True)
class CaseReference:
    """A case number in another system (sensitive: it can identify the person).

    Attributes:
        system: the system or body.
        id: the number there.
    """

    system: str = short()
    id: str = short()


@attrs.frozen(kw_only=True)
class ReviewedRecord:
    """A prior record the evaluators studied.

    Attributes:
        type: the kind of record.
        description: what it is.
        sha256: SHA-256 of the record's file, when there is one (hexadecimal).
    """

    type: ReviewedRecordType = choice(ReviewedRecordType)
    description: str = text()
    sha256: str | None = optional_hex_digest()


@attrs.frozen(kw_only=True)
class Evaluation:
    """An Istanbul Protocol medical evaluation: everything a reviewing clinician and a court
    check, as one document.

    Its lifecycle (recorded, reviewed, sealed by every evaluator, addenda) is a chain of
    signed events in the ledger; the document holds no status of its own.

    Attributes:
        evaluation_id: a random UUID.
        protocol_version: the edition of the Protocol the opinions use.
        context: where the evaluation sits in the person's story.
        purpose: what the report is for.
        requested_by: who asked for it.
        language: the language the report is written in (BCP 47).
        evaluators: the clinicians responsible; each signs to seal.
        subject: the examined person, under a pseudonym.
        sessions: the sittings of interview and examination.
        consents: consent records, one per scope.
        interpreters: interpreters taking part.
        alleged_events: the episodes alleged, with their methods.
        symptoms: acute and chronic complaints.
        findings: physical findings, pertinent negatives included.
        diagram_annotations: numbered marks on body diagrams.
        photographs: photographs, linked to their evidence items.
        samples: samples collected, each an evidence item under custody.
        diagnostic_tests: diagnostic tests and results.
        psychological_evaluations: psychological evaluations.
        opinions: consistency opinions.
        overall_opinion: the overall opinion (required to seal).
        recommendations: recommendations.
        restrictions_statement: the evaluators' own words on what limited the evaluation;
            the report adds what the sessions and consents show.
        declarations: the evaluators' declarations.
        departures: departures from the Protocol, with their reasons.
        records_reviewed: prior records studied.
        case_references: case numbers elsewhere.
        addenda: changes made after sealing.
    """

    evaluation_id: str = random_id()
    protocol_version: ProtocolVersion = choice(ProtocolVersion)
    context: EvaluationContext = choice(EvaluationContext)
    purpose: EvaluationPurpose = choice(EvaluationPurpose)
    requested_by: Requester = attrs.field()
    language: str = language()
    evaluators: tuple[Clinician, ...] = listing(at_least=1)
    subject: Subject = attrs.field()
    sessions: tuple[Session, ...] = listing(at_least=1)
    consents: tuple[ConsentRecord, ...] = listing()
    interpreters: tuple[Interpreter, ...] = listing()
    alleged_events: tuple[AllegedEvent, ...] = listing()
    symptoms: tuple[Symptom, ...] = listing()
    findings: tuple[PhysicalFinding, ...] = listing()
    diagram_annotations: tuple[DiagramAnnotation, ...] = listing()
    photographs: tuple[Photograph, ...] = listing()
    samples: tuple[Sample, ...] = listing()
    diagnostic_tests: tuple[DiagnosticTest, ...] = listing()
    psychological_evaluations: tuple[PsychologicalEvaluation, ...] = listing()
    opinions: tuple[ConsistencyOpinion, ...] = listing()
    overall_opinion: OverallOpinion | None = None
    recommendations: tuple[Recommendation, ...] = listing()
    restrictions_statement: str | None = optional_text()
    declarations: tuple[Declaration, ...] = listing()
    departures: tuple[Departure, ...] = listing()
    records_reviewed: tuple[ReviewedRecord, ...] = listing()
    case_references: tuple[CaseReference, ...] = listing()
    addenda: tuple[AddendumNote, ...] = listing()

    @classmethod
    def from_json(cls, data: Any) -> Evaluation:
        """Read an evaluation from decoded JSON (a dict), reporting every problem at once.

        The shape, types, per-field limits and the rules across the fields of one object (a
        session's end before its start) are checked here; the Protocol's rules across the
        document are checked by :func:`custody.medical.validate`.

        Raises:
            DocumentError: listing each problem with the JSON Pointer of its field.
        """
        return read_document(cls, data, what="evaluation")

    def to_json(self) -> dict[str, Any]:
        """The evaluation's JSON normal form (what is committed, field by field, when recorded)."""
        return write_document(self)

    def evaluator(self, clinician_id: str) -> Clinician | None:
        """The evaluator with this identifier."""
        return next((c for c in self.evaluators if c.clinician_id == clinician_id), None)
