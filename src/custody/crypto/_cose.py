"""COSE_Sign1 (RFC 9052 §4.2) signing and strict verification, on cbor2 and cryptography.

custody signs with Ed25519 under ``alg`` -19 (RFC 9864) or -8 (the older polymorphic "EdDSA")
and puts ``alg``, the content type and the RFC 9679 key id in the protected header. Its own
verification always runs under :data:`CUSTODY_POLICY`; :meth:`Sign1Policy.interop` exists only
to check third-party test vectors. Byte layout and checklist: ``formats.md`` §5.1.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

import attrs
import cbor2
from cbor2 import CBORTag
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ec import (
    ECDSA,
    SECP256R1,
    EllipticCurvePublicKey,
)
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256

from custody.crypto._keys import PublicKey
from custody.crypto._signer import Signer
from custody.encoding import DEFAULT_MAX_SIZE, decode, encode
from custody.errors import EncodingError, InvalidInput, SignatureError

__all__ = [
    "ALG",
    "ALG_ED25519",
    "ALG_EDDSA",
    "ALG_ES256",
    "CONTENT_TYPE",
    "COSE_SIGN1_TAG",
    "CRIT",
    "CUSTODY_POLICY",
    "CWT_CLAIMS",
    "KID",
    "Sign1Message",
    "Sign1Policy",
    "VerificationKey",
    "sig_structure",
    "sign1",
    "verify_sign1",
]

#: Ed25519, fully specified (RFC 9864 §2.2); what custody emits by default.
ALG_ED25519: Final = -19
#: EdDSA, polymorphic (RFC 9053); deprecated by RFC 9864 but what most tools still emit.
ALG_EDDSA: Final = -8
#: ECDSA with SHA-256 on P-256; accepted only by the interop policy, never by custody.
ALG_ES256: Final = -7

#: Header labels (RFC 9052 §3.1; 15 is CWT claims, RFC 9597).
ALG: Final = 1
CRIT: Final = 2
CONTENT_TYPE: Final = 3
KID: Final = 4
CWT_CLAIMS: Final = 15

#: The CBOR tag of a COSE_Sign1 message.
COSE_SIGN1_TAG: Final = 18

#: A key :func:`verify_sign1` accepts: custody's own, or a cryptography public key object.
VerificationKey: TypeAlias = PublicKey | Ed25519PublicKey | Ed448PublicKey | EllipticCurvePublicKey

_SIGNATURE1_CONTEXT: Final = "Signature1"
_EMPTY_MAP: Final = b"\xa0"  # the only deterministic encoding of {}
_SIGNABLE_ALGORITHMS: Final = frozenset({ALG_ED25519, ALG_EDDSA})
_VERIFIABLE_ALGORITHMS: Final = frozenset({ALG_ED25519, ALG_EDDSA, ALG_ES256})
_ED25519_SIGNATURE_SIZE: Final = 64
_ED448_SIGNATURE_SIZE: Final = 114
_P256_COORDINATE_SIZE: Final = 32


# --- structure ---------------------------------------------------------------------------


def _is_label(value: object) -> bool:
    # CBOR booleans decode to Python bools, which are ints; a label is int / tstr only.
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, str)


def _check_header(header: object, bucket: str) -> None:
    """Check the shape of a header map and of the well-known parameters in it."""
    field = f"{bucket} header"
    if not isinstance(header, dict):
        raise EncodingError("a COSE header must be a map", field=field)
    for label, value in header.items():
        if not _is_label(label):
            raise EncodingError(f"header label {label!r} is not an int or text", field=field)
        if label == ALG and not _is_label(value):
            raise EncodingError("alg must be an int or text", field=field)
        if label == CRIT and not _is_crit_list(value):
            raise EncodingError("crit must be a non-empty array of labels", field=field)
        if label == CONTENT_TYPE and not _is_content_type(value):
            raise EncodingError("content type must be a uint or text", field=field)
        if label == KID and not isinstance(value, bytes):
            raise EncodingError("kid must be a byte string", field=field)


def _is_crit_list(value: object) -> bool:
    return isinstance(value, list | tuple) and bool(value) and all(_is_label(v) for v in value)


def _is_content_type(value: object) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _contains_tag(value: object) -> bool:
    if isinstance(value, CBORTag):
        return True
    if isinstance(value, dict):
        return any(_contains_tag(k) or _contains_tag(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_tag(v) for v in value)
    return False


def _decode_protected(protected: bytes) -> dict[Any, Any]:
    """Decode the protected bucket: empty, or the strict deterministic CBOR of a map.

    Returns a fresh dict each time; the decoding itself is cached because a log repeats the
    same few headers (one per signer and chain) thousands of times.
    """
    if not isinstance(protected, bytes):
        raise EncodingError("the protected header must be a byte string", field="protected")
    return dict(_decoded_protected(protected)) if protected else {}


@functools.lru_cache(maxsize=4096)
def _decoded_protected(protected: bytes) -> dict[Any, Any]:
    try:
        header = decode(protected)
    except EncodingError as exc:
        # Byte offsets in the message are relative to the header, so say which bytes.
        raise EncodingError(str(exc), field="protected header") from exc
    if not isinstance(header, dict):
        raise EncodingError("the protected header must encode a map", field="protected")
    _check_header(header, "protected")
    return header


def _check_protected_header(instance: Sign1Message, _attribute: object, value: object) -> None:
    # The decoded header must be the one the signed bytes carry, or a hand-built message could
    # show one alg and be verified under another. (Compared with the remembered decoding: no
    # copy is needed just to compare.)
    protected = instance.protected
    if value != (_decoded_protected(protected) if protected else {}):
        raise InvalidInput("does not match the protected bytes", field="protected_header")


def _check_unprotected(header: object) -> None:
    _check_header(header, "unprotected")
    # Tag 18 is allowed by the outer decode; it has no business inside a header.
    if _contains_tag(header):
        raise EncodingError("CBOR tags are not allowed here", field="unprotected header")


def _unprotected_validator(_instance: object, _attribute: object, value: object) -> None:
    if type(value) is not dict or value:  # the empty map every custody entry has is fine
        _check_unprotected(value)


def _optional_bytes(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bytes):
        raise EncodingError("must be a byte string or null", field=attribute.name)


def _bytes_only(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bytes):
        raise EncodingError("must be a byte string", field=attribute.name)


@attrs.frozen
class Sign1Message:
    """A parsed COSE_Sign1 message, valid from construction.

    Attributes:
        protected: the protected bucket exactly as received (the bstr contents); signatures
            are checked over these bytes, never over a re-encoding.
        protected_header: ``protected`` decoded (must match it).
        unprotected: the unprotected header map (not covered by the signature).
        payload: the payload, or ``None`` when it is detached.
        signature: the signature bytes.
        tagged: whether the message carried CBOR tag 18.
    """

    protected: bytes = attrs.field(validator=_bytes_only)
    protected_header: dict[Any, Any] = attrs.field(validator=_check_protected_header, hash=False)
    unprotected: dict[Any, Any] = attrs.field(validator=_unprotected_validator, hash=False)
    payload: bytes | None = attrs.field(validator=_optional_bytes)
    signature: bytes = attrs.field(validator=_bytes_only)
    tagged: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    @classmethod
    def from_bytes(cls, data: bytes, *, require_tag: bool = True) -> Sign1Message:
        """Parse a COSE_Sign1 message strictly (deterministic CBOR, no trailing bytes).

        Args:
            data: the encoded message.
            require_tag: refuse a message without tag 18.

        Returns:
            The parsed message. Nothing is verified yet: see :func:`verify_sign1`.
            Messages over 1 MiB (``custody.encoding.DEFAULT_MAX_SIZE``) are refused; large
            evidence is signed by digest, not carried.

        Raises:
            EncodingError: the bytes are not a well-formed COSE_Sign1 message.
        """
        common = _split_common_form(data)
        if common is not None:
            protected, payload, signature = common
            return cls(
                protected=protected,
                protected_header=_decode_protected(protected),
                unprotected={},
                payload=payload,
                signature=signature,
                tagged=True,
            )
        value = decode(data, allow_tags=frozenset({COSE_SIGN1_TAG}))
        tagged = isinstance(value, CBORTag)
        if isinstance(value, CBORTag):
            if value.tag != COSE_SIGN1_TAG:
                raise EncodingError(f"CBOR tag {value.tag} is not COSE_Sign1 (18)")
            value = value.value
        elif require_tag:
            raise EncodingError("message is not tagged as COSE_Sign1 (tag 18)")
        if not isinstance(value, list | tuple) or len(value) != 4:
            raise EncodingError("a COSE_Sign1 message is an array of four items")
        protected, unprotected, payload, signature = value
        return cls(
            protected=protected,
            protected_header=_decode_protected(protected),
            unprotected=unprotected,
            payload=payload,
            signature=signature,
            tagged=tagged,
        )

    def to_bytes(self) -> bytes:
        """Encode the message (with tag 18 if it was tagged); the protected bytes are kept."""
        body = [self.protected, self.unprotected, self.payload, self.signature]
        message = CBORTag(COSE_SIGN1_TAG, body) if self.tagged else body
        if self.unprotected:
            return encode(message)
        # Byte strings, null and an empty map: plain cbor2 output is already deterministic.
        return cbor2.dumps(message)

    @property
    def alg(self) -> int | str | None:
        """The algorithm from the protected header, or ``None`` if it has none there."""
        value: int | str | None = self.protected_header.get(ALG)
        return value

    @property
    def kid(self) -> bytes | None:
        """The key id, protected header first, else unprotected. A lookup hint, not trust."""
        value: bytes | None = self.protected_header.get(KID, self.unprotected.get(KID))
        return value

    @property
    def content_type(self) -> int | str | None:
        """The content type from the protected header, or ``None``."""
        value: int | str | None = self.protected_header.get(CONTENT_TYPE)
        return value


def _split_common_form(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """Split the form every custody entry takes, without a general decoder.

    The form is tag 18, an array of four, a byte string, an empty map, a byte string and a
    byte string, each with the shortest length encoding and nothing after it; that makes it
    deterministic CBOR by construction. Anything else returns ``None`` and goes through the
    strict decoder, which also explains what is wrong.
    """
    if not isinstance(data, bytes) or data[:2] != b"\xd2\x84" or len(data) > DEFAULT_MAX_SIZE:
        return None
    protected = _byte_string_at(data, 2)
    if protected is None or data[protected[1] : protected[1] + 1] != b"\xa0":
        return None
    payload = _byte_string_at(data, protected[1] + 1)
    signature = _byte_string_at(data, payload[1]) if payload else None
    if payload is None or signature is None or signature[1] != len(data):
        return None
    return protected[0], payload[0], signature[0]


# Smallest length that each long form may carry (RFC 8949 §4.2.1: shortest form only).
_LENGTH_FORMS = {24: (1, 24), 25: (2, 256), 26: (4, 65536)}


def _byte_string_at(data: bytes, position: int) -> tuple[bytes, int] | None:
    """The byte string whose head is at ``position`` and the position after it."""
    if position >= len(data) or data[position] >> 5 != 2:
        return None
    info = data[position] & 0x1F
    start = position + 1
    if info < 24:
        length = info
    elif info in _LENGTH_FORMS:
        size, smallest = _LENGTH_FORMS[info]
        length = int.from_bytes(data[start : start + size], "big")
        start += size
        if length < smallest or start > len(data):
            return None
    else:
        return None
    end = start + length
    return (data[start:end], end) if end <= len(data) else None


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """Return the bytes a COSE_Sign1 signature covers (RFC 9052 §4.4).

    The protected bytes are used as received, with the one substitution RFC 9052 makes: a
    bucket holding an encoded empty map (``a0``) means "no protected attributes", for which
    the Sig_structure carries a zero-length byte string (cose-wg/Examples sign-pass-01).

    Args:
        protected: the protected bucket exactly as carried in the message.
        payload: the payload (attached or detached).
        external_aad: application data bound to the signature but not carried.

    Returns:
        The deterministic CBOR of ``["Signature1", protected, external_aad, payload]``.
    """
    body = b"" if protected == _EMPTY_MAP else protected
    # An array of a fixed text and three byte strings, written head by head: this runs once
    # per signature checked, and setting up an encoder would cost more than the writing.
    parts = [_SIGNATURE1_START]
    for part in (body, external_aad, payload):
        part = bytes(part)
        parts += (_byte_string_head(len(part)), part)
    return b"".join(parts)


# Array of four (0x84), then the text "Signature1" (0x6a: ten bytes).
_SIGNATURE1_START: Final = b"\x84\x6a" + _SIGNATURE1_CONTEXT.encode()


def _byte_string_head(length: int) -> bytes:
    """The shortest head of a byte string of ``length`` bytes (RFC 8949 §4.2.1)."""
    if length < 24:
        return bytes((0x40 | length,))
    if length < 0x100:
        return bytes((0x58, length))
    if length < 0x10000:
        return b"\x59" + length.to_bytes(2, "big")
    if length < 0x100000000:
        return b"\x5a" + length.to_bytes(4, "big")
    return b"\x5b" + length.to_bytes(8, "big")


# --- signing -----------------------------------------------------------------------------


def sign1(
    payload: bytes,
    signer: Signer,
    *,
    content_type: str | int | None = None,
    protected: Mapping[int, Any] | None = None,
    alg: int = ALG_ED25519,
    unprotected: Mapping[int, Any] | None = None,
    external_aad: bytes = b"",
    kid_in_protected: bool = True,
) -> bytes:
    """Sign ``payload`` and return the encoded, tagged COSE_Sign1 message.

    The protected header is ``{1: alg, 3: content_type, 4: signer.key_id, **protected}``,
    encoded deterministically.

    Args:
        payload: the bytes to sign; carried in the message.
        signer: anything satisfying :class:`custody.crypto.Signer`.
        content_type: a media type string or CoAP content-format number.
        protected: further protected header parameters (for example 15, CWT claims). Must not
            repeat alg (1), content type (3) or kid (4).
        alg: :data:`ALG_ED25519` (default) or :data:`ALG_EDDSA`.
        unprotected: unprotected header parameters (not covered by the signature).
        external_aad: data bound to the signature but not carried; the verifier must supply it.
        kid_in_protected: put the signer's key id in the protected header. Only for reproducing
            third-party vectors that carry a kid of their own in ``unprotected``.

    Returns:
        The encoded message.

    Raises:
        InvalidInput: an unsupported ``alg``, a bad content type, a header label given twice,
            or a signer that returned something other than a 64-byte signature.
    """
    header = _protected_header(alg, content_type, signer, protected, kid_in_protected)
    extra = dict(unprotected or {})
    both = sorted(map(repr, header.keys() & extra.keys()))
    if both:
        raise InvalidInput(f"labels in both buckets: {', '.join(both)}", field="unprotected")
    protected_bytes = _encoded_header(header)
    signature = signer.sign(sig_structure(protected_bytes, payload, external_aad))
    if not isinstance(signature, bytes) or len(signature) != _ED25519_SIGNATURE_SIZE:
        raise InvalidInput("the signer did not return a 64-byte signature", field="signer")
    message = Sign1Message(
        protected=protected_bytes,
        protected_header=_decode_protected(protected_bytes),
        unprotected=extra,
        payload=payload,
        signature=signature,
        tagged=True,
    )
    return message.to_bytes()


def _encoded_header(header: dict[Any, Any]) -> bytes:
    """Encode a protected header; a signer repeats the same few headers, so remember them."""
    try:
        return _encode_frozen(_frozen(header))
    except TypeError:  # an unhashable value (a tag): encode it every time
        return encode(header)


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return (dict, tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return (list, tuple(_frozen(item) for item in value))
    hash(value)  # TypeError for anything that cannot be a cache key
    return (type(value), value)


def _thawed(frozen: Any) -> Any:
    kind, value = frozen
    if kind is dict:
        return {key: _thawed(item) for key, item in value}
    if kind is list:
        return [_thawed(item) for item in value]
    return value


@functools.lru_cache(maxsize=1024)
def _encode_frozen(frozen: Any) -> bytes:
    return encode(_thawed(frozen))


def _protected_header(
    alg: int,
    content_type: str | int | None,
    signer: Signer,
    protected: Mapping[int, Any] | None,
    kid_in_protected: bool,
) -> dict[Any, Any]:
    if alg not in _SIGNABLE_ALGORITHMS:
        raise InvalidInput(f"custody signs only with -19 or -8, not {alg!r}", field="alg")
    header: dict[Any, Any] = {ALG: alg}
    if content_type is not None:
        if not _is_content_type(content_type):
            raise InvalidInput("must be a uint or text", field="content_type")
        header[CONTENT_TYPE] = content_type
    if kid_in_protected:
        header[KID] = signer.key_id
    extra = dict(protected or {})
    reserved = {ALG, CONTENT_TYPE, KID} & extra.keys()
    if reserved:
        raise InvalidInput(
            f"labels {sorted(reserved)} are set by sign1's own arguments", field="protected"
        )
    header.update(extra)
    return header


# --- verification ------------------------------------------------------------------------


def _frozen_ints(values: frozenset[int] | set[int] | tuple[int, ...]) -> frozenset[int]:
    return frozenset(values)


def _check_algorithms(_instance: object, _attribute: object, value: frozenset[int]) -> None:
    unknown = value - _VERIFIABLE_ALGORITHMS
    if unknown or not value:
        raise InvalidInput(
            f"custody can verify only {sorted(_VERIFIABLE_ALGORITHMS)}, not {sorted(unknown)}",
            field="algorithms",
        )


@attrs.frozen
class Sign1Policy:
    """What :func:`verify_sign1` accepts.

    custody's own verification always uses the default (:data:`CUSTODY_POLICY`): Ed25519 only,
    ``alg`` protected, tag 18 required. :meth:`interop` is looser and exists only to run
    third-party test vectors.

    Attributes:
        algorithms: the allowed ``alg`` values (a subset of -19, -8, -7).
        allow_unprotected_alg: accept ``alg`` in the unprotected header when the protected
            header has none.
        require_tag: refuse a message without CBOR tag 18.
        understood_critical: labels this verifier understands when a message lists them in
            ``crit``.
    """

    algorithms: frozenset[int] = attrs.field(
        default=frozenset({ALG_ED25519, ALG_EDDSA}),
        converter=_frozen_ints,
        validator=_check_algorithms,
    )
    allow_unprotected_alg: bool = False
    require_tag: bool = True
    understood_critical: frozenset[int] = attrs.field(
        default=frozenset({ALG, CONTENT_TYPE, KID, CWT_CLAIMS}), converter=_frozen_ints
    )

    @classmethod
    def interop(cls) -> Sign1Policy:
        """The loose policy for third-party vectors: adds ES256, unprotected alg, no tag."""
        return cls(
            algorithms=frozenset({ALG_ED25519, ALG_EDDSA, ALG_ES256}),
            allow_unprotected_alg=True,
            require_tag=False,
        )


#: The policy custody verifies its own messages with.
CUSTODY_POLICY: Final = Sign1Policy()

_Verify = Callable[[bytes, bytes], None]


def verify_sign1(
    message: bytes | Sign1Message,
    public_key: VerificationKey,
    *,
    external_aad: bytes = b"",
    detached_payload: bytes | None = None,
    policy: Sign1Policy = CUSTODY_POLICY,
) -> Sign1Message:
    """Verify a COSE_Sign1 message against one public key.

    Checks, in order (``formats.md`` §5.1): the tag, the algorithm (where it sits, whether the
    policy allows it, whether it fits the key), ``crit``, labels in both buckets, the signature
    length, and the signature over the Sig_structure built from the received protected bytes.
    It does not decide whether the key is trusted, nor look at ``kid`` beyond its shape.

    Args:
        message: the encoded message, or one already parsed.
        public_key: a :class:`PublicKey` or a cryptography public key object.
        external_aad: the external additional authenticated data the signer bound in.
        detached_payload: the payload, when the message carries ``null`` instead.
        policy: what to accept; keep the default for custody's own messages.

    Returns:
        The verified message.

    Raises:
        EncodingError: the message is not a well-formed COSE_Sign1.
        InvalidInput: the payload is missing, or given twice.
        SignatureError: any check fails; the message says which.
    """
    prepared = prepare_sign1(
        message,
        public_key,
        external_aad=external_aad,
        detached_payload=detached_payload,
        policy=policy,
    )
    prepared.verify()
    # 7. kid is a lookup hint only; trust in the key is the caller's policy.
    return prepared.message


@attrs.frozen
class PreparedSignature:
    """A message that passed every check but the signature itself (steps 0 to 5).

    Verifiers of many messages use it to run the signature checks elsewhere (another
    process, a batch); :meth:`verify` runs step 6 here.

    Attributes:
        message: the parsed message.
        alg: its algorithm.
        signature: the signature bytes.
        to_be_signed: the Sig_structure the signature must cover.
    """

    message: Sign1Message
    alg: int
    signature: bytes
    to_be_signed: bytes
    _verify: _Verify = attrs.field(repr=False, alias="verify_with")

    def verify(self) -> None:
        """Step 6: check the signature.

        Raises:
            SignatureError: if it does not verify.
        """
        self._verify(self.signature, self.to_be_signed)


def prepare_sign1(
    message: bytes | Sign1Message,
    public_key: VerificationKey,
    *,
    external_aad: bytes = b"",
    detached_payload: bytes | None = None,
    policy: Sign1Policy = CUSTODY_POLICY,
) -> PreparedSignature:
    """Run every check of :func:`verify_sign1` except the signature itself.

    Raises:
        EncodingError, InvalidInput, SignatureError: as :func:`verify_sign1`.
    """
    # 0. Parse; re-derive the protected header from the bytes even for a parsed message, in
    #    case attrs validators were switched off when it was built.
    if isinstance(message, Sign1Message):
        parsed = message
    else:
        parsed = Sign1Message.from_bytes(message, require_tag=False)
    # 1. to 4.: tag, alg, crit and buckets depend on the headers alone; a log repeats a few
    #    headers many times, so their verdict is remembered when nothing is unprotected.
    if parsed.unprotected:
        alg = _header_alg(parsed.protected, parsed.unprotected, parsed.tagged, policy)
    else:
        alg = _remembered_header_alg(parsed.protected, parsed.tagged, policy)
    # 2b. The algorithm fits the key type.
    verify, signature_size = _verifier_for(alg, public_key)
    # 5. The signature has the exact length of the algorithm.
    if len(parsed.signature) != signature_size:
        raise SignatureError(
            f"signature is {len(parsed.signature)} bytes; alg {alg} needs {signature_size}"
        )
    # 6. (in PreparedSignature.verify) The signature covers the Sig_structure of the RECEIVED
    #    protected bytes, never a re-encoding (an encoded empty map stands for no
    #    attributes: see sig_structure).
    payload = _payload_of(parsed, detached_payload)
    if not isinstance(external_aad, bytes):
        raise InvalidInput("must be bytes", field="external_aad")
    to_be_signed = sig_structure(parsed.protected, payload, external_aad)
    return PreparedSignature(parsed, alg, parsed.signature, to_be_signed, verify_with=verify)


def _header_alg(
    protected_bytes: bytes, unprotected: dict[Any, Any], tagged: bool, policy: Sign1Policy
) -> int:
    """Steps 1 to 4 of verification; the algorithm the headers name."""
    protected = _decode_protected(protected_bytes)
    _check_unprotected(unprotected)
    # 1. The tag is 18 (a different tag was refused while parsing).
    if policy.require_tag and not tagged:
        raise SignatureError("message is not tagged as COSE_Sign1 (tag 18)")
    # 2. alg sits in the protected header and is allowed.
    alg = _select_alg(protected, unprotected, policy)
    # 3. crit is absent or lists only labels we understand.
    _check_crit(protected, unprotected, policy)
    # 4. No label in both buckets: which one wins would depend on the reader.
    _check_buckets(protected, unprotected)
    return alg


@functools.lru_cache(maxsize=1024)
def _remembered_header_alg(protected_bytes: bytes, tagged: bool, policy: Sign1Policy) -> int:
    return _header_alg(protected_bytes, {}, tagged, policy)


def _select_alg(protected: dict[Any, Any], unprotected: dict[Any, Any], policy: Sign1Policy) -> int:
    if ALG in protected:
        alg = protected[ALG]
    elif ALG in unprotected and policy.allow_unprotected_alg:
        alg = unprotected[ALG]
    elif ALG in unprotected:
        raise SignatureError("alg is in the unprotected header; it must be protected")
    else:
        raise SignatureError("no alg in the protected header")
    if not isinstance(alg, int) or alg not in policy.algorithms:
        allowed = ", ".join(map(str, sorted(policy.algorithms)))
        raise SignatureError(f"algorithm {alg!r} is not allowed (allowed: {allowed})")
    return alg


def _verifier_for(alg: int, public_key: VerificationKey) -> tuple[_Verify, int]:
    key = public_key.as_cryptography() if isinstance(public_key, PublicKey) else public_key
    if alg in (ALG_ED25519, ALG_EDDSA) and isinstance(key, Ed25519PublicKey):
        return _checked(key.verify), _ED25519_SIGNATURE_SIZE
    # -8 is polymorphic: Ed448 is allowed so the cose-wg Ed448 vector can be checked.
    if alg == ALG_EDDSA and isinstance(key, Ed448PublicKey):
        return _checked(key.verify), _ED448_SIGNATURE_SIZE
    if alg == ALG_ES256 and isinstance(key, EllipticCurvePublicKey):
        if not isinstance(key.curve, SECP256R1):
            raise SignatureError(f"alg -7 needs a P-256 key, not {key.curve.name}")
        return _es256_verifier(key), 2 * _P256_COORDINATE_SIZE
    raise SignatureError(f"alg {alg} does not fit a {type(key).__name__} key")


def _checked(verify: Callable[[bytes, bytes], None]) -> _Verify:
    def run(signature: bytes, data: bytes) -> None:
        try:
            verify(signature, data)
        except InvalidSignature as exc:
            raise SignatureError("signature does not verify") from exc

    return run


def _es256_verifier(key: EllipticCurvePublicKey) -> _Verify:
    def verify(signature: bytes, data: bytes) -> None:
        # COSE carries r || s (RFC 9053 §2.1); cryptography wants DER.
        r = int.from_bytes(signature[:_P256_COORDINATE_SIZE], "big")
        s = int.from_bytes(signature[_P256_COORDINATE_SIZE:], "big")
        key.verify(encode_dss_signature(r, s), data, ECDSA(SHA256()))

    return _checked(verify)


def _check_crit(
    protected: dict[Any, Any], unprotected: dict[Any, Any], policy: Sign1Policy
) -> None:
    if CRIT in unprotected:
        raise SignatureError("crit must be in the protected header (RFC 9052 §3.1)")
    for label in protected.get(CRIT, ()):
        if label not in policy.understood_critical:
            raise SignatureError(f"critical header parameter {label!r} is not understood")
        if label not in protected:
            raise SignatureError(f"critical header parameter {label!r} is listed but absent")


def _check_buckets(protected: dict[Any, Any], unprotected: dict[Any, Any]) -> None:
    if not unprotected:
        return
    both = sorted(map(repr, protected.keys() & unprotected.keys()))
    if both:
        raise SignatureError(f"header labels in both buckets: {', '.join(both)}")


def _payload_of(message: Sign1Message, detached_payload: bytes | None) -> bytes:
    if message.payload is None:
        if detached_payload is None:
            raise InvalidInput("the payload is detached; pass it", field="detached_payload")
        if not isinstance(detached_payload, bytes):
            raise InvalidInput("must be bytes", field="detached_payload")
        return detached_payload
    if detached_payload is not None:
        raise InvalidInput("the message carries its payload", field="detached_payload")
    return message.payload
