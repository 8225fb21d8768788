"""Steps 2 and 3 of ledger verification for each entry on its own: parse, compare, verify.

Everything here depends on one entry and the key ring only. The last part, the Ed25519
signature check itself, is returned as a job so the verifier can run it in another process
while it goes on with the next entries.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime

import attrs
from cryptography.exceptions import InvalidSignature
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
        validity: for trusted keys with bounds, the first and last claimed times of the
            events the policy trusts them for (either may be ``None``).
    """

    register: Mapping[bytes, bytes]
    trusted: Mapping[bytes, bytes] | None
    validity: Mapping[bytes, tuple[datetime | None, datetime | None]] = attrs.field(factory=dict)

    def invalid_at(self, key_id: bytes, when: datetime) -> str | None:
        """Why the trusted key ``key_id`` is not valid at ``when``, or ``None`` if it is."""
        start, end = self.validity.get(key_id, (None, None))
        if start is not None and when < start:
            return f"before its validity starts ({start.isoformat()})"
        if end is not None and when > end:
            return f"after its validity ended ({end.isoformat()})"
        return None

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
    signature: SignatureJob | None = None


#: The last part of step 3, left for later or another process: raw Ed25519 public key,
#: signature, and the signed bytes (the Sig_structure).
SignatureJob = tuple[bytes, bytes, bytes]


def verify_signatures(_: None, jobs: Sequence[SignatureJob]) -> list[bool]:
    """Check Ed25519 signatures; True for each that verifies (module-level for workers)."""
    results = []
    for raw_key, signature, signed in jobs:
        try:
            _loaded_key(raw_key).verify(signature, signed)
        except InvalidSignature:
            results.append(False)
        else:
            results.append(True)
    return results


def check_entry(context: EntryContext, row: EntryRow) -> EntryFinding:
    """Steps 2 and 3 for one row, but for the signature itself (see ``EntryFinding``)."""
    return check_signed_entry(context, row.entry, row)


def check_signed_entry(
    context: EntryContext, entry: bytes, row: EntryRow | None = None
) -> EntryFinding:
    """Steps 2 and 3 for one signed entry; ``row`` gives index columns to compare, if any."""
    try:
        statement = open_statement(entry)
    except CustodyError as exc:
        message = f"the entry is not a well-formed signed event: {exc}"
        return EntryFinding(None, _PARSED, (("ENTRY_MALFORMED", message),))
    event = statement.event
    if context.case not in (None, event.case):
        return _other_case(context, row, event)
    problems = _compare(context, row, statement)
    key, key_problem = context.keys.lookup(statement.key_id)
    if key_problem is not None:
        problems.append((key_problem, _key_message(key_problem, statement.key_id)))
    elif (invalid := context.keys.invalid_at(statement.key_id, event.body.time)) is not None:
        problems.append(
            (
                "KEY_NOT_VALID",
                f"signed by key {statement.key_id.hex()} at a claimed time {invalid}, "
                "according to the trust policy",
            )
        )
    if key is None:
        checked = _CHECKED if row is not None else _CHECKED_UNSTORED
        return EntryFinding(event, checked, tuple(problems))
    signed = _SIGNED if row is not None else _SIGNED_UNSTORED
    try:
        prepared = prepare_sign1(statement.message, _loaded_key(key))
    except CustodyError as exc:
        problems.append(("SIGNATURE_INVALID", f"the signature does not verify: {exc}"))
        return EntryFinding(event, signed, tuple(problems))
    job = (key, prepared.signature, prepared.to_be_signed)
    return EntryFinding(event, signed, tuple(problems), job)


def _other_case(context: EntryContext, row: EntryRow | None, event: Event) -> EntryFinding:
    """An entry of a case other than the one verified: parsed only, unless its stored
    columns file it under the verified case, where reads of that case would show it."""
    if row is None or row.case != context.case:
        return EntryFinding(event, _PARSED, ())
    message = f"the stored index columns file an event of case {event.case!r} under this case"
    return EntryFinding(event, _COMPARED, (("ROW_MISMATCH", message),))


_PARSED = (CHECK_WELL_FORMED,)
_COMPARED = (CHECK_WELL_FORMED, CHECK_COLUMNS)
_CHECKED = (CHECK_WELL_FORMED, CHECK_COLUMNS, CHECK_ISSUER, CHECK_KEYS)
_CHECKED_UNSTORED = (CHECK_WELL_FORMED, CHECK_ISSUER, CHECK_KEYS)
# Built once: the report counts runs by these tuples, so each entry hashes one of them.
_SIGNED = (*_CHECKED, CHECK_SIGNATURES)
_SIGNED_UNSTORED = (*_CHECKED_UNSTORED, CHECK_SIGNATURES)


def _compare(
    context: EntryContext, row: EntryRow | None, statement: Statement
) -> list[tuple[str, str]]:
    event = statement.event
    problems = []
    said = (event.case, event.item, event.seq, event.type._value_, event.actor)  # see to_dict
    if row is not None and said != (row.case, row.item, row.seq, row.event_type, row.key_id):
        problems.append(("ROW_MISMATCH", "the stored index columns disagree with the signed entry"))
    if statement.issuer != context.origin:
        problems.append(
            ("ISSUER_MISMATCH", f"signed for log {statement.issuer!r}, not {context.origin!r}")
        )
    return problems


@functools.lru_cache(maxsize=1024)
def _loaded_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def _key_message(code: str, key_id: bytes) -> str:
    if code == "KEY_UNTRUSTED":
        return f"signed by key {key_id.hex()}, which the trust policy does not list"
    return f"signed by key {key_id.hex()}, which is not known"
