"""The ledger: cases, items and custody events over a store, with the Merkle log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from custody.crypto import (
    Checkpoint,
    MerkleTree,
    PublicKey,
    Signer,
    sign_checkpoint,
)
from custody.errors import ChainMoved, InvalidInput, TransitionRefused
from custody.ledger._state import EMPTY, ChainState, advance, violations
from custody.ledger._statement import Statement, open_statement, sign_event
from custody.model import (
    EVALUATION_EVENTS,
    MAX_RECORD_SIZE,
    VERSIONING_EVENTS,
    Actor,
    Case,
    EvaluationClaim,
    Event,
    EventBody,
    EventType,
    EvidenceItem,
    Place,
    SealState,
    item_from_first_event,
    to_millis,
    utc_datetime,
    utc_now,
)
from custody.store import (
    ActorRow,
    CheckpointRow,
    EntryRow,
    LedgerInfo,
    SQLiteStore,
    Store,
    StoreReader,
    StoreWriter,
)


@attrs.frozen
class RecordedEvent:
    """A statement at its place in the log.

    Attributes:
        index: the leaf index in the ledger's Merkle log.
        statement: the signed event.
    """

    index: int
    statement: Statement

    @property
    def event(self) -> Event:
        """The decoded event."""
        return self.statement.event

    @property
    def leaf_hash(self) -> bytes:
        """The RFC 9162 leaf hash of the entry."""
        return self.statement.leaf_hash


def _records(value: Sequence[bytes]) -> tuple[bytes, ...]:
    records = tuple(value)
    for record in records:
        if type(record) is not bytes or not record:
            raise InvalidInput("a record must be non-empty bytes", field="records")
        if len(record) > MAX_RECORD_SIZE:
            raise InvalidInput(
                f"a record of {len(record)} bytes is over the limit of {MAX_RECORD_SIZE}",
                field="records",
            )
    return records


@attrs.frozen
class Draft:
    """An event to append: which chain, what happened, and who signs it.

    Attributes:
        records: opaque records (the salted documents of medical evaluations) to store
            with the event, in the same transaction, each under its SHA-256.
        expect_seq: the sequence number the event must get, for a caller that decided on
            it from the chain as it stood: if another event was appended first, the append
            is refused (:class:`~custody.errors.ChainMoved`). ``None``: whatever comes next.
    """

    case: str
    item: str | None
    body: EventBody
    signer: Signer
    records: tuple[bytes, ...] = attrs.field(default=(), converter=_records)
    expect_seq: int | None = None


class Ledger:
    """A custody ledger: one append-only Merkle log of signed custody events.

    Appends check the custody state machine and refuse impossible histories
    (:class:`~custody.errors.TransitionRefused`); they are atomic and durable when they
    return. Reads never verify signatures: use :func:`custody.verify.verify_ledger`.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.info: LedgerInfo = store.info()
        # Chain states by (case, item), valid while the chain head is unchanged; another
        # process may append in between, which the head comparison detects.
        self._states: dict[tuple[str, str | None], ChainState] = {}
        # Registered actors and opened cases never go away, so a positive answer is final.
        self._known_actors: set[bytes] = set()
        self._open_cases: set[str] = set()

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        origin: str,
        log_key: PublicKey,
        at: datetime | None = None,
    ) -> Ledger:
        """Create a ledger in a new SQLite file.

        Args:
            path: the file to create; it must not exist.
            origin: the log's identity, a schema-less URL such as
                ``custody.example.org/unit-7``; checkpoints are signed under this name.
            log_key: the public key that will sign checkpoints.
            at: creation time (defaults to now).
        """
        _check_origin(origin)
        created = to_millis(utc_datetime(at) if at else utc_now())
        info = LedgerInfo(origin, log_key.to_bytes(), created)
        return cls(SQLiteStore.create(path, info))

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Ledger:
        """Open an existing SQLite ledger.

        Args:
            path: the ledger file.
            read_only: only read it, changing no byte of the file (to verify a copy kept
                as evidence); appends then fail with ``StoreError``.

        Raises:
            NotALedger: if the file is not a custody ledger.
        """
        return cls(SQLiteStore.open(path, read_only=read_only))

    def close(self) -> None:
        """Close the underlying store."""
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def log_key(self) -> PublicKey:
        """The public key that signs this ledger's checkpoints."""
        return PublicKey.from_bytes(self.info.log_public_key)

    # -- actors ----------------------------------------------------------------------

    def register_actor(
        self, actor: Actor, public_key: PublicKey, *, at: datetime | None = None
    ) -> None:
        """Register who holds a key, so their events can be appended and shown by name.

        Raises:
            InvalidInput: if the key id does not match the key, or is registered already.
        """
        if public_key.key_id != actor.key_id:
            raise InvalidInput("the key id is not the thumbprint of this key", field="key_id")
        if self.store.actor(actor.key_id) is not None:
            raise InvalidInput(f"key {actor.key_id_hex} is registered already", field="key_id")
        added = to_millis(utc_datetime(at) if at else utc_now())
        with self.store.transaction() as tx:
            tx.add_actor(
                ActorRow(
                    actor.key_id,
                    public_key.to_bytes(),
                    actor.name,
                    actor.role,
                    actor.organisation,
                    added,
                )
            )

    def actor(self, key_id: bytes) -> Actor | None:
        """The registered actor with that key id, if any."""
        row = self.store.actor(key_id)
        return _actor(row) if row else None

    def actors(self) -> list[Actor]:
        """Every registered actor."""
        return [_actor(row) for row in self.store.actors()]

    def public_keys(self) -> dict[bytes, PublicKey]:
        """The registered public keys by key id."""
        return {row.key_id: PublicKey.from_bytes(row.public_key) for row in self.store.actors()}

    # -- writing ---------------------------------------------------------------------

    def open_case(
        self,
        case: str,
        signer: Signer,
        *,
        purpose: str | None = None,
        place: Place | None = None,
        at: datetime | None = None,
    ) -> RecordedEvent:
        """Open a case: the first event of the case's own chain."""
        body = EventBody(EventType.OPENED, at or utc_now(), place=place, purpose=purpose)
        return self.record(case, None, body, signer)

    def acquire(
        self,
        case: str,
        item: EvidenceItem,
        signer: Signer,
        *,
        at: datetime | None = None,
        **fields: Any,
    ) -> RecordedEvent:
        """Bring an item into custody: the ``acquired`` event that starts its chain.

        ``fields`` are further :class:`~custody.model.EventBody` fields (place, purpose,
        condition...).
        """
        return self.record(
            case, item.reference, item.acquisition(at or utc_now(), **fields), signer
        )

    def record(
        self,
        case: str,
        item: str | None,
        body: EventBody,
        signer: Signer,
        *,
        records: Sequence[bytes] = (),
        expect_seq: int | None = None,
    ) -> RecordedEvent:
        """Sign and append one event to the chain of (case, item).

        A transfer that names no seals releases the item with the seals it carries.

        Args:
            case: the case reference.
            item: the item (or evaluation) reference; ``None`` for the case's own chain.
            body: what the signer states.
            signer: the actor who signs.
            records: opaque records to store in the same transaction, each under its
                SHA-256; storing stored bytes again does nothing. An evaluation event that
                submits a version must find its record here or already stored.
            expect_seq: the sequence number the event must get (see :class:`Draft`).

        Raises:
            TransitionRefused: if the event would make an impossible history (including an
                item event in a case that has not been opened); :class:`ChainMoved` if
                ``expect_seq`` is not the chain's next number.
            InvalidInput: if the signer or a named recipient is not a registered actor, or
                an evaluation's record is neither given nor stored.
        """
        (recorded,) = self.record_many([Draft(case, item, body, signer, records, expect_seq)])
        return recorded

    def record_many(
        self, drafts: Sequence[Draft], *, records: Sequence[bytes] = ()
    ) -> list[RecordedEvent]:
        """Append several events in one atomic, durable transaction (all or none).

        ``records`` and each draft's records are stored in the same transaction; see
        :meth:`record`.

        Raises:
            TransitionRefused: naming the first draft that breaks a rule; nothing is
                appended.
            InvalidInput: as for :meth:`record`; nothing is appended.
        """
        recorded: list[RecordedEvent] = []
        with self.store.transaction() as tx:
            given = _store_records(
                tx, [*_records(records), *(r for d in drafts for r in d.records)]
            )
            states: dict[tuple[str, str | None], ChainState] = {}
            index = tx.entry_count()
            for position, draft in enumerate(drafts):
                key = (draft.case, draft.item)
                state = states[key] if key in states else self._current_state(tx, *key)
                statement = self._sign(tx, state, draft, position, given)
                tx.append_entry(_entry_row(index, statement))
                recorded.append(RecordedEvent(index, statement))
                states[key] = advance(state, statement.event, statement.leaf_hash)
                index += 1
        # Only now that the batch is committed may what it established be remembered.
        self._states.update(states)
        self._open_cases.update(draft.case for draft in drafts)
        return recorded

    def _sign(
        self,
        tx: StoreReader,
        state: ChainState,
        draft: Draft,
        position: int,
        given: set[bytes],
    ) -> Statement:
        if draft.expect_seq not in (None, state.next_seq):
            raise ChainMoved(
                f"{_position(position)}the event was meant to be number {draft.expect_seq} of "
                f"its chain, which now has {state.next_seq} events: another event came first",
                field=_chain(draft),
            )
        self._check_parties(tx, draft)
        body = _with_released_seals(draft.body, state)
        event = Event(draft.case, draft.item, state.next_seq, state.head, draft.signer.key_id, body)
        opened = draft.item is None or self._is_open(tx, draft.case)
        broken = violations(state, event, case_opened=opened)
        if broken:
            first = broken[0]
            raise TransitionRefused(
                f"{_position(position)}{first.code}: {first.message}", field=_chain(draft)
            )
        if body.type in VERSIONING_EVENTS:
            # The claim is well-formed: the rules passed.
            missing = _missing_record(tx, EvaluationClaim.from_body(body), given)
            if missing is not None:
                raise InvalidInput(
                    f"{_position(position)}the evaluation's record {missing.hex()[:16]}… "
                    "is neither given with the event nor stored",
                    field=_chain(draft),
                )
        return sign_event(event, draft.signer, origin=self.info.origin)

    def _check_parties(self, tx: StoreReader, draft: Draft) -> None:
        if not self._is_actor(tx, draft.signer.key_id):
            raise InvalidInput(
                f"key {draft.signer.key_id.hex()} is not a registered actor", field="signer"
            )
        recipient = draft.body.recipient
        if recipient is not None and not self._is_actor(tx, recipient):
            raise InvalidInput(
                f"recipient {recipient.hex()} is not a registered actor", field="counterparty"
            )

    def _is_actor(self, tx: StoreReader, key_id: bytes) -> bool:
        if key_id not in self._known_actors and tx.actor(key_id) is not None:
            self._known_actors.add(key_id)
        return key_id in self._known_actors

    def _is_open(self, tx: StoreReader, case: str) -> bool:
        # The head may be this very batch's uncommitted "opened" event: not cached here.
        return case in self._open_cases or tx.head(case, None) is not None

    def _current_state(self, reader: StoreReader, case: str, item: str | None) -> ChainState:
        head = reader.head(case, item)
        if head is None:
            return EMPTY
        cached = self._states.get((case, item))
        if cached is not None and cached.head == head.leaf_hash:
            return cached
        state = EMPTY
        for row in reader.chain(case, item):
            statement = open_statement(row.entry)
            state = advance(state, statement.event, statement.leaf_hash)
        self._states[(case, item)] = state
        return state

    # -- reading ---------------------------------------------------------------------

    def state(self, case: str, item: str | None) -> ChainState:
        """What the chain of (case, item) establishes now: holder, seals, pending transfer."""
        return self._current_state(self.store, case, item)

    def cases(self) -> list[Case]:
        """Every case, from its ``opened`` event."""
        cases = []
        for reference in self.store.cases():
            first = self.store.chain(reference, None)[:1]
            if first:
                event = open_statement(first[0].entry).event
                cases.append(Case(reference, event.body.time, event.actor, event.body.purpose))
        return cases

    def items(self, case: str) -> list[EvidenceItem]:
        """Every item of a case, from the event that started its chain.

        The chains of medical evaluations are not items: see :meth:`evaluations`.
        """
        items = []
        for reference, first in self._first_events(case):
            if first.event.type not in EVALUATION_EVENTS:
                items.append(item_from_first_event(reference, first.event.body))
        return items

    def evaluations(self, case: str) -> list[str]:
        """The references of a case's medical evaluations, in the order first recorded."""
        started = [
            (first.index, reference)
            for reference, first in self._first_events(case)
            if first.event.type in EVALUATION_EVENTS
        ]
        return [reference for _, reference in sorted(started)]

    def _first_events(self, case: str) -> Iterator[tuple[str, RecordedEvent]]:
        """The first event of each chain of the case but its own, by chain reference."""
        for reference in self.store.items(case):
            yield reference, _recorded(self.store.chain(case, reference)[0])

    def record_bytes(self, digest: bytes) -> bytes | None:
        """The record stored under this SHA-256 digest, or ``None``.

        The bytes are returned as stored; nothing here checks that they still hash to
        ``digest`` (verification does).
        """
        return self.store.record(digest)

    def events(self, case: str, item: str | None = None) -> list[RecordedEvent]:
        """The events of one chain in sequence order."""
        return [_recorded(row) for row in self.store.chain(case, item)]

    def timeline(self, case: str) -> list[RecordedEvent]:
        """Every event of a case (case chain and items) in log order."""
        chains = [self.store.chain(case, None)]
        chains += [self.store.chain(case, item) for item in self.store.items(case)]
        rows = sorted((row for chain in chains for row in chain), key=lambda r: r.index)
        return [_recorded(row) for row in rows]

    def entries(self) -> Iterator[RecordedEvent]:
        """Every event in log order."""
        return (_recorded(row) for row in self.store.entries())

    # -- the log ---------------------------------------------------------------------

    @property
    def size(self) -> int:
        """The number of entries in the log."""
        return self.store.entry_count()

    def tree(self, size: int | None = None) -> MerkleTree:
        """The Merkle tree over the first ``size`` entries (all by default)."""
        return MerkleTree(self.store.leaf_hashes(size))

    def checkpoint(self, log_signer: Signer, *, at: datetime | None = None) -> str:
        """Sign a checkpoint of the log as it is now, store it and return its note.

        If a checkpoint of the current size exists, it is returned unchanged.

        Raises:
            InvalidInput: if ``log_signer`` is not this ledger's log key.
        """
        if log_signer.public_key.public_bytes_raw() != self.info.log_public_key:
            raise InvalidInput("this key is not the ledger's log key", field="log key")
        created = to_millis(utc_datetime(at) if at else utc_now())
        with self.store.transaction() as tx:
            size = tx.entry_count()
            existing = [row for row in tx.checkpoints() if row.size == size]
            if existing:
                return existing[0].note
            root = MerkleTree(tx.leaf_hashes(size)).root()
            note = sign_checkpoint(Checkpoint(self.info.origin, size, root), log_signer)
            tx.add_checkpoint(CheckpointRow(size, note, created))
        return note

    def checkpoints(self) -> list[str]:
        """Every stored checkpoint note, oldest first."""
        return [row.note for row in self.store.checkpoints()]

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """The RFC 9162 inclusion proof of entry ``index`` in the log at ``size``."""
        _check_sizes(index + 1, size, self.size)
        return self.tree(size).inclusion_proof(index, size)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """The RFC 9162 consistency proof between the log at two sizes."""
        _check_sizes(old_size, new_size, self.size)
        return self.tree(new_size).consistency_proof(old_size, new_size)


def _store_records(tx: StoreWriter, records: Sequence[bytes]) -> set[bytes]:
    """Store the records given with a batch; return their digests."""
    digests = set()
    for record in records:
        digest = hashlib.sha256(record).digest()
        if digest not in digests:
            tx.add_record(digest, record)
            digests.add(digest)
    return digests


def _missing_record(tx: StoreReader, claim: EvaluationClaim, given: set[bytes]) -> bytes | None:
    """The record a version of an evaluation names, if it is neither given nor stored."""
    record = claim.record
    if record is None or record in given or tx.record(record) is not None:
        return None
    return record


def _chain(draft: Draft) -> str:
    return f"{draft.case}/{draft.item}" if draft.item else draft.case


def _position(position: int) -> str:
    return f"event {position}: " if position else ""


def _with_released_seals(body: EventBody, state: ChainState) -> EventBody:
    if body.type is not EventType.TRANSFERRED or body.seals or body.seal_state is not None:
        return body
    seal_state = SealState.INTACT if state.seals else SealState.UNSEALED
    return attrs.evolve(body, seals=state.seals, seal_state=seal_state)


def _entry_row(index: int, statement: Statement) -> EntryRow:
    event = statement.event
    return EntryRow(
        index,
        event.case,
        event.item,
        event.seq,
        event.type.value,
        event.actor,
        statement.entry,
        statement.leaf_hash,
    )


def _recorded(row: EntryRow) -> RecordedEvent:
    return RecordedEvent(row.index, open_statement(row.entry))


def _actor(row: ActorRow) -> Actor:
    return Actor(row.key_id, row.name, row.role, row.organisation)


def _check_origin(origin: str) -> None:
    if not origin or any(c.isspace() or c == "+" or ord(c) < 32 for c in origin):
        raise InvalidInput("must be non-empty, without spaces or '+'", field="origin")


def _check_sizes(low: int, high: int, size: int) -> None:
    if not 0 <= low <= high <= size:
        raise InvalidInput(
            f"sizes must satisfy 0 <= {low} <= {high} <= log size {size}", field="size"
        )
