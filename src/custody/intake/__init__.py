"""Evidence intake: hashing, the blob store, media facts, derived copies and labels.

Pillow and exifread are imported here and in ``custody.report`` only (DESIGN.md, layers).
"""

from __future__ import annotations

from custody.intake._blobs import (
    BlobCheck,
    BlobState,
    BlobStore,
    StoredBlob,
    clean_stale_temporaries,
)
from custody.intake._digests import (
    Algorithm,
    Digests,
    Readable,
    algorithms_from,
    hash_file,
    hash_stream,
)

__all__ = [
    "Algorithm",
    "BlobCheck",
    "BlobState",
    "BlobStore",
    "Digests",
    "Readable",
    "StoredBlob",
    "algorithms_from",
    "clean_stale_temporaries",
    "hash_file",
    "hash_stream",
]
