"""Step 4 of verification, shared by ledgers and bundles: replay every chain through the
custody state machine and check the medical records that evaluation events name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping

import attrs

from custody.errors import InvalidInput
from custody.ledger import EMPTY, ChainState, advance
from custody.ledger import violations as transition_violations
from custody.medical import (
    CommittedDocument,
    FieldMismatch,
    VersionHistory,
    evaluators_match,
    fields_digest,
)
from custody.model import VERSIONING_EVENTS, EvaluationClaim, Event, EventType, SealState
from custody.store import EntryRow
from custody.verify._entries import EntryFinding, SignatureJob, verify_signatures
from custody.verify._parallel import ChunkPool
from custody.verify._report import Location, ReportBuilder

TRANSITION_CODES = (
    "EVENT_NOT_ALLOWED",
    "FIRST_EVENT",
    "AFTER_END",
    "RECEIVE_WITHOUT_TRANSFER",
    "TRANSFER_UNACKNOWLEDGED",
    "WRONG_RECIPIENT",
    "SEAL_STATE_MISSING",
    "SEAL_MISMATCH",
    "NOT_HOLDER",
    "SEALS_MISSING",
    "COUNTERPARTY_MISSING",
    "RECIPIENT_MISSING",
    "SELF_TRANSFER",
    "CASE_NOT_OPENED",
    "EVALUATION_DETAILS",
    "NOT_AN_EVALUATOR",
    "EVALUATION_SEALED_ALREADY",
    "EVALUATION_VERSION",
    "EVALUATION_DIGEST",
    "REVIEW_BY_EVALUATOR",
    "SEALED_TWICE",
    "ADDENDUM_BEFORE_SEAL",
    "ADDENDUM_SUPERSEDES",
)
_RECORD_STORED = "medical records stored"
_RECORD_UNCHANGED = "medical records unchanged"
_RECORD_WELL_FORMED = "medical records well-formed"
_EVALUATION_DIGESTS = "evaluation digests match their fields"
_EVALUATION_FIELDS = "evaluation fields match their records"
_EVALUATORS_MATCH = "signed evaluators are the record's"
_ADDENDA_KEPT = "addenda kept and true"

#: The check each problem code of the replay counts against.
REPLAY_CHECK_OF_CODE: dict[str, str] = {
    "CHAIN_SEQ": "chain links",
    "CHAIN_PREV": "chain links",
    **dict.fromkeys(TRANSITION_CODES, "custody transitions"),
    "MEDICAL_RECORD_MISSING": _RECORD_STORED,
    "MEDICAL_RECORD_CHANGED": _RECORD_UNCHANGED,
    "MEDICAL_RECORD_MALFORMED": _RECORD_WELL_FORMED,
    "MEDICAL_DIGEST": _EVALUATION_DIGESTS,
    "MEDICAL_FIELD_CHANGED": _EVALUATION_FIELDS,
    "MEDICAL_EVALUATORS": _EVALUATORS_MATCH,
    "MEDICAL_ADDENDA": _ADDENDA_KEPT,
}

#: Where an entry is, as the parts of a Location: built into one only for a problem.
Place = tuple[str | None, str | None, int | None, int]

#: Finds the record stored under a SHA-256 digest, or ``None``.
RecordLookup = Callable[[bytes], bytes | None]


def signature_pool(
    workers: int | None, expected: int
) -> ChunkPool[None, SignatureJob, Place, bool]:
    """A pool checking entries' signatures, each tagged with the place of its entry."""
    return ChunkPool(
        verify_signatures, None, workers=workers, expected=expected, size_of=_signed_size
    )


def _signed_size(job: SignatureJob) -> int:
    return len(job[2])


def report_signatures(builder: ReportBuilder, outcomes: Iterable[tuple[Place, bool]]) -> None:
    """Report each signature check that failed, at the place of its entry."""
    for place, valid in outcomes:
        if not valid:
            builder.fail("SIGNATURE_INVALID", Location(*place), "the signature does not verify")


REPLAY_CHECKS = ("chain links", "custody transitions")


class ChainReplay:
    """Step 4: replay each chain, in log order, through the custody state machine."""

    def __init__(self, builder: ReportBuilder, case: str | None, records: MedicalRecords) -> None:
        self._builder = builder
        self._case = case
        self._records = records
        self._states: dict[tuple[str, str | None], ChainState] = {}
        self._opened_cases: set[str] = set()

    def record(self, row: EntryRow, finding: EntryFinding, leaf: bytes) -> Place:
        """Report steps 2 and 3 for one entry and replay it; return where it is."""
        event = finding.event
        place: Place = (
            (row.case, row.item, row.seq, row.index)
            if event is None
            else (event.case, event.item, event.seq, row.index)
        )
        self._builder.ran_each(finding.ran)
        for code, message in finding.problems:
            self._builder.fail(code, Location(*place), message)
        if event is not None and self._case in (None, event.case):
            self._replay(event, leaf, place)
        return place

    @property
    def states(self) -> Mapping[tuple[str, str | None], ChainState]:
        """The state each replayed chain reached, by (case, chain reference)."""
        return self._states

    def saw(self, case: str) -> bool:
        """Whether any event of ``case`` was replayed."""
        return any(chain_case == case for chain_case, _ in self._states)

    def finish(self) -> None:
        """Report what the whole replay shows: transfers still awaiting receipt."""
        self._notice_pending_transfers()

    def _replay(self, event: Event, leaf: bytes, place: Place) -> None:
        chain = (event.case, event.item)
        state = self._states.get(chain, EMPTY)
        self._builder.ran_each(REPLAY_CHECKS)
        if event.item is None and event.type is EventType.OPENED:
            self._opened_cases.add(event.case)
        opened = event.case in self._opened_cases
        for violation in transition_violations(state, event, case_opened=opened):
            self._builder.fail(violation.code, Location(*place), violation.message)
        if event.body.seal_state is SealState.BROKEN:
            self._notice_broken_seals(state, event, place)
        elif event.type in VERSIONING_EVENTS:
            self._records.check(event, Location(*place))
        self._states[chain] = advance(state, event, leaf)

    def _notice_broken_seals(self, state: ChainState, event: Event, place: Place) -> None:
        """Seals recorded as broken are a fact of the history, not a failure, but the reader
        should see those found on receipt, and those recorded by someone other than the
        holder: anyone may record an access or an analysis, and seals recorded as broken
        there are the item's seals no more. (The holder opening them to work is routine.)"""
        if event.type is EventType.RECEIVED:
            message = "the recipient recorded the seals as broken or different"
        elif event.actor != state.holder:
            message = (
                f"someone who did not hold the item recorded its seals as broken ({event.type})"
            )
        else:
            return
        self._builder.notice("SEALS_REPORTED_BROKEN", Location(*place), message)

    def _notice_pending_transfers(self) -> None:
        for (case, item), state in sorted(self._states.items(), key=lambda kv: str(kv[0])):
            if state.pending is not None:
                self._builder.notice(
                    "TRANSFER_PENDING",
                    Location(case, item),
                    "the last transfer has not been acknowledged yet",
                )


class MedicalRecords:
    """Step 4 a-e: the record an evaluation event names, against what the event signs."""

    def __init__(self, builder: ReportBuilder, lookup: RecordLookup) -> None:
        self._builder = builder
        self._lookup = lookup
        # Per evaluation chain, what its versions so far require of the next; a chain is
        # dropped once a version's record cannot be read, as the history is unknown then.
        self._histories: dict[tuple[str, str | None], VersionHistory] = {}
        self._unknown: set[tuple[str, str | None]] = set()

    def check(self, event: Event, where: Location) -> None:
        """Check the record of an ``evaluation_recorded`` or ``evaluation_addendum`` event."""
        try:
            claim = EvaluationClaim.from_body(event.body)
        except InvalidInput:
            return  # EVALUATION_DETAILS, reported by the replay: nothing to check against
        document = self._read_record(claim, where)
        self._check_digest(claim, where)
        if document is not None:
            self._report_fields(claim, document.mismatches(claim.fields), where)
            self._check_evaluators(claim, document, where)
        self._check_addenda((event.case, event.item), claim, document, where)

    def _read_record(self, claim: EvaluationClaim, where: Location) -> CommittedDocument | None:
        """Steps a-c: the stored document, read once, if it is there and readable."""
        record_hash = claim.record
        assert record_hash is not None  # every version names its record
        builder = self._builder
        builder.ran(_RECORD_STORED)  # a
        record = self._lookup(record_hash)
        if record is None:
            builder.fail(
                "MEDICAL_RECORD_MISSING",
                where,
                f"the evaluation's record {record_hash.hex()[:16]}… is not stored",
            )
            return None
        builder.ran(_RECORD_UNCHANGED)  # b
        if hashlib.sha256(record).digest() != record_hash:
            builder.fail(
                "MEDICAL_RECORD_CHANGED",
                where,
                "the stored record no longer hashes to the record hash the event signed",
            )
        builder.ran(_RECORD_WELL_FORMED)  # c
        try:
            return CommittedDocument.from_bytes(record)
        except InvalidInput as exc:
            builder.fail(
                "MEDICAL_RECORD_MALFORMED", where, f"the stored record cannot be read: {exc}"
            )
            return None

    def _check_evaluators(
        self, claim: EvaluationClaim, document: CommittedDocument, where: Location
    ) -> None:
        """Step f: the key ids the event lets seal are those of the document's evaluators, so
        an event naming fewer evaluators cannot let some of them seal alone.
        """
        self._builder.ran(_EVALUATORS_MATCH)  # f
        if not evaluators_match(document, claim):
            self._builder.fail(
                "MEDICAL_EVALUATORS",
                where,
                "the evaluators the event names are not the evaluators of the document",
            )

    def _check_addenda(
        self,
        chain: tuple[str, str | None],
        claim: EvaluationClaim,
        document: CommittedDocument | None,
        where: Location,
    ) -> None:
        """Step g: the version keeps the addenda notes of those before it, and an addendum
        adds one true note (the sealed version it replaces, exactly the fields it changes)."""
        if document is None or chain in self._unknown:
            self._unknown.add(chain)
            return
        history = self._histories.get(chain, VersionHistory())
        addendum = claim.type is EventType.EVALUATION_ADDENDUM
        self._builder.ran(_ADDENDA_KEPT)
        found = history.problems(document.document, addendum=addendum, supersedes=claim.supersedes)
        for problem in found:
            self._builder.fail("MEDICAL_ADDENDA", where, problem)
        self._histories[chain] = history.after(document.document, addendum=addendum)

    def _check_digest(self, claim: EvaluationClaim, where: Location) -> None:
        self._builder.ran(_EVALUATION_DIGESTS)  # d
        if fields_digest(claim.fields) != claim.digest:
            self._builder.fail(
                "MEDICAL_DIGEST",
                where,
                "the evaluation digest the event signs is not the digest of the fields it signs",
            )

    def _report_fields(
        self, claim: EvaluationClaim, mismatches: list[FieldMismatch], where: Location
    ) -> None:
        added = sum(1 for mismatch in mismatches if mismatch.kind == "added")
        self._builder.ran(_EVALUATION_FIELDS, len(claim.fields) + added)  # e
        for mismatch in mismatches:
            self._builder.fail(
                "MEDICAL_FIELD_CHANGED",
                attrs.evolve(where, member=f"field {mismatch.pointer}"),
                _FIELD_MESSAGES[mismatch.kind],
            )


_FIELD_MESSAGES = {
    "changed": "the stored record's value of this field is not the one the event signed",
    "added": "the stored record has this field, which the event did not sign",
    "removed": "the event signed this field, which the stored record no longer has",
}
