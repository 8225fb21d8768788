"""Persistence behind one interface: SQLite (the embedded default) today.

A PostgreSQL engine implements the same :class:`Store` protocol; the ledger does not
change.
"""

from custody.store._base import (
    ActorRow,
    CheckpointRow,
    EntryRow,
    LedgerInfo,
    Store,
    StoreReader,
    StoreWriter,
)
from custody.store._sqlite import APPLICATION_ID, SCHEMA_VERSION, SQLiteStore

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "ActorRow",
    "CheckpointRow",
    "EntryRow",
    "LedgerInfo",
    "SQLiteStore",
    "Store",
    "StoreReader",
    "StoreWriter",
]
