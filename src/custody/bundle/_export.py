"""Export a case (or a selection of its chains) to one bundle file.

The export is planned from one snapshot of the ledger, then closed by a signed ``exported``
event on the case's own chain that names the manifest by its SHA-256, then proven under a
checkpoint, and only then written: README and manifest first, evidence files last, each
streamed once from the blob store and hashed on the way.

Exporting a case that has not changed since its last export, with the same selection,
reuses that export's event and checkpoint: the same bundle, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

import attrs

from custody._fs import sync_directory
from custody.bundle._layout import (
    CLOSING,
    ENTRIES,
    FORMAT,
    INCLUSION,
    KEYS,
    MANIFEST,
    MAX_KEYS_SIZE,
    MAX_MANIFEST_SIZE,
    README,
    UNLISTED,
    ChainHead,
    ClaimedKey,
    ClaimedKeys,
    Closing,
    EarlierCheckpoint,
    ListedMember,
    Manifest,
    WithheldFile,
    entry_item,
    file_member,
    inclusion_item,
    record_member,
)
from custody.bundle._readme import readme_text
from custody.bundle._zip import MAX_MEMBERS, ZipWriter
from custody.crypto import Checkpoint, Signer, leaf_hash
from custody.errors import ChainMoved, InvalidInput, StoreError
from custody.intake import BlobStore
from custody.ledger import Ledger, RecordedEvent, open_statement
from custody.model import (
    FIRST_ITEM_EVENTS,
    VERSIONING_EVENTS,
    Artifact,
    EvaluationClaim,
    Event,
    EventBody,
    EventType,
    utc_now,
)
from custody.store import EntryRow, StoreReader

_MANIFEST_MEDIA_TYPE = "application/cbor"


@attrs.frozen
class ExportResult:
    """What an export wrote.

    Attributes:
        path: the bundle file.
        exported: the closing ``exported`` event.
        reused: whether that event was recorded by an earlier export of the unchanged case.
        events: how many signed events the bundle carries, the exported one included.
        files: how many evidence files it carries.
        withheld: how many recorded files it names by hash only.
        size: the bundle's size in bytes.
        log_size: the size of the checkpoint the bundle is proven under.
    """

    path: Path
    exported: RecordedEvent
    reused: bool
    events: int
    files: int
    withheld: int
    size: int
    log_size: int


def export_bundle(
    ledger: Ledger,
    case: str,
    out: str | os.PathLike[str],
    *,
    exporter: Signer,
    log_signer: Signer | None = None,
    blobs: BlobStore | None = None,
    items: Sequence[str] | None = None,
    withhold: Collection[str] = (),
    purpose: str | None = None,
    at: datetime | None = None,
) -> ExportResult:
    """Export ``case`` to the bundle file ``out``, which must not exist yet.

    Args:
        ledger: the ledger holding the case.
        case: the case reference.
        out: the bundle file to create.
        exporter: the registered actor who signs the closing ``exported`` event.
        log_signer: the ledger's log key, to sign a checkpoint covering the export; needed
            unless a stored checkpoint already covers it (a re-export of an unchanged case).
        blobs: the blob store holding the evidence files; needed unless every digital
            item is withheld.
        items: the item and evaluation references to carry (default: all of the case's);
            the case's own chain is always carried.
        withhold: item references whose files are left out: the bundle names their hash
            and size only.
        purpose: why the bundle is made (signed into the exported event).
        at: the claimed time of the export (default: now).

    Returns:
        What was written.

    Raises:
        InvalidInput: unknown case or item, an existing ``out`` or a folder that cannot be
            written to, a missing file or record, a blob whose bytes are not the recorded
            ones, or no key to sign a checkpoint.
        TransitionRefused: if the exporter may not record on the case;
            :class:`~custody.errors.ChainMoved` if another event reached the case meanwhile.
        StoreError: the bundle could not be written (a full disk); the exported event is
            recorded and a new export with the same options reuses it.
    """
    target = Path(out)
    if target.exists():
        raise _exists(target)
    request = _Request(case, items, frozenset(withhold), exporter.key_id, purpose, at)
    with _Output(target) as output:
        return _export(ledger, request, output, exporter, log_signer, blobs)


def _export(
    ledger: Ledger,
    request: _Request,
    output: _Output,
    exporter: Signer,
    log_signer: Signer | None,
    blobs: BlobStore | None,
) -> ExportResult:
    plan, content = _planned(ledger, request, blobs, reuse=True)
    exported = _reusable(plan, content, request)
    reused = exported is not None
    if exported is None:
        if plan.reusable is not None:  # an earlier export of another content: carry it too
            plan, content = _planned(ledger, request, blobs, reuse=False)
        if log_signer is None:
            raise _no_checkpoint_key()
        exported = _record_export(ledger, plan, content, exporter, request.purpose, request.at)
    anchor = _anchor(ledger, exported, log_signer)
    closing, inclusion = _prove(ledger, plan, exported, anchor)
    _write(output, plan, content, closing, inclusion, blobs)
    target = output.target
    return ExportResult(
        target,
        exported,
        reused,
        len(plan.rows) + 1,
        len(plan.files),
        len(plan.withheld),
        target.stat().st_size,
        anchor.size,
    )


@attrs.frozen
class _Request:
    """What the caller asked to export, and how the export is to be signed."""

    case: str
    items: Sequence[str] | None
    withhold: frozenset[str]
    exporter: bytes  # key id
    purpose: str | None
    at: datetime | None


def _planned(
    ledger: Ledger, request: _Request, blobs: BlobStore | None, *, reuse: bool
) -> tuple[_Plan, _Content]:
    with ledger.store.snapshot() as reader:
        plan = _plan(reader, request, blobs, reuse=reuse)
    return plan, _Content.of(ledger, plan)


# --- planning -------------------------------------------------------------------------------


@attrs.frozen
class _File:
    member: str
    artifact: Artifact


@attrs.frozen
class _Plan:
    origin: str
    log_key: bytes
    case: str
    rows: tuple[EntryRow, ...]  # in log order, without a trailing exported event to reuse
    reusable: EntryRow | None  # the case chain's last event, if an export that may be reused
    files: tuple[_File, ...]
    withheld: tuple[WithheldFile, ...]
    records: tuple[bytes, ...]  # record hashes, sorted
    actors: tuple[ClaimedKey, ...]
    heads: tuple[ChainHead, ...]


def _plan(
    reader: StoreReader,
    request: _Request,
    blobs: BlobStore | None,
    *,
    reuse: bool,
) -> _Plan:
    """What the bundle will carry; with ``reuse``, leaving out a last exported event of the
    case chain, which the export may reuse if it signs the same manifest.
    """
    case, withhold = request.case, request.withhold
    _refuse_damaged(reader)
    chains = _chains(reader, case, request.items)
    unknown = withhold - set(chains)
    if unknown:
        raise InvalidInput(f"the export carries no item {sorted(unknown)[0]!r}", field="withhold")
    events: dict[int, Event] = {}  # each row's event, parsed once, by log index
    case_chain = _linked_chain(reader, case, None, events)
    last = case_chain[-1]
    reusable = last if reuse and last.event_type == EventType.EXPORTED else None
    by_chain: dict[str | None, list[EntryRow]] = {None: case_chain[:-1] if reusable else case_chain}
    by_chain.update({item: _linked_chain(reader, case, item, events) for item in chains})
    rows = tuple(sorted((row for chain in by_chain.values() for row in chain), key=_index))
    files, withheld = _files(rows, events, withhold, blobs)
    info = reader.info()
    return _Plan(
        origin=info.origin,
        log_key=info.log_public_key,
        case=case,
        rows=rows,
        reusable=reusable,
        files=files,
        withheld=withheld,
        records=_record_hashes(rows, events),
        actors=_actors(reader, rows, events, request.exporter),
        heads=tuple(
            ChainHead(item, chain[-1].seq, chain[-1].leaf_hash)
            for item, chain in by_chain.items()
            if chain
        ),
    )


def _index(row: EntryRow) -> int:
    return row.index


def _refuse_damaged(reader: StoreReader) -> None:
    """Refuse to sign an export over storage that is damaged: a chain read through a damaged
    index can lack an event, and the exported event would name the wrong chain heads."""
    problems = reader.integrity_problems()
    if problems:
        raise StoreError(
            f"the ledger's storage is damaged ({problems[0]}); nothing was exported: check it "
            "with custody verify-ledger"
        )


def _linked_chain(
    reader: StoreReader, case: str, item: str | None, events: dict[int, Event]
) -> list[EntryRow]:
    """One chain, each event checked to be the next link of the one before: whatever the
    storage returns, a bundle never carries a chain with an event missing or out of place.
    Each row's parsed event goes into ``events``, by log index."""
    chain = reader.chain(case, item)
    previous = None
    for position, row in enumerate(chain):
        event = events[row.index] = open_statement(row.entry).event
        linked = (event.case, event.item, event.seq, event.prev) == (case, item, position, previous)
        if not linked or leaf_hash(row.entry) != row.leaf_hash:
            subject = case if item is None else f"{case}/{item}"
            raise StoreError(
                f"the ledger's chain {subject} is broken at event #{position}; nothing was "
                "exported: check the ledger with custody verify-ledger"
            )
        previous = row.leaf_hash
    return chain


def _chains(reader: StoreReader, case: str, items: Sequence[str] | None) -> list[str]:
    known = reader.items(case)
    if not reader.chain(case, None):
        raise InvalidInput("the ledger has no such case", field=case)
    if items is None:
        return known
    missing = [item for item in items if item not in known]
    if missing:
        raise InvalidInput(f"the case has no item or evaluation {missing[0]!r}", field=case)
    return sorted(set(items))


def _files(
    rows: Sequence[EntryRow],
    events: Mapping[int, Event],
    withhold: frozenset[str],
    blobs: BlobStore | None,
) -> tuple[tuple[_File, ...], tuple[WithheldFile, ...]]:
    """The files of digital items (their first event's artifacts): carried or withheld."""
    carried: dict[str, _File] = {}
    withheld = []
    for row in rows:
        if row.seq != 0 or row.item is None or row.event_type not in FIRST_ITEM_EVENTS:
            continue
        for artifact in events[row.index].body.artifacts:
            if row.item in withhold:
                withheld.append(WithheldFile(row.item, artifact.sha256, artifact.size))
                continue
            _check_blob(blobs, row.item, artifact)
            member = file_member(artifact.sha256, artifact.name)
            carried.setdefault(artifact.sha256.hex(), _File(member, artifact))
    files = tuple(sorted(carried.values(), key=lambda f: f.member))
    return files, tuple(sorted(withheld, key=lambda w: (w.item, w.sha256)))


def _check_blob(blobs: BlobStore | None, item: str, artifact: Artifact) -> None:
    """Refuse, before anything is recorded, a file the blob store lacks or holds at another
    size; changed bytes of the same size are found while the bundle is written."""
    if blobs is None or artifact.sha256 not in blobs:
        raise InvalidInput(
            f"the blob store lacks the file of item {item!r} "
            f"(SHA-256 {artifact.sha256.hex()}); withhold it to export its hash only",
            field="blobs",
        )
    size = blobs.path_of(artifact.sha256).stat().st_size
    if size != artifact.size:
        raise InvalidInput(
            f"the blob store's copy of the file of item {item!r} has {size} bytes, not the "
            f"recorded {artifact.size}; run a fixity check (custody fixity) and restore it",
            field="blobs",
        )


def _record_hashes(rows: Sequence[EntryRow], events: Mapping[int, Event]) -> tuple[bytes, ...]:
    hashes = set()
    for row in rows:
        if row.event_type in VERSIONING_EVENTS:
            record = EvaluationClaim.from_body(events[row.index].body).record
            if record is not None:
                hashes.add(record)
    return tuple(sorted(hashes))


def _actors(
    reader: StoreReader, rows: Sequence[EntryRow], events: Mapping[int, Event], exporter: bytes
) -> tuple[ClaimedKey, ...]:
    """The register's entries for every signer, every named recipient and the exporter."""
    key_ids = {exporter} | {row.key_id for row in rows}
    key_ids |= {r for row in rows if (r := events[row.index].body.recipient) is not None}
    claimed = []
    for key_id in sorted(key_ids):
        actor = reader.actor(key_id)
        if actor is not None:
            claimed.append(ClaimedKey(actor.public_key, actor.name, actor.role, actor.organisation))
    return tuple(claimed)


# --- the closing event ----------------------------------------------------------------------


@attrs.frozen
class _Content:
    """The small members, made in memory, and the manifest over every listed member."""

    readme: bytes
    keys: bytes
    entries: Sequence[bytes]  # the encoded items of entries.cborseq
    records: dict[bytes, bytes]
    manifest: bytes  # manifest.cbor

    @classmethod
    def of(cls, ledger: Ledger, plan: _Plan) -> _Content:
        """The content of ``plan``, with the manifest the exported event will sign."""
        keys = ClaimedKeys(plan.origin, plan.log_key, plan.actors).to_cbor()
        entries = [entry_item(row.index, row.entry) for row in plan.rows]
        records = {digest: _record(ledger, digest) for digest in plan.records}
        readme = readme_text(plan.case, plan.origin, len(plan.rows) + 1, len(plan.files))
        members = [
            _listed(README, readme),
            _listed(KEYS, keys),
            ListedMember(ENTRIES, _digest_of(entries), sum(map(len, entries))),
            *(_listed(record_member(d), body) for d, body in records.items()),
            *(ListedMember(f.member, f.artifact.sha256, f.artifact.size) for f in plan.files),
        ]
        manifest = Manifest(plan.origin, plan.case, tuple(members), plan.heads, plan.withheld)
        encoded = manifest.to_cbor()
        _check_readable(len(members) + len(UNLISTED), encoded, keys)
        return cls(readme, keys, entries, records, encoded)


def _check_readable(members: int, manifest: bytes, keys: bytes) -> None:
    """Refuse, before anything is recorded, a bundle over the limits every reader applies.

    Raises:
        InvalidInput: too many members, or a manifest or keys.cbor over its size limit.
    """
    too_large = (
        members > MAX_MEMBERS or len(manifest) > MAX_MANIFEST_SIZE or len(keys) > MAX_KEYS_SIZE
    )
    if too_large:
        raise InvalidInput(
            f"the bundle would exceed a reader's limits ({members} members, at most "
            f"{MAX_MEMBERS}; manifest at most {MAX_MANIFEST_SIZE} bytes): export the case's "
            "items in several bundles",
            field="items",
        )


def _record(ledger: Ledger, digest: bytes) -> bytes:
    body = ledger.record_bytes(digest)
    if body is None or hashlib.sha256(body).digest() != digest:
        raise InvalidInput(
            f"the medical record {digest.hex()} is missing or changed; verify the ledger",
            field="records",
        )
    return body


def _listed(name: str, data: bytes) -> ListedMember:
    return ListedMember(name, hashlib.sha256(data).digest(), len(data))


def _digest_of(parts: Sequence[bytes]) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.digest()


def _manifest_artifact(content: _Content) -> Artifact:
    digest = hashlib.sha256(content.manifest).digest()
    return Artifact(MANIFEST, digest, len(content.manifest), _MANIFEST_MEDIA_TYPE)


def _reusable(plan: _Plan, content: _Content, request: _Request) -> RecordedEvent | None:
    """The case's last exported event, if it is this very export: the same manifest, signed
    by the same exporter for the same purpose (at the same time, if one is asked).
    """
    if plan.reusable is None:
        return None
    earlier = RecordedEvent(plan.reusable.index, open_statement(plan.reusable.entry))
    event, body = earlier.event, earlier.event.body
    same = (
        body.artifacts == (_manifest_artifact(content),)
        and event.actor == request.exporter
        and body.purpose == request.purpose
        and request.at in (None, body.time)
    )
    return earlier if same else None


def _record_export(
    ledger: Ledger,
    plan: _Plan,
    content: _Content,
    exporter: Signer,
    purpose: str | None,
    at: datetime | None,
) -> RecordedEvent:
    """Sign and append the exported event that names the manifest."""
    body = EventBody(
        EventType.EXPORTED,
        at or utc_now(),
        purpose=purpose,
        artifacts=(_manifest_artifact(content),),
        details={
            "bundle": {
                "format": FORMAT,
                "events": len(plan.rows),
                "files": len(plan.files),
                "withheld": len(plan.withheld),
            }
        },
    )
    case_head = next(head for head in plan.heads if head.item is None)
    try:
        # The bundle carries the case as planned: the export must be its very next event.
        return ledger.record(plan.case, None, body, exporter, expect_seq=case_head.seq + 1)
    except ChainMoved as exc:
        raise ChainMoved(
            "another event was recorded on the case while it was exported; export again",
            field=plan.case,
        ) from exc


def _no_checkpoint_key() -> InvalidInput:
    return InvalidInput(
        "no checkpoint covers the export yet: give the ledger's log key to sign one",
        field="log key",
    )


# --- proofs ---------------------------------------------------------------------------------


def _anchor(ledger: Ledger, exported: RecordedEvent, log_signer: Signer | None) -> Checkpoint:
    """The first stored checkpoint covering the exported event, signed now if there is none."""
    for note in ledger.checkpoints():
        checkpoint = _checkpoint_of(note)
        if checkpoint.size > exported.index:
            return checkpoint
    if log_signer is None:
        raise _no_checkpoint_key()
    return _checkpoint_of(ledger.checkpoint(log_signer))


def _checkpoint_of(note: str) -> Checkpoint:
    text, _, _ = note.partition("\n\n")
    return Checkpoint.from_text(text + "\n")


#: The newest stored checkpoints a bundle carries as earlier ones: some 2.5 KB each, so the
#: closing record stays far below its 8 MiB limit however long the ledger has been kept.
MAX_EARLIER = 1000


def _prove(
    ledger: Ledger, plan: _Plan, exported: RecordedEvent, anchor: Checkpoint
) -> tuple[Closing, list[bytes]]:
    """The closing record and the inclusion.cborseq items, all under ``anchor``."""
    tree = ledger.tree(anchor.size)
    notes = {_checkpoint_of(note).size: note for note in ledger.checkpoints()}
    sizes = [size for size in sorted(notes) if 0 < size < anchor.size][-MAX_EARLIER:]
    earlier = tuple(
        EarlierCheckpoint(notes[size], tuple(tree.consistency_proof(size, anchor.size)))
        for size in sizes
    )
    closing = Closing(
        exported.index,
        exported.statement.entry,
        notes[anchor.size],
        tuple(tree.inclusion_proof(exported.index, anchor.size)),
        earlier,
    )
    inclusion = [
        inclusion_item(row.index, tree.inclusion_proof(row.index, anchor.size)) for row in plan.rows
    ]
    return closing, inclusion


# --- writing --------------------------------------------------------------------------------


class _Output:
    """The bundle's temporary file beside its target.

    It is made before anything is recorded, so that a place the export cannot write to
    stops it first; :meth:`publish` links the finished file into place, never over an
    existing one; leaving the ``with`` block removes the temporary file.

    Raises:
        InvalidInput: the target's folder cannot be written to.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        try:
            descriptor, name = tempfile.mkstemp(prefix=".custody-export-", dir=target.parent)
        except OSError as exc:
            raise InvalidInput(
                f"cannot write a bundle there: {exc.strerror or exc}", field=str(target)
            ) from exc
        self.temporary = Path(name)
        self.handle = os.fdopen(descriptor, "w+b")

    def publish(self) -> None:
        """Sync the finished bundle and put it at the target.

        Raises:
            InvalidInput: the target exists (bundles are never overwritten).
        """
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        try:
            os.link(self.temporary, self.target)
        except FileExistsError as exc:
            raise _exists(self.target) from exc
        except OSError:
            # File systems without hard links (FAT and exFAT drives): claim the name with
            # an exclusive create, then replace that empty file with the bundle.
            _claim(self.target)
            os.replace(self.temporary, self.target)
        sync_directory(self.target.parent)

    def __enter__(self) -> _Output:
        return self

    def __exit__(self, *_: object) -> None:
        self.handle.close()
        self.temporary.unlink(missing_ok=True)


def _claim(target: Path) -> None:
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except FileExistsError as exc:
        raise _exists(target) from exc


def _exists(target: Path) -> InvalidInput:
    return InvalidInput("already exists; bundles are never overwritten", field=str(target))


def _write(
    output: _Output,
    plan: _Plan,
    content: _Content,
    closing: Closing,
    inclusion: list[bytes],
    blobs: BlobStore | None,
) -> None:
    """Write the bundle to the output's temporary file, then publish it.

    Raises:
        StoreError: the bundle cannot be written (a full disk, a removed drive).
    """
    try:
        writer = ZipWriter(output.handle)
        for name, data in _small_members(content, closing, inclusion):
            writer.add_bytes(name, data)
        for file in plan.files:
            _add_file(writer, file, blobs)
        writer.close()
        output.publish()
    except OSError as exc:
        raise StoreError(f"cannot write the bundle {output.target}: {exc.strerror or exc}") from exc


def _small_members(
    content: _Content, closing: Closing, inclusion: list[bytes]
) -> Iterator[tuple[str, bytes]]:
    """Every member but the evidence files, in bundle order."""
    yield README, content.readme
    yield MANIFEST, content.manifest
    yield CLOSING, closing.to_cbor()
    yield INCLUSION, b"".join(inclusion)
    yield KEYS, content.keys
    yield ENTRIES, b"".join(content.entries)
    for digest, body in content.records.items():
        yield record_member(digest), body


def _add_file(writer: ZipWriter, file: _File, blobs: BlobStore | None) -> None:
    assert blobs is not None  # planning refused files without a blob store
    artifact = file.artifact
    with blobs.open_blob(artifact.sha256) as source:
        written = writer.add(file.member, source, artifact.size)
    if written.sha256 != artifact.sha256:
        raise InvalidInput(
            f"the blob store's copy of {artifact.sha256.hex()} no longer has the recorded "
            "bytes; run a fixity check (custody fixity) and restore it",
            field=file.member,
        )
