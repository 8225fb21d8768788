"""The bundle's members and the CBOR structures inside them (``docs/bundle-format.md``).

A bundle is a ZIP of stored members in a fixed order::

    README.txt          how to verify, in words (listed in the manifest)
    manifest.cbor       what the bundle carries; its SHA-256 is signed by the exported event
    closing.cbor        the exported event, the checkpoint it is proven under, earlier checkpoints
    inclusion.cborseq   one inclusion proof per event of entries.cborseq, in the same order
    keys.cbor           the signers' public keys and names, as claims (listed in the manifest)
    entries.cborseq     the case's signed events, in log order (listed in the manifest)
    records/<sha256>.cbor   medical evaluation records (listed in the manifest)
    files/<sha256>[.ext]    evidence files (listed in the manifest)

The manifest cannot list itself, nor what is made after the exported event that signs it
(the checkpoint and the proofs): those authenticate themselves by signatures and hashes.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from custody import encoding
from custody.errors import BundleUnreadable, EncodingError, EncodingLimitError, InvalidInput
from custody.ledger import MAX_ENTRY_SIZE
from custody.model import MAX_RECORD_SIZE, expect_map

FORMAT = "custody-bundle/1"
README = "README.txt"
MANIFEST = "manifest.cbor"
CLOSING = "closing.cbor"
INCLUSION = "inclusion.cborseq"
KEYS = "keys.cbor"
ENTRIES = "entries.cborseq"
RECORDS = "records/"
FILES = "files/"
#: The members after README.txt that the manifest does not list, in bundle order.
UNLISTED = (MANIFEST, CLOSING, INCLUSION)

# Decoded, these structures take five to ten times their size in memory: the limits keep a
# verifier of any bundle under 150 MiB (a manifest of 4 MiB lists some 40,000 members).
MAX_MANIFEST_SIZE = 4 * 1024 * 1024
MAX_CLOSING_SIZE = 8 * 1024 * 1024
MAX_KEYS_SIZE = 1024 * 1024
MAX_RECORD_MEMBER_SIZE = MAX_RECORD_SIZE
#: Deepest nesting accepted in a bundle structure. The structures nest 3 deep; the margin
#: keeps a changed byte a finding about the member, while input built to be deep is refused.
MAX_DEPTH = 16
#: An RFC 9162 audit path of a tree below 2**64 leaves has at most 64 hashes.
MAX_PATH = 64
#: The largest item of a CBOR sequence member: one signed event and its framing.
MAX_SEQUENCE_ITEM = MAX_ENTRY_SIZE + 64
_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


def file_member(sha256: bytes, file_name: str) -> str:
    """The member name of an evidence file: its SHA-256, with the recorded name's extension
    (lower case, when it is short and plain) so ordinary tools open it.
    """
    _, dot, extension = file_name.rpartition(".")
    suffix = f".{extension.lower()}" if dot else ""
    return FILES + sha256.hex() + (suffix if _EXTENSION.fullmatch(suffix) else "")


def record_member(sha256: bytes) -> str:
    """The member name of a medical record stored under ``sha256``."""
    return f"{RECORDS}{sha256.hex()}.cbor"


def decode_member(data: bytes, member: str, limit: int) -> Any:
    """Strictly decode a CBOR member.

    Raises:
        BundleUnreadable: the member is over a reader's limit (hostile input).
        InvalidInput: it is not deterministic CBOR (a finding about the bundle).
    """
    try:
        return encoding.decode(data, max_size=limit, max_depth=MAX_DEPTH)
    except EncodingLimitError as exc:
        raise BundleUnreadable(f"refused: {exc}", field=member) from exc
    except EncodingError as exc:
        raise InvalidInput(f"not deterministic CBOR: {exc}", field=member) from exc


# --- manifest -------------------------------------------------------------------------------


@attrs.frozen
class ListedMember:
    """A member the manifest lists: name, SHA-256 and size."""

    name: str
    sha256: bytes
    size: int


@attrs.frozen
class ChainHead:
    """The last event of one chain the bundle carries (``item`` ``None``: the case chain)."""

    item: str | None
    seq: int
    head: bytes


@attrs.frozen
class WithheldFile:
    """A recorded file the bundle leaves out on purpose, carrying its hash only."""

    item: str
    sha256: bytes
    size: int


@attrs.frozen
class Manifest:
    """What the bundle carries, signed (by its SHA-256) by the closing exported event."""

    origin: str
    case: str
    members: tuple[ListedMember, ...]
    chains: tuple[ChainHead, ...]
    withheld: tuple[WithheldFile, ...]

    def to_cbor(self) -> bytes:
        """The manifest's deterministic CBOR."""
        return encoding.encode(
            {
                "format": FORMAT,
                "origin": self.origin,
                "case": self.case,
                "members": [
                    {"name": m.name, "sha256": m.sha256, "size": m.size} for m in self.members
                ],
                "chains": [_chain_map(c) for c in self.chains],
                "withheld": [
                    {"item": w.item, "sha256": w.sha256, "size": w.size} for w in self.withheld
                ],
            }
        )

    @classmethod
    def from_cbor(cls, data: bytes) -> Manifest:
        """Read a manifest.

        Raises:
            BundleUnreadable: over a limit.
            InvalidInput: malformed, naming the field.
        """
        fields = expect_map(
            decode_member(data, MANIFEST, MAX_MANIFEST_SIZE),
            MANIFEST,
            required={"format", "origin", "case", "members", "chains", "withheld"},
            optional=set(),
        )
        if fields["format"] != FORMAT:
            raise InvalidInput(f"unknown format {fields['format']!r}", field="manifest.format")
        return cls(
            _text(fields["origin"], "manifest.origin"),
            _text(fields["case"], "manifest.case"),
            tuple(_listed(m) for m in _array(fields["members"], "manifest.members")),
            tuple(_chain(c) for c in _array(fields["chains"], "manifest.chains")),
            tuple(_withheld(w) for w in _array(fields["withheld"], "manifest.withheld")),
        )


def _chain_map(chain: ChainHead) -> dict[str, Any]:
    out: dict[str, Any] = {"seq": chain.seq, "head": chain.head}
    if chain.item is not None:
        out["item"] = chain.item
    return out


def _listed(value: Any) -> ListedMember:
    fields = expect_map(
        value, "manifest member", required={"name", "sha256", "size"}, optional=set()
    )
    return ListedMember(
        _text(fields["name"], "member name"),
        _digest(fields["sha256"], "member sha256"),
        count(fields["size"], "member size"),
    )


def _chain(value: Any) -> ChainHead:
    fields = expect_map(value, "manifest chain", required={"seq", "head"}, optional={"item"})
    item = fields.get("item")
    return ChainHead(
        None if item is None else _text(item, "chain item"),
        count(fields["seq"], "chain seq"),
        _digest(fields["head"], "chain head"),
    )


def _withheld(value: Any) -> WithheldFile:
    fields = expect_map(value, "withheld file", required={"item", "sha256", "size"}, optional=set())
    return WithheldFile(
        _text(fields["item"], "withheld item"),
        _digest(fields["sha256"], "withheld sha256"),
        count(fields["size"], "withheld size"),
    )


# --- closing record -------------------------------------------------------------------------


@attrs.frozen
class EarlierCheckpoint:
    """A checkpoint older than the closing one, with the consistency proof up to it."""

    note: str
    consistency: tuple[bytes, ...]


@attrs.frozen
class Closing:
    """The exported event and the log state it is proven in.

    Attributes:
        index: the exported event's leaf index.
        entry: the exported event's signed bytes.
        checkpoint: the signed checkpoint every event of the bundle is proven under.
        inclusion: the exported event's inclusion proof under ``checkpoint``.
        earlier: older stored checkpoints, oldest first, each proven consistent with it.
    """

    index: int
    entry: bytes
    checkpoint: str
    inclusion: tuple[bytes, ...]
    earlier: tuple[EarlierCheckpoint, ...]

    def to_cbor(self) -> bytes:
        """The closing record's deterministic CBOR."""
        return encoding.encode(
            {
                "exported": {"index": self.index, "entry": self.entry},
                "checkpoint": self.checkpoint,
                "inclusion": list(self.inclusion),
                "earlier": [
                    {"checkpoint": e.note, "consistency": list(e.consistency)} for e in self.earlier
                ],
            }
        )

    @classmethod
    def from_cbor(cls, data: bytes) -> Closing:
        """Read the closing record.

        Raises:
            BundleUnreadable: over a limit.
            InvalidInput: malformed, naming the field.
        """
        fields = expect_map(
            decode_member(data, CLOSING, MAX_CLOSING_SIZE),
            CLOSING,
            required={"exported", "checkpoint", "inclusion", "earlier"},
            optional=set(),
        )
        exported = expect_map(
            fields["exported"], "exported", required={"index", "entry"}, optional=set()
        )
        return cls(
            count(exported["index"], "exported.index"),
            byte_string(exported["entry"], "exported.entry"),
            _text(fields["checkpoint"], "checkpoint"),
            path(fields["inclusion"], "inclusion"),
            tuple(_earlier(e) for e in _array(fields["earlier"], "earlier")),
        )


def _earlier(value: Any) -> EarlierCheckpoint:
    fields = expect_map(
        value, "earlier checkpoint", required={"checkpoint", "consistency"}, optional=set()
    )
    return EarlierCheckpoint(
        _text(fields["checkpoint"], "earlier checkpoint"),
        path(fields["consistency"], "consistency"),
    )


# --- keys -----------------------------------------------------------------------------------


@attrs.frozen
class ClaimedKey:
    """A public key as the bundle names it: a claim, never trust."""

    public_key: bytes
    name: str
    role: str
    organisation: str | None


@attrs.frozen
class ClaimedKeys:
    """The log key and the signers' keys the bundle carries."""

    origin: str
    log_key: bytes
    actors: tuple[ClaimedKey, ...]

    def to_cbor(self) -> bytes:
        """The keys member's deterministic CBOR."""
        return encoding.encode(
            {
                "log": {"origin": self.origin, "public_key": self.log_key},
                "actors": [_actor_map(a) for a in self.actors],
            }
        )

    @classmethod
    def from_cbor(cls, data: bytes) -> ClaimedKeys:
        """Read the keys member.

        Raises:
            BundleUnreadable: over a limit.
            InvalidInput: malformed, naming the field.
        """
        fields = expect_map(
            decode_member(data, KEYS, MAX_KEYS_SIZE),
            KEYS,
            required={"log", "actors"},
            optional=set(),
        )
        log = expect_map(fields["log"], "log", required={"origin", "public_key"}, optional=set())
        return cls(
            _text(log["origin"], "log.origin"),
            byte_string(log["public_key"], "log.public_key"),
            tuple(_actor(a) for a in _array(fields["actors"], "actors")),
        )


def _actor_map(actor: ClaimedKey) -> dict[str, Any]:
    out: dict[str, Any] = {"public_key": actor.public_key, "name": actor.name, "role": actor.role}
    if actor.organisation is not None:
        out["organisation"] = actor.organisation
    return out


def _actor(value: Any) -> ClaimedKey:
    fields = expect_map(
        value, "actor", required={"public_key", "name", "role"}, optional={"organisation"}
    )
    organisation = fields.get("organisation")
    return ClaimedKey(
        byte_string(fields["public_key"], "actor.public_key"),
        _text(fields["name"], "actor.name"),
        _text(fields["role"], "actor.role"),
        None if organisation is None else _text(organisation, "actor.organisation"),
    )


# --- CBOR sequences -------------------------------------------------------------------------


def entry_item(index: int, entry: bytes) -> bytes:
    """One item of entries.cborseq: ``[index, entry]``."""
    return encoding.encode([index, entry])


def inclusion_item(index: int, proof: list[bytes]) -> bytes:
    """One item of inclusion.cborseq: ``[index, [hash, ...]]``."""
    return encoding.encode([index, proof])


# --- field checks ---------------------------------------------------------------------------


def _array(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput("must be an array", field=field)
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput("must be non-empty text", field=field)
    return value


def byte_string(value: Any, field: str) -> bytes:
    """A byte string field."""
    if not isinstance(value, bytes):
        raise InvalidInput("must be a byte string", field=field)
    return value


def _digest(value: Any, field: str) -> bytes:
    if not isinstance(value, bytes) or len(value) != 32:
        raise InvalidInput("must be a 32-byte hash", field=field)
    return value


def count(value: Any, field: str) -> int:
    """A non-negative integer field."""
    if type(value) is not int or value < 0:
        raise InvalidInput("must be a non-negative integer", field=field)
    return value


def path(value: Any, field: str) -> tuple[bytes, ...]:
    """A Merkle proof: at most :data:`MAX_PATH` 32-byte hashes."""
    hashes = _array(value, field)
    if len(hashes) > MAX_PATH:
        raise InvalidInput(f"has more than {MAX_PATH} hashes", field=field)
    if set(map(type, hashes)) <= {bytes} and set(map(len, hashes)) <= {32}:
        return tuple(hashes)  # the usual case, checked in C loops
    return tuple(_digest(h, field) for h in hashes)
