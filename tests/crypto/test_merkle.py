"""RFC 9162 Merkle tree: known answers, exhaustive checks against a naive model, properties.

The naive model below is written straight from the recursive definitions of RFC 9162 §2.1
(MTH, PATH, PROOF/SUBPROOF) and of subtree consistency proofs
(draft-ietf-plants-merkle-tree-certs §4), with no shared code with ``custody.crypto._merkle``.
"""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Callable
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.crypto._merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    MerkleTree,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    root_of,
    verify_consistency,
    verify_inclusion,
    verify_subtree_consistency,
    verify_subtree_inclusion,
)
from custody.errors import InvalidInput, ProofError

# --- the naive model ----------------------------------------------------------------------


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _split(n: int) -> int:
    """k, the largest power of two strictly below n > 1 (RFC 9162 §2.1.1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


class NaiveTree:
    """RFC 9162 §2.1 definitions over absolute leaf ranges [lo, hi) of a fixed leaf list."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.leaves = leaves
        self.mth = cache(self._mth)

    def _mth(self, lo: int, hi: int) -> bytes:
        if hi == lo:
            return _h(b"")
        if hi - lo == 1:
            return self.leaves[lo]
        mid = lo + _split(hi - lo)
        return _h(b"\x01" + self.mth(lo, mid) + self.mth(mid, hi))

    def path(self, m: int, lo: int, hi: int) -> list[bytes]:
        """PATH(m - lo, D[lo:hi]) (RFC 9162 §2.1.3.1)."""
        if hi - lo == 1:
            return []
        mid = lo + _split(hi - lo)
        if m < mid:
            return [*self.path(m, lo, mid), self.mth(mid, hi)]
        return [*self.path(m, mid, hi), self.mth(lo, mid)]

    def proof(self, m: int, n: int) -> list[bytes]:
        """PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) (RFC 9162 §2.1.4.1)."""
        return self.subproof(m, 0, n, known=True)

    def subproof(self, m: int, lo: int, hi: int, *, known: bool) -> list[bytes]:
        if m == hi:
            return [] if known else [self.mth(lo, hi)]
        mid = lo + _split(hi - lo)
        if m <= mid:
            return [*self.subproof(m, lo, mid, known=known), self.mth(mid, hi)]
        return [*self.subproof(m, mid, hi, known=False), self.mth(lo, mid)]

    def subtree_proof(self, start: int, end: int, n: int) -> list[bytes]:
        """Consistency proof of subtree [start, end) within D[0:n]: descend to the subtree."""
        return self._subtree_subproof(start, end, 0, n, known=True)

    def _subtree_subproof(
        self, start: int, end: int, lo: int, hi: int, *, known: bool
    ) -> list[bytes]:
        if (start, end) == (lo, hi):
            return [] if known else [self.mth(lo, hi)]
        mid = lo + _split(hi - lo)
        if end <= mid:
            return [*self._subtree_subproof(start, end, lo, mid, known=known), self.mth(mid, hi)]
        if start >= mid:
            return [*self._subtree_subproof(start, end, mid, hi, known=known), self.mth(lo, mid)]
        # The subtree straddles the split, so it is a prefix of D[lo:hi]: RFC SUBPROOF.
        assert start == lo
        return [*self._subtree_subproof(mid, end, mid, hi, known=False), self.mth(lo, mid)]


def is_subtree(start: int, end: int) -> bool:
    size = end - start
    ceiling = 1
    while ceiling < size:
        ceiling *= 2
    return start <= end and (size == 0 or start % ceiling == 0)


def directions(index: int, size: int) -> list[str]:
    """Which way the root-to-leaf path of leaf ``index`` turns at each level."""
    turns, lo, hi = [], 0, size
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            turns.append("L")
            hi = mid
        else:
            turns.append("R")
            lo = mid
    return turns


def make_leaves(count: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(count)]


def flip(value: bytes, bit: int = 0) -> bytes:
    """Flip one bit of ``value`` (bit ``bit % 8`` of byte ``bit // 8``)."""
    data = bytearray(value)
    data[bit // 8] ^= 1 << (bit % 8)
    return bytes(data)


def variants_with_one_bit_flipped(proof: list[bytes]) -> list[list[bytes]]:
    """One copy of the proof per element, with one bit of that element flipped."""
    return [
        [*proof[:position], flip(proof[position], position % 256), *proof[position + 1 :]]
        for position in range(len(proof))
    ]


def raises_proof_error(check: Callable[[], None]) -> bool:
    try:
        check()
    except ProofError:
        return True
    return False


def accepts_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    return not raises_proof_error(lambda: verify_inclusion(index, size, leaf, proof, root))


# --- known answers ------------------------------------------------------------------------

# CT reference inputs and roots for sizes 0..8: RFC 6962 test data (certificate-transparency
# merkle_tree_test.cc); the size-8 root is also in formats.md §1.1. Each one is recomputed here
# with the naive model, independently of MerkleTree.
CT_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
             "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_LEAVES = [leaf_hash(bytes.fromhex(entry)) for entry in CT_INPUTS]


@pytest.mark.parametrize("size", range(len(CT_ROOTS)))
def test_ct_reference_roots(size: int) -> None:
    expected = bytes.fromhex(CT_ROOTS[size])
    assert NaiveTree(CT_LEAVES).mth(0, size) == expected
    assert root_of(CT_LEAVES[:size]) == expected
    assert MerkleTree(CT_LEAVES).root(size) == expected


def test_hashing_primitives() -> None:
    assert bytes.fromhex(CT_ROOTS[0]) == EMPTY_ROOT
    assert HASH_SIZE == 32
    assert leaf_hash(b"") == bytes.fromhex(CT_ROOTS[1])  # the one-leaf tree is its leaf
    assert node_hash(CT_LEAVES[0], CT_LEAVES[1]) == bytes.fromhex(CT_ROOTS[2])


@pytest.mark.parametrize(("left", "right"), [(b"\x00" * 31, b"\x00" * 32), (b"\x00" * 32, b"")])
def test_node_hash_refuses_short_children(left: bytes, right: bytes) -> None:
    with pytest.raises(InvalidInput):
        node_hash(left, right)


# --- the tree -----------------------------------------------------------------------------

LEAVES_64 = make_leaves(64)
NAIVE_64 = NaiveTree(LEAVES_64)
TREE_64 = MerkleTree(LEAVES_64)


def test_roots_of_every_past_size_match_the_model() -> None:
    grown = MerkleTree()
    assert grown.root() == EMPTY_ROOT
    for size in range(1, 65):
        grown.append(LEAVES_64[size - 1])
        expected = NAIVE_64.mth(0, size)
        assert grown.root() == expected
        assert TREE_64.root(size) == expected
        assert MerkleTree(LEAVES_64[:size]).root() == expected
    assert len(grown) == len(TREE_64) == 64


def test_grown_and_built_trees_give_the_same_proofs() -> None:
    grown = MerkleTree()
    for leaf in LEAVES_64[:37]:
        grown.append(leaf)
    for index in range(37):
        assert grown.inclusion_proof(index) == TREE_64.inclusion_proof(index, 37)
    for old_size in range(1, 38):
        assert grown.consistency_proof(old_size) == TREE_64.consistency_proof(old_size, 37)


def test_tree_refuses_bad_arguments() -> None:
    with pytest.raises(InvalidInput):
        MerkleTree([b"\x00" * 31])
    with pytest.raises(InvalidInput):
        TREE_64.append(b"\x00" * 33)
    with pytest.raises(InvalidInput):
        TREE_64.root(65)
    with pytest.raises(InvalidInput):
        TREE_64.root(-1)
    with pytest.raises(InvalidInput):
        TREE_64.inclusion_proof(8, 8)
    with pytest.raises(InvalidInput):
        TREE_64.inclusion_proof(-1)
    with pytest.raises(InvalidInput):
        MerkleTree().inclusion_proof(0)
    with pytest.raises(InvalidInput, match="0 < old_size"):
        TREE_64.consistency_proof(0, 5)
    with pytest.raises(InvalidInput):
        TREE_64.consistency_proof(6, 5)
    with pytest.raises(InvalidInput):
        TREE_64.consistency_proof(1, 65)
    assert len(TREE_64) == 64
    assert "size=64" in repr(TREE_64)


def test_tree_memory_is_about_two_hashes_per_leaf() -> None:
    leaves = make_leaves(20_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tree = MerkleTree(leaves)
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(tree) == 20_000
    # 2 x 32 bytes per leaf, plus bytearray over-allocation; per-node bytes objects would
    # cost more than twice as much.
    assert used < 80 * len(leaves)


# --- exhaustive checks, every size up to 64 -----------------------------------------------


def test_every_inclusion_proof_up_to_64_leaves() -> None:
    for size in range(1, 65):
        root = NAIVE_64.mth(0, size)
        for index in range(size):
            proof = TREE_64.inclusion_proof(index, size)
            assert proof == NAIVE_64.path(index, 0, size)
            verify_inclusion(index, size, LEAVES_64[index], proof, root)
            _assert_inclusion_tampering_fails(index, size, proof, root)


def _assert_inclusion_tampering_fails(
    index: int, size: int, proof: list[bytes], root: bytes
) -> None:
    leaf = LEAVES_64[index]
    tampered = [
        (index, size, flip(leaf), proof, root),
        (index, size, leaf, proof, flip(root, 7)),
        (index, size, leaf, [*proof, leaf], root),
        (index, size, leaf, [leaf, *proof], root),
    ]
    if proof:
        tampered.append((index, size, leaf, proof[:-1], root))
    for changed in variants_with_one_bit_flipped(proof):
        tampered.append((index, size, leaf, changed, root))
    for other in (index - 1, index + 1):
        if 0 <= other < size:
            tampered.append((other, size, leaf, proof, root))
    for args in tampered:
        with pytest.raises(ProofError):
            verify_inclusion(*args)


def test_every_consistency_proof_up_to_64_leaves() -> None:
    for new_size in range(1, 65):
        new_root = NAIVE_64.mth(0, new_size)
        for old_size in range(1, new_size + 1):
            old_root = NAIVE_64.mth(0, old_size)
            proof = TREE_64.consistency_proof(old_size, new_size)
            assert proof == NAIVE_64.proof(old_size, new_size)
            verify_consistency(old_size, new_size, old_root, new_root, proof)
            _assert_consistency_tampering_fails(old_size, new_size, old_root, new_root, proof)


def _assert_consistency_tampering_fails(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> None:
    tampered = [
        (old_size, new_size, flip(old_root), new_root, proof),
        (old_size, new_size, old_root, flip(new_root), proof),
        (old_size, new_size, old_root, new_root, [*proof, old_root]),
        (old_size, new_size, old_root, new_root, [new_root, *proof]),
        (old_size - 1, new_size, old_root, new_root, proof),
        (old_size + 1, new_size, old_root, new_root, proof),
    ]
    if proof:
        tampered.append((old_size, new_size, old_root, new_root, proof[:-1]))
    for changed in variants_with_one_bit_flipped(proof):
        tampered.append((old_size, new_size, old_root, new_root, changed))
    for args in tampered:
        with pytest.raises(ProofError):
            verify_consistency(*args)


def test_every_subtree_inclusion_proof_up_to_64_leaves() -> None:
    for end in range(1, 65):
        for start in range(end):
            if not is_subtree(start, end):
                continue
            subtree_root = NAIVE_64.mth(start, end)
            for index in range(start, end):
                proof = NAIVE_64.path(index, start, end)
                leaf = LEAVES_64[index]
                verify_subtree_inclusion(index, start, end, leaf, proof, subtree_root)
                with pytest.raises(ProofError):
                    verify_subtree_inclusion(index, start, end, flip(leaf), proof, subtree_root)


def test_every_subtree_consistency_proof_up_to_64_leaves() -> None:
    for size in range(1, 65):
        root = NAIVE_64.mth(0, size)
        for end in range(1, size + 1):
            for start in range(end):
                if is_subtree(start, end):
                    _check_subtree_consistency(start, end, size, root)


def _check_subtree_consistency(start: int, end: int, size: int, root: bytes) -> None:
    subtree_root = NAIVE_64.mth(start, end)
    proof = NAIVE_64.subtree_proof(start, end, size)
    if start == 0:
        assert proof == NAIVE_64.proof(end, size)  # the RFC 9162 case
    verify_subtree_consistency(start, end, size, subtree_root, root, proof)
    tampered = [
        (start, end, size, flip(subtree_root), root, proof),
        (start, end, size, subtree_root, flip(root), proof),
        (start, end, size, subtree_root, root, [*proof, root]),
        (start, end, size, subtree_root, root, [root, *proof]),
    ]
    if proof:
        tampered.append((start, end, size, subtree_root, root, proof[:-1]))
    for changed in variants_with_one_bit_flipped(proof):
        tampered.append((start, end, size, subtree_root, root, changed))
    for args in tampered:
        with pytest.raises(ProofError):
            verify_subtree_consistency(*args)


def test_only_aligned_ranges_are_subtrees() -> None:
    leaf, root = LEAVES_64[0], NAIVE_64.mth(0, 16)
    for end in range(1, 17):
        for start in range(end):
            if is_subtree(start, end):
                continue
            with pytest.raises(ProofError, match="not a subtree"):
                verify_subtree_inclusion(start, start, end, leaf, [], root)
            with pytest.raises(ProofError, match="not a subtree"):
                verify_subtree_consistency(start, end, 16, root, root, [])


def test_empty_subtree_is_consistent_with_any_tree() -> None:
    root = NAIVE_64.mth(0, 5)
    verify_subtree_consistency(4, 4, 5, EMPTY_ROOT, root, [])
    with pytest.raises(ProofError, match="empty-tree hash"):
        verify_subtree_consistency(4, 4, 5, root, root, [])
    with pytest.raises(ProofError, match="proof has 1"):
        verify_subtree_consistency(4, 4, 5, EMPTY_ROOT, root, [root])
    with pytest.raises(ProofError, match="beyond the tree size"):
        verify_subtree_consistency(6, 6, 5, EMPTY_ROOT, root, [])


# --- RFC 9162 §2.1.3 / formats.md §1.4: what a proof does not pin --------------------------


def test_proof_does_not_pin_the_tree_size() -> None:
    """An inclusion proof checked against a root alone does not authenticate size or index.

    The audit path of leaf 1 in the 4-leaf tree also verifies as "leaf 1 of a 3-leaf tree"
    against the same root, and leaf 2 of 3 as "leaf 1 of 2". So a verifier must take the
    tree size from a signed checkpoint, never from the unsigned proof; with the size fixed,
    the index is unique (checked exhaustively above: every neighbouring index fails).
    """
    root_4 = NAIVE_64.mth(0, 4)
    path = TREE_64.inclusion_proof(1, 4)
    verify_inclusion(1, 4, LEAVES_64[1], path, root_4)
    verify_inclusion(1, 3, LEAVES_64[1], path, root_4)

    root_3 = NAIVE_64.mth(0, 3)
    path = TREE_64.inclusion_proof(2, 3)
    verify_inclusion(2, 3, LEAVES_64[2], path, root_3)
    verify_inclusion(1, 2, LEAVES_64[2], path, root_3)


def test_a_wrong_size_verifies_exactly_when_the_path_has_the_same_shape() -> None:
    for size in range(1, 65):
        root = NAIVE_64.mth(0, size)
        for index in range(size):
            proof = TREE_64.inclusion_proof(index, size)
            for other in (size - 1, size + 1):
                if other > index:
                    same_shape = directions(index, size) == directions(index, other)
                    assert accepts_inclusion(index, other, LEAVES_64[index], proof, root) == (
                        same_shape
                    )


# --- precise failures ---------------------------------------------------------------------

ROOT_8 = NAIVE_64.mth(0, 8)
PATH_3_OF_8 = TREE_64.inclusion_proof(3, 8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: verify_inclusion(8, 8, LEAVES_64[3], PATH_3_OF_8, ROOT_8), "beyond the tree size"),
        (lambda: verify_inclusion(0, 0, LEAVES_64[0], [], EMPTY_ROOT), "beyond the tree size"),
        (lambda: verify_inclusion(-1, 8, LEAVES_64[3], PATH_3_OF_8, ROOT_8), "not a uint64"),
        (lambda: verify_inclusion(3, 2**64, LEAVES_64[3], PATH_3_OF_8, ROOT_8), "not a uint64"),
        (lambda: verify_inclusion(3, 8, b"", PATH_3_OF_8, ROOT_8), "leaf hash must be 32"),
        (lambda: verify_inclusion(3, 8, LEAVES_64[3], PATH_3_OF_8, ROOT_8[:31]), "root hash must"),
        (
            lambda: verify_inclusion(3, 8, LEAVES_64[3], [PATH_3_OF_8[0] + b"\x00"], ROOT_8),
            "proof hash 0 must be 32 bytes, got 33",
        ),
        (
            lambda: verify_inclusion(3, 8, LEAVES_64[3], PATH_3_OF_8[:2], ROOT_8),
            "has 2 hashes; a node at index 3 of a tree of size 8 needs 3",
        ),
        (
            lambda: verify_inclusion(3, 8, LEAVES_64[3], [*PATH_3_OF_8, ROOT_8], ROOT_8),
            "has 4 hashes",
        ),
        (lambda: verify_inclusion(3, 8, LEAVES_64[3], [ROOT_8] * 129, ROOT_8), "129 hashes"),
        (lambda: verify_inclusion(3, 8, LEAVES_64[4], PATH_3_OF_8, ROOT_8), "not the expected"),
        (lambda: verify_consistency(0, 8, EMPTY_ROOT, ROOT_8, []), "empty tree"),
        (lambda: verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, []), "empty tree"),
        (lambda: verify_consistency(9, 8, ROOT_8, ROOT_8, []), "larger than new size"),
        (lambda: verify_consistency(8, 8, ROOT_8, ROOT_8, [ROOT_8]), "proof has 1 hashes"),
        (lambda: verify_consistency(8, 8, ROOT_8, flip(ROOT_8), []), "roots differ"),
        (lambda: verify_consistency(3, 8, ROOT_8, ROOT_8, []), "is empty"),
        (lambda: verify_consistency(3, 8, ROOT_8, ROOT_8[:12], [ROOT_8]), "new root hash must"),
        (
            lambda: verify_consistency(
                3, 8, NAIVE_64.mth(0, 3), ROOT_8, TREE_64.consistency_proof(3, 8)[:-1]
            ),
            "wrong length",
        ),
        (
            lambda: verify_consistency(
                3, 8, flip(NAIVE_64.mth(0, 3)), ROOT_8, TREE_64.consistency_proof(3, 8)
            ),
            "does not reproduce the old root",
        ),
        (lambda: verify_subtree_inclusion(2, 1, 2, LEAVES_64[1], [], LEAVES_64[1]), "outside"),
        (lambda: verify_subtree_inclusion(0, 2, 1, LEAVES_64[1], [], LEAVES_64[1]), "after"),
        (lambda: verify_subtree_consistency(0, 9, 8, ROOT_8, ROOT_8, []), "beyond the tree"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_failures_explain_themselves(call: Callable[[], None], message: str) -> None:
    with pytest.raises(ProofError, match=message):
        call()


def test_root_from_inclusion_proof_returns_the_implied_root() -> None:
    assert root_from_inclusion_proof(3, 8, LEAVES_64[3], PATH_3_OF_8) == ROOT_8
    wrong = root_from_inclusion_proof(3, 8, LEAVES_64[2], PATH_3_OF_8)
    assert wrong != ROOT_8


# --- properties at larger sizes -----------------------------------------------------------

BIG = 2048
LEAVES_BIG = make_leaves(BIG)
TREE_BIG = MerkleTree(LEAVES_BIG)


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(min_value=1, max_value=BIG))
    return size, draw(st.integers(min_value=0, max_value=size - 1))


@settings(max_examples=300, deadline=None)
@given(case=size_and_index(), tamper=st.integers(0, 5), bit=st.integers(0, 255))
def test_inclusion_property(case: tuple[int, int], tamper: int, bit: int) -> None:
    size, index = case
    leaf, root = LEAVES_BIG[index], TREE_BIG.root(size)
    proof = TREE_BIG.inclusion_proof(index, size)
    verify_inclusion(index, size, leaf, proof, root)

    if tamper == 0:
        args = (index, size, flip(leaf, bit), proof, root)
    elif tamper == 1:
        args = (index, size, leaf, proof, flip(root, bit))
    elif tamper == 2 and proof:
        position = bit % len(proof)
        changed = [*proof[:position], flip(proof[position], bit), *proof[position + 1 :]]
        args = (index, size, leaf, changed, root)
    elif tamper == 3 and size > 1:
        args = (index - 1 if index else index + 1, size, leaf, proof, root)
    elif tamper in (4, 5):
        other_size = size + (1 if tamper == 4 else -1)
        if other_size <= index:
            return
        accepted = accepts_inclusion(index, other_size, leaf, proof, root)
        # §1.4: a neighbouring size verifies only when the path has the very same shape.
        assert accepted == (directions(index, size) == directions(index, other_size))
        return
    else:
        return
    with pytest.raises(ProofError):
        verify_inclusion(*args)


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    new_size = draw(st.integers(min_value=1, max_value=BIG))
    return draw(st.integers(min_value=1, max_value=new_size)), new_size


@settings(max_examples=300, deadline=None)
@given(sizes=two_sizes(), tamper=st.integers(0, 4), bit=st.integers(0, 255))
def test_consistency_property(sizes: tuple[int, int], tamper: int, bit: int) -> None:
    old_size, new_size = sizes
    old_root, new_root = TREE_BIG.root(old_size), TREE_BIG.root(new_size)
    assert new_root == root_of(LEAVES_BIG[:new_size])
    proof = TREE_BIG.consistency_proof(old_size, new_size)
    verify_consistency(old_size, new_size, old_root, new_root, proof)

    if tamper == 0:
        args = (old_size, new_size, flip(old_root, bit), new_root, proof)
    elif tamper == 1:
        args = (old_size, new_size, old_root, flip(new_root, bit), proof)
    elif tamper == 2 and proof:
        position = bit % len(proof)
        changed = [*proof[:position], flip(proof[position], bit), *proof[position + 1 :]]
        args = (old_size, new_size, old_root, new_root, changed)
    elif tamper == 3:
        other = old_size + 1 if old_size < new_size else old_size - 1
        if other == 0:
            return
        args = (other, new_size, old_root, new_root, proof)
    elif tamper == 4 and old_size < new_size - 1:
        # Like inclusion (§1.4), a consistency proof does not pin the new size: the proof is
        # part of the audit path of leaf old_size - 1, so a smaller new size verifies exactly
        # when that path has the same shape.
        accepted = not raises_proof_error(
            lambda: verify_consistency(old_size, new_size - 1, old_root, new_root, proof)
        )
        same = directions(old_size - 1, new_size) == directions(old_size - 1, new_size - 1)
        assert accepted == same
        return
    else:
        return
    with pytest.raises(ProofError):
        verify_consistency(*args)


@st.composite
def subtree_in_tree(draw: st.DrawFn) -> tuple[int, int, int]:
    size = draw(st.integers(min_value=1, max_value=BIG))
    end = draw(st.integers(min_value=1, max_value=size))
    height = draw(st.integers(min_value=0, max_value=(end - 1).bit_length()))
    block = 1 << height
    start = ((end - 1) // block) * block  # the aligned block holding the last leaf
    return start, end, size


@settings(max_examples=300, deadline=None)
@given(case=subtree_in_tree(), bit=st.integers(0, 255), data=st.data())
def test_subtree_properties(case: tuple[int, int, int], bit: int, data: st.DataObject) -> None:
    start, end, size = case
    assert is_subtree(start, end)
    subtree_root = root_of(LEAVES_BIG[start:end])
    naive = NaiveTree(LEAVES_BIG[:size])
    proof = naive.subtree_proof(start, end, size)
    verify_subtree_consistency(start, end, size, subtree_root, TREE_BIG.root(size), proof)

    index = data.draw(st.integers(min_value=start, max_value=end - 1))
    path = MerkleTree(LEAVES_BIG[start:end]).inclusion_proof(index - start)
    verify_subtree_inclusion(index, start, end, LEAVES_BIG[index], path, subtree_root)

    wrong_root = flip(subtree_root, bit)
    with pytest.raises(ProofError):
        verify_subtree_consistency(start, end, size, wrong_root, TREE_BIG.root(size), proof)
    with pytest.raises(ProofError):
        verify_subtree_inclusion(index, start, end, LEAVES_BIG[index], path, wrong_root)
