"""Offline verification of a bundle against the verifier's own trust policy.

The steps, as in ``docs/bundle-format.md`` ("Verifying a bundle"):

1. Read the ZIP strictly (a hostile archive stops here: :class:`BundleUnreadable`).
2. Hash every member; compare the members with the manifest: each listed member present,
   of its size and SHA-256, in the bundle order, and nothing else.
3. Open the closing checkpoint with the trusted log key; check each earlier checkpoint's
   signature and its consistency with the closing one. Open each checkpoint the verifier
   holds with the same key: the bundle must prove the log at its size, with its root.
4. For each event of entries.cborseq, in log order: parse, look up the signer in the trust
   policy, verify the signature (on worker processes for large bundles), check its
   inclusion proof under the closing checkpoint, and replay its chain through the custody
   state machine, medical records included.
5. Compare the chains with the heads the manifest names: nothing missing, nothing cut off.
6. Check the exported event: trusted signature, in the log, the case's next event,
   signing the manifest's SHA-256 and size, and counting the events, files and withheld
   files the bundle holds.
7. Check every recorded file: carried with its recorded hash and size, or withheld by name;
   and every listed record: named by an event of the bundle.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from custody.bundle._contents import (
    MAX_TIMELINE,
    BundleEvaluation,
    BundleFile,
    BundleItem,
    BundleSigner,
    BundleVerification,
    CarriedPhotograph,
    ExportFacts,
    FileStatus,
    PhotographFile,
    TimelineEvent,
)
from custody.bundle._layout import (
    CLOSING,
    ENTRIES,
    FILES,
    FORMAT,
    INCLUSION,
    KEYS,
    MANIFEST,
    MAX_CLOSING_SIZE,
    MAX_KEYS_SIZE,
    MAX_MANIFEST_SIZE,
    MAX_RECORD_MEMBER_SIZE,
    README,
    RECORDS,
    ClaimedKey,
    ClaimedKeys,
    Closing,
    Manifest,
    byte_string,
    count,
    file_member,
    path,
    record_member,
)
from custody.bundle._sequence import read_sequence
from custody.bundle._zip import ZipReader
from custody.crypto import (
    EMPTY_ROOT,
    Checkpoint,
    InclusionChecker,
    NoteVerifier,
    PublicKey,
    leaf_hash,
    verify_checkpoint,
    verify_consistency,
)
from custody.errors import BundleUnreadable, CustodyError, InvalidInput, VerificationError
from custody.medical import CommittedDocument, Evaluation, leaves, rebuild
from custody.model import (
    EVALUATION_EVENTS,
    FIRST_ITEM_EVENTS,
    Artifact,
    EvaluationClaim,
    Event,
    EventType,
    expect_map,
)
from custody.store import EntryRow
from custody.verify import Location, TrustPolicy
from custody.verify._entries import (
    CHECK_ISSUER,
    CHECK_KEYS,
    CHECK_SIGNATURES,
    CHECK_WELL_FORMED,
    EntryContext,
    EntryFinding,
    check_signed_entry,
    verify_signatures,
)
from custody.verify._replay import (
    REPLAY_CHECK_OF_CODE,
    ChainReplay,
    MedicalRecords,
    Place,
    report_signatures,
    signature_pool,
)
from custody.verify._report import ReportBuilder

_MEMBERS_LISTED = "members match the manifest"
_MEMBER_ORDER = "members in bundle order"
_MANIFEST_SIGNED = "manifest signed by the export"
_CHECKPOINT = "checkpoint signatures"
_CONSISTENT = "earlier checkpoints consistent"
_HELD = "log consistent with held checkpoints"
_INCLUDED = "events included in the signed log"
_HEADS = "chains complete up to the export"
_OF_CASE = "events of the bundle's case"
_EXPORT = "closing export event"
_FILES = "files match their recorded hashes"
_READABLE = "bundle structures readable"

CHECK_OF_CODE: dict[str, str] = {
    "MEMBER_MISSING": _MEMBERS_LISTED,
    "MEMBER_CHANGED": _MEMBERS_LISTED,
    "MEMBER_UNEXPECTED": _MEMBERS_LISTED,
    "RECORD_UNREFERENCED": _MEMBERS_LISTED,
    "MEMBER_ORDER": _MEMBER_ORDER,
    "MEMBER_MALFORMED": _READABLE,
    "MANIFEST_MALFORMED": _READABLE,
    "MANIFEST_CHANGED": _MANIFEST_SIGNED,
    "EXPORT_MALFORMED": _EXPORT,
    "EXPORT_CASE": _EXPORT,
    "EXPORT_COUNTS": _EXPORT,
    "LOG_UNTRUSTED": "log key trusted",
    "CHECKPOINT_MALFORMED": _CHECKPOINT,
    "CHECKPOINT_SIGNATURE": _CHECKPOINT,
    "CONSISTENCY_INVALID": _CONSISTENT,
    "LOG_INCONSISTENT": _HELD,
    "CHECKPOINT_UNPROVEN": _HELD,
    "INCLUSION_INVALID": _INCLUDED,
    "INCLUSION_MISSING": _INCLUDED,
    "ENTRY_ORDER": _INCLUDED,
    "ENTRY_OTHER_CASE": _OF_CASE,
    "ENTRY_MALFORMED": CHECK_WELL_FORMED,
    "ISSUER_MISMATCH": CHECK_ISSUER,
    "KEY_UNKNOWN": CHECK_KEYS,
    "KEY_UNTRUSTED": CHECK_KEYS,
    "KEY_NOT_VALID": CHECK_KEYS,
    "SIGNATURE_INVALID": CHECK_SIGNATURES,
    **REPLAY_CHECK_OF_CODE,
    "CHAIN_MISSING": _HEADS,
    "CHAIN_CUT": _HEADS,
    "CHAIN_UNLISTED": _HEADS,
    "FILE_MISSING": _FILES,
    "FILE_CHANGED": _FILES,
    "FILE_NOT_RECORDED": _FILES,
}
_MAX_PHOTO_FOR_REPORT = 32 * 1024 * 1024
#: Malformed items a sequence member may hold before the rest of it is left unread.
MAX_MALFORMED_ITEMS = 1000
_CHUNK = 1 << 20


def verify_bundle(
    bundle: str | os.PathLike[str],
    trust: TrustPolicy,
    *,
    workers: int | None = None,
    held_checkpoints: Sequence[str] = (),
) -> BundleVerification:
    """Verify a bundle file offline against ``trust``, the verifier's own policy.

    Keys the bundle carries are claims: they name signers in the report and are never used
    to trust a signature.

    Args:
        bundle: the bundle file.
        trust: the keys and logs the verifier trusts.
        workers: processes for signature checks, counting this one; ``None`` uses every
            core for large bundles.
        held_checkpoints: checkpoint notes the verifier kept from earlier, as
            ``Ledger.checkpoint()`` returns them; the bundle must prove the log it carries
            consistent with each (``LOG_INCONSISTENT``, ``CHECKPOINT_UNPROVEN``).

    Returns:
        The report (``.ok`` only if every check passed and every signer is trusted) with
        what the bundle shows.

    Raises:
        BundleUnreadable: the file is not a usable bundle (not a ZIP of the bundle subset,
            or hostile: paths leaving it, links, compression, sizes over the limits).
    """
    with ZipReader(bundle) as archive:
        if not any(archive.member(name) for name in _FIXED_MEMBERS):
            raise BundleUnreadable(
                "a ZIP archive, but not a custody bundle: it has none of "
                + ", ".join(_FIXED_MEMBERS),
                field=os.fspath(bundle),
            )
        verifier = _BundleVerifier(archive, os.fspath(bundle), trust, workers, held_checkpoints)
        try:
            return verifier.run()
        except BundleUnreadable as exc:
            # Inside, the refusal names the member; the reader needs the file as well.
            raise BundleUnreadable(str(exc), field=os.fspath(bundle)) from exc


#: A ZIP holding none of these is not a bundle at all; one missing some was tampered with.
_FIXED_MEMBERS = (README, MANIFEST, CLOSING, INCLUSION, KEYS, ENTRIES)


@attrs.frozen
class _Structure:
    """A CBOR member of fixed name: its size limit, its check and its malformed code."""

    name: str
    limit: int
    check: str
    code: str


_Parsed = TypeVar("_Parsed")


@attrs.frozen
class _ProvenLog:
    """The closing checkpoint, and the log states the bundle proves it extends.

    Attributes:
        verifier: the log key the checkpoints were opened with.
        closing: the closing checkpoint.
        roots: the root at each size the bundle proves: the closing checkpoint's, and each
            earlier checkpoint's whose signature and consistency proof verified.
    """

    verifier: NoteVerifier
    closing: Checkpoint
    roots: Mapping[int, bytes]


class _Builder(ReportBuilder):
    """The report builder, also remembering the members problems were found at, so that a
    later check can stand down where an earlier problem leaves its answer unknowable.
    """

    def __init__(self, subject: str, check_of_code: dict[str, str]) -> None:
        super().__init__(subject, check_of_code)
        self.troubled: set[str] = set()

    def fail(self, code: str, where: Location, message: str) -> None:
        super().fail(code, where, message)
        if where.member is not None:
            # The member itself, not "member item N": one entry per member, however many items.
            self.troubled.add(where.member.partition(" ")[0])


class _BundleVerifier:
    def __init__(
        self,
        archive: ZipReader,
        name: str,
        trust: TrustPolicy,
        workers: int | None,
        held_checkpoints: Sequence[str],
    ) -> None:
        self._archive = archive
        self._name = name
        self._trust = trust
        self._workers = workers
        self._held_checkpoints = tuple(held_checkpoints)
        self._builder = _Builder(f"bundle {name}", CHECK_OF_CODE)
        self._named_records: set[str] = set()  # records/ members some event looked up
        self._digests: dict[str, tuple[bytes, int]] = {}
        self._file_members: dict[bytes, str] = {}  # the manifest's files/ member by SHA-256
        self._timeline: list[TimelineEvent] = []
        self._events = 0  # events read with their chain named, kept in the timeline or not
        self._first_events: dict[str, Event] = {}
        self._signed_by: dict[bytes, int] = {}
        self._evaluation_events: dict[tuple[str, str], list[Event]] = {}

    def run(self) -> BundleVerification:
        builder = self._builder
        self._hash_members()
        manifest = self._manifest()
        closing = self._closing()
        keys = self._keys()
        if manifest is not None:
            self._check_members(manifest)
        case = manifest.case if manifest else None
        origin = manifest.origin if manifest else (keys.origin if keys else None)
        log = self._proven_log(closing, origin, keys)
        if log is not None:
            self._check_held(log)
        anchor = log.closing if log else None
        claimed = {key_id: claim.public_key for key_id, claim in _claims(keys).items()}
        context = EntryContext(origin or "", self._trust.key_ring(claimed), None)
        replay = ChainReplay(builder, None, MedicalRecords(builder, self._named_record))
        self._entries(context, replay, anchor, case)
        event_count = self._carried_events()
        if manifest is not None:
            self._check_heads(manifest, replay)
        export = self._export(closing, manifest, context, replay, anchor, event_count)
        replay.finish()
        files = self._check_files(manifest)
        if manifest is not None:
            self._check_records(manifest)
        report = builder.build()
        return BundleVerification(
            report=report,
            bundle=self._name,
            case=case,
            origin=origin,
            export=export,
            items=self._items(replay, files, case),
            signers=self._signers(keys),
            timeline=_with_problem_counts(self._timeline, report.problems),
            timeline_omitted=self._events - len(self._timeline),
            evaluations=self._evaluations(replay, case),
        )

    # -- step 2: members -------------------------------------------------------------------

    def _hash_members(self) -> None:
        for member in self._archive.members:
            digest = hashlib.sha256()
            with self._archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
            self._digests[member.name] = (digest.digest(), member.size)

    def _read(self, name: str, limit: int) -> bytes | None:
        member = self._archive.member(name)
        return None if member is None else self._archive.read(member, limit)

    def _manifest(self) -> Manifest | None:
        return self._structure(
            _Structure(MANIFEST, MAX_MANIFEST_SIZE, _READABLE, "MANIFEST_MALFORMED"),
            Manifest.from_cbor,
            missing="no manifest",
            malformed="the manifest cannot be read, so no member can be checked against it",
        )

    def _closing(self) -> Closing | None:
        return self._structure(
            _Structure(CLOSING, MAX_CLOSING_SIZE, _EXPORT, "EXPORT_MALFORMED"),
            Closing.from_cbor,
            missing="the closing export record is missing: nothing proves what the bundle holds",
            malformed="it cannot be read",
        )

    def _keys(self) -> ClaimedKeys | None:
        return self._structure(
            _Structure(KEYS, MAX_KEYS_SIZE, _READABLE, "MEMBER_MALFORMED"),
            ClaimedKeys.from_cbor,
            missing=None,  # a listed member: reported against the manifest
            malformed="the signers' claimed keys cannot be read",
        )

    def _structure(
        self,
        structure: _Structure,
        parse: Callable[[bytes], _Parsed],
        *,
        missing: str | None,
        malformed: str,
    ) -> _Parsed | None:
        """Read and parse one of the bundle's CBOR structures, reporting what stops it.

        Raises:
            BundleUnreadable: the member is over its limit (hostile input).
        """
        self._builder.ran(structure.check)
        where = Location(member=structure.name)
        data = self._read(structure.name, structure.limit)
        if data is None:
            if missing is not None:
                self._builder.fail("MEMBER_MISSING", where, missing)
            return None
        try:
            return parse(data)
        except BundleUnreadable:
            raise
        except InvalidInput as exc:
            self._builder.fail(structure.code, where, f"{malformed}: {exc}")
            return None

    def _check_members(self, manifest: Manifest) -> None:
        builder = self._builder
        listed = {m.name: m for m in manifest.members}
        for member in manifest.members:
            builder.ran(_MEMBERS_LISTED)
            found = self._digests.get(member.name)
            where = Location(member=member.name)
            if found is None:
                builder.fail("MEMBER_MISSING", where, "the manifest lists it; it is not there")
            elif found != (member.sha256, member.size):
                builder.fail(
                    "MEMBER_CHANGED",
                    where,
                    "its bytes are not those the manifest lists (SHA-256 or size differ)",
                )
        known = set(listed) | {MANIFEST, CLOSING, INCLUSION}
        for name in self._digests:
            if name not in known:
                builder.ran(_MEMBERS_LISTED)
                builder.fail(
                    "MEMBER_UNEXPECTED", Location(member=name), "the manifest does not list it"
                )
        self._check_order(manifest)

    def _check_order(self, manifest: Manifest) -> None:
        listed = [m.name for m in manifest.members if m.name != README]
        # dict.fromkeys: a manifest naming a member twice (or a fixed one) is still ordered.
        expected = list(dict.fromkeys([README, MANIFEST, CLOSING, INCLUSION, *listed]))
        named = set(expected)
        present = [m.name for m in self._archive.members if m.name in named]
        wanted = [name for name in expected if name in self._digests]
        self._builder.ran(_MEMBER_ORDER)
        for actual, should in zip(present, wanted, strict=False):
            if actual != should:
                self._builder.fail(
                    "MEMBER_ORDER",
                    Location(member=actual),
                    f"out of order: {should!r} should come here",
                )
                return

    # -- step 3: checkpoints ---------------------------------------------------------------

    def _proven_log(
        self, closing: Closing | None, origin: str | None, keys: ClaimedKeys | None
    ) -> _ProvenLog | None:
        """The closing checkpoint and the earlier ones proven consistent with it; ``None``
        if the closing checkpoint cannot be opened (its problem says why).
        """
        if closing is None or origin is None:
            return None
        verifier = self._log_verifier(origin, keys)
        if verifier is None:
            return None
        anchor = self._open_checkpoint(closing.checkpoint, verifier, Location(member=CLOSING))
        if anchor is None:
            return None
        # Every log extends the empty one: size 0 needs no proof.
        roots = {0: EMPTY_ROOT, anchor.size: anchor.root_hash}
        below = 0  # the size the next earlier checkpoint must exceed: oldest first, each once
        for number, earlier in enumerate(closing.earlier, start=1):
            where = Location(member=f"{CLOSING} earlier checkpoint {number}")
            old = self._open_checkpoint(earlier.note, verifier, where)
            if old is None or not self._in_order(old, below, anchor, where):
                continue
            below = old.size
            if self._check_consistency(old, anchor, earlier.consistency, where):
                roots[old.size] = old.root_hash
        return _ProvenLog(verifier, anchor, roots)

    def _in_order(self, old: Checkpoint, below: int, anchor: Checkpoint, where: Location) -> bool:
        if below < old.size < anchor.size:
            return True
        self._builder.fail(
            "CHECKPOINT_MALFORMED",
            attrs.evolve(where, checkpoint=old.size),
            f"an earlier checkpoint must be larger than the one before it ({below}) and "
            f"smaller than the closing one ({anchor.size})",
        )
        return False

    def _check_held(self, log: _ProvenLog) -> None:
        """Each held checkpoint must sign the root the bundle proves at its size: the log
        the bundle comes from is then the one the verifier saw earlier, only grown.
        """
        for number, note in enumerate(self._held_checkpoints, start=1):
            where = Location(member=f"held checkpoint {number}")
            held = self._open_checkpoint(note, log.verifier, where)
            if held is None:
                continue
            self._builder.ran(_HELD)
            where = attrs.evolve(where, checkpoint=held.size)
            proven = log.roots.get(held.size)
            if proven is None:
                self._builder.fail("CHECKPOINT_UNPROVEN", where, _unproven(held, log))
            elif proven != held.root_hash:
                self._builder.fail(
                    "LOG_INCONSISTENT",
                    where,
                    "the log the bundle proves differs from the one this checkpoint signed: "
                    "the log was rewritten",
                )

    def _log_verifier(self, origin: str, keys: ClaimedKeys | None) -> NoteVerifier | None:
        builder = self._builder
        builder.ran("log key trusted")
        key = self._trust.log_key(origin)
        if key is None:
            builder.fail(
                "LOG_UNTRUSTED",
                Location(member=CLOSING),
                f"your trust policy names no key for log {origin!r}: nothing proves the "
                "events are in that log (they were checked with the key the bundle claims)",
            )
            if keys is None:
                return None
            try:
                key = PublicKey.from_bytes(keys.log_key)
            except InvalidInput:
                return None
        try:
            return NoteVerifier.for_key(origin, key.as_cryptography())
        except InvalidInput:
            return None

    def _open_checkpoint(
        self, note: str, verifier: NoteVerifier, where: Location
    ) -> Checkpoint | None:
        self._builder.ran(_CHECKPOINT)
        try:
            return verify_checkpoint(note, verifier)
        except InvalidInput as exc:
            self._builder.fail("CHECKPOINT_MALFORMED", where, f"the checkpoint is malformed: {exc}")
        except VerificationError as exc:
            self._builder.fail(
                "CHECKPOINT_SIGNATURE",
                where,
                f"the checkpoint is not signed by the log key: {exc}",
            )
        return None

    def _check_consistency(
        self, old: Checkpoint, anchor: Checkpoint, proof: tuple[bytes, ...], where: Location
    ) -> bool:
        self._builder.ran(_CONSISTENT)
        try:
            verify_consistency(old.size, anchor.size, old.root_hash, anchor.root_hash, proof)
        except CustodyError as exc:
            self._builder.fail(
                "CONSISTENCY_INVALID",
                attrs.evolve(where, checkpoint=old.size),
                f"the log at this checkpoint is not a prefix of the closing one: {exc}",
            )
            return False
        return True

    # -- step 4: events --------------------------------------------------------------------

    def _entries(
        self,
        context: EntryContext,
        replay: ChainReplay,
        anchor: Checkpoint | None,
        case: str | None,
    ) -> None:
        builder = self._builder
        entries = self._archive.member(ENTRIES)
        if entries is None:
            return  # reported against the manifest
        proofs = self._proofs()
        inclusion = None if anchor is None else InclusionChecker(anchor.size, anchor.root_hash)
        with (
            self._archive.open(entries) as stream,
            signature_pool(self._workers, entries.size // 400) as pool,
        ):
            last = -1
            for parsed in _parsed_items(stream, ENTRIES, entries.size, builder, _entry_item):
                proof = next(proofs, None)  # taken for a malformed item too: they go in pairs
                if parsed is None:
                    continue
                index, entry = parsed
                where = Location(index=index)
                if index <= last:
                    builder.fail("ENTRY_ORDER", where, "events are not in log order")
                last = index
                finding = check_signed_entry(context, entry)
                leaf = leaf_hash(entry)
                place = self._replay(replay, finding, entry, index, leaf)
                self._check_inclusion(inclusion, leaf, index, proof, place)
                self._check_case(finding.event, case, place)
                if finding.signature is not None:
                    pool.add(finding.signature, place)
                    report_signatures(builder, pool.done())
            # Read the proofs to their end: what follows the last event's proof is damage too
            # (unless the events were not read to their end).
            extra = sum(1 for _ in proofs)
            if extra and ENTRIES not in builder.troubled:
                builder.fail(
                    "MEMBER_MALFORMED",
                    Location(member=INCLUSION),
                    f"{extra} more item(s) than there are events",
                )
            report_signatures(builder, pool.finish())

    def _check_case(self, event: Event | None, case: str | None, place: Place) -> None:
        if event is None or case is None:
            return  # nothing to compare: reported as malformed elsewhere
        self._builder.ran(_OF_CASE)
        if event.case != case:
            self._builder.fail(
                "ENTRY_OTHER_CASE",
                Location(*place),
                f"an event of case {event.case!r} in a bundle of case {case!r}",
            )

    def _replay(
        self,
        replay: ChainReplay,
        finding: EntryFinding,
        entry: bytes,
        index: int,
        leaf: bytes,
        member: str = ENTRIES,
    ) -> Place:
        event = finding.event
        if event is None:
            # Nothing names its chain: the entry is located by its log index alone.
            self._builder.ran_each(finding.ran)
            for code, message in finding.problems:
                self._builder.fail(code, Location(index=index, member=member), message)
            return (None, None, None, index)
        row = EntryRow(index, event.case, event.item, event.seq, "", b"", entry, b"")
        place = replay.record(row, finding, leaf)
        self._events += 1
        if len(self._timeline) < MAX_TIMELINE:
            self._timeline.append(_timeline_event(index, event))
        self._signed_by[event.actor] = self._signed_by.get(event.actor, 0) + 1
        if event.seq == 0 and event.item is not None:
            self._first_events[event.item] = event
        if event.type in EVALUATION_EVENTS and event.item is not None:
            self._evaluation_events.setdefault((event.case, event.item), []).append(event)
        return place

    def _proofs(self) -> Iterator[tuple[int, tuple[bytes, ...]] | None]:
        member = self._archive.member(INCLUSION)
        if member is None:
            self._builder.fail(
                "MEMBER_MISSING", Location(member=INCLUSION), "the inclusion proofs are missing"
            )
            return
        with self._archive.open(member) as stream:
            yield from _parsed_items(stream, INCLUSION, member.size, self._builder, _proof_item)

    def _check_inclusion(
        self,
        inclusion: InclusionChecker | None,
        leaf: bytes,
        index: int,
        proof: tuple[int, tuple[bytes, ...]] | None,
        place: Place,
    ) -> None:
        if inclusion is None:
            return
        builder = self._builder
        builder.ran(_INCLUDED)
        if proof is None or proof[0] != index:
            builder.fail(
                "INCLUSION_MISSING",
                Location(*place, member=INCLUSION),
                "no inclusion proof for this event",
            )
            return
        if not inclusion.included(index, leaf, proof[1]):
            builder.fail(
                "INCLUSION_INVALID",
                Location(*place),
                f"the event is not entry {index} of the log the checkpoint of size "
                f"{inclusion.size} signs: it was changed, or never logged",
            )

    def _record(self, digest: bytes) -> bytes | None:
        return self._read(record_member(digest), MAX_RECORD_MEMBER_SIZE)

    # -- step 5: chains against the manifest -------------------------------------------------

    def _check_heads(self, manifest: Manifest, replay: ChainReplay) -> None:
        builder = self._builder
        states = replay.states
        listed = set()
        for chain in manifest.chains:
            builder.ran(_HEADS)
            key = (manifest.case, chain.item)
            listed.add(key)
            where = Location(manifest.case, chain.item, chain.seq)
            state = states.get(key)
            if state is None:
                builder.fail(
                    "CHAIN_MISSING", where, "the manifest lists this chain; no event of it is here"
                )
            elif state.next_seq != chain.seq + 1:
                builder.fail(
                    "CHAIN_CUT",
                    where,
                    f"the export ends this chain at event #{chain.seq}; the bundle's events "
                    f"of it end at #{state.next_seq - 1}",
                )
            elif state.head != chain.head:
                builder.fail(
                    "CHAIN_CUT",
                    where,
                    f"the bundle's event #{chain.seq} of this chain is not the one the export "
                    "ended it with",
                )
        for key in states:
            if key not in listed:
                builder.ran(_HEADS)
                builder.fail(
                    "CHAIN_UNLISTED", Location(*key), "the manifest does not list this chain"
                )

    # -- step 6: the exported event ----------------------------------------------------------

    def _export(
        self,
        closing: Closing | None,
        manifest: Manifest | None,
        context: EntryContext,
        replay: ChainReplay,
        anchor: Checkpoint | None,
        event_count: int | None,
    ) -> ExportFacts | None:
        if closing is None:
            return None
        finding = check_signed_entry(context, closing.entry)
        leaf = leaf_hash(closing.entry)
        place = self._replay(replay, finding, closing.entry, closing.index, leaf, CLOSING)
        inclusion = None if anchor is None else InclusionChecker(anchor.size, anchor.root_hash)
        self._check_inclusion(
            inclusion, leaf, closing.index, (closing.index, closing.inclusion), place
        )
        if finding.signature is not None and not verify_signatures(None, [finding.signature])[0]:
            self._builder.fail(
                "SIGNATURE_INVALID", Location(*place), "the signature does not verify"
            )
        event = finding.event
        if event is None:
            return None
        where = Location(*place, member=CLOSING)
        if event.type is not EventType.EXPORTED or event.item is not None:
            self._builder.fail(
                "EXPORT_MALFORMED", where, "the closing event is not an export of the case"
            )
            return None
        if manifest is not None and event.case != manifest.case:
            self._builder.fail(
                "EXPORT_CASE", where, "the export is of another case than the manifest's"
            )
        self._check_manifest_signed(event)
        self._check_counts(event, manifest, event_count, where)
        return ExportFacts(
            event.actor,
            event.body.time,
            event.body.purpose,
            anchor.size if anchor else 0,
            anchor.root_hash if anchor else b"",
        )

    def _carried_events(self) -> int | None:
        """How many events entries.cborseq holds; ``None`` when that cannot be known: the
        member is absent, or an item or event of it could not be read (already reported).
        Called after step 4, before the exported event joins the timeline.
        """
        if self._archive.member(ENTRIES) is None:
            return None
        if ENTRIES in self._builder.troubled:
            return None
        return self._events

    def _check_counts(
        self, event: Event, manifest: Manifest | None, event_count: int | None, where: Location
    ) -> None:
        """The counts the exported event signs must be what the bundle holds; defence in
        depth, as a bundle that lost events or files already fails elsewhere. A count that
        cannot be known (``None``) is not compared.
        """
        self._builder.ran(_EXPORT)
        try:
            signed = _signed_counts(event)
        except InvalidInput as exc:
            self._builder.fail("EXPORT_MALFORMED", where, f"its counts cannot be read: {exc}")
            return
        in_bundle: dict[str, int | None] = {"events": event_count, "files": None, "withheld": None}
        if manifest is not None:
            in_bundle["files"] = sum(1 for m in manifest.members if m.name.startswith(FILES))
            in_bundle["withheld"] = len(manifest.withheld)
        for name, found in in_bundle.items():
            if found is not None and found != signed[name]:
                message = _COUNT_DIFFERS[name].format(signed=signed[name], found=found)
                self._builder.fail("EXPORT_COUNTS", where, message)

    def _check_manifest_signed(self, event: Event) -> None:
        self._builder.ran(_MANIFEST_SIGNED)
        found = self._digests.get(MANIFEST)
        signed = [(a.sha256, a.size) for a in event.body.artifacts if a.name == MANIFEST]
        if found is None or signed != [found]:
            self._builder.fail(
                "MANIFEST_CHANGED",
                Location(member=MANIFEST),
                "the manifest is not the one the exported event signed",
            )

    # -- step 7: files and records ---------------------------------------------------------

    def _named_record(self, digest: bytes) -> bytes | None:
        """The record lookup of the replay, noting what it looked up for step 7."""
        self._named_records.add(record_member(digest))
        return self._record(digest)

    def _check_records(self, manifest: Manifest) -> None:
        """Every listed record must be one an event of the bundle names: an exporter cannot
        slip in a document nobody signed for.
        """
        for listed in manifest.members:
            if not listed.name.startswith(RECORDS):
                continue
            self._builder.ran(_MEMBERS_LISTED)
            if listed.name not in self._named_records:
                self._builder.fail(
                    "RECORD_UNREFERENCED",
                    Location(member=listed.name),
                    "no event of the bundle names this medical record",
                )

    def _check_files(self, manifest: Manifest | None) -> dict[str, list[BundleFile]]:
        withheld = {(w.item, w.sha256, w.size) for w in manifest.withheld} if manifest else set()
        # A file is carried under the name the signed manifest gives its SHA-256, whatever
        # extension the export chose when two items recorded the same bytes.
        for listed in manifest.members if manifest else ():
            if listed.name.startswith(FILES):
                self._file_members.setdefault(listed.sha256, listed.name)
        files: dict[str, list[BundleFile]] = {}
        recorded = set()
        for item, event in sorted(self._first_events.items()):
            if event.type not in FIRST_ITEM_EVENTS:
                continue
            for artifact in event.body.artifacts:
                member = self._file_member(artifact)
                recorded.add(member)
                status = self._file_status(item, artifact, member, withheld)
                carried = status is not FileStatus.WITHHELD
                files.setdefault(item, []).append(
                    BundleFile(
                        artifact.name,
                        artifact.sha256,
                        artifact.size,
                        artifact.media_type,
                        member if carried else None,
                        status,
                    )
                )
        for name in self._digests:
            if name.startswith(FILES) and name not in recorded:
                self._builder.ran(_FILES)
                self._builder.fail(
                    "FILE_NOT_RECORDED",
                    Location(member=name),
                    "no event of the bundle records this file",
                )
        return files

    def _file_member(self, artifact: Artifact) -> str:
        """The member carrying a recorded file, or the name it would have."""
        return self._file_members.get(artifact.sha256) or file_member(
            artifact.sha256, artifact.name
        )

    def _file_status(
        self, item: str, artifact: Artifact, member: str, withheld: set[tuple[str, bytes, int]]
    ) -> FileStatus:
        builder = self._builder
        builder.ran(_FILES)
        found = self._digests.get(member)
        where = Location(item=item, member=member)
        if found == (artifact.sha256, artifact.size):
            return FileStatus.VERIFIED
        if found is not None:
            builder.fail(
                "FILE_CHANGED",
                where,
                "the file's bytes are not those recorded when it was taken in",
            )
            return FileStatus.CHANGED
        if (item, artifact.sha256, artifact.size) in withheld:
            return FileStatus.WITHHELD
        builder.fail(
            "FILE_MISSING", where, "the file is neither in the bundle nor withheld by the export"
        )
        return FileStatus.MISSING

    # -- what the bundle shows -------------------------------------------------------------

    def _items(
        self, replay: ChainReplay, files: dict[str, list[BundleFile]], case: str | None
    ) -> tuple[BundleItem, ...]:
        items = []
        for (chain_case, item), state in sorted(replay.states.items(), key=lambda kv: str(kv[0])):
            first = self._first_events.get(item) if item else None
            if item is None or chain_case != case or first is None:
                continue
            if first.type not in FIRST_ITEM_EVENTS:
                continue
            items.append(
                BundleItem(
                    item,
                    str(
                        first.body.details.get(
                            "kind", "digital" if first.body.artifacts else "physical"
                        )
                    ),
                    first.body.description,
                    tuple(files.get(item, ())),
                    state.seals,
                    None if state.pending or state.ended_by else state.holder,
                    None if state.ended_by is None else state.ended_by.value,
                    state.next_seq,
                )
            )
        return tuple(items)

    def _signers(self, keys: ClaimedKeys | None) -> tuple[BundleSigner, ...]:
        claims = _claims(keys)
        signers = []
        for key_id, events in sorted(self._signed_by.items()):
            found = claims.get(key_id)
            trusted = self._trust.key(key_id)
            signers.append(
                BundleSigner(
                    key_id,
                    found.public_key if found else None,
                    found.name if found else None,
                    found.role if found else None,
                    found.organisation if found else None,
                    trusted.name if trusted else None,
                    trusted.roles if trusted else (),
                    events,
                )
            )
        return tuple(signers)

    def _evaluations(self, replay: ChainReplay, case: str | None) -> tuple[BundleEvaluation, ...]:
        evaluations = []
        for (chain_case, reference), state in sorted(
            replay.states.items(), key=lambda kv: str(kv[0])
        ):
            progress = state.evaluation
            if (
                reference is None
                or chain_case != case
                or progress is None
                or progress.digest is None
            ):
                continue
            evaluation = self._evaluation_document(chain_case, reference)
            evaluations.append(
                BundleEvaluation(
                    reference,
                    _evaluation_status(self._events_of(chain_case, reference), progress.sealed),
                    progress.version or 0,
                    progress.digest,
                    tuple(sorted(progress.evaluators)),
                    tuple(sorted(progress.sealed_by & progress.evaluators)),
                    evaluation,
                    self._photographs(evaluation),
                )
            )
        return tuple(evaluations)

    def _evaluation_document(self, case: str, reference: str) -> Evaluation | None:
        """The current version's document, from the last versioning event's record."""
        record = None
        for event in reversed(self._events_of(case, reference)):
            if event.type in (EventType.EVALUATION_RECORDED, EventType.EVALUATION_ADDENDUM):
                try:
                    record = EvaluationClaim.from_body(event.body).record
                except InvalidInput:
                    return None
                break
        body = None if record is None else self._record(record)
        if body is None or hashlib.sha256(body).digest() != record:
            return None
        try:
            document = CommittedDocument.from_bytes(body)
            return Evaluation.from_json(rebuild(leaves(document.document)))
        except (InvalidInput, ValueError):
            return None

    def _events_of(self, case: str, reference: str) -> list[Event]:
        return self._evaluation_events.get((case, reference), [])

    def _photographs(self, evaluation: Evaluation | None) -> Mapping[str, PhotographFile]:
        if evaluation is None:
            return {}
        photos: dict[str, PhotographFile] = {}
        for photo in evaluation.photographs:
            first = self._first_events.get(photo.item)
            if first is None:
                continue
            for artifact in first.body.artifacts:
                member = self._file_member(artifact)
                if artifact.sha256.hex() != photo.sha256 or artifact.size > _MAX_PHOTO_FOR_REPORT:
                    continue
                if self._digests.get(member) == (artifact.sha256, artifact.size):
                    photos[photo.photo_id] = CarriedPhotograph(self._name, member, artifact.size)
        return photos


# --- helpers --------------------------------------------------------------------------------


def _claims(keys: ClaimedKeys | None) -> dict[bytes, ClaimedKey]:
    """The bundle's claimed actors by the key id the verifier computes itself from each key."""
    claims = {}
    for claim in keys.actors if keys else ():
        try:
            claims[PublicKey.from_bytes(claim.public_key).key_id] = claim
        except InvalidInput:
            continue
    return claims


#: Each count ``details["bundle"]`` of the exported event signs, as a mismatch is told.
_COUNT_DIFFERS = {
    "events": "the exported event counts {signed} events; entries.cborseq holds {found}",
    "files": (
        "the exported event counts {signed} carried files; "
        "the manifest lists {found} files/ members"
    ),
    "withheld": (
        "the exported event counts {signed} withheld files; the manifest withholds {found}"
    ),
}


def _signed_counts(event: Event) -> dict[str, int]:
    """The counts of the exported event's ``details["bundle"]``, by name.

    Raises:
        InvalidInput: it is missing, or not the map the export writes.
    """
    bundle = event.body.details.get("bundle")
    if not isinstance(bundle, Mapping):
        raise InvalidInput("must be a map", field="details.bundle")
    fields = expect_map(
        dict(bundle), "details.bundle", required={"format", *_COUNT_DIFFERS}, optional=set()
    )
    if fields["format"] != FORMAT:
        raise InvalidInput(f"must be {FORMAT!r}", field="details.bundle.format")
    return {name: count(fields[name], f"details.bundle.{name}") for name in _COUNT_DIFFERS}


def _unproven(held: Checkpoint, log: _ProvenLog) -> str:
    """Why the bundle cannot prove a held checkpoint, and how to get a proof."""
    if held.size > log.closing.size:
        reason = f"it is newer than the closing checkpoint, of size {log.closing.size}"
    else:
        # Never empty: the closing size is above the held one, so above 0.
        *others, last = [str(size) for size in sorted(log.roots) if size]
        sizes = f"sizes {', '.join(others)} and {last}" if others else f"size {last}"
        reason = f"it proves the log at {sizes} only"
    return (
        f"the bundle carries no consistency proof from size {held.size} ({reason}): export "
        "the case again after the ledger has signed a checkpoint, so that the new bundle "
        "carries this one as an earlier checkpoint, or check the ledger itself with "
        "`custody verify-ledger --checkpoint FILE`"
    )


def _sequence(
    stream: Any, member: str, size: int, builder: ReportBuilder
) -> Iterator[tuple[int, Any]]:
    """The items of a CBOR sequence member; a malformed one is reported and ends it."""
    builder.ran(_READABLE)
    try:
        yield from read_sequence(stream, member, size)
    except BundleUnreadable:
        raise
    except InvalidInput as exc:
        builder.fail("MEMBER_MALFORMED", Location(member=member), f"it cannot be read on: {exc}")


def _parsed_items(
    stream: Any,
    member: str,
    size: int,
    builder: ReportBuilder,
    parse: Callable[[Any, str, ReportBuilder], _Parsed | None],
) -> Iterator[_Parsed | None]:
    """Each item of a CBOR sequence member as ``parse`` reads it, ``None`` for a malformed
    one (``parse`` reports it). With :data:`MAX_MALFORMED_ITEMS` malformed items the member
    is damage, not data: reading stops there, so a member of tiny bad items cannot cost
    the verifier far more time per byte than real events do."""
    malformed = 0
    for position, item in _sequence(stream, member, size, builder):
        parsed = parse(item, f"{member} item {position}", builder)
        if parsed is None:
            malformed += 1
            if malformed == MAX_MALFORMED_ITEMS:
                message = f"{MAX_MALFORMED_ITEMS} malformed items: the rest is not read"
                builder.fail("MEMBER_MALFORMED", Location(member=member), message)
                return
        yield parsed


def _entry_item(item: Any, where: str, builder: ReportBuilder) -> tuple[int, bytes] | None:
    try:
        if not isinstance(item, list) or len(item) != 2:
            raise InvalidInput("must be [index, entry]", field=where)
        return count(item[0], where), byte_string(item[1], where)
    except InvalidInput as exc:
        builder.fail("MEMBER_MALFORMED", Location(member=where), str(exc))
        return None


def _proof_item(
    item: Any, where: str, builder: ReportBuilder
) -> tuple[int, tuple[bytes, ...]] | None:
    try:
        if not isinstance(item, list) or len(item) != 2:
            raise InvalidInput("must be [index, [hash, ...]]", field=where)
        return count(item[0], where), path(item[1], where)
    except InvalidInput as exc:
        builder.fail("MEMBER_MALFORMED", Location(member=where), str(exc))
        return None


def _timeline_event(index: int, event: Event) -> TimelineEvent:
    body = event.body
    return TimelineEvent(
        index=index,
        item=event.item,
        seq=event.seq,
        type=body.type.value,
        time=body.time,
        actor=event.actor,
        recipient=body.recipient,
        seals=body.seals,
        seal_state=None if body.seal_state is None else body.seal_state.value,
        place=None if body.place is None else body.place.name,
        purpose=body.purpose,
        problems=0,
    )


def _with_problem_counts(
    timeline: list[TimelineEvent], problems: tuple[Any, ...]
) -> tuple[TimelineEvent, ...]:
    counts: dict[int, int] = {}
    for problem in problems:
        if problem.where.index is not None:
            counts[problem.where.index] = counts.get(problem.where.index, 0) + 1
    return tuple(
        attrs.evolve(event, problems=counts[event.index]) if event.index in counts else event
        for event in timeline
    )


def _evaluation_status(events: list[Event], sealed: bool) -> str:
    if sealed:
        return "sealed"
    if any(event.type is EventType.EVALUATION_ADDENDUM for event in events):
        return "amended"
    return "draft"
