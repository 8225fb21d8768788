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

import sqlite3
from collections.abc import Iterable, Mapping, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from custody.crypto import (
    Checkpoint,
    MerkleTree,
    NoteVerifier,
    PublicKey,
    leaf_hash,
    prepare_sign1,
)
from custody.crypto import verify_checkpoint as open_checkpoint
from custody.errors import CustodyError, InvalidInput, VerificationError
from custody.ledger import EMPTY, ChainState, Ledger, Statement, advance, open_statement
from custody.ledger import violations as transition_violations
from custody.model import EventType, SealState
from custody.store import EntryRow
from custody.verify._report import Location, ReportBuilder, VerificationReport
from custody.verify._signatures import SignatureChecks, signature_checks
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
    "ENTRY_MALFORMED": "entries well-formed",
    "ROW_MISMATCH": "index columns match signed entries",
    "ISSUER_MISMATCH": "entries issued for this log",
    "KEY_UNKNOWN": "signing keys known and trusted",
    "KEY_UNTRUSTED": "signing keys known and trusted",
    "SIGNATURE_INVALID": "signatures",
    "CHAIN_SEQ": "chain links",
    "CHAIN_PREV": "chain links",
    **dict.fromkeys(_TRANSITION_CODES, "custody transitions"),
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
        workers: processes for signature checks; ``None`` uses every core for large logs,
            ``1`` checks inline.

    Returns:
        The report; ``report.ok`` is true only if every check passed.
    """
    builder = ReportBuilder(f"ledger {ledger.store.location}", CHECK_OF_CODE)
    keys = _KeyRing(ledger, trust, builder)
    try:
        rows = list(ledger.store.entries())
        stored_checkpoints = ledger.checkpoints()
    except (sqlite3.DatabaseError, CustodyError) as exc:
        builder.ran("ledger readable")
        builder.fail("STORE_UNREADABLE", Location(), f"the ledger cannot be read: {exc}")
        return builder.build()
    builder.ran("ledger readable")
    with signature_checks(len(rows), workers) as signatures:
        verifier = _EntryVerifier(ledger.info.origin, keys, builder, case, signatures)
        leaves = verifier.run(rows)
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


class _KeyRing:
    """Step 3's key lookup: trusted keys, or the ledger's register when no policy is given."""

    def __init__(self, ledger: Ledger, trust: TrustPolicy | None, builder: ReportBuilder) -> None:
        self._register = ledger.public_keys()
        self._trusted: Mapping[bytes, PublicKey] | None = trust.key_map if trust else None
        self._loaded: dict[bytes, Ed25519PublicKey] = {}
        if trust is None:
            builder.notice(
                "KEYS_FROM_LEDGER",
                Location(),
                "no trust policy given: signatures were checked with the keys "
                "registered in the ledger itself, which proves integrity but not "
                "who signed",
            )

    def lookup(self, key_id: bytes) -> tuple[PublicKey | None, str | None]:
        """The key to verify with, and the problem code if it is unknown or untrusted."""
        if self._trusted is None:
            key = self._register.get(key_id)
            return key, None if key else "KEY_UNKNOWN"
        if key_id in self._trusted:
            return self._trusted[key_id], None
        key = self._register.get(key_id)
        return key, "KEY_UNTRUSTED" if key else "KEY_UNKNOWN"

    def cryptography(self, key: PublicKey) -> Ed25519PublicKey:
        """The cryptography object for ``key``, built once per key."""
        loaded = self._loaded.get(key.raw)
        if loaded is None:
            loaded = self._loaded[key.raw] = key.as_cryptography()
        return loaded


class _EntryVerifier:
    """Steps 1 to 4 over the entries in log order."""

    def __init__(
        self,
        origin: str,
        keys: _KeyRing,
        builder: ReportBuilder,
        case: str | None,
        signatures: SignatureChecks,
    ) -> None:
        self._origin = origin
        self._signatures = signatures
        self._keys = keys
        self._builder = builder
        self._case = case
        self._states: dict[tuple[str, str | None], ChainState] = {}
        self._opened_cases: set[str] = set()

    def run(self, rows: Iterable[EntryRow]) -> list[bytes]:
        """Verify every row; return the recomputed leaf hashes in log order."""
        leaves: list[bytes] = []
        for row in rows:
            self._check_index(row, len(leaves))
            leaves.append(self._check_leaf(row))
            statement = self._open(row)
            if statement is not None and self._case in (None, statement.event.case):
                self._check_statement(row, statement)
        for where, reason in self._signatures.failures():
            self._builder.fail(
                "SIGNATURE_INVALID", where, f"the signature does not verify: {reason}"
            )
        self._notice_pending_transfers()
        return leaves

    # Step 1
    def _check_index(self, row: EntryRow, expected: int) -> None:
        self._builder.ran("log indexes contiguous")
        if row.index != expected:
            missing = (
                f"{expected}" if row.index == expected + 1 else f"{expected} to {row.index - 1}"
            )
            self._builder.fail(
                "LOG_GAP",
                Location(index=expected),
                f"log entries {missing} are missing (next is {row.index})",
            )

    # Step 2
    def _check_leaf(self, row: EntryRow) -> bytes:
        self._builder.ran("stored leaf hashes")
        recomputed = leaf_hash(row.entry)
        if recomputed != row.leaf_hash:
            self._builder.fail(
                "LEAF_HASH_MISMATCH",
                _row_location(row),
                "the entry's bytes do not hash to the leaf hash stored with it",
            )
        return recomputed

    def _open(self, row: EntryRow) -> Statement | None:
        self._builder.ran("entries well-formed")
        try:
            return open_statement(row.entry)
        except InvalidInput as exc:
            self._builder.fail(
                "ENTRY_MALFORMED",
                _row_location(row),
                f"the entry is not a well-formed signed event: {exc}",
            )
            return None

    def _check_statement(self, row: EntryRow, statement: Statement) -> None:
        event = statement.event
        where = Location(event.case, event.item, event.seq, row.index)
        self._builder.ran("index columns match signed entries")
        said = (event.case, event.item, event.seq, event.type.value, event.actor)
        stored = (row.case, row.item, row.seq, row.event_type, row.key_id)
        if said != stored:
            self._builder.fail(
                "ROW_MISMATCH", where, "the stored index columns disagree with the signed entry"
            )
        self._builder.ran("entries issued for this log")
        if statement.issuer != self._origin:
            self._builder.fail(
                "ISSUER_MISMATCH",
                where,
                f"signed for log {statement.issuer!r}, not {self._origin!r}",
            )
        self._check_signature(statement, where)
        self._check_chain(statement, where)

    # Step 3
    def _check_signature(self, statement: Statement, where: Location) -> None:
        self._builder.ran("signing keys known and trusted")
        key, problem = self._keys.lookup(statement.key_id)
        if problem is not None:
            self._builder.fail(
                problem,
                where,
                f"signed by key {statement.key_id.hex()}, which "
                + (
                    "the trust policy does not list"
                    if problem == "KEY_UNTRUSTED"
                    else "is not known"
                ),
            )
        if key is None:
            return
        self._builder.ran("signatures")
        try:
            prepared = prepare_sign1(statement.message, self._keys.cryptography(key))
        except (CustodyError, ValueError) as exc:
            self._builder.fail("SIGNATURE_INVALID", where, f"the signature does not verify: {exc}")
            return
        self._signatures.add(where, key, prepared)

    # Step 4
    def _check_chain(self, statement: Statement, where: Location) -> None:
        event = statement.event
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
        self._states[chain] = advance(state, event, statement.leaf_hash)

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
    log_key = trust.log_key(origin) if trust else None
    if log_key is None:
        log_key = ledger.log_key
        if trust is not None:
            builder.notice(
                "LOG_KEY_FROM_LEDGER",
                Location(),
                f"the trust policy names no key for log {origin!r}; checkpoints "
                "were checked with the ledger's own log key",
            )
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
