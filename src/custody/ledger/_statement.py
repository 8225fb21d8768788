"""Signed statements: a custody event as a COSE_Sign1 log entry.

Layout (``docs/formats.md``)::

    entry     = 18([protected, {}, payload, signature])      tagged COSE_Sign1, RFC 9052
    protected = {1: -19, 3: "application/vnd.custody.event+cbor", 4: kid,
                 15: {1: origin, 2: subject}}                 SCITT RFC 9943 profile
    payload   = deterministic CBOR of Event.to_dict()
    leaf_hash = SHA-256(0x00 || entry)                        RFC 9162 §2.1.1
"""

from __future__ import annotations

import functools

import attrs

from custody import encoding
from custody.crypto import (
    ALG,
    CONTENT_TYPE,
    CWT_CLAIMS,
    KID,
    PublicKey,
    Sign1Message,
    Signer,
    leaf_hash,
    sign1,
    verify_sign1,
)
from custody.errors import InvalidInput
from custody.model import Event

EVENT_CONTENT_TYPE = "application/vnd.custody.event+cbor"
_HEADER_LABELS = frozenset({ALG, CONTENT_TYPE, KID, CWT_CLAIMS})
_CLAIM_ISSUER = 1
_CLAIM_SUBJECT = 2
# A signed event is small; anything larger is refused before decoding.
MAX_ENTRY_SIZE = 256 * 1024


def subject_of(case: str, item: str | None) -> str:
    """The CWT ``sub`` claim naming an event's chain: ``case`` or ``case/item``."""
    return case if item is None else f"{case}/{item}"


@attrs.frozen
class Statement:
    """A signed custody event: the exact entry bytes and what they say.

    Attributes:
        entry: the tagged COSE_Sign1 bytes, exactly as signed and stored.
        message: the parsed COSE structure.
        event: the decoded payload.
        issuer: the log origin named in the protected header.
    """

    entry: bytes
    message: Sign1Message
    event: Event
    issuer: str

    @functools.cached_property  # derived from ``entry``; a verifier has it already
    def leaf_hash(self) -> bytes:
        """The RFC 9162 leaf hash of ``entry``."""
        return leaf_hash(self.entry)

    @property
    def key_id(self) -> bytes:
        """The signer's key id from the protected header (equal to ``event.actor``)."""
        return self.event.actor

    def verify_signature(self, public_key: PublicKey) -> None:
        """Check the COSE signature with ``public_key``.

        Raises:
            SignatureError: if it does not verify.
        """
        verify_sign1(self.message, public_key)


def sign_event(event: Event, signer: Signer, *, origin: str) -> Statement:
    """Sign ``event`` as ``signer`` for the log named ``origin``.

    Raises:
        InvalidInput: if the signer is not the event's actor, or the signed event would be
            larger than :data:`MAX_ENTRY_SIZE`.
    """
    if signer.key_id != event.actor:
        raise InvalidInput("the signing key is not the event's actor", field="actor")
    claims = {_CLAIM_ISSUER: origin, _CLAIM_SUBJECT: subject_of(event.case, event.item)}
    entry = sign1(
        encoding.encode(event.to_dict()),
        signer,
        content_type=EVENT_CONTENT_TYPE,
        protected={CWT_CLAIMS: claims},
    )
    if len(entry) > MAX_ENTRY_SIZE:  # readers refuse larger entries: never record one
        raise InvalidInput(
            f"the signed event would be {len(entry)} bytes, over the limit of {MAX_ENTRY_SIZE}",
            field="event",
        )
    # The payload was just encoded from ``event``: only the envelope needs reading back.
    return Statement(entry, Sign1Message.from_bytes(entry), event, origin)


def open_statement(entry: bytes) -> Statement:
    """Parse a log entry strictly, without checking its signature.

    Checks: the COSE structure and the payload are deterministic CBOR; the unprotected
    header is empty; the content type is a custody event; the ``kid`` is the event's actor
    and the CWT subject names the event's chain.

    Raises:
        EncodingError: if the bytes are not strict CBOR.
        InvalidInput: if the structure or headers are not those of a custody event.
    """
    if len(entry) > MAX_ENTRY_SIZE:
        raise InvalidInput(f"entry of {len(entry)} bytes exceeds {MAX_ENTRY_SIZE}", field="entry")
    message = Sign1Message.from_bytes(entry)
    if message.unprotected:
        raise InvalidInput("a log entry's unprotected header must be empty", field="entry")
    if message.payload is None:
        raise InvalidInput("a log entry must carry its payload", field="entry")
    kid, issuer, subject = _event_header(message.protected)
    event = Event.from_dict(encoding.decode(message.payload))
    if subject != subject_of(event.case, event.item):
        raise InvalidInput("the CWT subject does not name the event's chain", field="entry")
    if kid != event.actor:
        raise InvalidInput("the kid header is not the event's actor", field="entry")
    return Statement(entry, message, event, issuer)


@functools.lru_cache(maxsize=4096)  # a log repeats one header per signer and chain
def _event_header(protected: bytes) -> tuple[bytes, str, str]:
    """The kid, issuer and subject of a custody event's protected header, checked.

    Raises:
        InvalidInput: if the header is not that of a custody event.
    """
    # Only called on the protected bytes of a parsed Sign1Message, so they decode.
    header = encoding.decode(protected)
    if set(header) != _HEADER_LABELS:
        raise InvalidInput(
            "the protected header must hold exactly alg, content type, kid and CWT claims",
            field="entry",
        )
    if header[CONTENT_TYPE] != EVENT_CONTENT_TYPE:
        raise InvalidInput("content type is not a custody event", field="entry")
    claims = header[CWT_CLAIMS]
    if not isinstance(claims, dict) or set(claims) != {_CLAIM_ISSUER, _CLAIM_SUBJECT}:
        raise InvalidInput("CWT claims must hold exactly iss and sub", field="entry")
    issuer, subject = claims[_CLAIM_ISSUER], claims[_CLAIM_SUBJECT]
    if not isinstance(issuer, str):
        raise InvalidInput("the CWT issuer must be text", field="entry")
    if not isinstance(subject, str):
        raise InvalidInput("the CWT subject must be text", field="entry")
    return header[KID], issuer, subject
