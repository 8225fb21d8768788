"""What commands share: the ledger path, passphrases, key files and argument parsing."""

from __future__ import annotations

import getpass
import os
import sys
from datetime import datetime
from pathlib import Path

from custody._fs import read_limited
from custody.crypto import MAX_NOTE_SIZE, PublicKey, SigningKey
from custody.errors import InvalidInput
from custody.intake import BlobStore
from custody.keyfiles import is_encrypted, is_public_key_file, load_public_key, read_key_file
from custody.ledger import Ledger
from custody.model import utc_datetime

DEFAULT_LEDGER = "custody.db"
_MAX_PASSPHRASE_FILE = 4096


class Context:
    """Global options of one command-line run."""

    def __init__(
        self, ledger: str | None, passphrase_file: str | None, blobs: str | None = None
    ) -> None:
        self.ledger_path = Path(ledger or os.environ.get("CUSTODY_LEDGER") or DEFAULT_LEDGER)
        self._passphrase_file = passphrase_file
        blobs = blobs or os.environ.get("CUSTODY_BLOBS")
        self.blobs_path = Path(blobs) if blobs else self.ledger_path.with_suffix(".blobs")

    def open_ledger(self, *, read_only: bool = False) -> Ledger:
        """Open the ledger named by ``--ledger`` (``read_only``: changing no byte of it)."""
        return Ledger.open(self.ledger_path, read_only=read_only)

    def open_blobs(self, *, create: bool = False) -> BlobStore:
        """Open the blob store named by ``--blobs`` (created by the first intake)."""
        return BlobStore.open(self.blobs_path, create=create)

    def passphrase(self, purpose: str, *, confirm: bool = False) -> bytes:
        """The passphrase for a key file, from a file, the environment or a prompt."""
        if self._passphrase_file:
            return _read_passphrase_file(Path(self._passphrase_file))
        from_env = os.environ.get("CUSTODY_PASSPHRASE")
        if from_env:
            return from_env.encode()
        if not sys.stdin.isatty():
            raise InvalidInput(
                "no passphrase: use --passphrase-file or set CUSTODY_PASSPHRASE", field=purpose
            )
        first = getpass.getpass(f"Passphrase for {purpose}: ")
        if confirm and getpass.getpass("Repeat passphrase: ") != first:
            raise InvalidInput("the passphrases differ", field=purpose)
        return first.encode()

    def signing_key(self, path: str) -> SigningKey:
        """Load a private key file, asking for its passphrase if it is encrypted."""
        data = read_key_file(path)
        passphrase = self.passphrase(path) if is_encrypted(data) else None
        return SigningKey.from_pem(data, passphrase, source=path)

    def public_key(self, path: str) -> PublicKey:
        """The public key in a public key file, or of a private key file."""
        if is_public_key_file(read_key_file(path)):
            return load_public_key(path)
        return self.signing_key(path).public


def parse_time(value: str | None) -> datetime | None:
    """Parse ``--at``: ISO 8601 with a UTC offset (``2026-11-20T09:30:00+01:00``)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{value!r} is not an ISO 8601 time", field="--at") from exc
    if parsed.tzinfo is None:
        raise InvalidInput("give the UTC offset, e.g. 2026-11-20T09:30:00+01:00", field="--at")
    return utc_datetime(parsed)


def _read_passphrase_file(path: Path) -> bytes:
    raw = read_limited(path, _MAX_PASSPHRASE_FILE, "passphrase file")
    passphrase = raw.removesuffix(b"\n").removesuffix(b"\r")
    if not passphrase or b"\n" in passphrase:
        raise InvalidInput("the passphrase file must hold one non-empty line", field=str(path))
    return passphrase


def read_checkpoint(path: str) -> str:
    """A checkpoint note kept by the verifier, from a file (``--checkpoint``)."""
    data = read_limited(path, MAX_NOTE_SIZE, "checkpoint file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("checkpoint is not UTF-8 text", field=path) from exc
