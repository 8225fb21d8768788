"""Per-field salted commitments to an evaluation document, for selective disclosure.

An evaluation document is JSON-like data. Its signed events never carry its content: they
carry one commitment per *leaf* of the document, and the digest of those commitments.
Anyone shown a leaf's value and salt can check it against the signed commitment; nobody
can learn a withheld value from its commitment, because each salt is 16 random bytes.

The construction, byte for byte (``docs/formats.md``, "Medical evaluation events"):

* **Document.** A map with text keys whose values are maps with text keys, arrays, text,
  integers (-2**64 .. 2**64-1), ``true``/``false`` or ``null``. No floats, no byte strings,
  at most :data:`MAX_DOCUMENT_DEPTH` nested containers counting the root. A non-empty map
  whose keys are all array indices (``"0"``, ``"1"``... as below) is refused, so that every
  pointer says whether it steps into a map or an array.
* **Leaves.** Every scalar, and every *empty* map or array, except the root itself. The
  leaves, each with its pointer, determine the document exactly.
* **Pointer.** The leaf's RFC 6901 JSON Pointer: for each step from the root, ``"/"`` then
  the map key with ``"~"`` written ``"~0"`` and ``"/"`` written ``"~1"`` (in that order), or
  the array index in decimal without leading zeros.
* **Commitment** of a leaf = SHA-256( ``"custody/field/v1"`` ‖ 0x00 ‖ salt ‖
  CBOR([pointer, value]) ), where salt is the leaf's 16 bytes and CBOR the deterministic
  encoding of ``custody.encoding`` (RFC 8949 §4.2.1): an array of two, the pointer as a text
  string and the value as itself (an empty map is ``a0``, an empty array ``80``).
* **Evaluation digest** = SHA-256( ``"custody/evaluation/v1"`` ‖ 0x00 ‖ CBOR(map) ), where
  map holds each leaf's pointer (text key) and commitment (32-byte byte string), in
  deterministic key order. The empty document has the empty map ``a0``.
* **Record** (stored in the ledger, addressed by its SHA-256) = CBOR({"v": 1,
  "document": document, "salts": {pointer: salt, ...}}), one salt for every leaf and no other.

Nothing here does I/O; the salts' randomness comes in as a parameter.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, cast

import attrs

from custody import encoding
from custody.errors import InvalidInput
from custody.model import MAX_RECORD_SIZE, FrozenMap, expect_map

FIELD_SALT_SIZE = 16
#: The deepest nesting of maps and arrays in a document, its root included.
MAX_DOCUMENT_DEPTH = 32
RECORD_VERSION = 1
_FIELD_DOMAIN = b"custody/field/v1\x00"
_DIGEST_DOMAIN = b"custody/evaluation/v1\x00"
_COMMITMENT_SIZE = 32
_INT_LIMIT = 1 << 64  # the CBOR integer range
# RFC 6901 array-index: "0", or a digit 1-9 followed by digits (ASCII only).
_INDEX = re.compile(r"0|[1-9][0-9]*")
_BAD_ESCAPE = re.compile(r"~(?![01])")

MismatchKind = Literal["changed", "added", "removed"]


# -- leaves and pointers -------------------------------------------------------------------


def leaves(document: Mapping[str, Any]) -> dict[str, Any]:
    """Every leaf of ``document`` by its JSON pointer, in document order.

    Leaves are the scalars and the empty maps and arrays (returned as new ``{}`` and ``[]``);
    the root is never a leaf, so the empty document has none. ``str`` and ``int`` subclasses
    (enum members) are returned as plain ``str`` and ``int``.

    Raises:
        InvalidInput: naming the pointer of the first part that is not JSON-like data custody
            commits to: a float, bytes, a non-text key, text that is not valid Unicode, an
            integer outside the CBOR range, a map whose keys all read as array indices, or
            nesting deeper than :data:`MAX_DOCUMENT_DEPTH`. Also if the root is not a map.
    """
    if not isinstance(document, Mapping):
        raise InvalidInput("the document must be a map", field="document")
    found: dict[str, Any] = {}
    _collect_map(document, "", 1, found)
    return found


def _collect(value: Any, pointer: str, depth: int, found: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        if value:
            _collect_map(value, pointer, depth, found)
        else:
            _check_depth(pointer, depth)
            found[pointer] = {}
    elif isinstance(value, list | tuple):
        _check_depth(pointer, depth)
        if not value:
            found[pointer] = []
        for index, item in enumerate(value):
            _collect(item, f"{pointer}/{index}", depth + 1, found)
    else:
        found[pointer] = _scalar(value, pointer)


def _collect_map(value: Mapping[Any, Any], pointer: str, depth: int, found: dict[str, Any]) -> None:
    _check_depth(pointer, depth)
    keys = [_text(key, pointer, "key") for key in value]
    if len(set(keys)) != len(keys):  # str subclasses that are distinct keys but equal text
        raise InvalidInput("has two keys of the same text", field=pointer or "document")
    if keys and all(_INDEX.fullmatch(key) for key in keys):
        raise InvalidInput(
            "a map whose keys are all array indices would read as an array; "
            "use other keys or an array",
            field=pointer or "document",
        )
    for key, item in zip(keys, value.values(), strict=True):
        _collect(item, f"{pointer}/{escape(key)}", depth + 1, found)


def _check_depth(pointer: str, depth: int) -> None:
    if depth > MAX_DOCUMENT_DEPTH:
        raise InvalidInput(
            f"nested more than {MAX_DOCUMENT_DEPTH} maps and arrays deep", field=pointer
        )


def _scalar(value: Any, pointer: str) -> Any:
    """A leaf value in its plain type: bool, int, str or None."""
    if value is None or type(value) is bool:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        plain = int.__index__(value)
        if not -_INT_LIMIT <= plain < _INT_LIMIT:
            raise InvalidInput("integer outside the range -2**64 .. 2**64-1", field=pointer)
        return plain
    if isinstance(value, str):
        return _text(value, pointer, "text")
    if isinstance(value, float):
        raise InvalidInput(
            "floats are not committed; write a decimal as an integer of a stated unit "
            "(mm, tenths of a degree) or as text",
            field=pointer,
        )
    raise InvalidInput(
        f"{type(value).__name__} is not JSON-like data (map, array, text, integer, "
        "true, false, null)",
        field=pointer,
    )


def _text(value: Any, pointer: str, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(
            f"a map key must be text, not {type(value).__name__}", field=pointer or "document"
        )
    plain = str.__str__(value)
    try:
        plain.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"the {what} {plain!r} is not valid Unicode", field=pointer or "document"
        ) from None
    return plain


def escape(key: str) -> str:
    """A map key as one JSON Pointer reference token (RFC 6901 §3)."""
    return key.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The map key a JSON Pointer reference token stands for (RFC 6901 §4)."""
    return token.replace("~1", "/").replace("~0", "~")


def rebuild(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The document whose :func:`leaves` are ``fields``: the inverse of :func:`leaves`.

    A container whose steps are all array indices is an array, and its indices must run
    0, 1, 2... without a gap; any other container is a map.

    Raises:
        InvalidInput: naming the pointer, if it is not an RFC 6901 pointer below the root,
            if a leaf is also a container of other leaves, if array indices are not
            contiguous from 0, if the root would be an array, or if a value is not a leaf
            (a non-empty container, a float...).
    """
    root: dict[str, Any] = {}
    for pointer, value in fields.items():
        tokens = _tokens(pointer)
        node = root
        for token in tokens[:-1]:
            child = node.setdefault(token, {})
            if isinstance(child, _Leaf):
                raise InvalidInput("a leaf cannot also hold other leaves", field=pointer)
            node = child
        if tokens[-1] in node:
            raise InvalidInput("a leaf cannot also hold other leaves", field=pointer)
        node[tokens[-1]] = _Leaf(_leaf_value(value, pointer))
    document = _built(root, "")
    if not isinstance(document, dict):
        raise InvalidInput("the document's root must be a map, not an array", field="document")
    leaves(document)  # the same limits as every document: depth, text, integers
    return document


@attrs.frozen
class _Leaf:
    value: Any


def _tokens(pointer: str) -> list[str]:
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise InvalidInput(f"{pointer!r} is not a JSON pointer below the root", field="pointer")
    if _BAD_ESCAPE.search(pointer):
        raise InvalidInput("'~' must be followed by 0 or 1", field=pointer)
    return [unescape(token) for token in pointer[1:].split("/")]


def _leaf_value(value: Any, pointer: str) -> Any:
    if isinstance(value, Mapping | list | tuple):
        if value:
            raise InvalidInput("a leaf is a scalar or an empty map or array", field=pointer)
        return {} if isinstance(value, Mapping) else []
    return _scalar(value, pointer)


def _built(node: dict[str, Any], pointer: str) -> Any:
    if not node:  # only the root can be an empty node: the empty document
        return {}
    children = {
        token: child.value if isinstance(child, _Leaf) else _built(child, f"{pointer}/{token}")
        for token, child in node.items()
    }
    if not all(_INDEX.fullmatch(token) for token in children):
        return children
    if sorted(int(token) for token in children) != list(range(len(children))):
        raise InvalidInput("array indices must run 0, 1, 2... without a gap", field=pointer)
    return [children[str(index)] for index in range(len(children))]


# -- commitments ---------------------------------------------------------------------------


def commitment(pointer: str, value: Any, salt: bytes) -> bytes:
    """The commitment to one leaf of a document.

    SHA-256( "custody/field/v1" ‖ 0x00 ‖ salt ‖ CBOR([pointer, value]) ), with CBOR the
    deterministic encoding of :mod:`custody.encoding`.

    Args:
        pointer: the leaf's RFC 6901 JSON pointer.
        value: the leaf's value: text, integer, bool, None, or an empty map or array.
        salt: the leaf's :data:`FIELD_SALT_SIZE` random bytes.

    Raises:
        InvalidInput: if the salt has the wrong size or the value is not a leaf value.
    """
    if type(salt) is not bytes or len(salt) != FIELD_SALT_SIZE:
        raise InvalidInput(f"a field's salt must be {FIELD_SALT_SIZE} bytes", field=pointer)
    if not isinstance(pointer, str):
        raise InvalidInput("a pointer must be text", field="pointer")
    encoded = encoding.encode([pointer, _leaf_value(value, pointer)])
    return hashlib.sha256(_FIELD_DOMAIN + salt + encoded).digest()


def fields_digest(commitments: Mapping[str, bytes]) -> bytes:
    """The evaluation digest: SHA-256("custody/evaluation/v1" ‖ 0x00 ‖ CBOR(commitments)).

    This is the digest clinicians seal. ``commitments`` maps each leaf's pointer to its
    commitment; its CBOR encoding is deterministic, so the order given does not matter.

    Raises:
        InvalidInput: if a pointer is not text or a commitment not 32 bytes.
    """
    plain: dict[str, bytes] = {}
    for pointer, value in commitments.items():
        if type(pointer) is not str:
            raise InvalidInput("a pointer must be text", field="fields")
        if type(value) is not bytes or len(value) != _COMMITMENT_SIZE:
            raise InvalidInput(f"a commitment must be {_COMMITMENT_SIZE} bytes", field=pointer)
        plain[pointer] = value
    return hashlib.sha256(_DIGEST_DOMAIN + encoding.encode(plain)).digest()


# -- the committed document ----------------------------------------------------------------


def _frozen_document(document: Mapping[str, Any]) -> Mapping[str, Any]:
    # Through the leaves and back: validated, plain types, and a copy nobody else holds.
    return cast(Mapping[str, Any], _frozen(rebuild(leaves(document))))


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return FrozenMap({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def plain(value: Any) -> Any:
    """A stored document (or part of one) as plain dicts and lists, as JSON reads it."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    return value


def _frozen_salts(salts: Mapping[str, bytes]) -> Mapping[str, bytes]:
    if not isinstance(salts, Mapping):
        raise InvalidInput("must be a map of pointers to salts", field="salts")
    return FrozenMap(salts)


@attrs.frozen
class CommittedDocument:
    """An evaluation document with one random salt per leaf: what the ledger stores.

    The document is deeply frozen on construction: maps become read-only
    :class:`~custody.model.FrozenMap` and arrays tuples, with ``str`` and ``int`` subclasses
    made plain, so nothing can change it after its commitments are taken. It equals, as a
    mapping, the document given, except that arrays read back as tuples.

    Attributes:
        document: the JSON-like document (see the module docstring for what is allowed).
        salts: one :data:`FIELD_SALT_SIZE`-byte salt for each leaf pointer, and no other.
    """

    document: Mapping[str, Any] = attrs.field(converter=_frozen_document)
    salts: Mapping[str, bytes] = attrs.field(converter=_frozen_salts)

    @salts.validator
    def _check_salts(
        self, _: attrs.Attribute[Mapping[str, bytes]], salts: Mapping[str, bytes]
    ) -> None:
        pointers = leaves(self.document).keys()
        missing = sorted(pointers - salts.keys())
        if missing:
            raise InvalidInput("a leaf has no salt", field=missing[0])
        extra = sorted(map(str, salts.keys() - pointers))
        if extra:
            raise InvalidInput("a salt for a pointer that is not a leaf", field=extra[0])
        for pointer, salt in salts.items():
            if type(salt) is not bytes or len(salt) != FIELD_SALT_SIZE:
                raise InvalidInput(f"a salt must be {FIELD_SALT_SIZE} bytes", field=pointer)

    @classmethod
    def commit(
        cls, document: Mapping[str, Any], *, randbytes: Callable[[int], bytes] = os.urandom
    ) -> CommittedDocument:
        """Commit to ``document`` with a fresh random salt for every leaf.

        Args:
            document: the JSON-like document; it is copied, never changed.
            randbytes: the source of salts (``os.urandom``; tests pass a fixed one).

        Raises:
            InvalidInput: if the document is not JSON-like data custody commits to.
        """
        return cls(document, {pointer: randbytes(FIELD_SALT_SIZE) for pointer in leaves(document)})

    @classmethod
    def from_bytes(cls, data: bytes) -> CommittedDocument:
        """Read a stored record strictly: what :meth:`to_bytes` writes and nothing else.

        Checked: at most :data:`~custody.model.MAX_RECORD_SIZE` bytes of deterministic CBOR
        with nothing after it; exactly the keys ``v`` (the integer 1), ``document`` and
        ``salts``; a document within the limits of :func:`leaves`; a salt of 16 bytes for
        every leaf and for nothing else.

        Raises:
            EncodingError: if the bytes are not deterministic CBOR (floats included).
            InvalidInput: naming the key or pointer of any other problem.
        """
        if not isinstance(data, bytes):
            raise InvalidInput("a record must be bytes", field="record")
        if len(data) > MAX_RECORD_SIZE:
            raise InvalidInput(
                f"record of {len(data)} bytes is over the limit of {MAX_RECORD_SIZE}",
                field="record",
            )
        decoded = encoding.decode(data, max_size=MAX_RECORD_SIZE, max_depth=MAX_DOCUMENT_DEPTH + 1)
        record = expect_map(
            decoded, "record", required={"v", "document", "salts"}, optional=frozenset()
        )
        if type(record["v"]) is not int or record["v"] != RECORD_VERSION:
            raise InvalidInput(f"unsupported record version {record['v']!r}", field="record.v")
        if not isinstance(record["document"], dict):
            raise InvalidInput("must be a map", field="record.document")
        if not isinstance(record["salts"], dict):
            raise InvalidInput("must be a map", field="record.salts")
        return cls(record["document"], record["salts"])

    def to_bytes(self) -> bytes:
        """The record: deterministic CBOR of ``{"v": 1, "document": ..., "salts": ...}``."""
        return encoding.encode(
            {"v": RECORD_VERSION, "document": plain(self.document), "salts": dict(self.salts)}
        )

    def mismatches(self, committed: Mapping[str, bytes]) -> list[FieldMismatch]:
        """One mismatch per leaf that differs from the signed ``committed`` fields
        (commitment by pointer), sorted by pointer; see :func:`field_mismatches`."""
        stored = self.commitments()
        mismatches = []
        for pointer in sorted(stored.keys() | committed.keys()):
            if pointer not in committed:
                mismatches.append(FieldMismatch(pointer, "added"))
            elif pointer not in stored:
                mismatches.append(FieldMismatch(pointer, "removed"))
            elif stored[pointer] != committed[pointer]:
                mismatches.append(FieldMismatch(pointer, "changed"))
        return mismatches

    def commitments(self) -> dict[str, bytes]:
        """The commitment of every leaf, by pointer, in document order."""
        return {
            pointer: commitment(pointer, value, self.salts[pointer])
            for pointer, value in leaves(self.document).items()
        }

    def digest(self) -> bytes:
        """The evaluation digest (:func:`fields_digest` of :meth:`commitments`)."""
        return fields_digest(self.commitments())

    def record_hash(self) -> bytes:
        """SHA-256 of :meth:`to_bytes`: the address of the stored record."""
        return hashlib.sha256(self.to_bytes()).digest()

    def disclose(self, pointers: Iterable[str]) -> list[tuple[str, Any, bytes]]:
        """The (pointer, value, salt) of each chosen leaf: what a bundle shows of a field.

        With these, anyone can recompute the leaf's commitment and compare it with the one
        signed in the evaluation event. Leaves not chosen stay hidden.

        Raises:
            InvalidInput: naming a pointer that is not a leaf of the document.
        """
        found = leaves(self.document)
        disclosed = []
        for pointer in pointers:
            if pointer not in found:
                raise InvalidInput("is not a leaf of the document", field=pointer)
            disclosed.append((pointer, found[pointer], self.salts[pointer]))
        return disclosed


@attrs.frozen
class FieldMismatch:
    """A leaf whose commitment in the stored record differs from the signed one.

    Attributes:
        pointer: the leaf's JSON pointer.
        kind: ``changed`` (in both, different commitments), ``added`` (only in the record)
            or ``removed`` (only in the signed fields).
    """

    pointer: str
    kind: MismatchKind = attrs.field(
        validator=attrs.validators.in_(("changed", "added", "removed"))
    )


def field_mismatches(record: bytes, committed: Mapping[str, bytes]) -> list[FieldMismatch]:
    """Compare a stored record's leaves with the commitments signed in its event.

    Args:
        record: the stored record bytes.
        committed: the signed ``fields``: commitment by pointer.

    Returns:
        One mismatch per changed, added or removed leaf, sorted by pointer; empty if the
        record commits to exactly the signed fields.

    Raises:
        InvalidInput: if the record cannot be read (see :meth:`CommittedDocument.from_bytes`).
    """
    return CommittedDocument.from_bytes(record).mismatches(committed)
