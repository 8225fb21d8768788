"""C2SP signed notes and transparency-log checkpoints, with Ed25519 (signature type 0x01).

A signed note (c2sp.org/signed-note) is a UTF-8 text ending in a newline, a blank line, and one
or more signature lines ``— <key name> base64(key hash[4] ‖ signature)``. A checkpoint
(c2sp.org/tlog-checkpoint) is a note whose text is ``origin``, ``tree size`` and ``base64(root
hash)``, one per line, optionally followed by extension lines.

custody signs only with Ed25519 (type 0x01, the note text signed directly). When opening a note,
signatures from keys that are not among the given verifiers are ignored, whatever their type, as
the specification requires: that is how witness cosignatures (type 0x04) and rotated keys
travel alongside the log's own signature.

Errors: a malformed note, verifier key or checkpoint raises
:class:`~custody.errors.InvalidInput`; a well-formed note whose trusted signature does not
verify, or that carries none, raises :class:`~custody.errors.SignatureError`; a validly signed
checkpoint from another origin raises :class:`~custody.errors.ProofError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Final

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from custody.crypto._signer import Signer
from custody.errors import InvalidInput, ProofError, SignatureError

__all__ = [
    "MAX_NOTE_SIGNATURES",
    "MAX_NOTE_SIZE",
    "Checkpoint",
    "NoteVerifier",
    "VerifiedNote",
    "add_signature",
    "open_note",
    "sign_checkpoint",
    "sign_note",
    "verify_checkpoint",
]

MAX_NOTE_SIZE: Final = 1 << 20
"""Notes larger than this (in UTF-8 bytes) are refused before parsing (1 MiB)."""

MAX_NOTE_SIGNATURES: Final = 100
"""At most this many signature lines; the specification requires accepting at least 16."""

_ED25519_TYPE: Final = b"\x01"  # signature type identifier, c2sp.org/signed-note "Signature types"
_ED25519_KEY_SIZE: Final = 32
_ED25519_SIGNATURE_SIZE: Final = 64
_KEY_HASH_SIZE: Final = 4
_HASH_SIZE: Final = 32
_SIGNATURE_PREFIX: Final = "\u2014 "  # EM DASH, SPACE
_UINT64_LIMIT: Final = 1 << 64

_CONTROL_CHARACTER = re.compile(r"[\x00-\x09\x0b-\x1f]")
_HEX_KEY_HASH = re.compile(r"[0-9a-fA-F]{8}")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


# --- verifier keys ------------------------------------------------------------------------


def _validate_key_name(_instance: object, _attribute: object, name: str) -> None:
    problem = _key_name_problem(name)
    if problem:
        raise InvalidInput(problem, field="key name")


def _key_name_problem(name: str) -> str | None:
    """Why ``name`` is not a key name (c2sp.org/signed-note, "Format"), or None."""
    if not isinstance(name, str) or not name:
        return "a key name must be a non-empty string"
    if "+" in name:
        return f"key name {name!r} contains '+'"
    if any(character.isspace() for character in name):
        return f"key name {name!r} contains a space"
    if _CONTROL_CHARACTER.search(name):
        return f"key name {name!r} contains a control character"
    if not _is_utf8_encodable(name):
        return f"key name {name!r} is not valid Unicode text"
    return None


def _raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _validate_public_key(_instance: object, _attribute: object, key: Ed25519PublicKey) -> None:
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput("must be an Ed25519PublicKey", field="public key")


@attrs.frozen
class NoteVerifier:
    """A trusted Ed25519 note key: the key name and the public key (signature type 0x01).

    Two verifiers are equal when their names and raw public keys are equal.

    Attributes:
        name: the key name; non-empty, without spaces, ``+`` or control characters.
        public_key: the Ed25519 public key.
    """

    name: str = attrs.field(validator=_validate_key_name)
    public_key: Ed25519PublicKey = attrs.field(
        validator=_validate_public_key,
        eq=_raw_public_bytes,
        repr=lambda key: _raw_public_bytes(key).hex(),
    )

    @property
    def key_hash(self) -> int:
        """The uint32 key ID: ``SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]``, big endian."""
        digest = hashlib.sha256(
            self.name.encode() + b"\n" + _ED25519_TYPE + _raw_public_bytes(self.public_key)
        ).digest()
        return int.from_bytes(digest[:_KEY_HASH_SIZE], "big")

    @classmethod
    def for_key(cls, name: str, public_key: Ed25519PublicKey) -> NoteVerifier:
        """Make the verifier for ``public_key`` under ``name``.

        Args:
            name: the key name (for a checkpoint signer, usually the log origin).
            public_key: the Ed25519 public key, e.g. ``signer.public_key``.

        Returns:
            The verifier.

        Raises:
            InvalidInput: the name is not a valid key name.
        """
        return cls(name, public_key)

    @classmethod
    def from_vkey(cls, vkey: str) -> NoteVerifier:
        """Parse a verifier key ``<name>+<hex key hash>+<base64(0x01 ‖ public key)>``.

        The text is split on the first two ``+`` only: the base64 part may contain ``+``.

        Args:
            vkey: the verifier key text.

        Returns:
            The verifier.

        Raises:
            InvalidInput: the text is malformed, the key type is not Ed25519 (0x01), or the
                key hash does not match the name and key.
        """
        parts = vkey.split("+", 2)
        if len(parts) != 3:
            raise InvalidInput("a verifier key has the form name+hash+key", field="vkey")
        name, hex_hash, encoded = parts
        problem = _key_name_problem(name)
        if problem:
            raise InvalidInput(problem, field="vkey")
        if not _HEX_KEY_HASH.fullmatch(hex_hash):
            raise InvalidInput(f"key hash {hex_hash!r} is not 8 hex digits", field="vkey")
        material = _decode_base64(encoded, "vkey")
        if material[:1] != _ED25519_TYPE or len(material) != 1 + _ED25519_KEY_SIZE:
            raise InvalidInput("only Ed25519 verifier keys (type 0x01) are supported", field="vkey")
        verifier = cls(name, _load_public_key(material[1:]))
        if verifier.key_hash != int(hex_hash, 16):
            raise InvalidInput(
                f"key hash {hex_hash} does not match the name and key "
                f"(expected {verifier.key_hash:08x})",
                field="vkey",
            )
        return verifier

    def to_vkey(self) -> str:
        """The verifier key text ``<name>+<hex key hash>+<base64(0x01 ‖ public key)>``."""
        material = _ED25519_TYPE + _raw_public_bytes(self.public_key)
        return f"{self.name}+{self.key_hash:08x}+{base64.b64encode(material).decode()}"

    def _accepts(self, text: bytes, signature: bytes) -> bool:
        try:
            self.public_key.verify(signature, text)
        except InvalidSignature:
            return False
        return True


def _load_public_key(raw: bytes) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise InvalidInput(f"not an Ed25519 public key: {exc}", field="vkey") from exc


# --- signed notes -------------------------------------------------------------------------


@attrs.frozen
class VerifiedNote:
    """A note whose text carries at least one verified trusted signature.

    Attributes:
        text: the note text, ending in a newline (the signed bytes, decoded).
        signers: the names of the verifiers whose signatures verified, in note order.
    """

    text: str
    signers: tuple[str, ...]


@attrs.frozen
class _SignatureLine:
    name: str
    key_hash: int
    signature: bytes


def sign_note(text: str, name: str, signer: Signer) -> str:
    """Sign ``text`` as a C2SP note with an Ed25519 signature line (type 0x01).

    custody signs only texts without empty lines. The specification allows them (the text
    ends at the *last* blank line), but a text without one splits the same way under every
    parser, including careless ones that split at the first blank line.

    Args:
        text: the note text: non-empty UTF-8, ending in ``"\\n"``, no empty line, no control
            character other than ``"\\n"``.
        name: the key name for the signature line.
        signer: the Ed25519 signer; its ``public_key`` gives the key hash.

    Returns:
        The signed note: ``text + "\\n" + "— <name> <base64(key hash ‖ signature)>\\n"``.

    Raises:
        InvalidInput: the text or the name is not allowed.
        SignatureError: the signer did not return a 64-byte signature.
    """
    _check_text_for_signing(text)
    return text + "\n" + _signature_line(text, name, signer)


def add_signature(note: str, name: str, signer: Signer) -> str:
    """Append one more Ed25519 signature line to a signed note.

    The existing signatures are not verified. The text is signed as it stands.

    Args:
        note: a well-formed signed note.
        name: the key name for the new signature line.
        signer: the Ed25519 signer.

    Returns:
        The note with the new signature line last.

    Raises:
        InvalidInput: the note is malformed, already carries a signature by the same key, or
            would exceed :data:`MAX_NOTE_SIGNATURES`.
        SignatureError: the signer did not return a 64-byte signature.
    """
    text, lines = _parse_note(note)
    verifier = NoteVerifier.for_key(name, signer.public_key)
    if any((line.name, line.key_hash) == (name, verifier.key_hash) for line in lines):
        raise InvalidInput(f"the note is already signed by {name}+{verifier.key_hash:08x}")
    if len(lines) >= MAX_NOTE_SIGNATURES:
        raise InvalidInput(f"a note carries at most {MAX_NOTE_SIGNATURES} signatures")
    new_note = _as_text(note) + _signature_line(text, name, signer)
    _check_size(_encode(new_note))
    return new_note


def open_note(note: str | bytes, verifiers: Sequence[NoteVerifier]) -> VerifiedNote:
    """Parse a signed note strictly and verify the signatures of the given keys.

    Steps (c2sp.org/signed-note):

    1. The note is at most :data:`MAX_NOTE_SIZE` bytes of UTF-8 with no control character
       other than newline.
    2. The text ends at the last blank line; what follows is one to
       :data:`MAX_NOTE_SIGNATURES` lines ``— <key name> <base64>``, each decoding to a 4-byte
       key hash and at least one signature byte, in canonical standard base64.
    3. Every line whose (name, key hash) matches a verifier must verify over the text bytes;
       lines of unknown keys are ignored whatever their signature type.
    4. At least one signature must have verified.

    Args:
        note: the signed note, as text or as UTF-8 bytes.
        verifiers: the trusted keys.

    Returns:
        The text and the names of the verifiers whose signatures verified.

    Raises:
        InvalidInput: the note is malformed, or two verifiers share a name and key hash but
            not a key.
        SignatureError: a signature from a trusted key does not verify, or none is present.
    """
    text, lines = _parse_note(note)
    trusted = _index_verifiers(verifiers)
    text_bytes = text.encode()
    signers: list[str] = []
    for line in lines:
        verifier = trusted.get((line.name, line.key_hash))
        if verifier is None:
            continue  # an unknown key or signature type: ignored, as the spec requires
        if not verifier._accepts(text_bytes, line.signature):
            raise SignatureError(
                f"the signature by {line.name}+{line.key_hash:08x} does not verify"
            )
        if line.name not in signers:
            signers.append(line.name)
    if not signers:
        raise SignatureError("no trusted signature: no line is signed by a given verifier")
    return VerifiedNote(text=text, signers=tuple(signers))


def _signature_line(text: str, name: str, signer: Signer) -> str:
    # Checked here as well as in NoteVerifier's validator: validators can be disabled globally.
    problem = _key_name_problem(name)
    if problem:
        raise InvalidInput(problem, field="key name")
    verifier = NoteVerifier.for_key(name, signer.public_key)
    signature = signer.sign(text.encode())
    if len(signature) != _ED25519_SIGNATURE_SIZE:
        raise SignatureError(
            f"the signer returned {len(signature)} bytes, not an Ed25519 signature"
        )
    payload = verifier.key_hash.to_bytes(_KEY_HASH_SIZE, "big") + signature
    return f"{_SIGNATURE_PREFIX}{name} {base64.b64encode(payload).decode()}\n"


def _check_text_for_signing(text: str) -> None:
    if not text.endswith("\n"):
        raise InvalidInput("a note text must end with a newline", field="text")
    if text.startswith("\n") or "\n\n" in text:
        raise InvalidInput("custody does not sign a note text with an empty line", field="text")
    _check_characters(text)
    _check_size(_encode(text))


def _parse_note(note: str | bytes) -> tuple[str, list[_SignatureLine]]:
    """Split a note into its text and signature lines, enforcing every syntax rule."""
    text_of_note = _as_text(note)
    _check_size(_encode(text_of_note))
    _check_characters(text_of_note)
    split = text_of_note.rfind("\n\n")
    if split < 0:
        raise InvalidInput("no blank line separates the text from the signatures", field="note")
    text, block = text_of_note[: split + 1], text_of_note[split + 2 :]
    if not block.endswith("\n"):
        raise InvalidInput("the signature block must end with a newline", field="note")
    raw_lines = block[:-1].split("\n")
    if len(raw_lines) > MAX_NOTE_SIGNATURES:
        raise InvalidInput(
            f"{len(raw_lines)} signature lines; at most {MAX_NOTE_SIGNATURES} are accepted",
            field="note",
        )
    return text, [_parse_signature_line(line, number) for number, line in enumerate(raw_lines, 1)]


def _parse_signature_line(line: str, number: int) -> _SignatureLine:
    where = f"signature line {number}"
    if not line.startswith(_SIGNATURE_PREFIX):
        raise InvalidInput("must start with an em dash (U+2014) and a space", field=where)
    name, separator, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
    if not separator:
        raise InvalidInput("must be '— <key name> <base64 signature>'", field=where)
    problem = _key_name_problem(name)
    if problem:
        raise InvalidInput(problem, field=where)
    payload = _decode_base64(encoded, where)
    if len(payload) <= _KEY_HASH_SIZE:
        raise InvalidInput("the signature is shorter than a key hash and one byte", field=where)
    return _SignatureLine(
        name=name,
        key_hash=int.from_bytes(payload[:_KEY_HASH_SIZE], "big"),
        signature=payload[_KEY_HASH_SIZE:],
    )


def _index_verifiers(
    verifiers: Iterable[NoteVerifier],
) -> dict[tuple[str, int], NoteVerifier]:
    index: dict[tuple[str, int], NoteVerifier] = {}
    for verifier in verifiers:
        key = (verifier.name, verifier.key_hash)
        known = index.setdefault(key, verifier)
        if known != verifier:
            raise InvalidInput(
                f"two different verifier keys share the name and hash {key[0]}+{key[1]:08x}",
                field="verifiers",
            )
    return index


def _as_text(note: str | bytes) -> str:
    if isinstance(note, str):
        return note
    if len(note) > MAX_NOTE_SIZE:
        raise InvalidInput(f"a note is at most {MAX_NOTE_SIZE} bytes", field="note")
    try:
        return bytes(note).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"a note must be valid UTF-8: {exc}", field="note") from exc


def _check_size(encoded: bytes) -> None:
    if len(encoded) > MAX_NOTE_SIZE:
        raise InvalidInput(f"a note is at most {MAX_NOTE_SIZE} bytes", field="note")


def _check_characters(text: str) -> None:
    control = _CONTROL_CHARACTER.search(text)
    if control:
        raise InvalidInput(
            f"control character {control.group()!r} at offset {control.start()}; "
            "only newline is allowed",
            field="note",
        )


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"a note must be valid UTF-8: {exc}", field="note") from exc


def _is_utf8_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decode_base64(encoded: str, field: str) -> bytes:
    """Decode canonical standard base64 (RFC 4648 §4, with padding) or raise InvalidInput."""
    try:
        decoded = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(f"bad base64: {exc}", field=field) from exc
    # b64decode tolerates non-zero padding bits; only the canonical spelling is accepted.
    if base64.b64encode(decoded).decode() != encoded:
        raise InvalidInput("base64 is not in canonical form", field=field)
    return decoded


# --- checkpoints --------------------------------------------------------------------------


def _validate_origin(_instance: object, _attribute: object, origin: str) -> None:
    _check_origin(origin)


def _check_origin(origin: str) -> None:
    if not isinstance(origin, str) or not origin:
        raise InvalidInput("the origin must be a non-empty string", field="checkpoint.origin")
    if "\n" in origin or _CONTROL_CHARACTER.search(origin) or not _is_utf8_encodable(origin):
        raise InvalidInput("the origin contains a control character", field="checkpoint.origin")


def _validate_size(_instance: object, _attribute: object, size: int) -> None:
    if type(size) is not int or not 0 <= size < _UINT64_LIMIT:
        raise InvalidInput(f"{size!r} is not a uint64", field="checkpoint.size")


def _validate_root_hash(_instance: object, _attribute: object, root_hash: bytes) -> None:
    if not isinstance(root_hash, bytes) or len(root_hash) != _HASH_SIZE:
        raise InvalidInput("the root hash must be 32 bytes", field="checkpoint.root_hash")


def _validate_extensions(_instance: object, _attribute: object, lines: tuple[str, ...]) -> None:
    _check_extensions(lines)


def _check_extensions(lines: Iterable[str]) -> None:
    for line in lines:
        if not isinstance(line, str) or not line:
            raise InvalidInput("extension lines must be non-empty", field="checkpoint.extensions")
        if "\n" in line or _CONTROL_CHARACTER.search(line) or not _is_utf8_encodable(line):
            raise InvalidInput(
                "an extension line contains a control character", field="checkpoint.extensions"
            )


def _to_tuple(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(lines)


@attrs.frozen
class Checkpoint:
    """The body of a C2SP tlog checkpoint: a log's tree head at one size.

    Attributes:
        origin: the log identity, e.g. ``custody.example.org/lab-7/log``; non-empty, no control
            characters.
        size: the number of leaves, a uint64.
        root_hash: the RFC 9162 root hash at that size, 32 bytes.
        extensions: optional extension lines, each non-empty (NOT RECOMMENDED by the spec).
    """

    origin: str = attrs.field(validator=_validate_origin)
    size: int = attrs.field(validator=_validate_size)
    root_hash: bytes = attrs.field(validator=_validate_root_hash, repr=lambda h: h.hex())
    extensions: tuple[str, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_validate_extensions
    )

    def to_text(self) -> str:
        """The note text: origin, size, base64 root hash and extensions, one per line."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        lines.extend(self.extensions)
        return "".join(line + "\n" for line in lines)

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        """Parse a checkpoint note text strictly (c2sp.org/tlog-checkpoint, "Note text").

        Args:
            text: the note text, ending in a newline.

        Returns:
            The checkpoint.

        Raises:
            InvalidInput: a line is missing or empty; the size is not canonical decimal
                (no sign, no leading zeros except ``0``) or not a uint64; the root hash is not
                canonical standard base64 of exactly 32 bytes; a control character appears.
        """
        if not text.endswith("\n"):
            raise InvalidInput("a checkpoint text must end with a newline", field="checkpoint")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise InvalidInput(
                f"a checkpoint has at least 3 lines (origin, size, root hash), got {len(lines)}",
                field="checkpoint",
            )
        origin, size_line, root_line, *extensions = lines
        # The decoder checks every field itself: attrs validators can be disabled globally.
        _check_origin(origin)
        _check_extensions(extensions)
        return cls(
            origin=origin,
            size=_parse_tree_size(size_line),
            root_hash=_parse_root_hash(root_line),
            extensions=tuple(extensions),
        )


def _parse_tree_size(line: str) -> int:
    if not _DECIMAL.fullmatch(line):
        raise InvalidInput(
            f"tree size {line!r} is not decimal without leading zeros", field="checkpoint.size"
        )
    size = int(line)
    if size >= _UINT64_LIMIT:
        raise InvalidInput(f"tree size {line} is not a uint64", field="checkpoint.size")
    return size


def _parse_root_hash(line: str) -> bytes:
    root_hash = _decode_base64(line, "checkpoint.root_hash")
    if len(root_hash) != _HASH_SIZE:
        raise InvalidInput(
            f"the root hash decodes to {len(root_hash)} bytes, not 32",
            field="checkpoint.root_hash",
        )
    return root_hash


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer, *, key_name: str | None = None) -> str:
    """Sign a checkpoint as a C2SP note.

    Args:
        checkpoint: the tree head to sign.
        signer: the log's Ed25519 signer.
        key_name: the key name of the signature line; defaults to the origin, as
            c2sp.org/tlog-checkpoint recommends.

    Returns:
        The signed checkpoint note.

    Raises:
        InvalidInput: the key name (by default the origin) is not a valid key name, or a
            line of the checkpoint is empty.
        SignatureError: the signer did not return a 64-byte signature.
    """
    name = checkpoint.origin if key_name is None else key_name
    return sign_note(checkpoint.to_text(), name, signer)


def verify_checkpoint(
    note: str | bytes, verifier: NoteVerifier, *, origin: str | None = None
) -> Checkpoint:
    """Verify a signed checkpoint from one log and parse it.

    The note must carry a valid signature by ``verifier``; other signatures (witness
    cosignatures, say) are ignored. The text is parsed only after that, since the
    specification says an unverified text must be ignored.

    Args:
        note: the signed checkpoint note.
        verifier: the log's key.
        origin: the origin the checkpoint must carry; defaults to ``verifier.name``, because
            the log's key name should equal its origin.

    Returns:
        The checkpoint.

    Raises:
        InvalidInput: the note or its checkpoint text is malformed.
        SignatureError: the note carries no valid signature by ``verifier``.
        ProofError: the checkpoint is validly signed but names another origin.
    """
    opened = open_note(note, [verifier])
    checkpoint = Checkpoint.from_text(opened.text)
    expected = verifier.name if origin is None else origin
    if checkpoint.origin != expected:
        raise ProofError(
            f"the checkpoint is for origin {checkpoint.origin!r}, expected {expected!r}"
        )
    return checkpoint
