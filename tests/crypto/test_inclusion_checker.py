"""InclusionChecker: the shared vectors, and the same verdict as verify_inclusion on every proof."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.crypto import InclusionChecker, MerkleTree, leaf_hash, verify_inclusion
from custody.errors import ProofError

VECTOR_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "merkle"
INCLUSION_VECTORS = sorted((VECTOR_DIR / "inclusion").rglob("*.json"))
LEAVES = [leaf_hash(n.to_bytes(4, "big")) for n in range(300)]
TREE = MerkleTree(LEAVES)


def agrees(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    try:
        verify_inclusion(index, size, leaf, proof, root)
    except ProofError:
        return False
    return True


def test_every_inclusion_vector() -> None:
    assert len(INCLUSION_VECTORS) == 98
    for path in INCLUSION_VECTORS:
        case = json.loads(path.read_text(encoding="utf-8"))
        proof = [base64.b64decode(h) for h in case["proof"] or []]
        root, leaf = base64.b64decode(case["root"]), base64.b64decode(case["leafHash"])
        try:
            checker = InclusionChecker(case["treeSize"], root)
        except ProofError:
            assert case["wantErr"], path.name
            continue
        assert checker.included(case["leafIdx"], leaf, proof) is not case["wantErr"], path.name


def test_every_leaf_of_every_size_in_order() -> None:
    for size in range(1, 70):
        checker = InclusionChecker(size, TREE.root(size))
        for index in range(size):
            assert checker.included(index, LEAVES[index], TREE.inclusion_proof(index, size))


def test_keeps_one_subtree_per_level() -> None:
    size = 300
    checker = InclusionChecker(size, TREE.root(size))
    for index in range(size):
        assert checker.included(index, LEAVES[index], TREE.inclusion_proof(index, size))
        assert sum(known is not None for known in checker._proven) <= size.bit_length()


def test_refuses_bad_arguments() -> None:
    checker = InclusionChecker(5, TREE.root(5))
    proof = TREE.inclusion_proof(2, 5)
    assert not checker.included(5, LEAVES[2], proof)
    assert not checker.included(-1, LEAVES[2], proof)
    assert not checker.included(2, LEAVES[2][:31], proof)
    assert not checker.included(2, LEAVES[2], [*proof[:-1], proof[-1][:31]])
    assert not checker.included(2, LEAVES[2], [b"\x00" * 32] * 200)
    with pytest.raises(ProofError):
        InclusionChecker(5, b"short")
    with pytest.raises(ProofError):
        InclusionChecker(-1, TREE.root(5))


def _tampered(draw: st.DrawFn, index: int, size: int) -> tuple[int, bytes, list[bytes]]:
    """A proof for ``index``, changed one way or another (or not at all)."""
    leaf, proof = LEAVES[index], TREE.inclusion_proof(index, size)
    how = draw(st.integers(0, 6))
    if how == 1 and proof:
        position = draw(st.integers(0, len(proof) - 1))
        changed = bytearray(proof[position])
        changed[draw(st.integers(0, 31))] ^= 1 << draw(st.integers(0, 7))
        proof = [*proof[:position], bytes(changed), *proof[position + 1 :]]
    elif how == 2:
        proof = [*proof, draw(st.sampled_from(LEAVES))]
    elif how == 3 and proof:
        proof = proof[:-1]
    elif how == 4:
        leaf = LEAVES[(index + 1) % len(LEAVES)]
    elif how == 5 and size > 1:
        index = draw(st.integers(0, size - 1))
    return index, leaf, proof


@st.composite
def _runs(draw: st.DrawFn) -> tuple[int, list[tuple[int, bytes, list[bytes]]]]:
    size = draw(st.integers(1, len(LEAVES)))
    indices = draw(st.lists(st.integers(0, size - 1), max_size=40))
    if draw(st.booleans()):
        indices.sort()  # the usual order: the case's events in log order
    return size, [_tampered(draw, index, size) for index in indices]


@settings(max_examples=300, deadline=None)
@given(_runs())
def test_same_verdict_as_verify_inclusion_on_every_proof(
    run: tuple[int, list[tuple[int, bytes, list[bytes]]]],
) -> None:
    size, proofs = run
    root = TREE.root(size)
    checker = InclusionChecker(size, root)
    for index, leaf, proof in proofs:
        assert checker.included(index, leaf, proof) == agrees(index, size, leaf, proof, root)
