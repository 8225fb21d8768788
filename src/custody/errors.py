"""The exceptions custody raises.

Every exception the library raises on purpose derives from :class:`CustodyError`::

    CustodyError
     ├── InvalidInput            malformed input: bad CBOR, a broken key file, a refused event
     │    ├── EncodingError       CBOR that is not deterministic, too deep, too large, ...
     │    │    └── EncodingLimitError   refused for its size or nesting, not its form
     │    ├── KeyFileError        a key file that is corrupt, or a wrong passphrase
     │    ├── TransitionRefused   an event the item's custody state does not allow
     │    │    └── ChainMoved      another event came first on the chain it was planned on
     │    ├── NotALedger          a file that is not a custody ledger
     │    └── BundleUnreadable    a file that is not a usable bundle (hostile or broken)
     ├── VerificationError       well-formed input that is not trustworthy
     │    ├── SignatureError      a signature that does not verify
     │    └── ProofError          a Merkle proof or checkpoint that does not verify
     └── StoreError              the storage engine failed (disk full, locked too long, ...)

Third-party exceptions are translated at the boundary with ``raise ... from``, so callers
catch ``CustodyError`` and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from custody.verify import VerificationReport

__all__ = [
    "BundleUnreadable",
    "ChainMoved",
    "CustodyError",
    "EncodingError",
    "EncodingLimitError",
    "InvalidInput",
    "KeyFileError",
    "NotALedger",
    "ProofError",
    "SignatureError",
    "StoreError",
    "TransitionRefused",
    "VerificationError",
]


class CustodyError(Exception):
    """Root of every error custody raises on purpose."""


class InvalidInput(CustodyError, ValueError):
    """Input that is malformed or not allowed.

    Attributes:
        field: the offending field, path or file, when one can be named.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class EncodingError(InvalidInput):
    """CBOR that custody refuses: non-deterministic, too deep, too large, or of a banned type."""


class EncodingLimitError(EncodingError):
    """CBOR refused for exceeding a reader's limit (size or nesting) rather than for its form.

    Readers of untrusted files treat it as hostile input, where malformed content is a
    finding about the file.
    """


class KeyFileError(InvalidInput):
    """A key file that cannot be read: corrupt, wrong passphrase, wrong key type."""


class TransitionRefused(InvalidInput):
    """An event the item's custody state does not allow (the history would be impossible)."""


class ChainMoved(TransitionRefused):
    """An append planned on a chain as it stood, refused because another event came first."""


class NotALedger(InvalidInput):
    """A file that is not a custody ledger, or one of an unsupported version."""


class BundleUnreadable(InvalidInput):
    """A file that is not a usable bundle: not a ZIP of the bundle subset, over a reader's
    limit, or shaped to attack the reader (paths leaving the bundle, links, zip bombs).
    """


class VerificationError(CustodyError):
    """Well-formed input that is not trustworthy.

    Attributes:
        report: the verification report that failed, when the error comes from one.
    """

    def __init__(self, message: str, *, report: VerificationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class SignatureError(VerificationError):
    """A signature that does not verify, or one made with a refused algorithm."""


class ProofError(VerificationError):
    """A Merkle inclusion or consistency proof, or a checkpoint, that does not verify."""


class StoreError(CustodyError):
    """The storage engine failed in a way that is not the caller's input."""
