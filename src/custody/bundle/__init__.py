"""Court bundles: export a case to one file and verify it offline.

:func:`export_bundle` writes a case (or a selection of its items and evaluations) with its
signed events, the checkpoint and proofs placing them in the log, the evidence files (or
only their hashes), the medical records and the signers' keys as claims, closed by a signed
``exported`` event naming the manifest. :func:`verify_bundle` checks all of it against the
verifier's own :class:`~custody.verify.TrustPolicy`. The format is ``docs/bundle-format.md``.
"""

from custody.bundle._contents import (
    MAX_TIMELINE,
    BundleEvaluation,
    BundleFile,
    BundleItem,
    BundleSigner,
    BundleVerification,
    ExportFacts,
    FileStatus,
    TimelineEvent,
)
from custody.bundle._export import ExportResult, export_bundle
from custody.bundle._layout import FORMAT
from custody.bundle._verify import CHECK_OF_CODE, verify_bundle

__all__ = [
    "CHECK_OF_CODE",
    "FORMAT",
    "MAX_TIMELINE",
    "BundleEvaluation",
    "BundleFile",
    "BundleItem",
    "BundleSigner",
    "BundleVerification",
    "ExportFacts",
    "ExportResult",
    "FileStatus",
    "TimelineEvent",
    "export_bundle",
    "verify_bundle",
]
