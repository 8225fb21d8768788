"""Shared fixtures for the medical model: the sample evaluation as a fresh JSON document, and
helpers that read a document and report what :func:`custody.medical.validate` finds in it.

The keys, photographs and sample item are fixed, so every test sees the same document. Each
test gets its own deep copy and mutates it as little as its case needs.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from custody.medical import (
    Evaluation,
    ItemFacts,
    RuleProblem,
    SamplePhoto,
    sample_evaluation,
    validate,
)


def _hex(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


PHYSICIAN_KEY = _hex("medical tests: forensic physician key")
PSYCHOLOGIST_KEY = _hex("medical tests: psychologist key")
IDENTITY_COMMITMENT = _hex("medical tests: identity commitment")
#: Identification, orientation of the back, close-up of the back, close-up of the wrist.
PHOTOS = tuple(
    SamplePhoto(item=f"ITEM-PHOTO-{n}", sha256=_hex(f"medical tests: photograph {n} bytes"))
    for n in range(1, 5)
)
SAMPLE_ITEM = "ITEM-URINE-1"
SAMPLE_SEAL = "S-20260302-0007"

#: The two departures the sample records with their reasons (rule 5 and rule 6).
SAMPLE_DEPARTURES = [("A16.5", "/photographs/3"), ("A16.6", "/findings/1")]

_SAMPLE = sample_evaluation(
    physician_key=PHYSICIAN_KEY,
    psychologist_key=PSYCHOLOGIST_KEY,
    identity_commitment=IDENTITY_COMMITMENT,
    photos=PHOTOS,
    sample_item=SAMPLE_ITEM,
    sample_seal=SAMPLE_SEAL,
)


def sample_document() -> dict[str, Any]:
    """A fresh deep copy of the sample evaluation, with a urine sample, as a JSON dict."""
    return copy.deepcopy(_SAMPLE)


@pytest.fixture
def doc() -> dict[str, Any]:
    """A fresh deep copy of the sample evaluation, with a urine sample, as a JSON dict."""
    return sample_document()


def _parent(doc: Any, pointer: str) -> tuple[Any, str | int]:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    *path, last = tokens
    for token in path:
        doc = doc[int(token)] if isinstance(doc, list) else doc[token]
    if isinstance(doc, list):
        return doc, len(doc) if last == "-" else int(last)
    return doc, last


def set_at(doc: dict[str, Any], pointer: str, value: Any) -> None:
    """Set the value at a JSON Pointer (``-`` as the last token appends to a list)."""
    parent, key = _parent(doc, pointer)
    if isinstance(parent, list) and key == len(parent):
        parent.append(value)
    else:
        parent[key] = value


def remove_at(doc: dict[str, Any], pointer: str) -> None:
    """Delete the key or list entry at a JSON Pointer."""
    parent, key = _parent(doc, pointer)
    del parent[key]


def problems(doc: dict[str, Any], **validate_kwargs: Any) -> list[RuleProblem]:
    """Read ``doc`` (it must be well formed) and return every problem ``validate`` reports."""
    return list(validate(Evaluation.from_json(doc), **validate_kwargs).problems)


def codes_at(doc: dict[str, Any], code: str, **validate_kwargs: Any) -> list[tuple[str, str]]:
    """``(severity, pointer)`` of each problem with ``code`` in ``doc``, in report order."""
    return [
        (p.severity.value, p.pointer) for p in problems(doc, **validate_kwargs) if p.code == code
    ]


def file_facts(sha256: str) -> ItemFacts:
    """What the ledger says of a file item acquired with these bytes."""
    return ItemFacts(sha256=bytes.fromhex(sha256), seals=(), holder=None, handed_over=False)


def physical_facts(
    *, seals: tuple[str, ...] = (SAMPLE_SEAL,), holder: str | None = PHYSICIAN_KEY, **more: Any
) -> ItemFacts:
    """What the ledger says of a physical item (by default: sealed, held by the physician)."""
    return ItemFacts(
        sha256=None,
        seals=seals,
        holder=None if holder is None else bytes.fromhex(holder),
        handed_over=more.get("handed_over", False),
    )


def sample_case() -> dict[str, ItemFacts]:
    """The case's evidence items as the ledger records them for the sample: all consistent."""
    items = {photo.item: file_facts(photo.sha256) for photo in PHOTOS}
    items[SAMPLE_ITEM] = physical_facts()
    return items
