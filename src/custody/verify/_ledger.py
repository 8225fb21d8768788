"""Verification of a ledger (or one of its cases) against the keys the verifier trusts.

The steps, numbered as in ``docs/verification.md``, all over one consistent snapshot:

1. Check the storage itself (the schema is a ledger's, with its append-only rules; the
   engine finds no damage; no entry lies outside the log's indexes). Read the ledger's
   facts and actor register (each key id must be its key's thumbprint), then every entry in
   log order; indexes must run 0, 1, 2, ... without a gap.
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

from collections.abc import Sequence

import attrs

from custody.crypto import Checkpoint, MerkleTree, NoteVerifier, PublicKey, leaf_hash
from custody.crypto import verify_checkpoint as open_checkpoint
from custody.errors import CustodyError, InvalidInput, VerificationError
from custody.ledger import Ledger
from custody.store import CheckpointRow, EntryRow, LedgerInfo, StoreReader
from custody.verify._entries import (
    CHECK_COLUMNS,
    CHECK_ISSUER,
    CHECK_KEYS,
    CHECK_SIGNATURES,
    CHECK_WELL_FORMED,
    EntryContext,
    KeyRing,
    check_entry,
)
from custody.verify._replay import (
    REPLAY_CHECK_OF_CODE,
    ChainReplay,
    MedicalRecords,
    report_signatures,
    signature_pool,
)
from custody.verify._report import Location, ReportBuilder, VerificationReport
from custody.verify._trust import TrustPolicy

CHECK_OF_CODE: dict[str, str] = {
    "STORE_UNREADABLE": "ledger readable",
    "STORE_DAMAGED": "ledger storage sound",
    "LOG_GAP": "log indexes contiguous",
    "LEAF_HASH_MISMATCH": "stored leaf hashes",
    "ENTRY_MALFORMED": CHECK_WELL_FORMED,
    "ROW_MISMATCH": CHECK_COLUMNS,
    "ISSUER_MISMATCH": CHECK_ISSUER,
    "KEY_UNKNOWN": CHECK_KEYS,
    "KEY_UNTRUSTED": CHECK_KEYS,
    "KEY_NOT_VALID": CHECK_KEYS,
    "SIGNATURE_INVALID": CHECK_SIGNATURES,
    **REPLAY_CHECK_OF_CODE,
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
    _check_storage(reader, builder)
    context = EntryContext(info.origin, _key_ring(reader, options.trust, builder), options.case)
    log = _LogOrder(builder)
    replay = ChainReplay(builder, options.case, MedicalRecords(builder, reader.record))
    expected = reader.entry_count()
    with signature_pool(options.workers, expected) as pool:
        for row in reader.entries():
            leaf = log.check(row)
            finding = check_entry(context, row)
            place = replay.record(row, finding, leaf)
            if finding.signature is not None:
                pool.add(finding.signature, place)
                report_signatures(builder, pool.done())
        report_signatures(builder, pool.finish())
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


def _check_storage(reader: StoreReader, builder: ReportBuilder) -> None:
    """Step 1's storage check: the engine's own structures. Reads of one chain or case go
    through them (``custody log``, exports), so damage there could hide or repeat an event
    that the reading of every entry in log order would not miss."""
    builder.ran("ledger storage sound")
    for problem in reader.integrity_problems():
        builder.fail("STORE_DAMAGED", Location(), problem)


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
        return trust.key_ring(register)
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
