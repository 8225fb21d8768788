"""Key files: reading and writing Ed25519 keys on disk.

The only file I/O around keys lives here, above ``custody.crypto`` (which does none).
Private keys are PKCS#8 PEM, encrypted with a passphrase unless the caller explicitly
allows otherwise; new files are written atomically, readable by their owner only, and never
replace an existing file.
"""

from __future__ import annotations

import os
from pathlib import Path

from custody._fs import create_new_file, read_limited
from custody.crypto import MAX_KEY_FILE_SIZE, PublicKey, SigningKey
from custody.errors import InvalidInput, KeyFileError

__all__ = [
    "is_encrypted",
    "is_public_key_file",
    "load_public_key",
    "load_signing_key",
    "read_key_file",
    "save_signing_key",
    "write_new_file",
]

_ENCRYPTED = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"
_PUBLIC = b"-----BEGIN PUBLIC KEY-----"


def read_key_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a key file, refusing anything over 64 KiB.

    Raises:
        KeyFileError: the file is missing, unreadable or too large; the message names it.
    """
    return read_limited(path, MAX_KEY_FILE_SIZE, "key file", KeyFileError)


def is_encrypted(data: bytes) -> bool:
    """Whether PEM key data is a passphrase-encrypted private key."""
    return _ENCRYPTED in data


def load_signing_key(path: str | os.PathLike[str], passphrase: bytes | None) -> SigningKey:
    """Read a private key file written by :func:`save_signing_key`.

    Args:
        path: the key file.
        passphrase: the passphrase of an encrypted key, or ``None`` for an unencrypted one.

    Raises:
        KeyFileError: the file is missing, unreadable, larger than 64 KiB, or not a usable
            key; the message names the file.
    """
    return SigningKey.from_pem(read_key_file(path), passphrase, source=os.fspath(path))


def load_public_key(path: str | os.PathLike[str]) -> PublicKey:
    """Read a public key file (PEM SubjectPublicKeyInfo).

    Raises:
        KeyFileError: the file is missing, unreadable, or not an Ed25519 public key.
    """
    data = read_key_file(path)
    if _PUBLIC not in data:
        raise KeyFileError("not a PEM public key file", field=os.fspath(path))
    try:
        return PublicKey.from_pem(data)
    except InvalidInput as exc:
        raise KeyFileError(str(exc), field=os.fspath(path)) from exc


def is_public_key_file(data: bytes) -> bool:
    """Whether key file data holds a public key rather than a private one."""
    return _PUBLIC in data


def save_signing_key(
    key: SigningKey,
    path: str | os.PathLike[str],
    passphrase: bytes | None,
    *,
    allow_unencrypted: bool = False,
) -> None:
    """Write a private key to a new file, atomically, readable by the owner only (0o600).

    Args:
        key: the key to write.
        path: the file to create; it must not exist yet.
        passphrase: a non-empty passphrase, or ``None`` to write the key in the clear.
        allow_unencrypted: must be true when ``passphrase`` is ``None``, so that an
            unprotected key is always a deliberate choice.

    Raises:
        KeyFileError: the file exists, the directory is not writable, or the passphrase
            is refused.
    """
    write_new_file(Path(path), key.to_pem(passphrase, allow_unencrypted=allow_unencrypted))


def write_new_file(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Create ``path`` with ``data``, atomically and durably; never overwrite.

    Args:
        path: the file to create.
        data: its contents.
        mode: its permissions; the owner alone by default, as befits private keys.

    Raises:
        KeyFileError: the file exists or cannot be written.
    """
    create_new_file(path, lambda handle: handle.write(data), mode=mode, error=KeyFileError)
