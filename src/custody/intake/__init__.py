"""Evidence intake: hashing, the blob store, media facts, derived copies and labels.

Of custody's packages, only this one imports Pillow, exifread and segno.
"""

from __future__ import annotations

from custody.intake._blobs import (
    BlobCheck,
    BlobState,
    BlobStore,
    StoredBlob,
    clean_stale_temporaries,
)
from custody.intake._derive import DerivedFile, DerivedKind, make_derived
from custody.intake._digests import (
    Algorithm,
    Digests,
    Readable,
    algorithms_from,
    hash_file,
    hash_stream,
)
from custody.intake._exif import ExifFacts, GpsFix, read_exif
from custody.intake._facts import Fact, FactSource
from custody.intake._files import FileReport, examine, facts_from_details, inspect_file
from custody.intake._fixity import (
    FixityFinding,
    FixityReport,
    ItemRef,
    Unrecorded,
    audit_fixity,
)
from custody.intake._images import DecodeState, ImageFacts, jpeg_structure_problem, probe_image
from custody.intake._intake import (
    FileResult,
    IntakeOptions,
    IntakeSummary,
    Outcome,
    intake,
    item_reference,
)
from custody.intake._labels import evidence_label, write_label
from custody.intake._names import recorded_name
from custody.intake._recording import derive_item, item_label

__all__ = [
    "Algorithm",
    "BlobCheck",
    "BlobState",
    "BlobStore",
    "DecodeState",
    "DerivedFile",
    "DerivedKind",
    "Digests",
    "ExifFacts",
    "Fact",
    "FactSource",
    "FileReport",
    "FileResult",
    "FixityFinding",
    "FixityReport",
    "GpsFix",
    "ImageFacts",
    "IntakeOptions",
    "IntakeSummary",
    "ItemRef",
    "Outcome",
    "Readable",
    "StoredBlob",
    "Unrecorded",
    "algorithms_from",
    "audit_fixity",
    "clean_stale_temporaries",
    "derive_item",
    "evidence_label",
    "examine",
    "facts_from_details",
    "hash_file",
    "hash_stream",
    "inspect_file",
    "intake",
    "item_label",
    "item_reference",
    "jpeg_structure_problem",
    "make_derived",
    "probe_image",
    "read_exif",
    "recorded_name",
    "write_label",
]
