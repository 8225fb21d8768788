"""Key files: reading and writing Ed25519 keys on disk.

The only file I/O around keys lives here, above ``custody.crypto`` (which does none).
Private keys are PKCS#8 PEM, encrypted with a passphrase unless the caller explicitly
allows otherwise; new files are written atomically, readable by their owner only, and never
replace an existing file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from custody._fs import read_limited, sync_directory
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
    if os.path.lexists(path):
        raise KeyFileError("refusing to overwrite an existing file", field=str(path))
    directory = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise KeyFileError(f"cannot create file ({exc.strerror})", field=str(path)) from exc
    try:
        _write_and_sync(fd, data, mode)
        _publish(temp_name, path)
    except OSError as exc:
        raise KeyFileError(f"cannot write file ({exc.strerror})", field=str(path)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
    sync_directory(directory)


def _write_and_sync(fd: int, data: bytes, mode: int) -> None:
    with os.fdopen(fd, "wb") as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), mode)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _publish(temp_name: str, path: Path) -> None:
    # A hard link is an atomic "create if absent": unlike os.replace it cannot clobber a file
    # that appeared since the lexists() check in write_new_file.
    try:
        os.link(temp_name, path)
    except FileExistsError as exc:
        raise KeyFileError("refusing to overwrite an existing file", field=str(path)) from exc
    except OSError:
        # No hard links on this filesystem (FAT, some network mounts): check, then rename.
        if os.path.lexists(path):
            raise KeyFileError("refusing to overwrite an existing file", field=str(path)) from None
        os.replace(temp_name, path)
