"""The small interface every signer satisfies, so an HSM or a remote service can stand in."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@runtime_checkable
class Signer(Protocol):
    """Something that makes Ed25519 signatures without handing out its private key.

    A key file (:class:`custody.crypto.SigningKey`), a PKCS#11 token or a remote signing
    service all fit, as long as they answer these three members.
    """

    @property
    def key_id(self) -> bytes:
        """The RFC 9679 COSE Key Thumbprint of the public key (32 bytes)."""

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The public half, for verifiers and for key ids in other formats."""

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message``."""
