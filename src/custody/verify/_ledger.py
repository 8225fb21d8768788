"""Verification of a ledger (or one of its cases) against the keys the verifier trusts.

The steps, numbered as in ``docs/verification.md``:

1. Read every entry in log order; indexes must run 0, 1, 2, ... without a gap.
2. For each entry: recompute its leaf hash and compare with the stored one; parse it
   strictly; compare the stored index columns with what the signed bytes say; check the
   issuer is this log.
3. Find the signer's key in the trust policy (or, without one, in the ledger's own actor
   register) and verify the COSE signature.
4. Replay each chain through the custody state machine: sequence numbers, ``prev``
   links and every transition rule.
5. Rebuild the Merkle tree from the recomputed leaf hashes; verify every stored checkpoint's
   signature with the log key and compare its root with the tree at its size.
6. Check the log against checkpoints the verifier held from earlier (consistency: the log
   must still have, at that size, the root the checkpoint signed).
"""

from __future__ import annotations

from collections.abc import Sequence

from custody.crypto import Checkpoint, MerkleTree, NoteVerifier, PublicKey, leaf_hash
from custody.crypto import verify_checkpoint as open_checkpoint
from custody.errors import CustodyError, InvalidInput, VerificationError
from custody.ledger import EMPTY, ChainState, Ledger, advance
from custody.ledger import violations as transition_violations
from custody.model import Event, EventType, SealState
from custody.store import EntryRow
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
)
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
    "LOG_UNTRUSTED": "log key trusted",
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
        workers: processes for steps 2 and 3; ``None`` uses every core for large logs,
            ``1`` works inline. The report is the same either way.

    Returns:
        The report; ``report.ok`` is true only if every check passed.
    """
    builder = ReportBuilder(f"ledger {ledger.store.location}", CHECK_OF_CODE)
    builder.ran("ledger readable")
    try:
        rows = list(ledger.store.entries())
        stored_checkpoints = ledger.checkpoints()
        keys = _key_ring(ledger, trust, builder)
    except CustodyError as exc:
        builder.fail("STORE_UNREADABLE", Location(), f"the ledger cannot be read: {exc}")
        return builder.build()
    leaves = _check_log(rows, builder)
    context = EntryContext(ledger.info.origin, keys, case)
    replay = _ChainReplay(builder, case)
    with ChunkPool(verify_signatures, None, workers=workers, expected=len(rows)) as signatures:
        signed: list[Location] = []
        for row, leaf in zip(rows, leaves, strict=True):
            finding = check_entry(context, row)
            where = replay.record(row, finding, leaf)
            if finding.signature is not None:
                signatures.add(finding.signature)
                signed.append(where)
        for where, valid in zip(signed, signatures.results(), strict=True):
            if not valid:
                builder.fail("SIGNATURE_INVALID", where, "the signature does not verify")
    replay.finish()
    _verify_checkpoints(ledger, trust, leaves, stored_checkpoints, held_checkpoints, builder)
    return builder.build()


def check_ledger(ledger: Ledger, **options: object) -> VerificationReport:
    """Like :func:`verify_ledger`, but raise if anything failed.

    Raises:
        VerificationError: carrying the report, if ``report.ok`` is false.
    """
    report = verify_ledger(ledger, **options)  # type: ignore[arg-type]
    report.raise_for_problems()
    return report


def _key_ring(ledger: Ledger, trust: TrustPolicy | None, builder: ReportBuilder) -> KeyRing:
    register = {key_id: key.to_bytes() for key_id, key in ledger.public_keys().items()}
    if trust is not None:
        return KeyRing(register, {key_id: key.to_bytes() for key_id, key in trust.key_map.items()})
    builder.notice(
        "KEYS_FROM_LEDGER",
        Location(),
        "no trust policy given: signatures were checked with the keys registered "
        "in the ledger itself, which proves integrity but not who signed",
    )
    return KeyRing(register, None)


# Step 1, and the leaf hashes for step 5
def _check_log(rows: Sequence[EntryRow], builder: ReportBuilder) -> list[bytes]:
    leaves = []
    for expected, row in enumerate(rows):
        builder.ran("log indexes contiguous")
        if row.index != expected and (expected == 0 or rows[expected - 1].index + 1 != row.index):
            missing = rows[expected - 1].index + 1 if expected else 0
            builder.fail(
                "LOG_GAP",
                Location(index=missing),
                f"log entries {missing} to {row.index - 1} are missing"
                if row.index - missing > 1
                else f"log entry {missing} is missing",
            )
        builder.ran("stored leaf hashes")
        recomputed = leaf_hash(row.entry)
        if recomputed != row.leaf_hash:
            builder.fail(
                "LEAF_HASH_MISMATCH",
                _row_location(row),
                "the entry's bytes do not hash to the leaf hash stored with it",
            )
        leaves.append(recomputed)
    return leaves


class _ChainReplay:
    """Step 4: replay each chain, in log order, through the custody state machine."""

    def __init__(self, builder: ReportBuilder, case: str | None) -> None:
        self._builder = builder
        self._case = case
        self._states: dict[tuple[str, str | None], ChainState] = {}
        self._opened_cases: set[str] = set()

    def record(self, row: EntryRow, finding: EntryFinding, leaf: bytes) -> Location:
        """Report steps 2 and 3 for one entry and replay it; return where it is."""
        event = finding.event
        where = (
            _row_location(row)
            if event is None
            else Location(event.case, event.item, event.seq, row.index)
        )
        for check in finding.ran:
            self._builder.ran(check)
        for code, message in finding.problems:
            self._builder.fail(code, where, message)
        if event is not None and self._case in (None, event.case):
            self._replay(event, leaf, where)
        return where

    def finish(self) -> None:
        """Report what the whole replay shows: transfers still awaiting receipt."""
        self._notice_pending_transfers()

    def _replay(self, event: Event, leaf: bytes, where: Location) -> None:
        chain = (event.case, event.item)
        state = self._states.get(chain, EMPTY)
        self._builder.ran("chain links")
        self._builder.ran("custody transitions")
        for violation in transition_violations(state, event):
            self._builder.fail(violation.code, where, violation.message)
        if event.item is None and event.type is EventType.OPENED:
            self._opened_cases.add(event.case)
        elif event.item is not None and event.seq == 0 and event.case not in self._opened_cases:
            self._builder.fail(
                "CASE_NOT_OPENED", where, "the item's first event precedes the case's opened event"
            )
        if event.type is EventType.RECEIVED and event.body.seal_state is SealState.BROKEN:
            self._builder.notice(
                "SEALS_REPORTED_BROKEN",
                where,
                "the recipient recorded the seals as broken or different",
            )
        self._states[chain] = advance(state, event, leaf)

    def _notice_pending_transfers(self) -> None:
        for (case, item), state in sorted(self._states.items(), key=lambda kv: str(kv[0])):
            if state.pending is not None:
                self._builder.notice(
                    "TRANSFER_PENDING",
                    Location(case, item),
                    "the last transfer has not been acknowledged yet",
                )


# Steps 5 and 6
def _verify_checkpoints(
    ledger: Ledger,
    trust: TrustPolicy | None,
    leaves: list[bytes],
    stored: Sequence[str],
    held: Sequence[str],
    builder: ReportBuilder,
) -> None:
    origin = ledger.info.origin
    log_key = _log_key(ledger, trust, builder)
    verifier = NoteVerifier.for_key(origin, log_key.as_cryptography())
    tree = MerkleTree(leaves)
    for note in stored:
        checkpoint = _open_checkpoint(note, verifier, builder)
        if checkpoint is not None:
            _compare(checkpoint, tree, builder, held=False)
    for note in held:
        checkpoint = _open_checkpoint(note, verifier, builder)
        if checkpoint is not None:
            _compare(checkpoint, tree, builder, held=True)


def _log_key(ledger: Ledger, trust: TrustPolicy | None, builder: ReportBuilder) -> PublicKey:
    """The key checkpoints must be signed with: the policy's, else the ledger's own (said so)."""
    origin = ledger.info.origin
    if trust is None:
        builder.notice(
            "LOG_KEY_FROM_LEDGER",
            Location(),
            "no trust policy given: checkpoints were checked with the log key "
            "recorded in the ledger itself",
        )
        return ledger.log_key
    builder.ran("log key trusted")
    trusted = trust.log_key(origin)
    if trusted is None:
        builder.fail(
            "LOG_UNTRUSTED",
            Location(),
            f"the trust policy names no key for log {origin!r}, so its checkpoints "
            "cannot be trusted (they were checked with the ledger's own key)",
        )
        return ledger.log_key
    if trusted != ledger.log_key:
        builder.notice(
            "LOG_KEY_DIFFERS",
            Location(),
            "the ledger records another log key than the trust policy names; "
            "checkpoints were checked with the policy's key",
        )
    return trusted


def _open_checkpoint(
    note: str, verifier: NoteVerifier, builder: ReportBuilder
) -> Checkpoint | None:
    builder.ran("checkpoint signatures")
    try:
        return open_checkpoint(note, verifier)
    except InvalidInput as exc:
        builder.fail("CHECKPOINT_MALFORMED", Location(), f"a checkpoint is malformed: {exc}")
    except VerificationError as exc:
        builder.fail(
            "CHECKPOINT_SIGNATURE",
            Location(),
            f"a checkpoint's signature does not verify with the log key: {exc}",
        )
    return None


def _compare(
    checkpoint: Checkpoint, tree: MerkleTree, builder: ReportBuilder, *, held: bool
) -> None:
    where = Location(checkpoint=checkpoint.size)
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
