"""Deterministic CBOR, the one encoding custody signs, hashes and stores.

:func:`encode` writes RFC 8949 §4.2.1 deterministic CBOR from a small data model (integers,
booleans, null, bytes, text, arrays, maps with all-text or all-integer keys, and explicit tags);
:func:`decode` accepts exactly what :func:`encode` writes and refuses everything else with an
:class:`custody.errors.EncodingError` that says what is wrong and where.
"""

from custody.encoding._cbor import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_SIZE,
    SHORTEST_MINIMUM,
    decode,
    encode,
)

__all__ = ["DEFAULT_MAX_DEPTH", "DEFAULT_MAX_SIZE", "SHORTEST_MINIMUM", "decode", "encode"]
