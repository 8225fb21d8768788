"""Ed25519 keys: public keys, signing keys, key ids and their PEM forms (no file I/O here).

A key id is the RFC 9679 COSE Key Thumbprint of the public key: SHA-256 over the deterministic
CBOR encoding of the COSE_Key ``{1: 1 (OKP), -1: 6 (Ed25519), -2: x}``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Any, Final

import attrs
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from custody.errors import InvalidInput, KeyFileError, SignatureError

__all__ = ["MAX_KEY_FILE_SIZE", "PublicKey", "SigningKey", "key_id"]

#: Key files larger than this are refused before parsing: a PKCS#8 Ed25519 key is ~300 bytes.
MAX_KEY_FILE_SIZE: Final = 64 * 1024

_RAW_KEY_SIZE: Final = 32
_SIGNATURE_SIZE: Final = 64

# Deterministic CBOR of the COSE_Key map up to the key bytes: a3 (map of 3), 01 01 (kty: OKP),
# 20 06 (crv: Ed25519), 21 58 20 (x: bstr of 32). Written out rather than encoded so the
# thumbprint cannot drift with the CBOR library (RFC 9679 §3, formats.md §5.3).
_THUMBPRINT_PREFIX: Final = bytes.fromhex("a301012006215820")

_PEM_LABEL = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----")
_ENCRYPTED_LABEL: Final = "ENCRYPTED PRIVATE KEY"
# PKCS#8, plus the legacy OpenSSL forms so that an EC or RSA key is named as such when refused.
_READABLE_LABELS: Final = frozenset(
    {"PRIVATE KEY", _ENCRYPTED_LABEL, "EC PRIVATE KEY", "RSA PRIVATE KEY", "DSA PRIVATE KEY"}
)
_PEM_SOURCE: Final = "<PEM data>"


def key_id(public_key: Ed25519PublicKey) -> bytes:
    """Return the RFC 9679 COSE Key Thumbprint of an Ed25519 public key.

    Args:
        public_key: the key, as a cryptography object.

    Returns:
        The 32-byte SHA-256 thumbprint.
    """
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(_THUMBPRINT_PREFIX + raw).digest()


def _check_raw_public_key(_instance: object, _attribute: object, value: bytes) -> None:
    if not isinstance(value, bytes) or len(value) != _RAW_KEY_SIZE:
        raise InvalidInput("an Ed25519 public key is exactly 32 bytes", field="public key")
    try:
        Ed25519PublicKey.from_public_bytes(value)
    except ValueError as exc:
        raise InvalidInput(f"not an Ed25519 public key: {exc}", field="public key") from exc


@attrs.frozen
class PublicKey:
    """An Ed25519 public key (the raw 32 bytes), valid from construction.

    Attributes:
        raw: the 32-byte public key as defined in RFC 8032.
    """

    raw: bytes = attrs.field(validator=_check_raw_public_key, repr=lambda raw: raw.hex())

    @classmethod
    def from_bytes(cls, raw: bytes) -> PublicKey:
        """Build a key from its raw 32 bytes.

        Raises:
            InvalidInput: ``raw`` is not a 32-byte Ed25519 public key.
        """
        return cls(raw)

    @classmethod
    def from_cryptography(cls, public_key: Ed25519PublicKey) -> PublicKey:
        """Wrap a cryptography ``Ed25519PublicKey``.

        Raises:
            InvalidInput: ``public_key`` is not an Ed25519 public key.
        """
        if not isinstance(public_key, Ed25519PublicKey):
            raise InvalidInput(
                f"expected an Ed25519 public key, got {type(public_key).__name__}",
                field="public key",
            )
        raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return cls(raw)

    @classmethod
    def from_pem(cls, data: bytes) -> PublicKey:
        """Read a PEM ``PUBLIC KEY`` (SubjectPublicKeyInfo) block.

        Raises:
            InvalidInput: ``data`` is not a PEM public key, or not an Ed25519 one.
        """
        if len(data) > MAX_KEY_FILE_SIZE:
            raise InvalidInput("PEM data larger than 64 KiB", field="public key")
        try:
            loaded = serialization.load_pem_public_key(data)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise InvalidInput("not a PEM public key", field="public key") from exc
        if not isinstance(loaded, Ed25519PublicKey):
            raise InvalidInput(
                f"not an Ed25519 public key (found {type(loaded).__name__})", field="public key"
            )
        return cls.from_cryptography(loaded)

    def to_bytes(self) -> bytes:
        """Return the raw 32-byte key."""
        return self.raw

    def to_pem(self) -> bytes:
        """Return the key as a PEM SubjectPublicKeyInfo (``PUBLIC KEY``) block."""
        return self.as_cryptography().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def as_cryptography(self) -> Ed25519PublicKey:
        """Return the key as a cryptography ``Ed25519PublicKey``."""
        return Ed25519PublicKey.from_public_bytes(self.raw)

    @functools.cached_property  # asked for on every event signed or checked
    def key_id(self) -> bytes:
        """The RFC 9679 COSE Key Thumbprint (32 bytes)."""
        return hashlib.sha256(_THUMBPRINT_PREFIX + self.raw).digest()

    @property
    def key_id_hex(self) -> str:
        """The key id as 64 lowercase hex digits."""
        return self.key_id.hex()

    def verify(self, signature: bytes, message: bytes) -> None:
        """Check a raw Ed25519 signature over ``message``.

        Args:
            signature: the 64-byte signature.
            message: the exact bytes that were signed.

        Raises:
            SignatureError: the signature has the wrong length or does not verify.
        """
        if not isinstance(signature, bytes) or len(signature) != _SIGNATURE_SIZE:
            raise SignatureError("an Ed25519 signature is exactly 64 bytes")
        try:
            self.as_cryptography().verify(signature, message)
        except InvalidSignature as exc:
            raise SignatureError(
                f"Ed25519 signature does not verify under key {self.key_id_hex}"
            ) from exc


def _check_private_key(_instance: object, _attribute: object, value: Ed25519PrivateKey) -> None:
    if not isinstance(value, Ed25519PrivateKey):
        raise InvalidInput(
            f"expected an Ed25519 private key, got {type(value).__name__}", field="signing key"
        )


@attrs.frozen(eq=False)
class SigningKey:
    """An Ed25519 private key held in memory; satisfies :class:`custody.crypto.Signer`.

    Use :meth:`generate`, :meth:`from_seed`, :meth:`load` or :meth:`from_pem` to make one.
    The private key never appears in ``repr`` and keys compare by identity, so that no code
    path compares secret bytes.
    """

    _private: Ed25519PrivateKey = attrs.field(validator=_check_private_key, repr=False)
    # Derived once: signers are asked for their key id on every event they sign.
    _public: PublicKey = attrs.field(init=False, repr=False)

    @_public.default
    def _derive_public(self) -> PublicKey:
        return PublicKey.from_cryptography(self._private.public_key())

    def __repr__(self) -> str:
        return f"SigningKey(key_id={self.public.key_id_hex!r})"

    @classmethod
    def generate(cls) -> SigningKey:
        """Make a new random key from the operating system's CSPRNG."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> SigningKey:
        """Make the key determined by a 32-byte RFC 8032 seed (for tests and fixtures).

        Raises:
            InvalidInput: ``seed`` is not exactly 32 bytes.
        """
        if not isinstance(seed, bytes) or len(seed) != _RAW_KEY_SIZE:
            raise InvalidInput("an Ed25519 seed is exactly 32 bytes", field="seed")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_cryptography(cls, private_key: Ed25519PrivateKey) -> SigningKey:
        """Wrap a cryptography ``Ed25519PrivateKey``.

        Raises:
            InvalidInput: ``private_key`` is not an Ed25519 private key.
        """
        return cls(private_key)

    @classmethod
    def from_pem(
        cls, data: bytes, passphrase: bytes | None, *, source: str = _PEM_SOURCE
    ) -> SigningKey:
        """Read a PKCS#8 PEM private key.

        Args:
            data: the PEM text.
            passphrase: the passphrase of an encrypted key, or ``None`` for an unencrypted one.
            source: what to call the data in error messages (a file name, say).

        Raises:
            KeyFileError: the data is not a PEM private key, is corrupt, is not Ed25519, the
                passphrase is wrong or missing, or one was given for an unencrypted key.
        """
        return cls(_parse_private_pem(data, passphrase, source))

    def to_pem(self, passphrase: bytes | None, *, allow_unencrypted: bool = False) -> bytes:
        """Return the key as PKCS#8 PEM, encrypted with ``passphrase``.

        Args:
            passphrase: a non-empty passphrase, or ``None`` to write the key in the clear.
            allow_unencrypted: must be true when ``passphrase`` is ``None``, so that an
                unprotected key is always a deliberate choice.

        Raises:
            KeyFileError: no passphrase without ``allow_unencrypted``, or an empty passphrase.
        """
        encryption = _encryption_for(passphrase, allow_unencrypted=allow_unencrypted)
        return self._private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    @property
    def public(self) -> PublicKey:
        """The public half as a :class:`PublicKey`."""
        return self._public

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The public half as a cryptography ``Ed25519PublicKey``."""
        return self._private.public_key()

    @property
    def key_id(self) -> bytes:
        """The RFC 9679 COSE Key Thumbprint of the public key (32 bytes)."""
        return self._public.key_id

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message``."""
        return self._private.sign(message)


def _encryption_for(
    passphrase: bytes | None, *, allow_unencrypted: bool
) -> serialization.KeySerializationEncryption:
    if passphrase is None:
        if not allow_unencrypted:
            raise KeyFileError(
                "refusing to write an unencrypted private key; give a passphrase "
                "or pass allow_unencrypted=True"
            )
        return serialization.NoEncryption()
    if not isinstance(passphrase, bytes):
        raise KeyFileError("the passphrase must be bytes")
    if not passphrase:
        raise KeyFileError("refusing an empty passphrase")
    return serialization.BestAvailableEncryption(passphrase)


def _parse_private_pem(data: bytes, passphrase: bytes | None, source: str) -> Ed25519PrivateKey:
    if not isinstance(data, bytes):
        raise KeyFileError("PEM data must be bytes", field=source)
    if len(data) > MAX_KEY_FILE_SIZE:
        raise KeyFileError("key file larger than 64 KiB", field=source)
    if passphrase is not None and (not isinstance(passphrase, bytes) or not passphrase):
        raise KeyFileError("the passphrase must be non-empty bytes", field=source)
    label = _pem_label(data, source)
    encrypted = label == _ENCRYPTED_LABEL
    if encrypted and passphrase is None:
        raise KeyFileError("key is encrypted but no passphrase was given", field=source)
    if not encrypted and passphrase is not None:
        # Say so rather than ignore the passphrase: the owner believes the key is protected.
        raise KeyFileError("key is not encrypted but a passphrase was given", field=source)
    loaded = _load_private(data, passphrase, source, encrypted=encrypted)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise KeyFileError(f"not an Ed25519 key (found {_describe(loaded)})", field=source)
    return loaded


def _pem_label(data: bytes, source: str) -> str:
    match = _PEM_LABEL.search(data)
    if match is None:
        raise KeyFileError("not a PEM key file", field=source)
    label = match.group(1).decode("ascii")
    if not label.endswith("PRIVATE KEY"):
        raise KeyFileError(f"not a private key (found a PEM {label!r} block)", field=source)
    if label not in _READABLE_LABELS:
        raise KeyFileError(
            f"unsupported key format ({label!r}); custody reads PKCS#8 PEM", field=source
        )
    return label


def _load_private(data: bytes, passphrase: bytes | None, source: str, *, encrypted: bool) -> Any:
    try:
        return serialization.load_pem_private_key(data, passphrase)
    except TypeError as exc:
        # cryptography reports a passphrase mismatch as TypeError; the label checks above
        # catch PKCS#8, this catches legacy "Proc-Type: 4,ENCRYPTED" files.
        raise KeyFileError(f"passphrase mismatch: {exc}", field=source) from exc
    except UnsupportedAlgorithm as exc:
        raise KeyFileError("unsupported key type or encryption", field=source) from exc
    except ValueError as exc:
        # A wrong passphrase and a damaged ciphertext both fail the decryption padding or the
        # ASN.1 parse afterwards; OpenSSL cannot tell them apart.
        reason = "wrong passphrase or corrupt key" if encrypted else "corrupt key file"
        raise KeyFileError(reason, field=source) from exc


def _describe(key: object) -> str:
    if isinstance(key, EllipticCurvePrivateKey):
        return f"an EC {key.curve.name} key"
    if isinstance(key, RSAPrivateKey):
        return f"an RSA-{key.key_size} key"
    return f"a {type(key).__name__}"
