"""The README.txt every bundle carries: what it is and how to verify it, in plain words."""

from __future__ import annotations

from custody.bundle._layout import FORMAT


def readme_text(case: str, origin: str, events: int, files: int) -> bytes:
    """The README of a bundle of ``case`` (the same facts always give the same bytes)."""
    return _TEMPLATE.format(
        format=FORMAT, case=case, origin=origin, events=events, files=files
    ).encode("utf-8")


_TEMPLATE = """\
CUSTODY BUNDLE ({format})

This file is a chain-of-custody bundle of case {case}, exported from the custody log
{origin}. It carries {events} signed custody events and {files} evidence files.

Verify it before relying on it, on your own computer; verifying needs no network:

    custody verify THIS-FILE.custody --trust YOUR-TRUST-POLICY.json --html report.html

The custody command comes with the custody project: install it from a copy of the
project's source that you obtained and checked yourself (pip install . in that copy), not
from a package index under a similar name. Your trust policy is your own file naming the
keys you trust (see docs/trust-policy.md in the custody project). The keys inside this
bundle are only claims by whoever made it; they are never trusted because they are here.

The verifier checks every signature, the order and links of every item's events, every
custody transfer and seal, the proofs that every event is in the signed log, the hash and
size of every file, and the closing signed "exported" event that names exactly what the
bundle contains, so that any removed, added or changed part is found and located. Exit
status 0 means everything verified and is trusted; 1 means a check failed or something is
untrusted; 2 means the file is not a usable bundle.

What is inside (a ZIP archive; every member is stored uncompressed):

    README.txt          this text
    manifest.cbor       the list of members with their SHA-256 and size, signed through
                        the exported event
    closing.cbor        the exported event, the signed log checkpoint, earlier checkpoints
    inclusion.cborseq   a Merkle inclusion proof for every event
    keys.cbor           the signers' public keys and names, as claims
    entries.cborseq     the signed custody events (COSE_Sign1), in log order
    records/            medical evaluation records (salted, committed field by field)
    files/              the evidence files, each named by its SHA-256

The byte-level format is specified in docs/bundle-format.md of the custody project.
"""
