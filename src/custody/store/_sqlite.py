"""The embedded default store: one SQLite file, WAL mode, append-only by trigger."""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from custody._fs import sync_directory
from custody.errors import CustodyError, InvalidInput, NotALedger, StoreError
from custody.store._base import ActorRow, CheckpointRow, EntryRow, LedgerInfo

#: PRAGMA application_id of a custody ledger: the ASCII bytes "CUST".
APPLICATION_ID = 0x43555354
SCHEMA_VERSION = 2
#: Older schema versions that opening a ledger upgrades (1: before medical records).
_UPGRADABLE = frozenset({1})
_BUSY_TIMEOUT_MS = 60_000
_LAST_INDEX = 2**63 - 1  # the largest SQLite integer
_ENGINE_PROBLEMS = 20  # at most this many of the engine's own integrity messages
_CASE_CHAIN = ""  # item column value of a case's own chain (item references are never empty)

_SCHEMA = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE actors (
    key_id BLOB PRIMARY KEY CHECK (length(key_id) = 32),
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation TEXT,
    added_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE entries (
    idx INTEGER PRIMARY KEY CHECK (idx >= 0),
    case_ref TEXT NOT NULL,
    item_ref TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 0),
    event_type TEXT NOT NULL,
    key_id BLOB NOT NULL,
    entry BLOB NOT NULL,
    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
    UNIQUE (case_ref, item_ref, seq)
);
CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY CHECK (size >= 0),
    note TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
-- The log is append-only: a new entry must take exactly the next index ...
CREATE TRIGGER entries_contiguous BEFORE INSERT ON entries
WHEN NEW.idx IS NOT (SELECT COALESCE(MAX(idx) + 1, 0) FROM entries)
BEGIN SELECT RAISE(ABORT, 'custody: log indexes must be contiguous'); END;
"""


# ... nothing recorded may change or disappear (UPDATE and DELETE are refused) ...
def _immutable(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'custody: {table} are append-only'); END"
        for verb in ("update", "delete")
    ]


_IMMUTABLE_TABLES = ("meta", "actors", "entries", "checkpoints")
_IMMUTABILITY = "".join(
    f"{statement};\n" for table in _IMMUTABLE_TABLES for statement in _immutable(table)
)
# ... and no insert may take a recorded row's key: INSERT OR REPLACE would otherwise delete
# the recorded row without firing the delete triggers.
_NO_REPLACE = """
CREATE TRIGGER meta_no_replace BEFORE INSERT ON meta
WHEN EXISTS (SELECT 1 FROM meta WHERE key = NEW.key)
BEGIN SELECT RAISE(ABORT, 'custody: meta are append-only'); END;
CREATE TRIGGER actors_no_replace BEFORE INSERT ON actors
WHEN EXISTS (SELECT 1 FROM actors WHERE key_id = NEW.key_id)
BEGIN SELECT RAISE(ABORT, 'custody: actors are append-only'); END;
CREATE TRIGGER entries_no_replace BEFORE INSERT ON entries
WHEN EXISTS (SELECT 1 FROM entries WHERE idx = NEW.idx
             OR (case_ref = NEW.case_ref AND item_ref = NEW.item_ref AND seq = NEW.seq))
BEGIN SELECT RAISE(ABORT, 'custody: entries are append-only'); END;
CREATE TRIGGER checkpoints_no_replace BEFORE INSERT ON checkpoints
WHEN EXISTS (SELECT 1 FROM checkpoints WHERE size = NEW.size)
BEGIN SELECT RAISE(ABORT, 'custody: checkpoints are append-only'); END;
"""

# Schema version 2: the records table, immutable too. Inserting a recorded digest again is
# a no-op when the bytes are equal, so storing a record twice is harmless; other bytes are
# refused, and so is INSERT OR REPLACE of other bytes. Statements, not a script: an upgrade
# runs them inside its own transaction, which executescript would commit first.
_RECORDS = (
    "CREATE TABLE records (\n"
    "    digest BLOB PRIMARY KEY CHECK (length(digest) = 32),\n"
    "    body BLOB NOT NULL\n"
    ") WITHOUT ROWID",
    *_immutable("records"),
    "CREATE TRIGGER records_no_replace BEFORE INSERT ON records\n"
    "WHEN EXISTS (SELECT 1 FROM records WHERE digest = NEW.digest)\n"
    "BEGIN SELECT CASE\n"
    "    WHEN (SELECT body FROM records WHERE digest = NEW.digest) IS NEW.body\n"
    "    THEN RAISE(IGNORE)\n"
    "    ELSE RAISE(ABORT, 'custody: records are append-only') END; END",
)

_SELECT_ENTRIES = (
    "SELECT idx, case_ref, item_ref, seq, event_type, key_id, entry, leaf_hash FROM entries "
)
_INSERT_ENTRY = (
    "INSERT INTO entries (idx, case_ref, item_ref, seq, event_type, key_id, entry, leaf_hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _entry(row: tuple[Any, ...]) -> EntryRow:
    idx, case, item, seq, event_type, key_id, entry, leaf_hash = row
    if not _as_stored(row):
        case, item, event_type = _text(case), _text(item), _text(event_type)
        seq, key_id, entry, leaf_hash = _integer(seq), _blob(key_id), _blob(entry), _blob(leaf_hash)
    return EntryRow(idx, case, item or None, seq, event_type, key_id, entry, leaf_hash)


_ENTRY_TYPES = (int, str, str, int, str, bytes, bytes, bytes)


def _as_stored(row: tuple[Any, ...]) -> bool:
    """Whether every column of an entries row has the type the ledger writes."""
    # Types compare by identity, so this is ``type(value) is kind`` column by column.
    return tuple(map(type, row)) == _ENTRY_TYPES


# A damaged or edited file can hold any SQLite type in any column (a type affinity is no
# constraint). Readers turn a value of the wrong type into one of the right type (text into
# its UTF-8 bytes and back, anything else into empty bytes, empty text or -1), so that
# verification judges the row where it is rather than failing on it, and nothing else meets
# a type it does not expect.
def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _blob(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "replace") if isinstance(value, str) else b""


def _integer(value: object) -> int:
    return value if type(value) is int else -1


def _actor(row: tuple[Any, ...]) -> ActorRow:
    key_id, public_key, name, role, organisation, added_at = row
    return ActorRow(
        _blob(key_id),
        _blob(public_key),
        _text(name),
        _text(role),
        _optional_text(organisation),
        _integer(added_at),
    )


def _checkpoint(row: tuple[Any, ...]) -> CheckpointRow:
    size, note, created_at = row
    return CheckpointRow(_integer(size), _text(note), _integer(created_at))


def _decoded_text(data: bytes) -> str:
    # The text factory of every connection: text that is not UTF-8 (a damaged or edited
    # file) reads with replacement characters instead of failing the whole query.
    return data.decode("utf-8", "replace")


_Method = TypeVar("_Method", bound=Callable[..., Any])
# What reading a damaged database file can raise besides a clean DatabaseError.
_ENGINE_ERRORS = (sqlite3.Error, UnicodeDecodeError, OverflowError, ValueError)


def _read(method: _Method) -> _Method:
    """Translate the engine's errors on a read into :class:`StoreError`."""

    @functools.wraps(method)
    def reading(self: _SQLiteAccess, *args: Any, **kwargs: Any) -> Any:
        try:
            with self._lock:
                return method(self, *args, **kwargs)
        except CustodyError:
            raise
        except _ENGINE_ERRORS as exc:
            raise StoreError(f"cannot read the ledger: {exc}") from exc

    return reading  # type: ignore[return-value]


class _SQLiteAccess:
    """Queries shared by the store (reads) and its write transactions.

    One connection serves every thread of the process; ``_lock`` makes each use of it, and
    each transaction as a whole, exclusive.
    """

    def __init__(
        self, connection: sqlite3.Connection, lock: threading.RLock, schema_version: int
    ) -> None:
        self._db = connection
        self._lock = lock
        self._schema_version = schema_version

    @_read
    def info(self) -> LedgerInfo:
        values = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        try:
            return LedgerInfo(
                origin=_text(values["origin"]),
                log_public_key=bytes(values["log_public_key"]),
                created_at_ms=int(values["created_at"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise NotALedger(f"ledger facts are incomplete ({exc})") from exc

    @_read
    def entry_count(self) -> int:
        # Indexes are contiguous from 0 (a trigger enforces it), so this is the count, found
        # from the primary key's end instead of by scanning the table.
        (count,) = self._db.execute("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries").fetchone()
        return int(count)

    def entries(self, start: int = 0, stop: int | None = None) -> Iterator[EntryRow]:
        last = _LAST_INDEX if stop is None else stop - 1
        # Page by index so no cursor stays open between pages: other threads may use the
        # connection in between (inside a snapshot, every page sees the same log).
        while start <= last and (rows := self._entry_page(start, last)):
            yield from rows
            start = rows[-1].index + 1

    @_read
    def _entry_page(self, start: int, last: int) -> list[EntryRow]:
        rows = self._db.execute(
            _SELECT_ENTRIES + "WHERE idx >= ? AND idx <= ? ORDER BY idx LIMIT 1024", (start, last)
        )
        return [_entry(row) for row in rows]

    @_read
    def chain(self, case: str, item: str | None) -> list[EntryRow]:
        rows = self._db.execute(
            _SELECT_ENTRIES + "WHERE case_ref = ? AND item_ref = ? ORDER BY seq",
            (case, item or _CASE_CHAIN),
        )
        return [_entry(row) for row in rows]

    @_read
    def head(self, case: str, item: str | None) -> EntryRow | None:
        row = self._db.execute(
            _SELECT_ENTRIES + "WHERE case_ref = ? AND item_ref = ? ORDER BY seq DESC LIMIT 1",
            (case, item or _CASE_CHAIN),
        ).fetchone()
        return _entry(row) if row else None

    @_read
    def leaf_hashes(self, stop: int | None = None) -> list[bytes]:
        rows = self._db.execute(
            "SELECT leaf_hash FROM entries WHERE idx >= 0 AND idx <= ? ORDER BY idx",
            (_LAST_INDEX if stop is None else stop - 1,),
        )
        return [_blob(leaf) for (leaf,) in rows]

    @_read
    def integrity_problems(self) -> list[str]:
        found = _schema_problems(self._db)
        found += [
            f"the database engine finds damage: {message}"
            for (message,) in self._db.execute(f"PRAGMA integrity_check({_ENGINE_PROBLEMS})")
            if message != "ok"
        ]
        (outside,) = self._db.execute("SELECT COUNT(*) FROM entries WHERE idx < 0").fetchone()
        if outside:
            found.append(f"{outside} entries are stored at negative indexes, outside the log")
        return found

    @_read
    def cases(self) -> list[str]:
        rows = self._db.execute("SELECT DISTINCT case_ref FROM entries ORDER BY case_ref")
        return [case for (case,) in rows]

    @_read
    def items(self, case: str) -> list[str]:
        rows = self._db.execute(
            "SELECT DISTINCT item_ref FROM entries WHERE case_ref = ? AND item_ref != ? "
            "ORDER BY item_ref",
            (case, _CASE_CHAIN),
        )
        return [item for (item,) in rows]

    @_read
    def actor(self, key_id: bytes) -> ActorRow | None:
        row = self._db.execute(
            "SELECT key_id, public_key, name, role, organisation, added_at FROM actors "
            "WHERE key_id = ?",
            (key_id,),
        ).fetchone()
        return _actor(row) if row else None

    @_read
    def actors(self) -> list[ActorRow]:
        rows = self._db.execute(
            "SELECT key_id, public_key, name, role, organisation, added_at FROM actors "
            "ORDER BY name, key_id"
        )
        return [_actor(row) for row in rows]

    @_read
    def checkpoints(self) -> list[CheckpointRow]:
        rows = self._db.execute("SELECT size, note, created_at FROM checkpoints ORDER BY size")
        return [_checkpoint(row) for row in rows]

    @_read
    def record(self, digest: bytes) -> bytes | None:
        if self._schema_version < 2:
            return None  # a version-1 ledger, read without upgrading it, stores no records
        row = self._db.execute("SELECT body FROM records WHERE digest = ?", (digest,)).fetchone()
        return _blob(row[0]) if row else None


class _SQLiteWriter(_SQLiteAccess):
    """Write access granted by :meth:`SQLiteStore.transaction`."""

    def append_entry(self, row: EntryRow) -> None:
        self._db.execute(
            _INSERT_ENTRY,
            (
                row.index,
                row.case,
                row.item or _CASE_CHAIN,
                row.seq,
                row.event_type,
                row.key_id,
                row.entry,
                row.leaf_hash,
            ),
        )

    def add_actor(self, row: ActorRow) -> None:
        self._db.execute(
            "INSERT INTO actors (key_id, public_key, name, role, organisation, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (row.key_id, row.public_key, row.name, row.role, row.organisation, row.added_at_ms),
        )

    def add_checkpoint(self, row: CheckpointRow) -> None:
        self._db.execute(
            "INSERT INTO checkpoints (size, note, created_at) VALUES (?, ?, ?)",
            (row.size, row.note, row.created_at_ms),
        )

    def add_record(self, digest: bytes, body: bytes) -> None:
        # The records_no_replace trigger skips equal bytes and refuses others.
        self._db.execute("INSERT INTO records (digest, body) VALUES (?, ?)", (digest, body))


class SQLiteStore(_SQLiteAccess):
    """A ledger in one SQLite file.

    WAL journal with ``synchronous=FULL``: a committed transaction survives power loss and
    ``kill -9``. Writers take the database's write lock with ``BEGIN IMMEDIATE`` and wait
    for it (up to a minute), so concurrent processes append one after another.
    """

    def __init__(
        self, connection: sqlite3.Connection, location: str, schema_version: int = SCHEMA_VERSION
    ) -> None:
        super().__init__(connection, threading.RLock(), schema_version)
        self.location = location

    @classmethod
    def create(cls, path: str | Path, info: LedgerInfo) -> SQLiteStore:
        """Create a new ledger file, atomically: it appears complete or not at all.

        The database is built under a temporary name beside ``path`` and linked into
        place, so a crash never leaves a half-made ledger, and an existing file is never
        replaced.

        Raises:
            InvalidInput: if the file exists already.
            StoreError: if it cannot be written.
        """
        path = Path(path)
        if path.exists():
            raise InvalidInput("a file exists there already; refusing to touch it", field=str(path))
        draft = path.with_name(f".{path.name}.{os.getpid()}.creating")
        try:
            _build(draft, info)
            os.link(draft, path)  # fails, rather than replaces, if the path was taken meanwhile
        except FileExistsError as exc:
            raise InvalidInput(
                "a file exists there already; refusing to touch it", field=str(path)
            ) from exc
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"cannot create the ledger {path}: {exc}") from exc
        finally:
            draft.unlink(missing_ok=True)
        sync_directory(path.parent)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> SQLiteStore:
        """Open an existing ledger file.

        Args:
            path: the file.
            read_only: open it for reading only, leaving every byte of it as it is: no
                journal mode is set and no older schema upgraded, so a copy kept as evidence
                (on write-protected media, say) can be read and verified. Writes fail.

        Raises:
            NotALedger: if the file is missing, not SQLite, or not a custody ledger.
        """
        path = Path(path)
        if not path.is_file():
            raise NotALedger("no ledger file there", field=str(path))
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise NotALedger(f"cannot read it ({exc.strerror})", field=str(path)) from exc
        if header != b"SQLite format 3\x00":
            raise NotALedger("not a custody ledger (not an SQLite database)", field=str(path))
        connection = _connect_read_only(path) if read_only else _connect(path)
        store = cls(connection, str(path))
        try:
            version = store._check_identity()
            if not read_only:
                _configure(store._db)
                if version != SCHEMA_VERSION:
                    _upgrade(store._db, store.location)
                    version = SCHEMA_VERSION
        except BaseException:
            store.close()
            raise
        store._schema_version = version
        return store

    def _check_identity(self) -> int:
        """Check the file is a ledger of a version this code reads; return that version."""
        try:
            (app_id,) = self._db.execute("PRAGMA application_id").fetchone()
            (version,) = self._db.execute("PRAGMA user_version").fetchone()
        except _ENGINE_ERRORS as exc:
            raise NotALedger(f"unreadable database ({exc})", field=self.location) from exc
        if app_id != APPLICATION_ID:
            raise NotALedger(
                "not a custody ledger (an SQLite file of something else)", field=self.location
            )
        if version != SCHEMA_VERSION and version not in _UPGRADABLE:
            raise NotALedger(
                f"ledger schema version {version} is not supported "
                f"(this version reads {SCHEMA_VERSION})",
                field=self.location,
            )
        return int(version)

    @contextmanager
    def transaction(self) -> Iterator[_SQLiteWriter]:
        """Exclusive write access; commits (durably) on normal exit, rolls back on error."""
        with self._lock, self._translated_errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteWriter(self._db, self._lock, self._schema_version)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[_SQLiteAccess]:
        """Read access to the ledger as it is now; appends made meanwhile stay unseen."""
        with self._lock, self._translated_errors():
            self._db.execute("BEGIN")
            try:
                reader = _SQLiteAccess(self._db, self._lock, self._schema_version)
                reader.entry_count()  # a deferred transaction takes its snapshot at first read
                yield reader
            finally:
                self._db.execute("COMMIT")

    @contextmanager
    def _translated_errors(self) -> Iterator[None]:
        try:
            yield
        except CustodyError:
            raise  # the caller's own refusal, raised inside the transaction
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"the ledger refused the write: {exc}") from exc
        except _ENGINE_ERRORS as exc:
            raise StoreError(f"ledger database error: {exc}") from exc

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _schema_problems(db: sqlite3.Connection) -> list[str]:
    """How the file's tables, indexes and triggers differ from a ledger's of its version."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    expected = _ledger_schema(version if version in _UPGRADABLE else SCHEMA_VERSION)
    found = _schema_of(db)
    problems = []
    for name in sorted(expected.keys() | found.keys()):
        kind, _ = expected.get(name) or found[name]
        if name not in found:
            problems.append(f"the {kind} {name} of a ledger is missing")
        elif name not in expected:
            problems.append(f"the {kind} {name} is not part of a ledger")
        elif found[name] != expected[name]:
            problems.append(f"the {kind} {name} is not defined as a ledger defines it")
    return problems


@functools.cache
def _ledger_schema(version: int) -> dict[str, tuple[str, str | None]]:
    """What a ledger of schema ``version`` holds: built in memory by the same statements."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_SCHEMA + _IMMUTABILITY + _NO_REPLACE)
        if version >= 2:
            for statement in _RECORDS:
                db.execute(statement)
        return _schema_of(db)
    finally:
        db.close()


def _schema_of(db: sqlite3.Connection) -> dict[str, tuple[str, str | None]]:
    rows = db.execute("SELECT type, name, sql FROM sqlite_master")
    return {_text(name): (_text(kind), _optional_text(sql)) for kind, name, sql in rows}


def _build(path: Path, info: LedgerInfo) -> None:
    """Write a complete, empty ledger to ``path`` in one transaction, and close it."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to link
        db.execute("PRAGMA synchronous = FULL")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.executescript("BEGIN;" + _SCHEMA + _IMMUTABILITY + _NO_REPLACE)
        for statement in _RECORDS:
            db.execute(statement)
        db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("origin", info.origin),
                ("log_public_key", info.log_public_key),
                ("created_at", info.created_at_ms),
            ],
        )
        db.execute("COMMIT")
    finally:
        db.close()


def _upgrade(db: sqlite3.Connection, location: str) -> None:
    """Bring a ledger of an older schema version up to this one, in one transaction.

    Version 1 lacks the records table. Another process may upgrade the same file at the
    same moment, so the version is read again under the write lock.

    Raises:
        StoreError: if the file cannot be written (read-only, locked for over a minute).
    """
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version in _UPGRADABLE:
                for statement in _RECORDS:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    except _ENGINE_ERRORS as exc:
        raise StoreError(
            f"cannot upgrade the ledger {location} to schema version {SCHEMA_VERSION}: {exc}"
        ) from exc


def _connect(path: Path | str, *, uri: bool = False) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(
            path,
            isolation_level=None,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            uri=uri,
        )
        db.text_factory = _decoded_text
        db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    except _ENGINE_ERRORS as exc:
        raise NotALedger(f"cannot open it as a database ({exc})", field=str(path)) from exc
    return db


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes the file.

    A ledger in WAL mode is read with the help of two files beside it; where they cannot be
    made (read-only media), a file without a journal beside it is read as immutable, which
    needs neither. A journal that exists (a write-ahead log, or the rollback journal of a
    write that was cut off) must be read with the file, so that case is refused.
    """
    location = f"file:{urllib.parse.quote(os.fspath(path.resolve()))}"
    db = _connect(f"{location}?mode=ro", uri=True)
    try:
        db.execute("PRAGMA schema_version").fetchone()
        return db
    except _ENGINE_ERRORS as exc:
        db.close()
        journals = [j for j in (f"{path}-wal", f"{path}-journal") if Path(j).exists()]
        if journals:
            raise NotALedger(
                f"cannot read it where it is ({exc}); its journal ({Path(journals[0]).name}) "
                "needs a writable folder: copy the ledger and that file to one",
                field=str(path),
            ) from exc
    return _connect(f"{location}?immutable=1", uri=True)


def _configure(db: sqlite3.Connection) -> None:
    """Durability settings; they change the file, so only for a known ledger."""
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
    except _ENGINE_ERRORS as exc:
        raise NotALedger(f"cannot use the database ({exc})") from exc
