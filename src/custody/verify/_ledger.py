"""Verification of a ledger (or one of its cases) against the keys the verifier trusts.

The steps, numbered as in ``docs/verification.md``, all over one consistent snapshot:

1. Read the ledger's facts and actor register (each key id must be its key's thumbprint),
   then every entry in log order; indexes must run 0, 1, 2, ... without a gap.
2. For each entry: recompute its leaf hash and compare with the stored one; parse it
   strictly; compare the stored index columns with what the signed bytes say; check the
   issuer is this log.
3. Find the signer's key in the trust policy (or, without one, in the ledger's own actor
   register) and verify the COSE signature (on worker processes for large logs).
4. Replay each chain through the custody state machine: sequence numbers, ``prev``
   links and every transition rule, medical evaluation chains included. For each event that
   submits a version of an evaluation (``evaluation_recorded``, ``evaluation_addendum``):

   a. its record (the salted document) is stored under the record hash it signs;
   b. the stored bytes still hash to that record hash;
   c. they decode as a committed document;
   d. the digest it signs is the evaluation digest of the field commitments it signs;
   e. each leaf of the stored document commits to what the event signs for its pointer:
      one problem per changed, added or removed field.
5. Rebuild the Merkle tree from the recomputed leaf hashes; verify every stored checkpoint's
   signature with the log key and compare its root with the tree at its size.
6. Check the log against checkpoints the verifier held from earlier (consistency: the log
   must still have, at that size, the root the checkpoint signed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import attrs

from custody.crypto import Checkpoint, MerkleTree, NoteVerifier, PublicKey, leaf_hash
from custody.crypto import verify_checkpoint as open_checkpoint
from custody.errors import CustodyError, InvalidInput, VerificationError
from custody.ledger import EMPTY, ChainState, Ledger, advance
from custody.ledger import violations as transition_violations
from custody.medical import (
    CommittedDocument,
    FieldMismatch,
    evaluators_match,
    field_mismatches,
    fields_digest,
)
from custody.model import VERSIONING_EVENTS, EvaluationClaim, Event, EventType, SealState
from custody.store import CheckpointRow, EntryRow, LedgerInfo, StoreReader
from custody.verify._entries import (
    CHECK_COLUMNS,
    CHECK_ISSUER,
    CHECK_KEYS,
    CHECK_SIGNATURES,
    CHECK_WELL_FORMED,
    EntryContext,
    EntryFinding,
    KeyRing,
    check_entry,
    verify_signatures,
)
from custody.verify._parallel import ChunkPool
from custody.verify._report import Location, ReportBuilder, VerificationReport
from custody.verify._trust import TrustPolicy

_TRANSITION_CODES = (
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
CHECK_OF_CODE: dict[str, str] = {
    "STORE_UNREADABLE": "ledger readable",
    "LOG_GAP": "log indexes contiguous",
    "LEAF_HASH_MISMATCH": "stored leaf hashes",
    "ENTRY_MALFORMED": CHECK_WELL_FORMED,
    "ROW_MISMATCH": CHECK_COLUMNS,
    "ISSUER_MISMATCH": CHECK_ISSUER,
    "KEY_UNKNOWN": CHECK_KEYS,
    "KEY_UNTRUSTED": CHECK_KEYS,
    "SIGNATURE_INVALID": CHECK_SIGNATURES,
    "CHAIN_SEQ": "chain links",
    "CHAIN_PREV": "chain links",
    **dict.fromkeys(_TRANSITION_CODES, "custody transitions"),
    "MEDICAL_RECORD_MISSING": _RECORD_STORED,
    "MEDICAL_RECORD_CHANGED": _RECORD_UNCHANGED,
    "MEDICAL_RECORD_MALFORMED": _RECORD_WELL_FORMED,
    "MEDICAL_DIGEST": _EVALUATION_DIGESTS,
    "MEDICAL_FIELD_CHANGED": _EVALUATION_FIELDS,
    "MEDICAL_EVALUATORS": _EVALUATORS_MATCH,
    "LOG_UNTRUSTED": "log key trusted",
    "LEDGER_FACTS_INVALID": "ledger facts valid",
    "REGISTER_MISMATCH": "actor register consistent",
    "CASE_UNKNOWN": "case present",
    "CHECKPOINT_MALFORMED": "checkpoint signatures",
    "CHECKPOINT_SIGNATURE": "checkpoint signatures",
    "CHECKPOINT_MISMATCH": "checkpoints match the log",
    "CHECKPOINT_BEYOND_LOG": "checkpoints match the log",
    "LOG_INCONSISTENT": "log consistent with held checkpoints",
}


def verify_ledger(
    ledger: Ledger,
    *,
    trust: TrustPolicy | None = None,
    held_checkpoints: Sequence[str] = (),
    case: str | None = None,
    workers: int | None = None,
) -> VerificationReport:
    """Verify a ledger and return a report of every check and problem.

    Args:
        ledger: the ledger to verify.
        trust: the verifier's trust policy. Without one, the keys registered in the ledger
            and its own log key are used, and a notice says so: that checks integrity,
            not who signed.
        held_checkpoints: checkpoint notes the verifier kept from earlier; the log must
            be consistent with each.
        case: verify only this case's events (the whole log is still hashed, so the
            checkpoints can be checked).
        workers: processes for steps 2 and 3, counting this one; ``None`` uses every core
            for large logs, ``1`` works inline. The report is the same either way.

    Returns:
        The report; ``report.ok`` is true only if every check passed.
    """
    builder = ReportBuilder(f"ledger {ledger.store.location}", CHECK_OF_CODE)
    builder.ran("ledger readable")
    try:
        # One snapshot: appends made while verifying neither show up half nor look like
        # entries missing under a newer checkpoint.
        with ledger.store.snapshot() as reader:
            options = _Options(trust, held_checkpoints, case, workers)
            _verify_snapshot(reader, options, builder)
    except CustodyError as exc:
        builder.fail("STORE_UNREADABLE", Location(), f"the ledger cannot be read: {exc}")
    return builder.build()


@attrs.frozen
class _Options:
    trust: TrustPolicy | None
    held_checkpoints: Sequence[str]
    case: str | None
    workers: int | None


def _verify_snapshot(reader: StoreReader, options: _Options, builder: ReportBuilder) -> None:
    info = reader.info()
    context = EntryContext(info.origin, _key_ring(reader, options.trust, builder), options.case)
    log = _LogOrder(builder)
    replay = _ChainReplay(builder, options.case, _MedicalRecords(builder, reader))
    expected = reader.entry_count()
    with ChunkPool(verify_signatures, None, workers=options.workers, expected=expected) as pool:
        signed: list[_Place] = []
        for row in reader.entries():
            leaf = log.check(row)
            finding = check_entry(context, row)
            place = replay.record(row, finding, leaf)
            if finding.signature is not None:
                pool.add(finding.signature)
                signed.append(place)
        for place, valid in zip(signed, pool.results(), strict=True):
            if not valid:
                builder.fail("SIGNATURE_INVALID", Location(*place), "the signature does not verify")
    replay.finish()
    if options.case is not None:
        builder.ran("case present")
        if not replay.saw(options.case):
            builder.fail(
                "CASE_UNKNOWN",
                Location(case=options.case),
                "the ledger holds no event of this case",
            )
    _verify_checkpoints(info, options, log.leaves, reader.checkpoints(), builder)


def check_ledger(
    ledger: Ledger,
    *,
    trust: TrustPolicy | None = None,
    held_checkpoints: Sequence[str] = (),
    case: str | None = None,
    workers: int | None = None,
) -> VerificationReport:
    """Like :func:`verify_ledger` (same arguments), but raise if anything failed.

    Raises:
        VerificationError: carrying the report, if ``report.ok`` is false.
    """
    report = verify_ledger(
        ledger, trust=trust, held_checkpoints=held_checkpoints, case=case, workers=workers
    )
    report.raise_for_problems()
    return report


def _key_ring(reader: StoreReader, trust: TrustPolicy | None, builder: ReportBuilder) -> KeyRing:
    register = {}
    for actor in reader.actors():
        builder.ran("actor register consistent")
        if _thumbprint(actor.public_key) != actor.key_id:
            builder.fail(
                "REGISTER_MISMATCH",
                Location(),
                f"the actor register files a key under id {actor.key_id.hex()}, which "
                "is not that key's thumbprint; the entry is ignored",
            )
            continue
        register[actor.key_id] = actor.public_key
    if trust is not None:
        return KeyRing(register, {key_id: key.to_bytes() for key_id, key in trust.key_map.items()})
    builder.notice(
        "KEYS_FROM_LEDGER",
        Location(),
        "no trust policy given: signatures were checked with the keys registered "
        "in the ledger itself, which proves integrity but not who signed",
    )
    return KeyRing(register, None)


def _thumbprint(raw: bytes) -> bytes | None:
    try:
        return PublicKey.from_bytes(raw).key_id
    except InvalidInput:
        return None


_LOG_CHECKS = ("log indexes contiguous", "stored leaf hashes")

#: Where an entry is, as the parts of a Location: built into one only for a problem.
_Place = tuple[str | None, str | None, int | None, int]


class _LogOrder:
    """Step 1 as entries stream by, keeping the recomputed leaf hashes for step 5."""

    def __init__(self, builder: ReportBuilder) -> None:
        self._builder = builder
        self.leaves: list[bytes] = []
        self._next = 0

    def check(self, row: EntryRow) -> bytes:
        """Check the entry's index and stored leaf hash; return the recomputed leaf hash."""
        self._builder.ran_each(_LOG_CHECKS)
        if row.index != self._next:
            missing = self._next
            self._builder.fail(
                "LOG_GAP",
                Location(index=missing),
                f"log entries {missing} to {row.index - 1} are missing"
                if row.index - missing > 1
                else f"log entry {missing} is missing",
            )
        self._next = row.index + 1
        leaf = leaf_hash(row.entry)
        if leaf != row.leaf_hash:
            self._builder.fail(
                "LEAF_HASH_MISMATCH",
                _row_location(row),
                "the entry's bytes do not hash to the leaf hash stored with it",
            )
        self.leaves.append(leaf)
        return leaf


_REPLAY_CHECKS = ("chain links", "custody transitions")


class _ChainReplay:
    """Step 4: replay each chain, in log order, through the custody state machine."""

    def __init__(self, builder: ReportBuilder, case: str | None, records: _MedicalRecords) -> None:
        self._builder = builder
        self._case = case
        self._records = records
        self._states: dict[tuple[str, str | None], ChainState] = {}
        self._opened_cases: set[str] = set()

    def record(self, row: EntryRow, finding: EntryFinding, leaf: bytes) -> _Place:
        """Report steps 2 and 3 for one entry and replay it; return where it is."""
        event = finding.event
        place: _Place = (
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

    def saw(self, case: str) -> bool:
        """Whether any event of ``case`` was replayed."""
        return any(chain_case == case for chain_case, _ in self._states)

    def finish(self) -> None:
        """Report what the whole replay shows: transfers still awaiting receipt."""
        self._notice_pending_transfers()

    def _replay(self, event: Event, leaf: bytes, place: _Place) -> None:
        chain = (event.case, event.item)
        state = self._states.get(chain, EMPTY)
        self._builder.ran_each(_REPLAY_CHECKS)
        if event.item is None and event.type is EventType.OPENED:
            self._opened_cases.add(event.case)
        opened = event.case in self._opened_cases
        for violation in transition_violations(state, event, case_opened=opened):
            self._builder.fail(violation.code, Location(*place), violation.message)
        if event.type is EventType.RECEIVED and event.body.seal_state is SealState.BROKEN:
            self._builder.notice(
                "SEALS_REPORTED_BROKEN",
                Location(*place),
                "the recipient recorded the seals as broken or different",
            )
        elif event.type in VERSIONING_EVENTS:
            self._records.check(event, Location(*place))
        self._states[chain] = advance(state, event, leaf)

    def _notice_pending_transfers(self) -> None:
        for (case, item), state in sorted(self._states.items(), key=lambda kv: str(kv[0])):
            if state.pending is not None:
                self._builder.notice(
                    "TRANSFER_PENDING",
                    Location(case, item),
                    "the last transfer has not been acknowledged yet",
                )


class _MedicalRecords:
    """Step 4 a-e: the record an evaluation event names, against what the event signs."""

    def __init__(self, builder: ReportBuilder, reader: StoreReader) -> None:
        self._builder = builder
        self._reader = reader

    def check(self, event: Event, where: Location) -> None:
        """Check the record of an ``evaluation_recorded`` or ``evaluation_addendum`` event."""
        try:
            claim = EvaluationClaim.from_body(event.body)
        except InvalidInput:
            return  # EVALUATION_DETAILS, reported by the replay: nothing to check against
        mismatches = self._check_record(claim, where)
        self._check_digest(claim, where)
        if mismatches is not None:
            self._report_fields(claim, mismatches, where)
            self._check_evaluators(claim, where)

    def _check_evaluators(self, claim: EvaluationClaim, where: Location) -> None:
        """Step f: the key ids the event lets seal are those of the document's evaluators, so
        an event naming fewer evaluators cannot let some of them seal alone.
        """
        assert claim.record is not None
        record = self._reader.record(claim.record)
        if record is None:
            return
        self._builder.ran(_EVALUATORS_MATCH)  # f
        try:
            document = CommittedDocument.from_bytes(record)
        except InvalidInput:
            return  # reported as MEDICAL_RECORD_MALFORMED
        if not evaluators_match(document, claim):
            self._builder.fail(
                "MEDICAL_EVALUATORS",
                where,
                "the evaluators the event names are not the evaluators of the document",
            )

    def _check_record(self, claim: EvaluationClaim, where: Location) -> list[FieldMismatch] | None:
        """Steps a-c; the field mismatches if the record could be read."""
        record_hash = claim.record
        assert record_hash is not None  # every version names its record
        builder = self._builder
        builder.ran(_RECORD_STORED)  # a
        record = self._reader.record(record_hash)
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
            return field_mismatches(record, claim.fields)
        except InvalidInput as exc:
            builder.fail(
                "MEDICAL_RECORD_MALFORMED", where, f"the stored record cannot be read: {exc}"
            )
            return None

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


# Steps 5 and 6
def _verify_checkpoints(
    info: LedgerInfo,
    options: _Options,
    leaves: list[bytes],
    stored: Sequence[CheckpointRow],
    builder: ReportBuilder,
) -> None:
    builder.ran("ledger facts valid")
    try:
        log_key = _log_key(info, options.trust, builder)
        verifier = NoteVerifier.for_key(info.origin, log_key.as_cryptography())
    except InvalidInput as exc:
        builder.fail(
            "LEDGER_FACTS_INVALID",
            Location(),
            f"the ledger's origin or log key is unusable, so no checkpoint can be checked: {exc}",
        )
        return
    tree = MerkleTree(leaves)
    notes = [(row.note, Location(checkpoint=row.size), False) for row in stored]
    notes += [
        (note, Location(member=f"held checkpoint {number}"), True)
        for number, note in enumerate(options.held_checkpoints, start=1)
    ]
    for note, where, held in notes:
        checkpoint = _open_checkpoint(note, verifier, where, builder)
        if checkpoint is not None:
            _compare(
                checkpoint,
                tree,
                attrs.evolve(where, checkpoint=checkpoint.size),
                builder,
                held=held,
            )


def _log_key(info: LedgerInfo, trust: TrustPolicy | None, builder: ReportBuilder) -> PublicKey:
    """The key checkpoints must be signed with: the policy's, else the ledger's own (said so).

    Raises:
        InvalidInput: if the ledger's own key is needed and unusable.
    """
    if trust is None:
        builder.notice(
            "LOG_KEY_FROM_LEDGER",
            Location(),
            "no trust policy given: checkpoints were checked with the log key "
            "recorded in the ledger itself",
        )
        return PublicKey.from_bytes(info.log_public_key)
    builder.ran("log key trusted")
    trusted = trust.log_key(info.origin)
    if trusted is None:
        builder.fail(
            "LOG_UNTRUSTED",
            Location(),
            f"the trust policy names no key for log {info.origin!r}, so its checkpoints "
            "cannot be trusted (they were checked with the ledger's own key)",
        )
        return PublicKey.from_bytes(info.log_public_key)
    if trusted.to_bytes() != info.log_public_key:
        builder.notice(
            "LOG_KEY_DIFFERS",
            Location(),
            "the ledger records another log key than the trust policy names; "
            "checkpoints were checked with the policy's key",
        )
    return trusted


def _open_checkpoint(
    note: str, verifier: NoteVerifier, where: Location, builder: ReportBuilder
) -> Checkpoint | None:
    builder.ran("checkpoint signatures")
    try:
        return open_checkpoint(note, verifier)
    except InvalidInput as exc:
        builder.fail("CHECKPOINT_MALFORMED", where, f"the checkpoint is malformed: {exc}")
    except VerificationError as exc:
        builder.fail(
            "CHECKPOINT_SIGNATURE",
            where,
            f"the checkpoint's signature does not verify with the log key: {exc}",
        )
    return None


def _compare(
    checkpoint: Checkpoint, tree: MerkleTree, where: Location, builder: ReportBuilder, *, held: bool
) -> None:
    check = "log consistent with held checkpoints" if held else "checkpoints match the log"
    builder.ran(check)
    if checkpoint.size > len(tree):
        code = "LOG_INCONSISTENT" if held else "CHECKPOINT_BEYOND_LOG"
        builder.fail(
            code,
            where,
            f"the checkpoint covers {checkpoint.size} entries but the "
            f"log has only {len(tree)}: entries were removed",
        )
    elif tree.root(checkpoint.size) != checkpoint.root_hash:
        code = "LOG_INCONSISTENT" if held else "CHECKPOINT_MISMATCH"
        builder.fail(
            code,
            where,
            f"the log's first {checkpoint.size} entries no longer hash "
            "to the root the checkpoint signed: they were changed, "
            "removed, reordered or inserted",
        )


def _row_location(row: EntryRow) -> Location:
    return Location(row.case, row.item, row.seq, row.index)
