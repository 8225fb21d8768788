"""The storage interface every engine implements (SQLite today, PostgreSQL next).

Callers (the ledger) see only these types. An engine must guarantee:

* **one writer at a time**: :meth:`Store.transaction` gives exclusive write access across
  processes, so reading a chain head and appending after it cannot race;
* **durability**: when a transaction's block exits normally, its rows are on stable storage;
* **atomicity**: a transaction that raises leaves nothing behind;
* **append only**: recorded entries, actors, checkpoints, records and ledger facts cannot be
  updated or deleted through the store, and the database itself refuses it where it can.

Records are opaque byte strings (the salted documents of medical evaluations) addressed by
their SHA-256, which the caller computes. Storing a record again with the same bytes does
nothing; storing other bytes under a recorded digest is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol

import attrs


@attrs.frozen
class LedgerInfo:
    """Facts fixed when a ledger is created.

    Attributes:
        origin: the log's identity, also the checkpoint key name (C2SP tlog-checkpoint).
        log_public_key: raw Ed25519 public key that signs checkpoints.
        created_at_ms: creation time, milliseconds since the Unix epoch (a claim).
    """

    origin: str
    log_public_key: bytes
    created_at_ms: int


@attrs.frozen
class EntryRow:
    """One log entry as stored: the signed bytes plus index columns for lookups.

    The index columns (case, item, seq, type, key id, leaf hash) repeat what the signed
    bytes say so the store can answer queries; verification never trusts them and reports
    any disagreement.
    """

    index: int
    case: str
    item: str | None
    seq: int
    event_type: str
    key_id: bytes
    entry: bytes
    leaf_hash: bytes


@attrs.frozen
class ActorRow:
    """A registered actor: the public key and who holds it."""

    key_id: bytes
    public_key: bytes
    name: str
    role: str
    organisation: str | None
    added_at_ms: int


@attrs.frozen
class CheckpointRow:
    """A signed checkpoint note, as produced by the log key."""

    size: int
    note: str
    created_at_ms: int


class StoreReader(Protocol):
    """Read access, inside or outside a write transaction."""

    def info(self) -> LedgerInfo:
        """The ledger's fixed facts."""

    def entry_count(self) -> int:
        """The number of entries (the log size)."""

    def entries(self, start: int = 0, stop: int | None = None) -> Iterator[EntryRow]:
        """Entries with ``start <= index < stop`` (every index from ``start`` when ``stop``
        is ``None``) in index order."""

    def chain(self, case: str, item: str | None) -> list[EntryRow]:
        """Every entry of one chain, by sequence number."""

    def head(self, case: str, item: str | None) -> EntryRow | None:
        """The last entry of one chain, or ``None`` if the chain is empty."""

    def leaf_hashes(self, stop: int | None = None) -> list[bytes]:
        """The stored leaf hashes of entries ``0 .. stop-1`` in index order."""

    def integrity_problems(self) -> list[str]:
        """What is wrong with the storage itself, beyond what the signed entries show: a
        schema other than a ledger's (its append-only rules removed, say), lookup
        structures that disagree with the rows they index, entries stored outside the
        log's index range. Empty when the storage is sound.
        """

    def cases(self) -> list[str]:
        """References of every case that has events, sorted."""

    def items(self, case: str) -> list[str]:
        """References of every item of a case that has events, sorted."""

    def actor(self, key_id: bytes) -> ActorRow | None:
        """The registered actor with that key id, if any."""

    def actors(self) -> list[ActorRow]:
        """Every registered actor."""

    def checkpoints(self) -> list[CheckpointRow]:
        """Every stored checkpoint, by size."""

    def record(self, digest: bytes) -> bytes | None:
        """The record stored under this SHA-256 digest, or ``None``."""


class StoreWriter(StoreReader, Protocol):
    """Write access, only inside :meth:`Store.transaction`."""

    def append_entry(self, row: EntryRow) -> None:
        """Append an entry; its index must be exactly the current log size."""

    def add_actor(self, row: ActorRow) -> None:
        """Register an actor; a key id can be registered once."""

    def add_checkpoint(self, row: CheckpointRow) -> None:
        """Store a checkpoint; one per log size."""

    def add_record(self, digest: bytes, body: bytes) -> None:
        """Store a record under its SHA-256 ``digest``; a no-op if these bytes are stored.

        Other bytes under a recorded digest are refused (the caller's digest was wrong, or
        SHA-256 collided): the stored record never changes.
        """


class Store(StoreReader, Protocol):
    """A ledger's storage: reads at any time, writes inside a transaction."""

    location: str

    def transaction(self) -> AbstractContextManager[StoreWriter]:
        """Exclusive, atomic, durable write access across threads and processes."""

    def snapshot(self) -> AbstractContextManager[StoreReader]:
        """Read access to one consistent state of the ledger, for as long as it is held."""

    def close(self) -> None:
        """Release the engine's resources."""
