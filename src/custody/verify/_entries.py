"""Steps 2 and 3 of ledger verification for each entry on its own: parse, compare, verify.

Everything here depends on one entry and the key ring only, so entries can be checked in
any order and in other processes; the chain replay (step 4) happens afterwards in log order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from custody.crypto import prepare_sign1
from custody.errors import CustodyError
from custody.ledger import Statement, open_statement
from custody.model import Event
from custody.store import EntryRow

CHECK_WELL_FORMED = "entries well-formed"
CHECK_COLUMNS = "index columns match signed entries"
CHECK_ISSUER = "entries issued for this log"
CHECK_KEYS = "signing keys known and trusted"
CHECK_SIGNATURES = "signatures"


@attrs.frozen
class KeyRing:
    """Step 3's key lookup, as raw keys so it can travel to worker processes.

    Attributes:
        register: public keys registered in the ledger, by key id.
        trusted: public keys the verifier's trust policy lists, by key id; ``None`` when
            there is no policy and the register stands in for it.
    """

    register: Mapping[bytes, bytes]
    trusted: Mapping[bytes, bytes] | None

    def lookup(self, key_id: bytes) -> tuple[bytes | None, str | None]:
        """The raw key to verify with, and a problem code if it is unknown or untrusted."""
        if self.trusted is None:
            key = self.register.get(key_id)
            return key, None if key else "KEY_UNKNOWN"
        if key_id in self.trusted:
            return self.trusted[key_id], None
        key = self.register.get(key_id)
        return key, "KEY_UNTRUSTED" if key else "KEY_UNKNOWN"


@attrs.frozen
class EntryContext:
    """What checking one entry needs besides the entry."""

    origin: str
    keys: KeyRing
    case: str | None  # only this case's entries are checked beyond step 2's parse


@attrs.frozen
class EntryFinding:
    """The outcome of steps 2 and 3 for one entry.

    Attributes:
        event: the decoded event, or ``None`` if the entry is malformed.
        ran: the checks performed.
        problems: (code, message) of each failure.
    """

    event: Event | None
    ran: tuple[str, ...]
    problems: tuple[tuple[str, str], ...]


class _Checker:
    """Checks entries one after another, keeping loaded keys between them."""

    def __init__(self, context: EntryContext) -> None:
        self._context = context
        self._loaded: dict[bytes, Ed25519PublicKey] = {}

    def check(self, row: EntryRow) -> EntryFinding:
        try:
            statement = open_statement(row.entry)
        except CustodyError as exc:
            message = f"the entry is not a well-formed signed event: {exc}"
            return EntryFinding(None, (CHECK_WELL_FORMED,), (("ENTRY_MALFORMED", message),))
        event = statement.event
        if self._context.case not in (None, event.case):
            return EntryFinding(event, (CHECK_WELL_FORMED,), ())
        ran = [CHECK_WELL_FORMED, CHECK_COLUMNS, CHECK_ISSUER, CHECK_KEYS]
        problems = self._compare(row, statement)
        key, key_problem = self._context.keys.lookup(statement.key_id)
        if key_problem is not None:
            problems.append((key_problem, _key_message(key_problem, statement.key_id)))
        if key is not None:
            ran.append(CHECK_SIGNATURES)
            problems += self._signature_problems(statement, key)
        return EntryFinding(event, tuple(ran), tuple(problems))

    def _compare(self, row: EntryRow, statement: Statement) -> list[tuple[str, str]]:
        event = statement.event
        problems = []
        said = (event.case, event.item, event.seq, event.type.value, event.actor)
        if said != (row.case, row.item, row.seq, row.event_type, row.key_id):
            problems.append(
                ("ROW_MISMATCH", "the stored index columns disagree with the signed entry")
            )
        if statement.issuer != self._context.origin:
            problems.append(
                (
                    "ISSUER_MISMATCH",
                    f"signed for log {statement.issuer!r}, not {self._context.origin!r}",
                )
            )
        return problems

    def _signature_problems(self, statement: Statement, raw_key: bytes) -> list[tuple[str, str]]:
        key = self._loaded.get(raw_key)
        if key is None:
            key = self._loaded[raw_key] = Ed25519PublicKey.from_public_bytes(raw_key)
        try:
            prepare_sign1(statement.message, key).verify()
        except (CustodyError, ValueError) as exc:
            return [("SIGNATURE_INVALID", f"the signature does not verify: {exc}")]
        return []


def check_entries(context: EntryContext, rows: Sequence[EntryRow]) -> list[EntryFinding]:
    """Steps 2 and 3 for each row, in order (a module-level function for worker processes)."""
    checker = _Checker(context)
    return [checker.check(row) for row in rows]


def _key_message(code: str, key_id: bytes) -> str:
    if code == "KEY_UNTRUSTED":
        return f"signed by key {key_id.hex()}, which the trust policy does not list"
    return f"signed by key {key_id.hex()}, which is not known"
